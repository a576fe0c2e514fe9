package io.github.wsrobustness;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsrobustness.frame.WebSocketProtocol;
import java.util.ArrayList;
import java.util.List;
import okio.ByteString;
import org.junit.jupiter.api.Test;

/**
 * RFC 6455 §4.1's checks of a 101, one rule at a time. It lives beside {@link HandshakeResponse}
 * (not in {@code internal}) because only this package can build a response without a socket.
 */
class UpgradeCheckTest {
  private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

  /** A 101 that completes the handshake for {@link #KEY}, with extra header lines. */
  private static HandshakeResponse upgrade(String... extra) {
    List<String> lines =
        new ArrayList<>(
            List.of(
                "Upgrade: websocket",
                "Connection: Upgrade",
                "Sec-WebSocket-Accept: " + WebSocketProtocol.acceptHeader(KEY)));
    lines.addAll(List.of(extra));
    return response(lines);
  }

  private static HandshakeResponse response(List<String> lines) {
    return new HandshakeResponse(
        "HTTP/1.1 101 Switching Protocols", 101, lines, ByteString.EMPTY, Redaction.DEFAULT);
  }

  private static String problem(
      HandshakeResponse response, List<String> subprotocols, List<String> extensions) {
    return UpgradeCheck.problem(response, KEY, subprotocols, extensions);
  }

  @Test
  void aCompleteUpgradePasses() {
    assertThat(problem(upgrade(), List.of(), List.of())).isNull();
    // Header values are compared as RFC 6455 §4.1 says: case-insensitively, Connection as a token
    // list.
    assertThat(
            problem(
                response(
                    List.of(
                        "upgrade: WebSocket",
                        "connection: keep-alive, upgrade",
                        "sec-websocket-accept: " + WebSocketProtocol.acceptHeader(KEY))),
                List.of(),
                List.of()))
        .isNull();
  }

  @Test
  void anyStatusButSwitchingProtocolsFails() {
    HandshakeResponse ok =
        new HandshakeResponse(
            "HTTP/1.1 200 OK",
            200,
            List.of(
                "Upgrade: websocket",
                "Connection: Upgrade",
                "Sec-WebSocket-Accept: " + WebSocketProtocol.acceptHeader(KEY)),
            ByteString.EMPTY,
            Redaction.DEFAULT);
    assertThat(problem(ok, List.of(), List.of()))
        .isEqualTo(
            "expected HTTP 101 Switching Protocols, but the server answered 'HTTP/1.1 200 OK'");
  }

  @Test
  void connectionHeaderMustCarryUpgrade() {
    assertThat(
            problem(
                response(List.of("Upgrade: websocket", "Connection: keep-alive")),
                List.of(),
                List.of()))
        .isEqualTo("expected 'Connection: Upgrade' in the 101 response, but it was 'keep-alive'");
  }

  @Test
  void upgradeHeaderMustSayWebsocket() {
    assertThat(
            problem(response(List.of("Upgrade: h2c", "Connection: Upgrade")), List.of(), List.of()))
        .isEqualTo("expected 'Upgrade: websocket' in the 101 response, but it was 'h2c'");
  }

  @Test
  void missingAcceptIsNamed() {
    assertThat(
            problem(
                response(List.of("Upgrade: websocket", "Connection: Upgrade")),
                List.of(),
                List.of()))
        .isEqualTo(
            "expected 'Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=' for key "
                + KEY
                + ", but it was absent");
  }

  @Test
  void acceptForAnotherKeyIsNamed() {
    // The RFC's own example: the accept value for a different key is as wrong as a garbled one.
    String otherAccept = WebSocketProtocol.acceptHeader("x3JJHMbDL1EzLkh9GBhXDw==");
    assertThat(
            problem(
                response(
                    List.of(
                        "Upgrade: websocket",
                        "Connection: Upgrade",
                        "Sec-WebSocket-Accept: " + otherAccept)),
                List.of(),
                List.of()))
        .isEqualTo(
            "expected 'Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=' for key "
                + KEY
                + ", but it was '"
                + otherAccept
                + "'");
  }

  @Test
  void onlyAnOfferedSubprotocolMayBeSelected() {
    assertThat(problem(upgrade("Sec-WebSocket-Protocol: chat"), List.of("mqtt", "chat"), List.of()))
        .isNull();
    assertThat(problem(upgrade("Sec-WebSocket-Protocol: chat"), List.of(), List.of()))
        .isEqualTo(
            "the server selected subprotocol 'chat', which the client did not offer;"
                + " RFC 6455 §4.1 says to fail the connection");
    assertThat(
            problem(upgrade("Sec-WebSocket-Protocol: chat"), List.of("mqtt", "stomp"), List.of()))
        .isEqualTo(
            "the server selected subprotocol 'chat', which the client did not offer (offered: mqtt, stomp);"
                + " RFC 6455 §4.1 says to fail the connection");
  }

  @Test
  void onlyOfferedExtensionsMayBeAccepted() {
    List<String> offered =
        List.of("permessage-deflate; client_max_window_bits, x-webkit-deflate-frame");
    assertThat(
            problem(
                upgrade("Sec-WebSocket-Extensions: Permessage-Deflate; server_no_context_takeover"),
                List.of(),
                offered))
        .isNull();
    assertThat(
            problem(
                upgrade(
                    "Sec-WebSocket-Extensions: permessage-deflate",
                    "Sec-WebSocket-Extensions: x-unasked"),
                List.of(),
                offered))
        .isEqualTo(
            "the server accepted extension 'x-unasked', which the client did not offer;"
                + " RFC 6455 §4.1 says to fail the connection");
    assertThat(
            problem(upgrade("Sec-WebSocket-Extensions: permessage-deflate"), List.of(), List.of()))
        .startsWith("the server accepted extension 'permessage-deflate'");
  }

  @Test
  void aPermessageDeflateAnswerTheRfcForbidsFailsTheUpgrade() {
    List<String> offered = List.of("permessage-deflate; client_max_window_bits");
    assertThat(
            problem(
                upgrade("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=10"),
                List.of(),
                offered))
        .isNull();
    assertThat(
            problem(
                upgrade("Sec-WebSocket-Extensions: permessage-deflate; zlib_level=9"),
                List.of(),
                offered))
        .isEqualTo(
            "the server's permessage-deflate answer has the unknown parameter 'zlib_level' (RFC"
                + " 7692 §7: fail the connection)");
  }

  @Test
  void extensionNamesDropParametersAndCase() {
    assertThat(
            UpgradeCheck.extensionNames(
                List.of(" Permessage-Deflate ; a=1, x-two", "", "x-three;q")))
        .containsExactly("permessage-deflate", "x-two", "x-three");
  }
}

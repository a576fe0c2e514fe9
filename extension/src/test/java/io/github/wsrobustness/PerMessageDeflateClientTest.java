package io.github.wsrobustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wsrobustness.frame.Frame;
import io.github.wsrobustness.frame.MessageDeflater;
import io.github.wsrobustness.frame.ReceivedFrame;
import io.github.wsrobustness.frame.WebSocketProtocol;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The client with permessage-deflate agreed (RFC 7692): it inflates what the server compresses,
 * reports what the server breaks, and refuses an answer the RFC forbids.
 */
class PerMessageDeflateClientTest {
  @Test
  void aCompressedMessageFromTheServerArrivesInflated() throws Exception {
    try (TestPeer peer =
            TestPeer.start(
                c -> {
                  answer(c, "permessage-deflate; server_no_context_takeover");
                  MessageDeflater deflater = MessageDeflater.noContextTakeover();
                  c.writeFrame(
                      Frame.text(deflater.compress("inflated, at last")).rsv1().unmasked());
                  c.awaitEndOfStream();
                });
        RawWebSocketClient ws = offeringDeflate(peer).connect()) {
      ReceivedFrame message = ws.awaitMessage();
      assertThat(message.message().utf8()).isEqualTo("inflated, at last");
      assertThat(message.violations()).isEmpty();
    }
  }

  @Test
  void aServerThatCompressesUnaskedIsReported() throws Exception {
    try (TestPeer peer =
            TestPeer.start(
                c -> {
                  answer(c, null);
                  MessageDeflater deflater = MessageDeflater.noContextTakeover();
                  c.writeFrame(Frame.text(deflater.compress("never agreed")).rsv1().unmasked());
                  c.awaitEndOfStream();
                });
        RawWebSocketClient ws = offeringDeflate(peer).connect()) {
      assertThat(ws.awaitFrame().violations())
          .contains("RSV1 is set but no negotiated extension defines it (RFC 6455 §5.2)");
    }
  }

  @Test
  void anAnswerWithAnUnknownParameterFailsTheUpgrade() throws Exception {
    try (TestPeer peer =
        TestPeer.start(
            c -> {
              answer(c, "permessage-deflate; zlib_level=9");
              c.awaitEndOfStream();
            })) {
      assertThatThrownBy(() -> offeringDeflate(peer).connect())
          .hasMessageContaining(
              "the server's permessage-deflate answer has the unknown parameter 'zlib_level'");
    }
  }

  /** A client of {@code peer} that offers a plain permessage-deflate. */
  private static RawWebSocketClient.Builder offeringDeflate(TestPeer peer) {
    return RawWebSocketClient.builder(peer.uri())
        .extensions("permessage-deflate")
        .deadline(Duration.ofSeconds(2));
  }

  /** Reads the request and answers 101, with this {@code Sec-WebSocket-Extensions} (null: none). */
  private static void answer(TestPeer.Connection c, String extensions) throws IOException {
    Map<String, String> request = c.readRequest();
    String key = request.get("sec-websocket-key");
    c.writeUtf8(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: "
            + WebSocketProtocol.acceptHeader(key)
            + "\r\n"
            + (extensions == null ? "" : "Sec-WebSocket-Extensions: " + extensions + "\r\n")
            + "\r\n");
  }
}

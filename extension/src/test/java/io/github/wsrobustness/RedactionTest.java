package io.github.wsrobustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wsrobustness.assertj.WebSocketAssertions;
import io.github.wsrobustness.frame.WebSocketProtocol;
import org.junit.jupiter.api.Test;

/**
 * Credentials stay out of reports: failure messages, transcripts (and so the attached transcript
 * files and Surefire's XML) show a redacted header's name and length, never its value.
 */
class RedactionTest {
  private static final String SECRET = "s3cr3t";

  /** Answers the handshake with a session cookie, then closes 1000 on the first frame. */
  private static TestPeer cookieServer() throws Exception {
    return TestPeer.start(
        c -> {
          String key = c.readRequest().get("sec-websocket-key");
          c.writeUtf8(
              "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Accept: "
                  + WebSocketProtocol.acceptHeader(key)
                  + "\r\nSet-Cookie: session="
                  + SECRET
                  + "-cookie; HttpOnly\r\n\r\n");
          c.readFrame();
          c.writeHex("88 02 03 e8");
          c.readFrame(); // the client's close reply
          c.close();
        });
  }

  private static RawWebSocketClient.Builder withCredentials(TestPeer peer) {
    return RawWebSocketClient.builder(peer.uri())
        .header("Authorization", "Bearer " + SECRET + "-token")
        .header("Cookie", "id=" + SECRET + "-id")
        .header("X-Api-Key", SECRET + "-key")
        .redactHeader("X-Api-Key");
  }

  @Test
  void credentialsAreRedactedInMessagesAndTranscripts() throws Exception {
    try (TestPeer peer = cookieServer();
        RawWebSocketClient ws = withCredentials(peer).connect()) {
      ws.sendText("close me");
      assertThatThrownBy(() -> ws.assertClosesWith(1002))
          .hasMessageNotContaining(SECRET)
          .hasMessageContaining("Authorization: <redacted, 19 bytes>")
          .hasMessageContaining("Cookie: <redacted, 12 bytes>")
          .hasMessageContaining("X-Api-Key: <redacted, 10 bytes>")
          .hasMessageContaining("Set-Cookie: <redacted, 31 bytes>");
      assertThat(ws.transcript()).doesNotContain(SECRET).contains("Authorization: <redacted");
      assertThatThrownBy(
              () -> WebSocketAssertions.assertThat(ws.handshakeResponse()).hasStatus(400))
          .hasMessageNotContaining(SECRET)
          .hasMessageContaining("Set-Cookie: <redacted, 31 bytes>");
      // The values themselves stay available to the test.
      assertThat(ws.handshakeResponse().header("Set-Cookie")).contains(SECRET);
    }
  }

  @Test
  void aUserWhoAsksSeesThemInTheClear() throws Exception {
    try (TestPeer peer = cookieServer();
        RawWebSocketClient ws = withCredentials(peer).revealCredentialsInReports().connect()) {
      assertThat(ws.transcript())
          .contains("Authorization: Bearer " + SECRET + "-token")
          .contains("Set-Cookie: session=" + SECRET + "-cookie");
    }
  }

  @Test
  void aHeaderNameIsCheckedBeforeAnySocketOpens() {
    assertThatThrownBy(() -> RawWebSocketClient.builder("ws://localhost/").redactHeader("X-Key: v"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("redactHeader takes a header name such as X-Api-Key, was 'X-Key: v'");
  }

  @Test
  void aResponseCutShortIsQuotedWithItsCookieRedacted() throws Exception {
    try (TestPeer peer =
        TestPeer.start(
            c -> {
              c.readRequest();
              c.writeUtf8("HTTP/1.1 401 Unauthorized\r\nSet-Cookie: session=" + SECRET + "\r\n");
              c.close(); // before the blank line that ends the head
            })) {
      assertThatThrownBy(() -> RawWebSocketClient.connect(peer.uri()))
          .isInstanceOf(HandshakeException.class)
          .hasMessageStartingWith(
              "the server closed the connection before a complete HTTP response")
          .hasMessageContaining("Set-Cookie: <redacted, 14 bytes>")
          .hasMessageNotContaining(SECRET);
    }
  }

  @Test
  void aRequestSentLineByLineIsRedactedToo() throws Exception {
    try (TestPeer peer =
            TestPeer.start(
                c -> {
                  c.readRequest();
                  c.awaitEndOfStream();
                });
        RawWebSocketClient ws = RawWebSocketClient.builder(peer.uri()).connectWithoutUpgrade()) {
      ws.sendRaw("GET / HTTP/1.1\r\nHost: x\r\n");
      ws.sendRaw("Authorization: Bear"); // a header line cut in the middle of its value
      ws.sendRaw("er " + SECRET + "-token\r\n");
      ws.sendRaw("\r\n");
      assertThat(ws.transcript())
          .doesNotContain(SECRET)
          .contains("Authorization: <redacted, 4 bytes>")
          .contains("<redacted, 15 bytes>");
    }
  }

  @Test
  void aHeaderAssertionShowsACookiesLengthNotItsValue() throws Exception {
    try (TestPeer peer = cookieServer();
        RawWebSocketClient ws = withCredentials(peer).connect()) {
      assertThatThrownBy(
              () ->
                  WebSocketAssertions.assertThat(ws.handshakeResponse())
                      .hasHeader("Set-Cookie", "session=other"))
          .isInstanceOfSatisfying(
              org.opentest4j.AssertionFailedError.class,
              e -> assertThat(String.valueOf(e.getActual().getValue())).doesNotContain(SECRET))
          .hasMessageNotContaining(SECRET);
    }
  }
}

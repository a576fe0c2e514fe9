package io.github.wsrobustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wsrobustness.assertj.WebSocketAssertions;
import io.github.wsrobustness.assertj.WebSocketSoftAssertions;
import io.github.wsrobustness.frame.FrameReader;
import io.github.wsrobustness.frame.ReceivedFrame;
import okio.Buffer;
import okio.ByteString;
import org.junit.jupiter.api.Test;

/**
 * The AssertJ classes work as soft assertions: every failure is collected, each with its message.
 */
class SoftAssertionsTest {
  private static ReceivedFrame frame(String hex) throws Exception {
    return FrameReader.forServerFrames(new Buffer().write(ByteString.decodeHex(hex))).readFrame();
  }

  @Test
  void failuresAreCollectedAndReportedTogether() throws Exception {
    try (TestPeer server = RuleServer.start();
        RawWebSocketClient ws = RawWebSocketClient.connect(server.uri())) {
      ws.sendText("close-1000");
      Outcome outcome = ws.awaitOutcome();
      ReceivedFrame masked =
          frame("818400000000" + "74657874"); // a masked server frame: a violation

      WebSocketSoftAssertions softly = new WebSocketSoftAssertions();
      softly.assertThat(outcome).isClosedWith(1002);
      softly.assertThat(outcome).isClosedWith(1000).hasCleanTcpEnd();
      softly.assertThat(masked).isTextMessage("text").hasNoViolations();
      softly.assertThat(ws.handshakeResponse()).hasStatus(101).hasHeader("Upgrade", "websocket");
      softly.assertThat(ws.serverUnderTest()).stillServes();

      assertThat(softly.errorsCollected()).hasSize(2);
      assertThat(softly.errorsCollected().get(0))
          .hasMessageContaining(
              "Expecting a close frame with 1002 (PROTOCOL_ERROR), but the server closed with 1000");
      assertThat(softly.errorsCollected().get(1))
          .hasMessageContaining(
              "Expecting a frame without protocol violations, but the server sent TEXT \"text\"\n"
                  + "  frame: TEXT fin masked len=4\n"
                  + "  violations: frame is masked; RFC 6455 §5.1 forbids a server to mask its frames");
      assertThatThrownBy(softly::assertAll).hasMessageContaining("Multiple Failures (2 failures)");
    }
  }

  @Test
  void descriptionsPrefixTheMessage() throws Exception {
    assertThatThrownBy(
            () ->
                WebSocketAssertions.assertThat(frame("8a0161"))
                    .as("probe answer")
                    .isPong(ByteString.EMPTY))
        .hasMessage(
            "[probe answer] Expecting a pong (empty), but the server sent PONG \"a\"\n"
                + "  frame: PONG fin len=1");
  }
}

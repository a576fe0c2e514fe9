package io.github.wsrobustness.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsrobustness.Outcome;
import io.github.wsrobustness.RawWebSocketClient;
import io.github.wsrobustness.WebSocketRobustness;
import io.github.wsrobustness.WebSocketTarget;
import io.github.wsrobustness.demo.servers.JettyEchoServer;
import io.github.wsrobustness.frame.Frame;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A stock Jetty 12 echo server running inside the test JVM. The test starts it, so only the test
 * knows its port: {@code @WebSocketTarget} hands the URI to the extension, which reads it lazily,
 * after {@code @BeforeAll} has run. Jetty names each violation in its close reason; we pin those
 * reasons.
 */
@WebSocketRobustness
class JettyServerTest {
  private static JettyEchoServer jetty;

  @BeforeAll
  static void startJetty() throws Exception {
    jetty = JettyEchoServer.start();
  }

  @AfterAll
  static void stopJetty() {
    jetty.close();
  }

  @WebSocketTarget
  static URI jettyEcho() {
    return jetty.uri();
  }

  /**
   * RFC 6455 §5.1; "still serves" is the in-JVM twin of "process alive": a fresh client gets its
   * pong.
   */
  @Test
  void unmaskedFrameIsRejected(RawWebSocketClient ws) {
    ws.send(Frame.text("hello").unmasked());
    Outcome outcome = ws.assertClosesWith(1002);
    assertThat(outcome.closeReason())
        .isEqualTo("Client MUST mask all frames (RFC-6455: Section 5.1)");
    ws.assertServerStillServes();
  }

  /** The well-behaved baseline. */
  @Test
  void maskedTextIsEchoed(RawWebSocketClient ws) {
    ws.sendText("hello");
    ws.assertReceivesText("hello");
  }

  /** §5.2: Jetty closes (it does not just drop) with 1002 and names the opcode. */
  @Test
  void reservedOpcodeIsRejected(RawWebSocketClient ws) {
    ws.send(Frame.text("x").opcode(0x3));
    Outcome outcome = ws.assertClosesWith(1002);
    assertThat(outcome.closeReason()).isEqualTo("Unknown opcode: 3");
    ws.assertServerStillServes();
  }
}

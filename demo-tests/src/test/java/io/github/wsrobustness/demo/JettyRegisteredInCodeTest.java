package io.github.wsrobustness.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsrobustness.RawWebSocketClient;
import io.github.wsrobustness.WebSocketRobustnessExtension;
import io.github.wsrobustness.demo.servers.JettyEchoServer;
import io.github.wsrobustness.frame.Frame;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The extension registered in code instead of by the annotation: the URI comes from a supplier,
 * asked when a test first needs the server (after {@code @BeforeAll} started it), and every client
 * carries a credential that no transcript shows.
 */
class JettyRegisteredInCodeTest {
  private static JettyEchoServer jetty;

  @RegisterExtension
  static WebSocketRobustnessExtension robustness =
      WebSocketRobustnessExtension.builder()
          .uri("Jetty 12", () -> jetty.uri())
          .header("Authorization", "Bearer demo-token")
          .deadline(Duration.ofSeconds(5))
          .build();

  @BeforeAll
  static void startJetty() throws Exception {
    jetty = JettyEchoServer.start();
  }

  @AfterAll
  static void stopJetty() {
    jetty.close();
  }

  @Test
  void echoesWithoutShowingTheCredential(RawWebSocketClient ws) {
    ws.sendText("hello");
    ws.assertReceivesText("hello");
    assertThat(ws.transcript()).doesNotContain("demo-token");
  }

  /** RFC 6455 §5.1, as in {@link JettyServerTest}, through the registered extension. */
  @Test
  void unmaskedFrameIsRejected(RawWebSocketClient ws) {
    ws.send(Frame.text("hello").unmasked());
    ws.assertClosesWith(1002);
    ws.assertServerStillServes();
  }
}

package io.github.wsrobustness.demo;

import io.github.wsrobustness.WebSocketRobustness;
import io.github.wsrobustness.WebSocketTarget;
import io.github.wsrobustness.demo.servers.JettyEchoServer;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link DeflateEchoTests} against a stock Jetty 12 echo server, whose deflate extension is on by
 * default.
 */
@WebSocketRobustness
class JettyDeflateTest extends DeflateEchoTests {
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

  /** Far past Jetty's default 64 KiB message limit. */
  @Override
  long bombSize() {
    return 16L << 20;
  }
}

package io.github.wsrobustness.demo;

import io.github.wsrobustness.Catalogue;
import io.github.wsrobustness.WebSocketRobustness;
import io.github.wsrobustness.WebSocketTarget;
import io.github.wsrobustness.catalog.Waive;
import io.github.wsrobustness.demo.servers.JettyEchoServer;
import java.net.URI;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * The whole catalogue (Autobahn's 517 cases and the project's own) against a stock Jetty 12 echo
 * server in this JVM, its permessage-deflate on, each case its own test. Jetty's default message
 * limit is 64 KiB; Autobahn's section 9 sends 16 MiB, so this server accepts 32 MiB, as a team
 * running the catalogue would configure it.
 */
@WebSocketRobustness
@DisplayName("Jetty 12")
@Waive(
    cases = {"R6.2", "R6.3", "R6.4"},
    reason =
        "Jetty 12.1.14 upgrades a Sec-WebSocket-Key that is not 16 bytes of base64 (\"not-base64!\","
            + " a 4-byte key) and a request with two keys, answering the last; RFC 6455 §4.2.1"
            + " item 5 says refuse with 400 (JettyHandshakeTest pins it)")
@Waive(
    cases = {"13.3", "13.4", "13.5", "13.6"},
    reason =
        "Jetty 12.1.14 accepts an offer that asks for server_max_window_bits with a plain"
            + " permessage-deflate that leaves it out, where RFC 7692 §7.1.2.1 says a server that"
            + " accepts includes it (or declines the offer): java.util.zip has no window setting,"
            + " so Jetty cannot honour one; the client fails the upgrade, so no message is sent")
@Waive(
    cases = {"R10.8", "R10.9", "R10.10"},
    reason =
        "Jetty 12.1.14 accepts a permessage-deflate offer with a parameter twice, or with window"
            + " bits of 7 or 16, where RFC 7692 §7 and §7.1.2 say decline it; it then compresses as"
            + " it always does, so the connection works")
class JettyCatalogueTest {
  private static JettyEchoServer jetty;

  @BeforeAll
  static void startJetty() throws Exception {
    jetty = JettyEchoServer.startWithExtensionsAccepting(32L << 20);
  }

  @AfterAll
  static void stopJetty() {
    jetty.close();
  }

  @WebSocketTarget
  static URI jettyEcho() {
    return jetty.uri();
  }

  @TestFactory
  Stream<DynamicNode> autobahn(Catalogue catalogue) {
    return catalogue.tests();
  }
}

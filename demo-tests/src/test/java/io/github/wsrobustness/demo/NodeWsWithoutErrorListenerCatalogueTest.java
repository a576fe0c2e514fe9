package io.github.wsrobustness.demo;

import io.github.wsrobustness.Catalogue;
import io.github.wsrobustness.WebSocketRobustness;
import io.github.wsrobustness.catalog.CatalogueCases;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * The whole Autobahn catalogue against the same {@code ws} server started without its per-socket
 * {@code 'error'} listener: every protocol error it detects becomes an uncaught exception, and the
 * process dies. Each death is reported on the case that caused it, and the server is started again
 * for the next case. The deaths are this demo's point: a waiver file keeps the build green, and
 * every report still shows them.
 */
@WebSocketRobustness(
    launch = {"node", "echo-server.js", "0", "--no-error-listener"},
    launchDirectory = "node",
    readyWhenOutputMatches = "listening on 127\\.0\\.0\\.1:(\\d+)")
@CatalogueCases(waivers = "waivers/node-ws-no-error-listener.txt", messageLimit = "100MiB")
@DisplayName("Node ws, no error listener")
class NodeWsWithoutErrorListenerCatalogueTest {
  @TestFactory
  Stream<DynamicNode> autobahn(Catalogue catalogue) {
    return catalogue.tests();
  }
}

package io.github.wsrobustness.demo;

import io.github.wsrobustness.Catalogue;
import io.github.wsrobustness.WebSocketRobustness;
import io.github.wsrobustness.catalog.CatalogueCases;
import io.github.wsrobustness.catalog.Waive;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * The whole Autobahn catalogue against the Node.js {@code ws} echo server, launched by the
 * extension and checked after every case.
 */
@WebSocketRobustness(
    launch = {"node", "echo-server.js", "0"},
    launchDirectory = "node",
    readyWhenOutputMatches = "listening on 127\\.0\\.0\\.1:(\\d+)")
@Waive(
    cases = "R6.22",
    reason =
        "ws 8.23 on Node 20 upgrades a GET that carries a body and reads the body as the first"
            + " WebSocket frame: Node's HTTP server hands the upgrade the bytes after the head, the"
            + " body included; \"a=1\" is a frame with RSV bits set, so ws fails the connection with"
            + " 1002, and the ping after the upgrade gets no pong")
// ws's default maxPayload, set rather than searched for: the search costs seconds a run.
@CatalogueCases(messageLimit = "100MiB")
@DisplayName("Node ws")
@Waive(
    cases = {"9.3.1", "9.4.1"},
    reason =
        "ws 8.23 fails a message of more than 16,384 fragments with 1008 (its maxFragments"
            + " option, a defence against fragment floods); these cases send 65,536 fragments of"
            + " 64 bytes")
@Waive(
    cases = {"R6.8", "R6.15", "R6.16", "R6.17"},
    reason =
        "ws 8.23 on Node 20 upgrades a request whose request line says HTTP/1.0, and one whose"
            + " Host is invalid, doubled or missing: neither Node's HTTP server (for an upgrade)"
            + " nor ws checks them; RFC 6455 §4.2.1 asks for HTTP/1.1 and a Host, and RFC 9112"
            + " §3.2 for a 400 on a bad Host")
class NodeWsCatalogueTest {
  @TestFactory
  Stream<DynamicNode> autobahn(Catalogue catalogue) {
    return catalogue.tests();
  }
}

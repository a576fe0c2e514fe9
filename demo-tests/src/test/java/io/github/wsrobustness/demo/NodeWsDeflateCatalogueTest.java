package io.github.wsrobustness.demo;

import io.github.wsrobustness.Catalogue;
import io.github.wsrobustness.WebSocketRobustness;
import io.github.wsrobustness.catalog.CatalogueCases;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * The compression cases (Autobahn's sections 12 and 13, and R10) against the Node.js {@code ws}
 * echo server with permessage-deflate on ({@code --deflate}: threshold 0, every echo compressed).
 * The rest of the catalogue runs against the same server without it, in {@link
 * NodeWsCatalogueTest}.
 */
@WebSocketRobustness(
    launch = {"node", "echo-server.js", "0", "--deflate"},
    launchDirectory = "node",
    readyWhenOutputMatches = "listening on 127\\.0\\.0\\.1:(\\d+)")
// ws's default maxPayload, which it applies to the inflated message.
@CatalogueCases(
    value = {"12", "13", "R10"},
    messageLimit = "100MiB")
@DisplayName("Node ws, permessage-deflate")
class NodeWsDeflateCatalogueTest {
  @TestFactory
  Stream<DynamicNode> compression(Catalogue catalogue) {
    return catalogue.tests();
  }
}

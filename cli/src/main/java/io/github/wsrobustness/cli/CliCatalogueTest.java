package io.github.wsrobustness.cli;

import io.github.wsrobustness.Catalogue;
import io.github.wsrobustness.WebSocketRobustnessExtension;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The JUnit class the command line runs: the catalogue against the servers its options name, as a
 * user's own test class would run it, so that JUnit XML and every JUnit listener come for free.
 *
 * <p>Thread-safety: JUnit runs it; its state is the {@link CliRun}.
 */
@DisplayName("WebSocket Robustness catalogue")
public class CliCatalogueTest {
  /** Set by {@link Main} before each run: read by JUnit when the class runs, not when it loads. */
  @RegisterExtension static WebSocketRobustnessExtension robustness;

  /** Creates the test instance; JUnit calls it. */
  public CliCatalogueTest() {}

  /** Every chosen case against every server. */
  @TestFactory
  @DisplayName("catalogue")
  Stream<DynamicNode> catalogue(Catalogue catalogue) {
    return CliRun.current().configure(catalogue).tests();
  }
}

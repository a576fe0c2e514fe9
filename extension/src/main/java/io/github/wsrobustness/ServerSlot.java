package io.github.wsrobustness;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Where a launched server lives for a test class (or, with {@code launchPer = "method"}, a test):
 * the server, started again when a test finds it dead, and the deaths no test answers for. A test
 * answers for a server's death when the after-test check saw it, or when the test was allowed to
 * kill it ({@code @ServerMayDie}); a death found only by the next test's start is settled after the
 * class, when every test that ran beside it has had its say. JUnit's store closes the slot, and so
 * its server.
 *
 * <p>Thread-safety: thread-safe; tests of one class may run at once and share the slot.
 */
// Also a CloseableResource: JUnit before 5.13 closes only those, and so would leave it open.
@SuppressWarnings("deprecation")
final class ServerSlot
    implements AutoCloseable,
        org.junit.jupiter.api.extension.ExtensionContext.Store.CloseableResource {
  private static final int DEATHS_KEPT = 20;

  private final Supplier<LaunchedServer> starter;
  private LaunchedServer current; // guarded by this
  private final Set<LaunchedServer> blamed =
      Collections.newSetFromMap(new IdentityHashMap<>()); // guarded by this
  private final List<Death> found = new ArrayList<>(); // guarded by this

  private record Death(LaunchedServer server, String description) {}

  ServerSlot(Supplier<LaunchedServer> starter) {
    this.starter = starter;
  }

  /**
   * The server, started (again) if it is not running, for {@code user} ("the class's
   * {@code @BeforeAll}", a test's name): found dead, it is remembered until some test answers for
   * it.
   */
  synchronized LaunchedServer live(String user) {
    if (current != null && current.isRunning()) return current;
    if (current != null) {
      if (!blamed.contains(current) && found.size() < DEATHS_KEPT) {
        found.add(
            new Death(current, current.exitDescription() + "\n(found dead before " + user + ")"));
      }
      LaunchedServer dead = current;
      current = null; // a start that fails leaves no dead server behind to be found again
      dead.close();
    }
    current = starter.get();
    return current;
  }

  /** A test answers for {@code server}'s death, now or to come. */
  synchronized void blame(LaunchedServer server) {
    blamed.add(server);
  }

  /** Whether a test answers for {@code server}'s death. */
  synchronized boolean isBlamed(LaunchedServer server) {
    return blamed.contains(server);
  }

  /**
   * The deaths no test answers for, each reported once: called after the class, when every test has
   * checked (and blamed) what it could.
   */
  synchronized List<String> unansweredDeaths() {
    if (current != null && !current.isRunning() && !blamed.contains(current)) {
      found.add(
          new Death(current, current.exitDescription() + "\n(found dead after the last test)"));
    }
    List<String> deaths = new ArrayList<>();
    for (Death death : found) {
      if (blamed.add(death.server())) deaths.add(death.description());
    }
    found.clear();
    return deaths;
  }

  @Override
  public synchronized void close() {
    if (current != null) current.close();
  }
}

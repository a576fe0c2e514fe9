package io.github.wsrobustness;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * A JVM that launches a server through the extension and then exits in the middle of a test, so
 * that JUnit never gets to close its store: only the extension's shutdown hook can kill the server
 * then. {@code JvmExitFixtureMain <launch command line> <marker>} prints {@code server pid N} for
 * each child whose arguments contain the marker, and exits with status 0 from inside the test.
 */
public final class JvmExitFixtureMain {
  private JvmExitFixtureMain() {}

  static String marker;

  @WebSocketRobustness
  static class ExitingJvmTestCases {
    @Test
    void exitsTheJvm(ServerUnderTest server) {
      TestKit.childrenRunning(marker).forEach(p -> System.out.println("server pid " + p.pid()));
      System.out.flush();
      System.exit(0);
    }
  }

  public static void main(String[] args) {
    marker = args[1];
    EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(ExitingJvmTestCases.class))
        .configurationParameter("wsrobustness.launch", args[0])
        .configurationParameter("wsrobustness.launch.readyWhenOutputMatches", "ready on port")
        .execute();
    // Reaching this line means the test did not exit the JVM: say so, the caller asserts on it.
    System.out.println("the test ran to its end without exiting");
    System.exit(2);
  }
}

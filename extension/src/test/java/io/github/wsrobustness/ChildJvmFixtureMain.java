package io.github.wsrobustness;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Runs one fixture class through the Jupiter engine in a JVM of its own, for tests that need a
 * small heap or a JVM they can kill: {@code ChildJvmFixtureMain <class> [parameter=value…]} prints
 * one line per finished test or container ({@code SUCCESSFUL name} or {@code FAILED name: message})
 * and exits with status 0 only when none failed.
 */
public final class ChildJvmFixtureMain {
  private ChildJvmFixtureMain() {}

  public static void main(String[] args) throws ClassNotFoundException {
    Map<String, String> configuration = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      int equals = args[i].indexOf('=');
      configuration.put(args[i].substring(0, equals), args[i].substring(equals + 1));
    }
    EngineExecutionResults results =
        EngineTestKit.engine("junit-jupiter")
            .selectors(selectClass(Class.forName(args[0])))
            .configurationParameters(configuration)
            .execute();
    boolean failed = false;
    for (var event : results.allEvents().finished().list()) {
      TestExecutionResult result = event.getRequiredPayload(TestExecutionResult.class);
      failed |= result.getStatus() != TestExecutionResult.Status.SUCCESSFUL;
      System.out.println(
          result.getStatus()
              + " "
              + event.getTestDescriptor().getDisplayName()
              + result.getThrowable().map(t -> ": " + t.getMessage()).orElse(""));
    }
    System.out.flush();
    System.exit(failed ? 1 : 0);
  }
}

package io.github.wsrobustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;

/**
 * Runs fixture classes through the Jupiter engine, in parallel, and reads their results; finds the
 * server processes they launched.
 */
final class TestKit {
  private TestKit() {}

  static EngineExecutionResults run(Class<?> fixture, Map<String, String> configuration) {
    return EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(fixture))
        .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
        .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
        .configurationParameter(
            "junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
        .configurationParameters(configuration)
        .execute();
  }

  private static Event finished(EngineExecutionResults results, String method) {
    List<Event> matches =
        results.allEvents().finished().stream()
            .filter(e -> e.getTestDescriptor().getDisplayName().startsWith(method + "("))
            .toList();
    assertThat(matches).as("finished events of " + method).hasSize(1);
    return matches.get(0);
  }

  static void assertSucceeded(EngineExecutionResults results, String method) {
    TestExecutionResult result =
        finished(results, method).getRequiredPayload(TestExecutionResult.class);
    assertThat(result.getStatus())
        .as(
            method + " should pass, but failed with %s",
            result.getThrowable().map(Throwable::toString).orElse("-"))
        .isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
  }

  static Throwable failure(EngineExecutionResults results, String method) {
    TestExecutionResult result =
        finished(results, method).getRequiredPayload(TestExecutionResult.class);
    assertThat(result.getStatus())
        .as(method + " should fail")
        .isEqualTo(TestExecutionResult.Status.FAILED);
    return result.getThrowable().orElseThrow();
  }

  /** The failure of the container (class) itself, e.g. a configuration error in beforeAll. */
  static Throwable containerFailure(EngineExecutionResults results) {
    Optional<Throwable> thrown =
        results.containerEvents().failed().stream()
            .map(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
            .findFirst();
    assertThat(thrown).as("a failed container").isPresent();
    return thrown.get();
  }

  /**
   * This JVM's live descendants whose arguments contain the marker. Tests run in parallel and each
   * sees every child of the JVM, so each launch needs a marker of its own.
   */
  static List<ProcessHandle> childrenRunning(String marker) {
    return ProcessHandle.current()
        .descendants()
        .filter(ProcessHandle::isAlive)
        .filter(p -> String.join(" ", p.info().arguments().orElse(new String[0])).contains(marker))
        .toList();
  }

  static long filesPublished(EngineExecutionResults results) {
    return results.allEvents().stream()
        .filter(e -> e.getType() == EventType.FILE_ENTRY_PUBLISHED)
        .count();
  }
}

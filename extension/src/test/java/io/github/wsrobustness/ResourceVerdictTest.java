package io.github.wsrobustness;

import static io.github.wsrobustness.CatalogueVerdictTest.failedCases;
import static io.github.wsrobustness.CatalogueVerdictTest.failureOf;
import static io.github.wsrobustness.CatalogueVerdictTest.ids;
import static io.github.wsrobustness.CatalogueVerdictTest.verdicts;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsrobustness.StrictServer.Bug;
import io.github.wsrobustness.catalog.CatalogueCases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * The resource checks' verdicts: the cases that check a server's memory, against a conforming
 * server and against one planted bug each, launched (resident memory of its process, from {@code
 * /proc}) and in this JVM (heap after GC).
 */
@Isolated("the heap of this JVM is measured: no other test may allocate beside these")
class ResourceVerdictTest {
  private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
  private static final String CLASS_PATH = System.getProperty("java.class.path");

  /** The cases that check memory, with a 1 MiB limit for R9.16 and R10.1. */
  @WebSocketRobustness(deadline = "2s")
  @Execution(ExecutionMode.SAME_THREAD) // in catalogue order: which case grows memory first counts
  @CatalogueCases(
      value = {"R2", "R4.4", "R4.5", "R5.5", "R8.1", "R8.2", "R9.16", "R10.1"},
      messageLimit = "1MiB")
  static class MemoryCases extends CatalogueFixture {}

  @TempDir Path reports;

  @Test
  void launchedConformingServerStaysWithinTheBudgetAndEveryCaseReportsItsFigures()
      throws IOException {
    EngineExecutionResults results = runLaunched();
    assertThat(failedCases(results)).isEmpty();
    String report = Files.readString(reports.resolve("report.json"), StandardCharsets.UTF_8);
    Matcher figures =
        Pattern.compile(
                "resident memory ([\\d.]+ MiB) before, ([\\d.]+ MiB) at peak, ([\\d.]+ MiB) after")
            .matcher(report);
    int cases = 0;
    while (figures.find()) cases++;
    // R2's seven lying lengths, R4.4, R4.5, R5.5, R8's 2, R9.16 and R10.1: each with its figures.
    assertThat(cases).isEqualTo(14);
    assertThat(report).contains("resources of the process tree of pid ");
  }

  @Test
  void launchedServerThatAllocatesDeclaredLengthsFailsOnMemoryAlone() {
    EngineExecutionResults results = runLaunched(Bug.ALLOCATES_DECLARED_LENGTH.name());
    // R2.9 is the first case, in catalogue order, that declares more than the budget (R2.8's
    // all-ones length is negative as a signed number, which this bug leaves alone). A JVM keeps
    // the pages it touched for it, so R2.10, R2.11 and R5.5, which declare as much, need not grow
    // it further: resident memory surely shows the first such case only. Each failure is one of
    // memory: the protocol verdicts are right.
    assertThat(failedCases(results)).contains("R2.9").isSubsetOf(ids("R2.9-11", "R5.5"));
    for (String id : failedCases(results)) {
      assertThat(failureOf(results, id).getMessage())
          .contains("during the case; budget 64 MiB")
          .contains("(the case itself: OK");
    }
    assertThat(failureOf(results, "R2.9").getMessage())
        .startsWith(
            "R2.9 \u2014 binary frame declaring 2^63 \u2212 1 bytes, nothing after the header: FAILED")
        .containsPattern(
            "\nresident memory of the process tree of pid \\d+ \\(java\\) grew \\d+ MiB during"
                + " the case; budget 64 MiB\n")
        .contains("(the case itself: OK");
  }

  @Test
  void serverInThisJvmThatBuffersEverythingFailsOnItsHeap() {
    try (StrictServer server = StrictServer.startWithLimit(1 << 20, Bug.BUFFERS_EVERYTHING)) {
      EngineExecutionResults results = run(Map.of("wsrobustness.uri", server.uri().toString()));
      // No limit on what it inflates either: the bomb's 257 MiB are echoed, not refused.
      assertThat(failedCases(results)).containsExactly("R9.16", "R10.1");
      assertThat(failureOf(results, "R9.16").getMessage())
          .containsPattern(
              "\nthe heap of this JVM \\(the server runs in the test's JVM\\) grew \\d+ MiB during"
                  + " the case; budget 65 MiB\n");
    }
  }

  @Test
  void serverInThisJvmThatInflatesBeforeItChecksFailsTheBombOnItsHeap() {
    try (StrictServer server = StrictServer.startWithLimit(1 << 20, Bug.INFLATES_WITHOUT_LIMIT)) {
      EngineExecutionResults results = run(Map.of("wsrobustness.uri", server.uri().toString()));
      assertThat(failedCases(results)).containsExactly("R10.1");
      // Its 1009 comes, right: the memory alone fails it, with the figures.
      assertThat(failureOf(results, "R10.1").getMessage())
          .startsWith(
              "R10.1 \u2014 a compressed message inflating to 256 MiB past the limit: FAILED")
          .containsPattern(
              "\nthe heap of this JVM \\(the server runs in the test's JVM\\) grew \\d{3,} MiB"
                  + " during the case; budget 65 MiB\n")
          .contains("(the case itself: OK, the server closed with 1009");
    }
  }

  @Test
  void conformingServerInThisJvmPassesWithItsHeapFigures() throws IOException {
    try (StrictServer server = StrictServer.startWithLimit(1 << 20)) {
      EngineExecutionResults results = run(Map.of("wsrobustness.uri", server.uri().toString()));
      assertThat(failedCases(results)).isEmpty();
      assertThat(verdicts(results))
          .hasSize(21)
          .allSatisfy((id, v) -> assertThat(v).isEqualTo("OK"));
      assertThat(Files.readString(reports.resolve("report.json"), StandardCharsets.UTF_8))
          .contains("resources of this JVM (the server runs in the test's JVM): heap after GC ");
    }
  }

  private EngineExecutionResults runLaunched(String... bugs) {
    String launch =
        JAVA
            + " -cp "
            + CLASS_PATH
            + " io.github.wsrobustness.StrictServer 0 limit="
            + (1 << 20)
            + (bugs.length == 0 ? "" : " " + String.join(" ", bugs));
    return run(
        Map.of(
            "wsrobustness.launch",
            launch,
            "wsrobustness.launch.readyWhenOutputMatches",
            "ready on port (\\d+)"));
  }

  private EngineExecutionResults run(Map<String, String> configuration) {
    Map<String, String> all = new HashMap<>(configuration);
    all.put("wsrobustness.catalogue.report", reports.toString());
    return TestKit.run(MemoryCases.class, all);
  }
}

package io.github.wsrobustness;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsrobustness.catalog.AutobahnCases;
import io.github.wsrobustness.catalog.CaseResult;
import io.github.wsrobustness.catalog.CloseVerdict;
import io.github.wsrobustness.catalog.Judgement;
import io.github.wsrobustness.catalog.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the end of a run prints: where the report is, and what each server showed. */
class CatalogueReportsTest {
  @TempDir Path directory;

  @Test
  void eachTargetsLineSaysWhatTheRunShowed() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    CatalogueReports reports =
        new CatalogueReports(directory, new PrintStream(printed, true, StandardCharsets.UTF_8));
    reports.add(result("Node ws", "1.1.1", Verdict.OK, null), 0, 1_000_000);
    reports.add(result("Node ws", "2.5", Verdict.DIED, "dies without its listener"), 0, 2_000_000);
    reports.add(result("Node ws", "3.1", Verdict.DIED, "dies without its listener"), 0, 3_000_000);
    reports.add(result("Jetty 12", "1.1.1", Verdict.STOPPED_SERVING, null), 0, 1_000_000);
    reports.close();
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains(
            "WebSocket Robustness catalogue report: " + directory.resolve("index.html").toUri())
        .contains(
            "  Node ws: OK 1, DIED 2 (2 waived); the server process died during 2 cases; 3 cases in"
                + " 0.00 s wall, median 0.00 ms per case\n")
        .contains(
            "  Jetty 12: STOPPED SERVING 1; it stopped serving after 1 case; 1 case in 0.00 s wall,");
  }

  private static CaseResult result(String target, String id, Verdict verdict, String waiver) {
    return new CaseResult(
        target,
        AutobahnCases.all().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow(),
        new Judgement(verdict, CloseVerdict.NOT_CHECKED, "because"),
        OptionalInt.empty(),
        "",
        Duration.ZERO,
        List.of(),
        "",
        waiver);
  }
}

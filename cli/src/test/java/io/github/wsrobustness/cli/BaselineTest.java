package io.github.wsrobustness.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wsrobustness.catalog.AutobahnCases;
import io.github.wsrobustness.catalog.CaseResult;
import io.github.wsrobustness.catalog.CloseVerdict;
import io.github.wsrobustness.catalog.Judgement;
import io.github.wsrobustness.catalog.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Expected results: written, read back, and compared; only a worse verdict is a regression. */
class BaselineTest {
  @TempDir Path directory;

  @Test
  void aCaseThatGotWorseIsARegressionAndOneThatGotBetterIsNews() throws Exception {
    Path file = directory.resolve("baseline.tsv");
    Baseline.write(
        List.of(
            result("node", "1.1.1", Verdict.OK),
            result("node", "2.5", Verdict.DIED),
            result("node", "6.4.1", Verdict.NON_STRICT)),
        file);
    Baseline baseline = Baseline.read(file);
    List<Baseline.Change> changes =
        baseline.compare(
            List.of(
                result("node", "1.1.1", Verdict.FAILED),
                result("node", "2.5", Verdict.OK),
                result("node", "6.4.1", Verdict.NON_STRICT),
                result("node", "7.1.1", Verdict.FAILED),
                result("jetty", "1.1.1", Verdict.OK)));
    assertThat(changes)
        .extracting(Baseline.Change::toString, Baseline.Change::worse)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("node  1.1.1: OK → FAILED", true),
            org.assertj.core.groups.Tuple.tuple("node  2.5: DIED → OK", false));
    assertThat(baseline.knowsServer("node")).isTrue();
    assertThat(baseline.knowsServer("jetty")).isFalse();
  }

  @Test
  void verdictsAreRankedFromOkToDied() {
    assertThat(Baseline.rank(Verdict.INFORMATIONAL)).isEqualTo(Baseline.rank(Verdict.OK));
    assertThat(
            List.of(
                    Verdict.OK,
                    Verdict.NON_STRICT,
                    Verdict.FAILED,
                    Verdict.STOPPED_SERVING,
                    Verdict.DIED)
                .stream()
                .map(Baseline::rank)
                .toList())
        .isSorted()
        .doesNotHaveDuplicates();
  }

  @Test
  void aMalformedLineIsNamed() throws Exception {
    Path file = directory.resolve("bad.tsv");
    Files.writeString(file, "# header\nnode\t1.1.1\tGREAT\n");
    assertThatThrownBy(() -> Baseline.read(file))
        .hasMessage(
            "line 2 of --baseline "
                + file
                + " is not 'server<TAB>case id<TAB>verdict'; write the file again with"
                + " --write-baseline");
  }

  private static CaseResult result(String target, String id, Verdict verdict) {
    return new CaseResult(
        target,
        AutobahnCases.all().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow(),
        new Judgement(verdict, CloseVerdict.NOT_CHECKED, "because"),
        OptionalInt.empty(),
        "",
        Duration.ZERO,
        List.of(),
        "",
        null);
  }
}

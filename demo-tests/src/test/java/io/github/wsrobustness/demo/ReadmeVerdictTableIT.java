package io.github.wsrobustness.demo;

import io.github.wsrobustness.demo.ReadmeVerdictTable.Differs;
import io.github.wsrobustness.demo.ReadmeVerdictTable.Match;
import io.github.wsrobustness.demo.ReadmeVerdictTable.NotChecked;
import io.github.wsrobustness.demo.ReadmeVerdictTable.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * README.md's verdict table is the one this build's demo tests wrote to {@code summary.md}. Run by
 * Failsafe in the integration-test phase: the report is written when Surefire's JUnit run ends, so
 * no test of that run can read it.
 *
 * <p>With {@code -Dreadme.update=true} it rewrites README's table from the run instead of failing.
 * A run that did not cover README's servers (some test classes, some cases, no catalogue at all) is
 * not checked, and says so in one line.
 */
class ReadmeVerdictTableIT {
  static final String UPDATE = "readme.update";
  static final String REGENERATE = "mvn -B -ntp verify -D" + UPDATE + "=true";

  @Test
  void readmeShowsTheTableThisRunProduced() throws IOException {
    Path basedir = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    Path readmeFile = basedir.resolve("../README.md").normalize();
    // Where the extension wrote it: its default is relative to the test JVM's directory, basedir.
    Path summaryFile =
        basedir
            .resolve(System.getProperty("wsrobustness.catalogue.report", "target/wsrobustness"))
            .resolve("summary.md")
            .normalize();
    String summaryName = basedir.getParent().relativize(summaryFile).toString();
    boolean update = Boolean.getBoolean(UPDATE);

    String skipped = notCheckedBecause(summaryFile, summaryName);
    String readme = Files.readString(readmeFile, StandardCharsets.UTF_8);
    Result result =
        skipped != null
            ? new NotChecked(skipped)
            : ReadmeVerdictTable.compare(
                readme, Files.readString(summaryFile, StandardCharsets.UTF_8), selection());

    if (result instanceof NotChecked notChecked) {
      String line =
          "README.md's verdict table was not checked"
              + (update ? " nor rewritten" : "")
              + ": "
              + notChecked.reason()
              + ".";
      System.out.println(line);
      Assumptions.abort(line);
    }
    String summary = Files.readString(summaryFile, StandardCharsets.UTF_8);
    if (update) {
      String regenerated = ReadmeVerdictTable.regenerate(readme, summary);
      if (regenerated.equals(readme)) {
        System.out.println(
            "README.md's verdict table is already what this run wrote to " + summaryName + ".");
        return;
      }
      Files.writeString(readmeFile, regenerated, StandardCharsets.UTF_8);
      // Fails here, not in the next build, when a varying-split line names a column now gone.
      ReadmeVerdictTable.block(regenerated);
      System.out.println(
          "README.md's verdict table rewritten from "
              + summaryName
              + "; review the change (git diff README.md) and commit it.");
      return;
    }
    if (result instanceof Match match) {
      System.out.println(
          "README.md's verdict table is what this run wrote to "
              + summaryName
              + (match.tolerated().isEmpty()
                  ? "."
                  : ", but for how OK and NON-STRICT split in "
                      + match.tolerated().size()
                      + " cells of "
                      + String.join(
                          ", ", match.columns().stream().map(c -> "\"" + c + "\"").toList())
                      + ", which README.md declares varying."));
      return;
    }
    Differs differs = (Differs) result;
    List<String> lines = new ArrayList<>();
    lines.add(
        "README.md's verdict table is not what this run produced: "
            + differs.differences().size()
            + (differs.differences().size() == 1 ? " difference" : " differences"));
    differs.differences().forEach(d -> lines.add("  " + d));
    lines.add(
        "README.md's table between its verdict-table markers is copied from "
            + summaryName
            + "; if this run's verdicts are the ones you expect, regenerate it with `"
            + REGENERATE
            + "` and commit README.md, otherwise fix what changed them.");
    throw new AssertionFailedError(
        String.join("\n", lines),
        ReadmeVerdictTable.block(readme).table().text(),
        ReadmeVerdictTable.parse(summary).text());
  }

  /** Why this run's summary.md cannot be compared with README's table, or null if it can. */
  private static String notCheckedBecause(Path summaryFile, String summaryName) throws IOException {
    if (!Files.exists(summaryFile)) {
      return summaryName + " does not exist (no catalogue test ran)";
    }
    // Maven's start, second-precise, so a summary.md written in this build is never older.
    String started = System.getProperty("readme.check.buildStarted", "");
    if (!started.isEmpty()
        && Files.getLastModifiedTime(summaryFile).toInstant().isBefore(Instant.parse(started))) {
      return summaryName + " is from an earlier build (no catalogue test ran in this one)";
    }
    for (String narrowing :
        List.of("wsrobustness.catalogue.cases", "wsrobustness.catalogue.exclude")) {
      String value = System.getProperty(narrowing);
      if (value != null) return "this run narrowed the cases with -D" + narrowing + "=" + value;
    }
    return null;
  }

  /** How this run chose its test classes, or null when Surefire ran them all. */
  private static String selection() {
    // Maven's user properties reach this JVM too: -Dtest is Surefire's, Failsafe reads -Dit.test.
    String test = System.getProperty("test");
    return test == null ? null : "-Dtest=" + test;
  }
}

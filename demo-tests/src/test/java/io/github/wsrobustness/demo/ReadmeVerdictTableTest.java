package io.github.wsrobustness.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wsrobustness.demo.ReadmeVerdictTable.Differs;
import io.github.wsrobustness.demo.ReadmeVerdictTable.Match;
import io.github.wsrobustness.demo.ReadmeVerdictTable.NotChecked;
import io.github.wsrobustness.demo.ReadmeVerdictTable.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How README's verdict table is compared with a run's summary.md, and regenerated from it. */
class ReadmeVerdictTableTest {
  private static final String TABLE =
      """
      | Section | Jetty 12 | Node ws, no error listener | Java-WebSocket 1.6 |
      |---|---|---|---|
      | 3 Reserved bits | OK 7 | DIED 7 (7 waived) | OK 5, NON-STRICT 2 |
      | 7 Close handling | OK 34, INFORMATIONAL 3 | OK 22, DIED 14 (14 waived) | OK 34, INFORMATIONAL 3 |
      | **all** | **OK 41, INFORMATIONAL 3** | **OK 22, DIED 21 (21 waived)** | **OK 39, NON-STRICT 2, INFORMATIONAL 3** |
      """;

  /** summary.md as the report writes it: the table, then each target's cases that were not OK. */
  private static String summary(String table) {
    return table + "\n- Node ws, no error listener: DIED 3.1.1, 3.1.2.\n";
  }

  private static String readme(String table) {
    return """
        # Title

        Text above.

        <!-- verdict-table:begin (generated; checked) -->
        <!-- verdict-table:varying-split "Java-WebSocket 1.6" (its reads coalesce differently) -->

        %s
        <!-- verdict-table:end -->

        Text below.
        """
        .formatted(table);
  }

  @Test
  void identicalTablesMatch() {
    assertThat(ReadmeVerdictTable.compare(readme(TABLE), summary(TABLE), null))
        .isEqualTo(new Match(List.of(), Set.of()));
  }

  @Test
  void theOrderOfColumnsDoesNotMatter() {
    String reordered =
        """
        | Section | Java-WebSocket 1.6 | Jetty 12 | Node ws, no error listener |
        |---|---|---|---|
        | 3 Reserved bits | OK 5, NON-STRICT 2 | OK 7 | DIED 7 (7 waived) |
        | 7 Close handling | OK 34, INFORMATIONAL 3 | OK 34, INFORMATIONAL 3 | OK 22, DIED 14 (14 waived) |
        | **all** | **OK 39, NON-STRICT 2, INFORMATIONAL 3** | **OK 41, INFORMATIONAL 3** | **OK 22, DIED 21 (21 waived)** |
        """;
    assertThat(ReadmeVerdictTable.compare(readme(TABLE), summary(reordered), null))
        .isEqualTo(new Match(List.of(), Set.of()));
  }

  @Test
  void aChangedFailedCountIsADifference() {
    String run =
        TABLE.replace(
            "| OK 34, INFORMATIONAL 3 | OK 22", "| OK 33, INFORMATIONAL 3, FAILED 1 | OK 22");
    Result result = ReadmeVerdictTable.compare(readme(TABLE), summary(run), null);
    assertThat(result).isInstanceOf(Differs.class);
    assertThat(((Differs) result).differences())
        .containsExactly(
            "row \"7 Close handling\", column \"Jetty 12\": README.md has \"OK 34, INFORMATIONAL"
                + " 3\", the run \"OK 33, INFORMATIONAL 3, FAILED 1\"");
  }

  @Test
  void aFailedCountIsADifferenceEvenInAVaryingColumn() {
    String run = TABLE.replace("| OK 5, NON-STRICT 2 |", "| OK 5, NON-STRICT 1, FAILED 1 |");
    Result result = ReadmeVerdictTable.compare(readme(TABLE), summary(run), null);
    assertThat(result).isInstanceOf(Differs.class);
    assertThat(((Differs) result).differences())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("row \"3 Reserved bits\", column \"Java-WebSocket 1.6\"");
  }

  @Test
  void theOkNonStrictSplitMayShiftInAVaryingColumn() {
    String run =
        TABLE
            .replace("| OK 5, NON-STRICT 2 |", "| OK 7 |")
            .replace("**OK 39, NON-STRICT 2, INFORMATIONAL 3**", "**OK 41, INFORMATIONAL 3**");
    Result result = ReadmeVerdictTable.compare(readme(TABLE), summary(run), null);
    assertThat(result).isInstanceOf(Match.class);
    assertThat(((Match) result).columns()).containsExactly("Java-WebSocket 1.6");
    assertThat(((Match) result).tolerated())
        .containsExactly(
            "row \"3 Reserved bits\", column \"Java-WebSocket 1.6\": README.md has \"OK 5, NON-STRICT"
                + " 2\", the run \"OK 7\"",
            "row \"**all**\", column \"Java-WebSocket 1.6\": README.md has \"**OK 39, NON-STRICT 2,"
                + " INFORMATIONAL 3**\", the run \"**OK 41, INFORMATIONAL 3**\"");
  }

  @Test
  void theOkNonStrictSumMustStayTheSameInAVaryingColumn() {
    String run = TABLE.replace("| OK 5, NON-STRICT 2 |", "| OK 5, NON-STRICT 3 |");
    assertThat(ReadmeVerdictTable.compare(readme(TABLE), summary(run), null))
        .isInstanceOf(Differs.class);
  }

  @Test
  void theWaivedCountMustStayTheSameInAVaryingColumn() {
    String table =
        TABLE.replace("| OK 5, NON-STRICT 2 |", "| OK 5, NON-STRICT 1, FAILED 1 (1 waived) |");
    String run = table.replace("FAILED 1 (1 waived)", "FAILED 1");
    assertThat(ReadmeVerdictTable.compare(readme(table), summary(run), null))
        .isInstanceOf(Differs.class);
  }

  @Test
  void theOkNonStrictSplitIsADifferenceInAColumnNotDeclaredVarying() {
    String table =
        TABLE.replace(
            "| OK 34, INFORMATIONAL 3 | OK 22", "| OK 30, NON-STRICT 4, INFORMATIONAL 3 | OK 22");
    Result result = ReadmeVerdictTable.compare(readme(table), summary(TABLE), null);
    assertThat(result).isInstanceOf(Differs.class);
    assertThat(((Differs) result).differences())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("row \"7 Close handling\", column \"Jetty 12\"");
  }

  @Test
  void aRunOfSomeClassesWithoutReadmesColumnsIsNotChecked() {
    String run =
        """
        | Section | Jetty 12 |
        |---|---|
        | 3 Reserved bits | OK 6, FAILED 1 |
        """;
    assertThat(ReadmeVerdictTable.compare(readme(TABLE), summary(run), "-Dtest=Jetty*"))
        .isEqualTo(
            new NotChecked(
                "this run (-Dtest=Jetty*) covered 1 of the table's 3 servers, not \"Node ws, no"
                    + " error listener\", \"Java-WebSocket 1.6\""));
  }

  @Test
  void aRunOfEveryClassWithoutAReadmeColumnIsADifference() {
    String run =
        """
        | Section | Jetty 12 | Java-WebSocket 1.6 |
        |---|---|---|
        | 3 Reserved bits | OK 7 | OK 5, NON-STRICT 2 |
        | 7 Close handling | OK 34, INFORMATIONAL 3 | OK 34, INFORMATIONAL 3 |
        | **all** | **OK 41, INFORMATIONAL 3** | **OK 39, NON-STRICT 2, INFORMATIONAL 3** |
        """;
    Result result = ReadmeVerdictTable.compare(readme(TABLE), summary(run), null);
    assertThat(result)
        .isEqualTo(
            new Differs(
                List.of(
                    "column \"Node ws, no error listener\": README.md has it, the run does not")));
  }

  @Test
  void aNewColumnOrRowInTheRunIsADifference() {
    String run =
        TABLE
                .replace(
                    "| Java-WebSocket 1.6 |\n|---|---|---|---|",
                    "| Java-WebSocket 1.6 | Netty 4.2 |\n|---|---|---|---|---|")
                .replace("| OK 5, NON-STRICT 2 |", "| OK 5, NON-STRICT 2 | OK 7 |")
                .replace(
                    "| OK 22, DIED 14 (14 waived) | OK 34, INFORMATIONAL 3 |",
                    "| OK 22, DIED 14 (14 waived) | OK 34, INFORMATIONAL 3 | OK 37 |")
                .replace(
                    "NON-STRICT 2, INFORMATIONAL 3** |",
                    "NON-STRICT 2, INFORMATIONAL 3** | **OK 44** |")
            + "| 10 Auto-fragmentation | OK 1 | OK 1 | OK 1 | OK 1 |\n";
    Result result = ReadmeVerdictTable.compare(readme(TABLE), summary(run), null);
    assertThat(result).isInstanceOf(Differs.class);
    assertThat(((Differs) result).differences())
        .containsExactly(
            "column \"Netty 4.2\": the run has it, README.md does not",
            "row \"10 Auto-fragmentation\": the run has it, README.md does not");
  }

  @Test
  void regeneratingReplacesOnlyTheTableAndKeepsTheMarkers() {
    String run = TABLE.replace("| OK 5, NON-STRICT 2 |", "| OK 6, NON-STRICT 1 |");
    assertThat(ReadmeVerdictTable.regenerate(readme(TABLE), summary(run))).isEqualTo(readme(run));
  }

  @Test
  void regeneratingAnUnchangedTableChangesNothing() {
    assertThat(ReadmeVerdictTable.regenerate(readme(TABLE), summary(TABLE)))
        .isEqualTo(readme(TABLE));
  }

  @Test
  void aReadmeWithoutMarkersIsAnError() {
    assertThatThrownBy(
            () -> ReadmeVerdictTable.compare("# Title\n\n" + TABLE, summary(TABLE), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("README.md has no verdict table between");
  }

  @Test
  void aVaryingColumnThatIsNotInTheTableIsAnError() {
    String readme = readme(TABLE).replace("\"Java-WebSocket 1.6\"", "\"Java-WebSocket 1.5\"");
    assertThatThrownBy(() -> ReadmeVerdictTable.compare(readme, summary(TABLE), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "\"Java-WebSocket 1.5\" as varying, but its verdict table has no such column");
  }

  /**
   * The real README: markers, a parsable table, and only Java-WebSocket's split declared varying.
   */
  @Test
  void readmeHasTheBlock() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    ReadmeVerdictTable.Block block = ReadmeVerdictTable.block(readme);
    assertThat(block.varying()).containsExactly("Java-WebSocket 1.6");
    assertThat(block.table().columns()).contains("Jetty 12", "Node ws", "Java-WebSocket 1.6");
  }
}

package io.github.wsrobustness.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * README.md's verdict table, kept between its markers, against the one a run wrote to {@code
 * summary.md}: whether they agree, and the README with its block regenerated. Text in, text out;
 * {@link ReadmeVerdictTableIT} reads and writes the files.
 *
 * <p>The block looks like this; each {@code varying-split} line names one column, by its header,
 * whose cells may differ from the run only in how OK and NON-STRICT split their sum:
 *
 * <pre>{@code
 * <!-- verdict-table:begin … -->
 * <!-- verdict-table:varying-split "Java-WebSocket 1.6" … -->
 *
 * | Section | Jetty 12 | … |
 * …
 *
 * <!-- verdict-table:end -->
 * }</pre>
 *
 * <p>Columns are matched by header, not by place: their order is the order the test classes ran in,
 * which is the file system's.
 *
 * <p>Thread-safety: stateless.
 */
final class ReadmeVerdictTable {
  static final String BEGIN = "<!-- verdict-table:begin";
  static final String END = "<!-- verdict-table:end -->";
  static final String VARYING = "<!-- verdict-table:varying-split ";

  // The column's header in double quotes; a reason may follow it up to the comment's end.
  private static final Pattern VARYING_LINE =
      Pattern.compile(Pattern.quote(VARYING) + "\"([^\"]+)\".*-->");
  // A cell of summary.md: "OK 14, FAILED 2 (2 waived)", bold in the total row.
  private static final Pattern COUNT = Pattern.compile("([A-Z][A-Z -]*[A-Z]) (\\d+)");
  private static final Pattern WAIVED = Pattern.compile(" \\((\\d+) waived\\)$");
  // Cells are split at pipes that markdown() did not escape.
  private static final Pattern CELL_SEPARATOR = Pattern.compile("(?<!\\\\)\\|");

  private ReadmeVerdictTable() {}

  /** A Markdown table: its column headers (the first one, "Section", left out) and its rows. */
  record Table(List<String> columns, List<Row> rows, String text) {
    boolean hasRow(String row) {
      return rows.stream().anyMatch(r -> r.name().equals(row));
    }

    /** The cell, or null when the row or the column is not there. */
    String cell(String row, String column) {
      int at = columns.indexOf(column);
      for (Row r : rows) {
        if (r.name().equals(row))
          return at >= 0 && at < r.cells().size() ? r.cells().get(at) : null;
      }
      return null;
    }
  }

  /** One row: its name (the section) and a cell per column. */
  record Row(String name, List<String> cells) {}

  /** README's block: where its table starts and ends in the README, and its varying columns. */
  record Block(int bodyStart, int bodyEnd, Set<String> varying, Table table) {}

  /** How README's table compares with the run's. */
  sealed interface Result permits Match, NotChecked, Differs {}

  /**
   * The tables agree; {@code tolerated} lists the cells of varying columns whose OK/NON-STRICT
   * split differs, and {@code columns} names those columns.
   */
  record Match(List<String> tolerated, Set<String> columns) implements Result {}

  /** The run did not cover what the README shows, so the two cannot be compared. */
  record NotChecked(String reason) implements Result {}

  /** The tables disagree; one line per difference. */
  record Differs(List<String> differences) implements Result {}

  /**
   * Finds the block between README's markers.
   *
   * @throws IllegalArgumentException when the markers are missing, or a varying column is not a
   *     column of the table
   */
  static Block block(String readme) {
    int begin = readme.indexOf(BEGIN);
    int end = readme.indexOf(END);
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException(
          "README.md has no verdict table between \""
              + BEGIN
              + " … -->\" and \""
              + END
              + "\"; put the markers back around the table.");
    }
    int at = readme.indexOf('\n', begin) + 1;
    Set<String> varying = new LinkedHashSet<>();
    while (readme.startsWith(VARYING, at)) {
      int lineEnd = readme.indexOf('\n', at);
      String line = readme.substring(at, lineEnd);
      Matcher m = VARYING_LINE.matcher(line);
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "README.md's line \""
                + line
                + "\" does not name a column; write it as "
                + VARYING
                + "\"<column header>\" <why> -->.");
      }
      varying.add(m.group(1));
      at = lineEnd + 1;
    }
    Table table = parse(readme.substring(at, end));
    for (String column : varying) {
      if (!table.columns().contains(column)) {
        throw new IllegalArgumentException(
            "README.md declares the OK/NON-STRICT split of \""
                + column
                + "\" as varying, but its verdict table has no such column; correct or remove that"
                + " varying-split line.");
      }
    }
    return new Block(at, end, varying, table);
  }

  /**
   * The first Markdown table in {@code markdown}: its consecutive lines that start with a pipe.
   *
   * @throws IllegalArgumentException when there is none
   */
  static Table parse(String markdown) {
    List<String> lines = new ArrayList<>();
    for (String line : markdown.lines().toList()) {
      if (line.startsWith("|")) lines.add(line);
      else if (!lines.isEmpty()) break;
    }
    if (lines.size() < 2) throw new IllegalArgumentException("no Markdown table in:\n" + markdown);
    List<String> header = cells(lines.get(0));
    List<Row> rows = new ArrayList<>();
    for (String line : lines.subList(2, lines.size())) {
      List<String> cells = cells(line);
      rows.add(new Row(cells.get(0), cells.subList(1, cells.size())));
    }
    return new Table(header.subList(1, header.size()), rows, String.join("\n", lines) + "\n");
  }

  private static List<String> cells(String line) {
    String inner = line.strip();
    inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
    List<String> cells = new ArrayList<>();
    for (String cell : CELL_SEPARATOR.split(inner, -1)) cells.add(cell.strip());
    return List.copyOf(cells);
  }

  /**
   * Compares README's block with the table of the run's {@code summary}.
   *
   * <p>A run that chose its test classes ({@code selection}, such as {@code -Dtest=…}; null when
   * every class ran) and lacks some of README's columns did not cover README's servers, and nothing
   * is compared; a run of every class must have them all. Otherwise every cell of every row must be
   * equal, with one exception: in a column README declares varying, a cell may differ in how OK and
   * NON-STRICT split their sum, as long as everything else in it — every other verdict's count, the
   * waived count and that sum — is equal. The order of the columns does not matter.
   */
  static Result compare(String readme, String summary, String selection) {
    Block block = block(readme);
    Table ours = block.table();
    Table run = parse(summary);
    List<String> missing = new ArrayList<>(ours.columns());
    missing.removeAll(run.columns());
    if (!missing.isEmpty() && selection != null) {
      return new NotChecked(
          "this run ("
              + selection
              + ") covered "
              + (ours.columns().size() - missing.size())
              + " of the table's "
              + ours.columns().size()
              + " servers, not "
              + quoted(missing));
    }
    List<String> differences = new ArrayList<>();
    List<String> tolerated = new ArrayList<>();
    Set<String> toleratedColumns = new LinkedHashSet<>();
    for (String column : missing) {
      differences.add("column \"" + column + "\": README.md has it, the run does not");
    }
    for (String column : run.columns()) {
      if (!ours.columns().contains(column)) {
        differences.add("column \"" + column + "\": the run has it, README.md does not");
      }
    }
    Set<String> rowNames = new LinkedHashSet<>();
    ours.rows().forEach(r -> rowNames.add(r.name()));
    run.rows().forEach(r -> rowNames.add(r.name()));
    for (String row : rowNames) {
      if (!ours.hasRow(row) || !run.hasRow(row)) {
        differences.add(
            "row \""
                + row
                + (ours.hasRow(row)
                    ? "\": README.md has it, the run does not"
                    : "\": the run has it, README.md does not"));
        continue;
      }
      for (String column : ours.columns()) {
        if (missing.contains(column)) continue;
        String readmeCell = ours.cell(row, column);
        String runCell = run.cell(row, column);
        if (Objects.equals(readmeCell, runCell)) continue;
        String where = "row \"" + row + "\", column \"" + column + "\": ";
        String what = "README.md has \"" + readmeCell + "\", the run \"" + runCell + "\"";
        if (block.varying().contains(column) && sameButForSplit(readmeCell, runCell)) {
          tolerated.add(where + what);
          toleratedColumns.add(column);
        } else {
          differences.add(where + what);
        }
      }
    }
    return differences.isEmpty()
        ? new Match(tolerated, toleratedColumns)
        : new Differs(differences);
  }

  /**
   * Whether two cells differ at most in how OK and NON-STRICT split their sum: {@code "OK 5,
   * NON-STRICT 2"} and {@code "OK 7"} do, {@code "OK 6, FAILED 1"} and {@code "OK 7"} do not.
   */
  static boolean sameButForSplit(String a, String b) {
    Map<String, Integer> left = counts(a);
    Map<String, Integer> right = counts(b);
    if (left == null || right == null) return false;
    return merged(left).equals(merged(right));
  }

  private static Map<String, Integer> merged(Map<String, Integer> counts) {
    Map<String, Integer> merged = new LinkedHashMap<>(counts);
    int ok = merged.getOrDefault("OK", 0) + merged.getOrDefault("NON-STRICT", 0);
    merged.remove("NON-STRICT");
    merged.put("OK", ok);
    return merged;
  }

  /** A cell's counts by verdict, "waived" among them; null when it is not a cell of counts. */
  private static Map<String, Integer> counts(String cell) {
    if (cell == null) return null;
    String text = cell.strip();
    if (text.startsWith("**") && text.endsWith("**") && text.length() > 4) {
      text = text.substring(2, text.length() - 2);
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    Matcher waived = WAIVED.matcher(text);
    if (waived.find()) {
      counts.put("waived", Integer.parseInt(waived.group(1)));
      text = text.substring(0, waived.start());
    }
    for (String part : text.split(", ")) {
      Matcher count = COUNT.matcher(part);
      if (!count.matches() || counts.containsKey(count.group(1))) return null;
      counts.put(count.group(1), Integer.parseInt(count.group(2)));
    }
    return counts;
  }

  /**
   * README with its block's table replaced by the table of {@code summary}, markers and varying
   * lines kept; the rest of summary.md (each target's list of cases) is left out.
   */
  static String regenerate(String readme, String summary) {
    Block block = block(readme);
    return readme.substring(0, block.bodyStart())
        + "\n"
        + parse(summary).text()
        + "\n"
        + readme.substring(block.bodyEnd());
  }

  private static String quoted(List<String> names) {
    return String.join(", ", names.stream().map(n -> "\"" + n + "\"").toList());
  }
}

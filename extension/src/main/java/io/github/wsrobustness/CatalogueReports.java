package io.github.wsrobustness;

import io.github.wsrobustness.catalog.CaseResult;
import io.github.wsrobustness.catalog.CatalogueReport;
import io.github.wsrobustness.catalog.Verdict;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The catalogue results of one JUnit run, written as a report when the run ends: JUnit closes the
 * root store, and with it this, once every class has run. The report's path is printed once, with
 * each target's counts and speed.
 *
 * <p>Thread-safety: thread-safe; classes running in parallel add at once.
 */
// Also a CloseableResource: JUnit before 5.13 closes only those, and so would leave it open.
@SuppressWarnings("deprecation")
final class CatalogueReports
    implements AutoCloseable,
        org.junit.jupiter.api.extension.ExtensionContext.Store.CloseableResource {
  private final Path directory;
  private final PrintStream out;
  private final List<CaseResult> results = new ArrayList<>(); // guarded by this
  private final Map<String, long[]> spans = new LinkedHashMap<>(); // guarded by this
  private final Map<String, String> targets = new java.util.HashMap<>(); // guarded by this

  /** Writes to {@code directory} and prints to {@code out}; a null directory writes nothing. */
  CatalogueReports(Path directory, PrintStream out) {
    this.directory = directory;
    this.out = out;
  }

  /** Records a case's result; {@code startNanos} to {@code endNanos} spans its run and check. */
  synchronized void add(CaseResult result, long startNanos, long endNanos) {
    if (directory == null) return; // outside JUnit: run() returns the results instead
    results.add(result);
    long[] span = spans.computeIfAbsent(result.target(), k -> new long[] {startNanos, endNanos});
    span[0] = Math.min(span[0], startNanos);
    span[1] = Math.max(span[1], endNanos);
  }

  synchronized List<CaseResult> results() {
    return List.copyOf(results);
  }

  /**
   * The report's name for the target of the class {@code classId} displayed as {@code name}: the
   * name itself, or with a number when another class already has it, so two columns never merge.
   */
  synchronized String targetName(String classId, String name) {
    String existing = targets.get(classId);
    if (existing != null) return existing;
    String unique = name;
    for (int n = 2; targets.containsValue(unique); n++) unique = name + " (" + n + ")";
    targets.put(classId, unique);
    return unique;
  }

  /** Writes the report and prints where, and what each target showed. */
  @Override
  public synchronized void close() throws IOException {
    if (results.isEmpty() || directory == null) return;
    Path index = CatalogueReport.write(results, directory);
    StringBuilder text = new StringBuilder("\nWebSocket Robustness catalogue report: ");
    text.append(index.toAbsolutePath().toUri()).append('\n');
    text.append("  (a Markdown summary for a README or a pull request: ")
        .append(index.resolveSibling("summary.md").toAbsolutePath())
        .append(")\n");
    for (Map.Entry<String, long[]> span : spans.entrySet()) {
      text.append("  ").append(summary(span.getKey(), span.getValue())).append('\n');
    }
    out.print(text);
    out.flush();
  }

  /**
   * {@code Node ws: OK 179, INFORMATIONAL 1, DIED 121 (121 waived); the server process died during
   * 121 cases; 301 cases in 21.1 s wall, median 25.9 ms per case}: what the run showed of the
   * target, then its speed.
   */
  private String summary(String target, long[] span) {
    Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
    List<Long> durations = new ArrayList<>();
    int waived = 0;
    for (CaseResult result : results) {
      if (!result.target().equals(target)) continue;
      counts.merge(result.verdict(), 1, Integer::sum);
      durations.add(result.duration().toNanos());
      if (result.waiver() != null && result.verdict().failsTest()) waived++;
    }
    durations.sort(null);
    double median = durations.get(durations.size() / 2) / 1e6;
    StringBuilder text = new StringBuilder(target).append(": ");
    counts.forEach((verdict, n) -> text.append(verdict.label()).append(' ').append(n).append(", "));
    text.setLength(text.length() - 2);
    if (waived > 0) text.append(" (").append(waived).append(" waived)");
    int died = counts.getOrDefault(Verdict.DIED, 0);
    int stopped = counts.getOrDefault(Verdict.STOPPED_SERVING, 0);
    if (died > 0) text.append("; the server process died during ").append(cases(died));
    if (stopped > 0) text.append("; it stopped serving after ").append(cases(stopped));
    return text.append("; ")
        .append(cases(durations.size()))
        .append(" in ")
        .append(String.format("%.2f", (span[1] - span[0]) / 1e9))
        .append(" s wall, median ")
        .append(String.format("%.2f", median))
        .append(" ms per case")
        .toString();
  }

  private static String cases(int n) {
    return n == 1 ? "1 case" : n + " cases";
  }
}

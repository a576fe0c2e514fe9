package io.github.wsrobustness.benchmarks;

import java.util.List;
import java.util.Locale;

/**
 * Formatting of figures and the final summary tables, kept apart so that every benchmark prints
 * times, sizes and ratios the same way.
 *
 * <p>Thread-safety: stateless.
 */
final class Report {
  private Report() {}

  /** {@code 812 µs}, {@code 1.23 ms}, {@code 2.4 s}. */
  static String duration(double nanos) {
    if (nanos < 1e3) return String.format(Locale.ROOT, "%.0f ns", nanos);
    if (nanos < 1e6) return String.format(Locale.ROOT, "%.0f µs", nanos / 1e3);
    if (nanos < 1e9) return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
  }

  /** {@code 63.9 MiB}; "?" for an unknown (negative) size. */
  static String bytes(long bytes) {
    if (bytes < 0) return "?";
    if (bytes < 1024) return bytes + " B";
    if (bytes < 1024 * 1024) return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    if (bytes < 1024L * 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
    return String.format(Locale.ROOT, "%.2f GiB", bytes / (1024.0 * 1024 * 1024));
  }

  /** The table of paired results: one row per comparison. */
  static String pairedTable(List<PairedRun.Result> results) {
    StringBuilder out = new StringBuilder();
    String format = "%-22s %-24s %-24s %10s %10s %10s %10s %8s%n";
    out.append(
        String.format(
            Locale.ROOT,
            format,
            "comparison",
            "wall ratio med (min-max)",
            "cpu ratio med (min-max)",
            "ours/op",
            "base/op",
            "ours cpu",
            "base cpu",
            "rounds"));
    for (PairedRun.Result r : results) {
      out.append(
          String.format(
              Locale.ROOT,
              format,
              r.name(),
              spread(r.wallRatio()),
              spread(r.cpuRatio()),
              duration(r.oursWall().median()),
              duration(r.baselineWall().median()),
              duration(r.oursCpu().median()),
              duration(r.baselineCpu().median()),
              r.wallRatio().count() + "x" + r.opsPerBatch()));
    }
    return out.toString();
  }

  /**
   * The table of catalogue runs: one row per server, each figure's median over the rounds with its
   * min and max, then each row's non-OK verdicts.
   */
  static String catalogueTable(List<CatalogueBenchmark.Result> results) {
    StringBuilder out = new StringBuilder();
    String format = "%-22s %-20s %-26s %-24s %-32s %8s%n";
    out.append(
        String.format(
            Locale.ROOT,
            format,
            "catalogue",
            "ratio med (min-max)",
            "per case med (min-max)",
            "bare/op med (min-max)",
            "pass wall med (min-max)",
            "rounds"));
    for (CatalogueBenchmark.Result r : results) {
      out.append(
          String.format(
              Locale.ROOT,
              format,
              r.name(),
              spread(r.ratio()),
              durations(r.perCase()),
              durations(r.bareOp()),
              durations(r.passWall()),
              r.ratio().count() + "x" + r.cases()));
    }
    for (CatalogueBenchmark.Result r : results) {
      out.append(r.name())
          .append(": non-OK verdicts per pass: ")
          .append(CatalogueBenchmark.describe(r.verdicts()))
          .append('\n');
    }
    return out.toString();
  }

  /** The table of memory scenarios: one row per child JVM. */
  static String memoryTable(List<MemoryBenchmark.Result> results) {
    StringBuilder out = new StringBuilder();
    String format = "%-11s %-9s %-32s %9s %10s  %s%n";
    out.append(
        String.format(
            Locale.ROOT,
            format,
            "scenario",
            "completed",
            "exit",
            "wall",
            "peak heap",
            "outcome / error"));
    for (MemoryBenchmark.Result r : results) {
      out.append(
          String.format(
              Locale.ROOT,
              format,
              r.scenario(),
              r.completed() ? "yes" : "NO",
              r.exit(),
              duration(r.wallNanos()),
              bytes(r.peakHeapBytes()),
              r.error() == null
                  ? r.outcome()
                  : r.error()
                      + (r.outcome() == null
                          ? "; no outcome (the client's wait never returned)"
                          : "; outcome: " + r.outcome())));
    }
    return out.toString();
  }

  /** {@code 1.23 ms (1.10 ms-1.52 ms)}: a spread of times. */
  private static String durations(Spread s) {
    return duration(s.median()) + " (" + duration(s.min()) + "-" + duration(s.max()) + ")";
  }

  private static String spread(Spread s) {
    return String.format(Locale.ROOT, "%.2f (%.2f-%.2f)", s.median(), s.min(), s.max());
  }
}

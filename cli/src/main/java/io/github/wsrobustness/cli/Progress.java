package io.github.wsrobustness.cli;

import io.github.wsrobustness.catalog.CaseResult;
import io.github.wsrobustness.catalog.Verdict;
import java.io.PrintStream;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * What the command line shows while cases run. On a terminal one line, rewritten in place: cases
 * done of the total, counts per verdict, the current case. Elsewhere (CI logs) one line per section
 * of each server, once its last case is judged.
 *
 * <p>Thread-safety: called by the one thread running the cases; {@link #finish()} after the run.
 */
final class Progress implements Consumer<CaseResult>, TestExecutionListener {
  private static final int WIDTH = 100;

  private final PrintStream out;
  private final boolean terminal;
  private final IntSupplier total;
  private final Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
  private final Map<Verdict, Integer> section = new EnumMap<>(Verdict.class);
  private String sectionKey; // server and top section of the cases being counted
  private String sectionLabel;
  private int done;
  private boolean lineOpen;

  Progress(PrintStream out, boolean terminal, IntSupplier total) {
    this.out = out;
    this.terminal = terminal;
    this.total = total;
  }

  @Override
  public void accept(CaseResult result) {
    done++;
    counts.merge(result.verdict(), 1, Integer::sum);
    if (terminal) {
      String line =
          String.format(
              "[%d/%d] %s · %s", done, total.getAsInt(), counts(counts), result.testCase().id());
      if (line.length() > WIDTH) line = line.substring(0, WIDTH - 1) + "…";
      out.print("\r" + line + " ".repeat(Math.max(0, WIDTH - line.length())));
      out.flush();
      lineOpen = true;
      return;
    }
    String key = result.target() + "\t" + result.testCase().section().top();
    if (!key.equals(sectionKey)) {
      flushSection();
      sectionKey = key;
      sectionLabel = result.target() + " · " + result.testCase().section().top();
    }
    section.merge(result.verdict(), 1, Integer::sum);
  }

  /** A section's line as soon as its container ends, before anything else is printed. */
  @Override
  public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
    if (identifier.isContainer() && !terminal) flushSection();
  }

  /** Ends the progress output: the open line, or the last section's. */
  void finish() {
    if (terminal && lineOpen) {
      out.println();
      lineOpen = false;
    }
    flushSection();
    out.flush();
  }

  private void flushSection() {
    if (sectionKey == null) return;
    out.println(sectionLabel + ": " + counts(section));
    section.clear();
    sectionKey = null;
  }

  private static String counts(Map<Verdict, Integer> counts) {
    StringBuilder text = new StringBuilder();
    counts.forEach(
        (verdict, n) ->
            text.append(text.isEmpty() ? "" : ", ").append(verdict.label()).append(' ').append(n));
    return text.toString();
  }

  /** Whether standard output is a terminal a line can be rewritten on. */
  static boolean isTerminal() {
    java.io.Console console = System.console();
    if (console == null) return false;
    try {
      // From Java 22 a console exists even when output is redirected; isTerminal() tells.
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // Java 17 to 21: a console is a terminal
    }
  }
}

package io.github.wsrobustness.cli;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.wsrobustness.catalog.CaseResult;
import io.github.wsrobustness.catalog.CatalogueReport;
import io.github.wsrobustness.catalog.Verdict;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.reporting.legacy.xml.LegacyXmlReportGeneratingListener;

/**
 * The command line: {@code java -jar websocket-robustness-cli.jar --uri ws://… | --launch "…"}.
 * Runs the catalogue on the JUnit Platform Launcher against each server, prints progress, a table
 * per section and the report's path, and exits 0 when every case passed (waivers applied), 1 when
 * one failed (or, with a baseline, got worse), 2 on bad usage.
 *
 * <p>Thread-safety: one run per JVM at a time.
 */
public final class Main {
  static final int PASSED = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;

  private static final int LISTED_FAILURES = 20;

  private Main() {}

  /**
   * Runs the command line and exits with its code.
   *
   * @param args the flags; {@code --help} lists them
   */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err, Progress.isTerminal()));
  }

  /** Runs the command line and returns its exit code. */
  static int run(String[] args, PrintStream out, PrintStream err, boolean terminal) {
    Options options;
    Baseline baseline = null;
    try {
      options = Options.parse(args);
      if (options.help) {
        out.println(Options.USAGE);
        return PASSED;
      }
      if (options.baseline != null) baseline = Baseline.read(options.baseline);
    } catch (Options.UsageException e) {
      err.println("websocket-robustness: " + e.getMessage());
      return USAGE;
    }

    CliRun run = new CliRun(options);
    Progress progress = new Progress(out, terminal, run::total);
    run.reportTo(progress);
    try {
      CliCatalogueTest.robustness = run.extension();
    } catch (IllegalArgumentException e) {
      err.println("websocket-robustness: " + e.getMessage());
      return USAGE;
    }
    ContainerFailures containers = new ContainerFailures();
    List<TestExecutionListener> listeners = new ArrayList<>(List.of(containers, progress));
    if (options.junitXml != null) {
      listeners.add(
          new LegacyXmlReportGeneratingListener(
              options.junitXml, new PrintWriter(err, true, StandardCharsets.UTF_8)));
    }
    CliRun.begin(run);
    try {
      Launcher launcher = LauncherFactory.create();
      launcher.execute(request(options), listeners.toArray(new TestExecutionListener[0]));
    } finally {
      CliRun.end();
      CliCatalogueTest.robustness = null;
      progress.finish();
    }

    List<CaseResult> results = run.results();
    if (results.isEmpty()) {
      err.println(
          "websocket-robustness: no case ran: "
              + (containers.first == null ? "nothing was chosen" : containers.first));
      return FAILED;
    }
    out.println();
    out.print(CatalogueReport.markdown(results));
    if (options.writeBaseline != null) {
      try {
        Baseline.write(results, options.writeBaseline);
        out.println("\nBaseline written: " + options.writeBaseline.toAbsolutePath());
      } catch (IOException e) {
        err.println("websocket-robustness: the baseline could not be written: " + e);
        return FAILED;
      }
    }
    out.println("Report: " + options.report.resolve("index.html").toAbsolutePath().toUri());
    if (options.junitXml != null) out.println("JUnit XML: " + options.junitXml.toAbsolutePath());

    int code =
        baseline != null
            ? judgeAgainst(baseline, results, options, out)
            : judge(results, options, out);
    if (containers.first != null) {
      out.println("A part of the run failed outside any case: " + containers.first);
      code = FAILED;
    }
    return code;
  }

  /** Without a baseline: a failing verdict no waiver covers fails the run. */
  private static int judge(List<CaseResult> results, Options options, PrintStream out) {
    List<CaseResult> failing = new ArrayList<>();
    List<CaseResult> stale = new ArrayList<>();
    for (CaseResult result : results) {
      if (fails(result, options.strict)) failing.add(result);
      if (result.isWaiverStale()) stale.add(result);
    }
    for (CaseResult result : stale) {
      out.println(
          "Stale waiver: "
              + result.target()
              + "  "
              + result.testCase().id()
              + " passes ("
              + result.verdict().label()
              + ") although waived: "
              + result.waiver()
              + (options.strict ? "" : " (fails the run with --strict)"));
    }
    if (failing.isEmpty()) {
      out.println("Passed: " + cases(results.size()) + (options.strict ? ", strict" : "") + ".");
      return PASSED;
    }
    out.println("Failed: " + failing.size() + " of " + cases(results.size()) + ".");
    listCases(failing, out);
    return FAILED;
  }

  /** With a baseline: only a case that got worse fails the run; a better one is reported. */
  private static int judgeAgainst(
      Baseline baseline, List<CaseResult> results, Options options, PrintStream out) {
    results.stream()
        .map(CaseResult::target)
        .distinct()
        .filter(server -> !baseline.knowsServer(server))
        .forEach(
            server ->
                out.println(
                    "The baseline has no case of '"
                        + server
                        + "'; its cases are judged as without one (name servers with --name, so"
                        + " that runs match)."));
    List<Baseline.Change> changes = baseline.compare(results);
    List<Baseline.Change> worse = changes.stream().filter(Baseline.Change::worse).toList();
    changes.stream()
        .filter(c -> !c.worse())
        .forEach(c -> out.println("Better than the baseline: " + c));
    List<CaseResult> unknownFailing =
        results.stream()
            .filter(r -> !baseline.knows(r))
            .filter(r -> fails(r, options.strict))
            .toList();
    worse.forEach(c -> out.println("Worse than the baseline: " + c));
    if (worse.isEmpty() && unknownFailing.isEmpty()) {
      out.println(
          "Passed: no case got worse than the baseline ("
              + cases(results.size())
              + ", "
              + changes.size()
              + " changed).");
      return PASSED;
    }
    if (!unknownFailing.isEmpty()) {
      out.println("Failed outside the baseline: " + cases(unknownFailing.size()) + ".");
      listCases(unknownFailing, out);
    }
    if (!worse.isEmpty()) {
      out.println("Failed: " + cases(worse.size()) + " got worse than the baseline.");
    }
    return FAILED;
  }

  private static String cases(int n) {
    return n == 1 ? "1 case" : n + " cases";
  }

  private static boolean fails(CaseResult result, boolean strict) {
    if (result.failsTest()) return true;
    if (!strict) return false;
    return result.isWaiverStale()
        || (result.waiver() == null && result.verdict() == Verdict.NON_STRICT);
  }

  private static void listCases(List<CaseResult> cases, PrintStream out) {
    for (CaseResult result : cases.subList(0, Math.min(cases.size(), LISTED_FAILURES))) {
      String reason = result.judgement().reason();
      int newline = reason.indexOf('\n');
      out.println(
          "  "
              + result.verdict().label()
              + "  "
              + result.target()
              + "  "
              + result.testCase().displayName()
              + ": "
              + (newline < 0 ? reason : reason.substring(0, newline)));
    }
    if (cases.size() > LISTED_FAILURES) {
      out.println("  … and " + (cases.size() - LISTED_FAILURES) + " more: see the report");
    }
  }

  private static LauncherDiscoveryRequest request(Options options) {
    Map<String, String> parameters = new HashMap<>();
    parameters.put("wsrobustness.catalogue.report", options.report.toAbsolutePath().toString());
    if (!options.cases.isEmpty()) {
      parameters.put("wsrobustness.catalogue.cases", options.casesParameter());
    }
    if (!options.exclude.isEmpty()) {
      parameters.put("wsrobustness.catalogue.exclude", String.join(",", options.exclude));
    }
    if (options.waivers != null) {
      parameters.put("wsrobustness.catalogue.waivers", options.waivers.toAbsolutePath().toString());
    }
    if (options.strict) parameters.put("wsrobustness.catalogue.strict", "true");
    // The run is this class alone, whatever else is on the class path.
    parameters.put("junit.jupiter.extensions.autodetection.enabled", "false");
    return LauncherDiscoveryRequestBuilder.request()
        .selectors(selectClass(CliCatalogueTest.class))
        .configurationParameters(parameters)
        .build();
  }

  /** Remembers the first failure outside a case: a server that never started, a bad pattern. */
  private static final class ContainerFailures implements TestExecutionListener {
    volatile String first;

    @Override
    public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
      if (!identifier.isContainer() || first != null) return;
      result
          .getThrowable()
          .filter(t -> result.getStatus() != TestExecutionResult.Status.SUCCESSFUL)
          .ifPresent(
              t -> {
                String message = String.valueOf(t.getMessage());
                int newline = message.indexOf('\n');
                first = newline < 0 ? message : message.substring(0, newline);
              });
    }
  }
}

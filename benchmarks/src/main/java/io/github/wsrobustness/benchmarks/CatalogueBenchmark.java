package io.github.wsrobustness.benchmarks;

import io.github.wsrobustness.Catalogue;
import io.github.wsrobustness.catalog.CaseResult;
import io.github.wsrobustness.catalog.Verdict;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The catalogue benchmark: how fast the conformance catalogue runs Autobahn's sections 1–7 and 10
 * (every case but section 9's limits) against a server, as the ratio of the median case to the
 * median bare-socket negative case ({@link BareSocketNegativeCase}) measured in the same round.
 *
 * <p>A case is a connection with a handshake, a script, a verdict and, for a case that sends
 * invalid input, a check that the server still serves; the bare negative case is the least any such
 * exchange costs. Their ratio says how much more than one minimal exchange a case costs, and it
 * holds still when the machine's load moves both sides. The wall time of a whole pass ("247 cases
 * in 2.1 s") is what a user waits for, and is reported beside it, though it moves with the load.
 *
 * <p>A round times the baseline operation once per case (each operation on its own clock, so the
 * round yields a median per operation) and one pass of {@link Catalogue#run()} (its wall time
 * around the call, and each case's own {@link CaseResult#duration()}, which leaves out the server
 * check after it). The side that goes first alternates from round to round, and {@code System.gc()}
 * runs before each side outside the clocks, as in {@link PairedRun}.
 *
 * <p>Every pass must have no failing case: a case that fails against Jetty is a bug in the
 * catalogue or in the server, and a pass cut short by one would look fast. The benchmark throws
 * then, naming the cases.
 *
 * <p>Thread-safety: stateless; one harness thread runs it.
 */
final class CatalogueBenchmark {

  /**
   * How long and how hard to measure.
   *
   * @param warmup how long the catalogue passes of the warm-up may go on (at least one runs)
   * @param warmupMaxPasses catalogue passes at most in the warm-up
   * @param warmupBareOps baseline operations in the warm-up
   * @param minRounds rounds that run even past the budget
   * @param maxRounds rounds at most
   * @param budget time after which no new round starts (once {@code minRounds} are done)
   */
  record Plan(
      Duration warmup,
      int warmupMaxPasses,
      int warmupBareOps,
      int minRounds,
      int maxRounds,
      Duration budget) {

    /** The same plan cut down for a smoke run ({@code --quick}): it proves the wiring only. */
    Plan quick() {
      return new Plan(warmup, 1, Math.max(1, warmupBareOps / 10), 2, 2, budget);
    }
  }

  /**
   * What a run measured, each a spread over the rounds.
   *
   * @param name what was measured, for the report
   * @param cases cases in a pass, which is also the baseline operations in a round
   * @param ratio per-round median case / median bare operation
   * @param perCase the median case duration of each round, nanoseconds
   * @param bareOp the median bare operation of each round, nanoseconds
   * @param passWall the wall time of each round's pass, nanoseconds
   * @param verdicts the non-OK verdict counts of a pass, each distinct count with how many passes
   *     (warm-up included) had it, in the order first seen; "none" when a pass was all OK
   */
  record Result(
      String name,
      int cases,
      Spread ratio,
      Spread perCase,
      Spread bareOp,
      Spread passWall,
      Map<String, Integer> verdicts) {}

  /**
   * Defaults: at most 5 warm-up passes or 15 s of them (the first pass loads and compiles the
   * catalogue's code, Jetty's error paths too), 300 bare operations in the warm-up, and 3 to 10
   * rounds, no new one after 40 s; about a minute on 2 cores when a pass takes 2–3 s.
   */
  static final Plan PLAN = new Plan(Duration.ofSeconds(15), 5, 300, 3, 10, Duration.ofSeconds(40));

  /** Each wait of a case: our client's default deadline, which the baseline's timeouts match. */
  private static final Duration DEADLINE = Duration.ofSeconds(5);

  /** Section 9 (limits, up to 16 MiB per message) measures Jetty's copying, not the catalogue. */
  private static final String EXCLUDED = "9";

  /** The warm-up's baseline operations after a pass. */
  private static final int BARE_WARMUP_CHUNK = 60;

  /** Bound of the warm-up's own top-up of baseline operations after its passes. */
  private static final Duration BARE_WARMUP_TOP_UP = Duration.ofSeconds(5);

  /** Slowest cases named after the rounds. */
  private static final int SLOWEST_SHOWN = 5;

  private CatalogueBenchmark() {}

  /**
   * Warms up and plays the rounds against the server at {@code uri}; prints one line per round on
   * {@code System.out}.
   *
   * @throws IllegalStateException when a case of any pass fails its test
   */
  static Result run(String name, URI uri, Plan plan) throws Exception {
    long start = System.nanoTime();
    Catalogue catalogue = Catalogue.against(uri, DEADLINE).exclude(EXCLUDED);
    int cases = catalogue.cases().size();
    Operation bare = new BareSocketNegativeCase(uri);
    System.out.printf(Locale.ROOT, "%n== %s (%d cases)%n", name, cases);

    // Distinct non-OK verdict counts of a pass → how many passes had them, in order of first sight.
    Map<String, Integer> verdicts = new LinkedHashMap<>();

    // Warm-up: passes with baseline operations between them, so that both sides' code is compiled
    // under the same conditions; then the baseline's remainder, bounded in count and time.
    int passes = 0;
    int bareOps = 0;
    List<CaseResult> first = List.of();
    while (passes < plan.warmupMaxPasses()
        && (passes < 1 || System.nanoTime() - start < plan.warmup().toNanos())) {
      List<CaseResult> results = catalogue.run();
      check(results, verdicts);
      if (passes++ == 0) first = results;
      for (int i = 0; i < BARE_WARMUP_CHUNK && bareOps < plan.warmupBareOps(); i++, bareOps++) {
        bare.run();
      }
    }
    long topUpEnd = System.nanoTime() + BARE_WARMUP_TOP_UP.toNanos();
    while (bareOps < plan.warmupBareOps() && System.nanoTime() < topUpEnd) {
      bare.run();
      bareOps++;
    }
    System.out.printf(
        Locale.ROOT,
        "warm-up: %d pass(es) and %d bare ops in %.1f s%nnon-OK verdicts of the first pass: %s%s%n",
        passes,
        bareOps,
        (System.nanoTime() - start) / 1e9,
        verdicts.keySet().iterator().next(),
        nonOk(first));

    long roundsStart = System.nanoTime();
    List<Double> ratios = new ArrayList<>();
    List<Double> perCase = new ArrayList<>();
    List<Double> bareMedians = new ArrayList<>();
    List<Double> walls = new ArrayList<>();
    List<CaseResult> last = first;
    for (int round = 0; round < plan.maxRounds(); round++) {
      if (round >= plan.minRounds() && System.nanoTime() - roundsStart > plan.budget().toNanos()) {
        break;
      }
      double bareMedian;
      Pass pass;
      if (round % 2 == 0) {
        bareMedian = bareRound(bare, cases);
        pass = timedPass(catalogue, verdicts);
      } else {
        pass = timedPass(catalogue, verdicts);
        bareMedian = bareRound(bare, cases);
      }
      double ratio = pass.medianCaseNanos() / bareMedian;
      ratios.add(ratio);
      perCase.add(pass.medianCaseNanos());
      bareMedians.add(bareMedian);
      walls.add(pass.wallNanos());
      last = pass.results();
      System.out.printf(
          Locale.ROOT,
          "round %2d (%s first): bare %s/op, catalogue %s/case, ratio %.2f;"
              + " %d cases in %s (cases' own %s)%n",
          round + 1,
          round % 2 == 0 ? "bare" : "catalogue",
          Report.duration(bareMedian),
          Report.duration(pass.medianCaseNanos()),
          ratio,
          cases,
          Report.duration(pass.wallNanos()),
          Report.duration(pass.sumCaseNanos()));
    }
    // The few slow cases, not the median, make most of a pass's wall time.
    System.out.println(
        "slowest cases of the last pass: "
            + last.stream()
                .sorted(Comparator.comparing(CaseResult::duration).reversed())
                .limit(SLOWEST_SHOWN)
                .map(r -> r.testCase().id() + " " + Report.duration(r.duration().toNanos()))
                .collect(Collectors.joining(", ")));
    if (verdicts.size() > 1) {
      // Timing-dependent verdicts (NON-STRICT against OK, say) are worth knowing about.
      System.out.println("non-OK verdicts differed between passes: " + describe(verdicts));
    }
    return new Result(
        name,
        cases,
        Spread.of(ratios),
        Spread.of(perCase),
        Spread.of(bareMedians),
        Spread.of(walls),
        verdicts);
  }

  /** "NON-STRICT 3, INFORMATIONAL 5 (every pass)", or each distinct count with its passes. */
  static String describe(Map<String, Integer> verdicts) {
    if (verdicts.size() == 1) return verdicts.keySet().iterator().next() + " (every pass)";
    return verdicts.entrySet().stream()
        .map(e -> e.getKey() + " (" + e.getValue() + (e.getValue() == 1 ? " pass)" : " passes)"))
        .collect(Collectors.joining("; "));
  }

  /**
   * One pass's timing.
   *
   * @param wallNanos around {@link Catalogue#run()}, server checks included
   * @param medianCaseNanos the median of the cases' own durations
   * @param sumCaseNanos their sum
   * @param results the cases' results
   */
  private record Pass(
      double wallNanos, double medianCaseNanos, double sumCaseNanos, List<CaseResult> results) {}

  private static Pass timedPass(Catalogue catalogue, Map<String, Integer> verdicts) {
    // Collect the other side's garbage before the clock starts; the pass's own is on its clock.
    System.gc();
    long t0 = System.nanoTime();
    List<CaseResult> results = catalogue.run();
    long wall = System.nanoTime() - t0;
    check(results, verdicts);
    List<Double> durations = results.stream().map(r -> (double) r.duration().toNanos()).toList();
    return new Pass(
        wall,
        Spread.of(durations).median(),
        durations.stream().mapToDouble(Double::doubleValue).sum(),
        results);
  }

  /** " (6.4.1 NON-STRICT, 7.1.6 INFORMATIONAL)": the ids behind the counts, or "". */
  private static String nonOk(List<CaseResult> results) {
    String ids =
        results.stream()
            .filter(r -> r.verdict() != Verdict.OK)
            .map(r -> r.testCase().id() + " " + r.verdict().label())
            .collect(Collectors.joining(", "));
    return ids.isEmpty() ? "" : " (" + ids + ")";
  }

  /**
   * Throws when a case fails its test; else counts the pass's non-OK verdicts into {@code
   * verdicts}.
   */
  private static void check(List<CaseResult> results, Map<String, Integer> verdicts) {
    List<String> failed =
        results.stream()
            .filter(CaseResult::failsTest)
            .map(r -> r.testCase().id() + " " + r.summary() + ": " + r.judgement().reason())
            .toList();
    if (!failed.isEmpty()) {
      throw new IllegalStateException(
          failed.size() + " case(s) failed against the server:\n  " + String.join("\n  ", failed));
    }
    Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
    for (CaseResult r : results) {
      if (r.verdict() != Verdict.OK) counts.merge(r.verdict(), 1, Integer::sum);
    }
    String key =
        counts.isEmpty()
            ? "none"
            : counts.entrySet().stream()
                .map(e -> e.getKey().label() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    verdicts.merge(key, 1, Integer::sum);
  }

  /** The median wall time of {@code ops} baseline operations, each on its own clock. */
  private static double bareRound(Operation bare, int ops) throws Exception {
    System.gc();
    List<Double> times = new ArrayList<>(ops);
    for (int i = 0; i < ops; i++) {
      long t0 = System.nanoTime();
      bare.run();
      times.add((double) (System.nanoTime() - t0));
    }
    return Spread.of(times).median();
  }
}

package io.github.wsrobustness.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The paired, interleaved harness: every figure is a ratio of our client against a baseline
 * measured in the same round, seconds apart, so that a neighbour's load on this shared machine
 * lands on both sides of a ratio instead of on one side of a comparison.
 *
 * <p>A run warms both sides up (alternating operations), sizes a batch from the warm-up so that the
 * faster side's batch lasts about {@link Plan#batchTarget()}, and then plays rounds: in each round
 * the baseline batch and our batch run back to back, the side that goes first alternating from
 * round to round (so neither side always inherits the other's garbage or a warmer cache). A round
 * yields one wall-clock ratio and one CPU ratio (ours / baseline); the result is the min/median/max
 * of those ratios over the rounds, plus each side's median time per operation.
 *
 * <p>CPU is the whole process's CPU time ({@code getProcessCpuTime()}), not the calling thread's:
 * both clients do part of their work on threads of their own, and an in-process server's work is
 * counted equally on both sides. Linux reports process CPU time in 10 ms ticks, which is why a
 * batch aims at hundreds of milliseconds rather than a handful of operations.
 *
 * <p>Before each batch, outside its clock, a {@code System.gc()} collects what the previous batch
 * left, so that neither side pays for the other's garbage; a batch's own garbage is on its own
 * clock.
 *
 * <p>Everything is bounded: the warm-up by a duration and a count, the rounds by a count and by a
 * time budget (at least {@link Plan#minRounds()} rounds always run), and each operation by its own
 * timeouts.
 *
 * <p>Thread-safety: a run belongs to the thread that calls {@link #run}.
 */
final class PairedRun {

  /**
   * How long and how hard to measure.
   *
   * @param warmup how long both sides warm up before anything is measured (code compiled, pools and
   *     caches of client and server filled)
   * @param warmupMaxOps operations of each side at most in the warm-up
   * @param minRounds rounds that run even past the budget
   * @param maxRounds rounds at most
   * @param batchTarget the time a batch of the faster side should take
   * @param minOpsPerBatch lower bound of the batch size
   * @param maxOpsPerBatch upper bound of the batch size
   * @param budget time after which no new round starts (once {@code minRounds} are done)
   */
  record Plan(
      Duration warmup,
      int warmupMaxOps,
      int minRounds,
      int maxRounds,
      Duration batchTarget,
      int minOpsPerBatch,
      int maxOpsPerBatch,
      Duration budget) {

    /** The same plan cut down for a smoke run ({@code --quick}): it proves the wiring only. */
    Plan quick() {
      return new Plan(
          warmup.dividedBy(10),
          Math.max(2, warmupMaxOps / 10),
          3,
          3,
          batchTarget.dividedBy(4),
          1,
          Math.max(1, maxOpsPerBatch / 4),
          budget.dividedBy(4));
    }
  }

  /**
   * One side's timing of one batch, per operation.
   *
   * @param wallNanos wall-clock nanoseconds per operation
   * @param cpuNanos process CPU nanoseconds per operation
   */
  record Sample(double wallNanos, double cpuNanos) {}

  /**
   * What a run measured.
   *
   * @param name what was compared, for the report
   * @param opsPerBatch operations in each side's batch
   * @param wallRatio per-round ratios ours / baseline of wall-clock time
   * @param cpuRatio per-round ratios ours / baseline of process CPU time
   * @param baselineWall the baseline's wall-clock nanoseconds per operation, over the rounds
   * @param oursWall ours, likewise
   * @param baselineCpu the baseline's CPU nanoseconds per operation, over the rounds
   * @param oursCpu ours, likewise
   */
  record Result(
      String name,
      int opsPerBatch,
      Spread wallRatio,
      Spread cpuRatio,
      Spread baselineWall,
      Spread oursWall,
      Spread baselineCpu,
      Spread oursCpu) {}

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /** The resolution of Linux's process CPU time (USER_HZ = 100). */
  private static final double CPU_TICK_NANOS = 10_000_000;

  private PairedRun() {}

  /**
   * Warms up, sizes the batches and plays the rounds; prints one line per round on {@code
   * System.out}.
   */
  static Result run(String name, Plan plan, Operation baseline, Operation ours) throws Exception {
    long start = System.nanoTime();
    System.out.printf(Locale.ROOT, "%n== %s%n", name);

    // Warm-up, alternating so that both sides' code is compiled under the same conditions.
    List<Double> baselineWarm = new ArrayList<>();
    List<Double> oursWarm = new ArrayList<>();
    int warmupOps = 0;
    while (warmupOps < plan.warmupMaxOps()
        && (warmupOps < 2 || System.nanoTime() - start < plan.warmup().toNanos())) {
      double b;
      double o;
      if (warmupOps++ % 2 == 0) {
        b = timeOne(baseline);
        o = timeOne(ours);
      } else {
        o = timeOne(ours);
        b = timeOne(baseline);
      }
      baselineWarm.add(b);
      oursWarm.add(o);
    }
    // The second half of the warm-up, when it is warmest, estimates the cost of one operation.
    double perOp =
        Math.min(
            Spread.of(baselineWarm.subList(warmupOps / 2, warmupOps)).median(),
            Spread.of(oursWarm.subList(warmupOps / 2, warmupOps)).median()); // nanoseconds
    int ops =
        (int)
            Math.max(
                plan.minOpsPerBatch(),
                Math.min(plan.maxOpsPerBatch(), Math.round(plan.batchTarget().toNanos() / perOp)));
    System.out.printf(
        Locale.ROOT,
        "warm-up: %d ops per side in %.1f s; %d ops per batch%n",
        warmupOps,
        (System.nanoTime() - start) / 1e9,
        ops);

    long roundsStart = System.nanoTime();
    List<Sample> baselineSamples = new ArrayList<>();
    List<Sample> oursSamples = new ArrayList<>();
    for (int round = 0; round < plan.maxRounds(); round++) {
      if (round >= plan.minRounds() && System.nanoTime() - roundsStart > plan.budget().toNanos()) {
        break;
      }
      Sample b;
      Sample o;
      if (round % 2 == 0) {
        b = batch(baseline, ops);
        o = batch(ours, ops);
      } else {
        o = batch(ours, ops);
        b = batch(baseline, ops);
      }
      baselineSamples.add(b);
      oursSamples.add(o);
      System.out.printf(
          Locale.ROOT,
          "round %2d (%s first): baseline %s/op, ours %s/op, wall ratio %.2f, cpu ratio %.2f%n",
          round + 1,
          round % 2 == 0 ? "baseline" : "ours",
          Report.duration(b.wallNanos()),
          Report.duration(o.wallNanos()),
          o.wallNanos() / b.wallNanos(),
          ratio(o.cpuNanos(), b.cpuNanos(), ops));
    }

    List<Double> wallRatios = new ArrayList<>();
    List<Double> cpuRatios = new ArrayList<>();
    for (int i = 0; i < baselineSamples.size(); i++) {
      wallRatios.add(oursSamples.get(i).wallNanos() / baselineSamples.get(i).wallNanos());
      cpuRatios.add(ratio(oursSamples.get(i).cpuNanos(), baselineSamples.get(i).cpuNanos(), ops));
    }
    return new Result(
        name,
        ops,
        Spread.of(wallRatios),
        Spread.of(cpuRatios),
        Spread.of(baselineSamples.stream().map(Sample::wallNanos).toList()),
        Spread.of(oursSamples.stream().map(Sample::wallNanos).toList()),
        Spread.of(baselineSamples.stream().map(Sample::cpuNanos).toList()),
        Spread.of(oursSamples.stream().map(Sample::cpuNanos).toList()));
  }

  /**
   * A CPU ratio of per-operation figures; a baseline batch that used less than one 10 ms clock tick
   * would divide by zero, so it counts as one tick (the figure is then an upper bound, and the
   * batch was too short).
   */
  private static double ratio(double ours, double baseline, int ops) {
    return ours / Math.max(baseline, CPU_TICK_NANOS / (double) ops);
  }

  private static double timeOne(Operation op) throws Exception {
    long t0 = System.nanoTime();
    op.run();
    return System.nanoTime() - t0;
  }

  private static Sample batch(Operation op, int ops) throws Exception {
    // Collect the previous batch's garbage before the clock starts, so that neither side pays for
    // the other's. A batch's own garbage is still collected on its own time.
    System.gc();
    long cpu0 = OS.getProcessCpuTime();
    long t0 = System.nanoTime();
    for (int i = 0; i < ops; i++) op.run();
    long t1 = System.nanoTime();
    long cpu1 = OS.getProcessCpuTime();
    return new Sample((t1 - t0) / (double) ops, (cpu1 - cpu0) / (double) ops);
  }
}

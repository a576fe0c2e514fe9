package io.github.wsrobustness.benchmarks;

/**
 * One timed operation of a benchmark: a whole negative case, or one echo round trip.
 *
 * <p>An operation throws as soon as anything differs from what it expects (a wrong status, a wrong
 * close code, a wrong echo), so a side that silently did less work can never look fast.
 *
 * <p>Thread-safety: each implementation says; the harness calls it from one thread.
 */
@FunctionalInterface
interface Operation {
  /** Runs the operation once, start to end, and releases what it opened. */
  void run() throws Exception;
}

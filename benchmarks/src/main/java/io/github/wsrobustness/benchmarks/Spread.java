package io.github.wsrobustness.benchmarks;

import java.util.Arrays;
import java.util.List;

/**
 * Minimum, median and maximum of a series of per-round figures. The median, not the mean, is the
 * headline: on a shared, noisy machine one round disturbed by another process should move the
 * maximum, not the answer.
 *
 * <p>Thread-safety: immutable.
 */
record Spread(double min, double median, double max, int count) {

  /** The spread of {@code values}; at least one value is required. */
  static Spread of(List<Double> values) {
    if (values.isEmpty()) throw new IllegalArgumentException("no values to summarise");
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return new Spread(sorted[0], median, sorted[n - 1], n);
  }
}

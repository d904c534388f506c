package io.coinbeam.bench;

import java.util.Arrays;

/**
 * Percentiles of measured latencies by the nearest-rank rule: the p-th percentile of n values is
 * the ceil(p / 100 x n)-th smallest, always one of the measured values (no interpolation between
 * two trades' latencies that nobody observed).
 */
public final class Percentiles {
  private Percentiles() {}

  /**
   * The {@code p}-th percentile (0 < p <= 100) of {@code values}, which need not be sorted.
   *
   * @throws IllegalArgumentException when there are no values or p is out of range
   */
  public static long of(long[] values, double p) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no values");
    }
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
    }
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return ofSorted(sorted, p);
  }

  /** As {@link #of}, for values already in ascending order. */
  static long ofSorted(long[] sorted, double p) {
    if (sorted.length == 0) {
      throw new IllegalArgumentException("no values");
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(1, Math.min(rank, sorted.length)) - 1];
  }
}

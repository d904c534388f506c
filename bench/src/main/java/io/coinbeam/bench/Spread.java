package io.coinbeam.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Median, minimum and maximum of repeated measurements: the benchmark reports the median (robust to
 * one disturbed repetition on a shared machine) and shows the spread beside it.
 *
 * @param count how many measurements
 */
public record Spread(int count, double median, double min, double max) {

  /** The spread of {@code values}; the median of an even count is the mean of the middle two. */
  public static Spread of(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no measurements");
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    double median =
        n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    return new Spread(n, median, sorted.get(0), sorted.get(n - 1));
  }
}

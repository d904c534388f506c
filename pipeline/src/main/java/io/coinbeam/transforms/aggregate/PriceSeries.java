package io.coinbeam.transforms.aggregate;

import io.coinbeam.rows.RowBuilder;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Open, high, low, close and mean of one value over a window's ordered observations. */
final class PriceSeries {
  private PriceSeries() {}

  /** Sets {@code <prefix>_open/_high/_low/_close/_avg}. */
  static <T> RowBuilder ohlcAvg(
      RowBuilder out, String prefix, List<T> ordered, ToDoubleFunction<T> value) {
    double high = Double.NEGATIVE_INFINITY;
    double low = Double.POSITIVE_INFINITY;
    ExactSum sum = new ExactSum();
    for (T row : ordered) {
      double v = value.applyAsDouble(row);
      high = Math.max(high, v);
      low = Math.min(low, v);
      sum.add(v);
    }
    return out.set(prefix + "_open", value.applyAsDouble(ordered.get(0)))
        .set(prefix + "_high", high)
        .set(prefix + "_low", low)
        .set(prefix + "_close", value.applyAsDouble(ordered.get(ordered.size() - 1)))
        .set(prefix + "_avg", sum.dividedBy(ordered.size()));
  }

  static <T> T last(List<T> ordered) {
    return ordered.get(ordered.size() - 1);
  }
}

package io.coinbeam.transforms.aggregate;

import java.util.List;
import java.util.function.ToDoubleFunction;
import org.apache.beam.sdk.values.Row;

/** Open, high, low, close and mean of one value over a window's ordered observations. */
final class PriceSeries {
  private PriceSeries() {}

  /** Sets {@code <prefix>_open/_high/_low/_close/_avg}. */
  static <T> Row.FieldValueBuilder ohlcAvg(
      Row.FieldValueBuilder out, String prefix, List<T> ordered, ToDoubleFunction<T> value) {
    double high = Double.NEGATIVE_INFINITY;
    double low = Double.POSITIVE_INFINITY;
    ExactSum sum = new ExactSum();
    for (T row : ordered) {
      double v = value.applyAsDouble(row);
      high = Math.max(high, v);
      low = Math.min(low, v);
      sum.add(v);
    }
    return out.withFieldValue(prefix + "_open", value.applyAsDouble(ordered.get(0)))
        .withFieldValue(prefix + "_high", high)
        .withFieldValue(prefix + "_low", low)
        .withFieldValue(prefix + "_close", value.applyAsDouble(ordered.get(ordered.size() - 1)))
        .withFieldValue(prefix + "_avg", sum.dividedBy(ordered.size()));
  }

  static <T> T last(List<T> ordered) {
    return ordered.get(ordered.size() - 1);
  }
}

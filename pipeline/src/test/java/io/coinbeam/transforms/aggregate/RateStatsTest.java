package io.coinbeam.transforms.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.coinbeam.model.RateSnapshot;
import io.coinbeam.transforms.MeasureSchemas;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;

/** rate_stats through RateStats' real CombineFn. */
class RateStatsTest {
  static final long T0 = 1_715_076_000_000L;
  private final RateStats spec = new RateStats();

  @Test
  void ohlcByObservationTimeAndLastObservedLabels() {
    RateSnapshot a = new RateSnapshot("euro", "EUR", "€", "fiat", 1.0625, T0 + 240_000);
    RateSnapshot b = new RateSnapshot("euro", "EUR", "€", "fiat", 1.125, T0);
    RateSnapshot c = new RateSnapshot("euro", "EUR", null, "fiat", 1.09375, T0 + 299_999);
    Row expected =
        Row.withSchema(MeasureSchemas.of(spec))
            .withFieldValues(Map.of())
            .withFieldValue("symbol", "EUR")
            .withFieldValue("currency_symbol", null) // the last observation (c) has none
            .withFieldValue("type", "fiat")
            .withFieldValue("rate_usd_open", 1.125) // b, at t
            .withFieldValue("rate_usd_high", 1.125)
            .withFieldValue("rate_usd_low", 1.0625)
            .withFieldValue("rate_usd_close", 1.09375) // c, at t + 4:59.999
            // (1.125 + 1.0625 + 1.09375) / 3 = 3.28125 / 3, sum exact
            .withFieldValue("rate_usd_avg", 3.28125 / 3)
            .withFieldValue("observations", 3L)
            .build();
    for (List<RateSnapshot> order : Combining.permutations(List.of(a, b, c, a))) {
      assertEquals(expected, Combining.summarize(spec, order));
    }
  }

  @Test
  void aConstantRateAveragesToItself() {
    // usd-coin at exactly 1: 1 + 1 + 1 + 1 = 4, / 4 = 1.
    List<RateSnapshot> inputs =
        List.of(
            new RateSnapshot("usd-coin", "USDC", null, "crypto", 1.0, T0),
            new RateSnapshot("usd-coin", "USDC", null, "crypto", 1.0, T0 + 1),
            new RateSnapshot("usd-coin", "USDC", null, "crypto", 1.0, T0 + 2),
            new RateSnapshot("usd-coin", "USDC", null, "crypto", 1.0, T0 + 3));
    Row row = Combining.summarize(spec, inputs);
    assertEquals(1.0, row.getDouble("rate_usd_avg"));
    assertEquals(4L, row.getInt64("observations"));
  }
}

package io.coinbeam.transforms.aggregate;

import static io.coinbeam.transforms.aggregate.ExactSumTest.nearest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.coinbeam.model.AssetSnapshot;
import io.coinbeam.transforms.MeasureSchemas;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;

/** asset_stats through AssetStats' real CombineFn. */
class AssetStatsTest {
  /** 2024-05-07T10:00:00Z, a 5-minute boundary. */
  static final long T0 = 1_715_076_000_000L;

  private final AssetStats spec = new AssetStats();

  static AssetSnapshot asset(long at, double price, Long rank, Double marketCap, Double maxSupply) {
    return new AssetSnapshot(
        "bitcoin",
        "BTC",
        "Bitcoin",
        rank,
        19_000_000.0,
        maxSupply,
        marketCap,
        2.5e10,
        price,
        -1.5,
        null,
        at);
  }

  @Test
  void ohlcAndAverageFollowObservationTimeNotArrival() {
    AssetSnapshot first = asset(T0 + 60_000, 10.5, 1L, 1.0e12, 21e6);
    AssetSnapshot second = asset(T0 + 120_000, 12.25, 1L, 1.1e12, 21e6);
    AssetSnapshot third =
        new AssetSnapshot(
            "bitcoin",
            "XBT",
            "Bitcoin (renamed)",
            2L,
            19_000_001.0,
            null,
            1e15,
            3.5e10,
            9.75,
            4.25,
            9.5,
            T0 + 180_000);
    Row expected =
        Row.withSchema(MeasureSchemas.of(spec))
            .withFieldValues(Map.of())
            .withFieldValue("symbol", "XBT")
            .withFieldValue("name", "Bitcoin (renamed)")
            .withFieldValue("price_usd_open", 10.5) // t+1min
            .withFieldValue("price_usd_high", 12.25)
            .withFieldValue("price_usd_low", 9.75)
            .withFieldValue("price_usd_close", 9.75) // t+3min
            .withFieldValue("price_usd_avg", 32.5 / 3) // (10.5 + 12.25 + 9.75) / 3, sum exact
            // the last observation's figures, nulls included (max supply null = unlimited)
            .withFieldValue("market_cap_usd", 1e15)
            .withFieldValue("volume_usd_24hr", 3.5e10)
            .withFieldValue("supply", 19_000_001.0)
            .withFieldValue("max_supply", null)
            .withFieldValue("rank", 2L)
            .withFieldValue("change_percent_24hr", 4.25)
            .withFieldValue("vwap_24hr", 9.5)
            .withFieldValue("observations", 3L)
            .build();
    // a replayed duplicate of the middle observation must count once
    List<AssetSnapshot> inputs = List.of(third, first, second, second);
    for (List<AssetSnapshot> order : Combining.permutations(inputs)) {
      assertEquals(expected, Combining.summarize(spec, order), () -> "order " + order);
    }
    Random random = new Random(3);
    for (int i = 0; i < 30; i++) {
      assertEquals(expected, Combining.summarizeRandomly(spec, inputs, random));
    }
  }

  @Test
  void aSingleObservation() {
    Row row = Combining.summarize(spec, List.of(asset(T0, 38417.0478200847774256, 1L, null, null)));
    double price = new BigDecimal("38417.0478200847774256").doubleValue();
    assertEquals(price, row.getDouble("price_usd_open"));
    assertEquals(price, row.getDouble("price_usd_high"));
    assertEquals(price, row.getDouble("price_usd_low"));
    assertEquals(price, row.getDouble("price_usd_close"));
    assertEquals(price, row.getDouble("price_usd_avg"));
    assertEquals(1L, row.getInt64("observations"));
    assertNull(row.getDouble("market_cap_usd"));
    assertNull(row.getDouble("max_supply"));
  }

  @Test
  void theAverageIsTheExactMeanRoundedOnce() {
    // (1e16 + 1 + 1 + 2) / 4 = 2.5e15 + 1 exactly. Near 1e16 doubles are 2 apart, so a plain
    // running sum loses both ones (1e16 + 1 is a tie, kept at the even 1e16) and gives
    // (1e16 + 2) / 4 = 2.5e15 + 0.5.
    double[] prices = {1e16, 1.0, 1.0, 2.0};
    double plain = 0;
    List<AssetSnapshot> inputs = new ArrayList<>();
    for (int i = 0; i < prices.length; i++) {
      inputs.add(asset(T0 + i * 1_000, prices[i], 1L, null, null));
      plain += prices[i];
    }
    assertEquals(2.5e15 + 0.5, plain / 4);
    assertEquals(2.5e15 + 1, Combining.summarize(spec, inputs).getDouble("price_usd_avg"));
    assertEquals(
        nearest(new BigDecimal(1e16).add(new BigDecimal(4)).divide(new BigDecimal(4))), 2.5e15 + 1);
  }

  /**
   * The mean of equal prices is that price, and a mean never leaves [low, high]. Found failing: the
   * average is round(round(sum) / n), so three observations of 0.1 average 0.10000000000000002,
   * above price_usd_high.
   */
  @Test
  void theAverageOfEqualPricesIsThatPrice() {
    List<AssetSnapshot> inputs =
        List.of(
            asset(T0, 0.1, 1L, null, null),
            asset(T0 + 60_000, 0.1, 1L, null, null),
            asset(T0 + 120_000, 0.1, 1L, null, null));
    Row row = Combining.summarize(spec, inputs);
    assertEquals(0.1, row.getDouble("price_usd_high"));
    assertEquals(0.1, row.getDouble("price_usd_avg"), "mean of 0.1, 0.1, 0.1");
  }

  @Test
  void twoDifferentRowsForTheSameTimeKeepOneWhateverTheOrder() {
    // Should not happen, but if it does every runner must keep the same one.
    AssetSnapshot a = asset(T0 + 5_000, 100.0, 1L, null, null);
    AssetSnapshot b = asset(T0 + 5_000, 200.0, 1L, null, null);
    Row ab = Combining.summarize(spec, List.of(a, b));
    Row ba = Combining.summarize(spec, List.of(b, a));
    assertEquals(ab, ba);
    assertEquals(1L, ab.getInt64("observations"));
    double kept = ab.getDouble("price_usd_open");
    assertEquals(kept, ab.getDouble("price_usd_close"));
    assertEquals(kept, ab.getDouble("price_usd_avg"));
  }
}

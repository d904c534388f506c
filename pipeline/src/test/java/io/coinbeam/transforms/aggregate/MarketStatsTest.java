package io.coinbeam.transforms.aggregate;

import static io.coinbeam.transforms.aggregate.ExactSumTest.nearest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coinbeam.model.Envelope;
import io.coinbeam.model.MarketSnapshot;
import io.coinbeam.testing.SharedFixtures;
import io.coinbeam.transforms.MeasureSchemas;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;

/** market_stats through MarketStats' real CombineFn. */
class MarketStatsTest {
  static final long T0 = 1_715_076_000_000L;
  private final MarketStats spec = new MarketStats();

  static MarketSnapshot market(
      String exchange, long at, double priceUsd, Double volume, Long trades) {
    return new MarketSnapshot(
        exchange, "solana", "tether", "SOL", "USDT", priceUsd, priceUsd, volume, 0.5, trades, at);
  }

  @Test
  void acrossExchangesFromEachOnesLatestObservation() {
    List<MarketSnapshot> inputs =
        List.of(
            market("binance", T0 + 60_000, 30.0, 100.0, 900L), // superseded by t+4min
            market("binance", T0 + 240_000, 31.0, 300.0, 1_000L),
            market("kraken", T0 + 120_000, 30.5, 300.0, 500L), // ties binance on volume
            market("coinbase", T0 + 200_000, 25.0, null, null), // no volume, still a price
            market("bitfinex", T0 + 30_000, 30.0, 50.0, 7L));
    Row expected =
        Row.withSchema(MeasureSchemas.of(spec))
            .withFieldValues(Map.of())
            .withFieldValue("base_symbol", "SOL")
            .withFieldValue("quote_symbol", "USDT")
            .withFieldValue("exchange_count", 4L)
            .withFieldValue("volume_usd_24hr", 650.0) // 300 + 300 + 50
            // (31*300 + 30.5*300 + 30*50) / 650 = (9300 + 9150 + 1500) / 650 = 19950 / 650
            .withFieldValue("price_usd_vwap", 19950.0 / 650.0)
            .withFieldValue("price_usd_min", 25.0) // coinbase
            .withFieldValue("price_usd_max", 31.0) // binance's latest, not its earlier 30
            // (31 - 25) / 25 * 100 = 24: 6 / 25 = 0.24 rounds to 0.2399999999999999911182158029987
            // and times 100 rounds back to 24 exactly
            .withFieldValue("spread_pct", 24.0)
            .withFieldValue("trades_count_24hr", 1_507L) // 1000 + 500 + 7; coinbase unknown
            .withFieldValue("top_exchange_id", "binance") // 300 = kraken's 300: smaller id wins
            .withFieldValue("observations", 5L)
            .build();
    for (List<MarketSnapshot> order : Combining.permutations(inputs)) {
      assertEquals(expected, Combining.summarize(spec, order));
    }
    Random random = new Random(1);
    for (int i = 0; i < 50; i++) {
      List<MarketSnapshot> withDuplicates = new ArrayList<>(inputs);
      withDuplicates.add(inputs.get(random.nextInt(inputs.size())));
      assertEquals(expected, Combining.summarizeRandomly(spec, withDuplicates, random));
    }
  }

  @Test
  void aTieOnVolumeGoesToTheSmallerIdWhicheverArrivesFirst() {
    for (List<MarketSnapshot> order :
        Combining.permutations(
            List.of(
                market("zb", T0, 1.0, 10.0, null),
                market("kraken", T0, 1.0, 10.0, null),
                market("okex", T0, 1.0, 9.0, null)))) {
      assertEquals("kraken", Combining.summarize(spec, order).getString("top_exchange_id"));
    }
  }

  @Test
  void withoutAnyVolumeTheVolumeFiguresAreNull() {
    Row row =
        Combining.summarize(
            spec, List.of(market("a", T0, 2.0, null, null), market("b", T0, 3.0, null, null)));
    assertNull(row.getDouble("volume_usd_24hr"));
    assertNull(row.getDouble("price_usd_vwap"));
    assertNull(row.getString("top_exchange_id"));
    assertNull(row.getInt64("trades_count_24hr"));
    assertEquals(2L, row.getInt64("exchange_count"));
    assertEquals(2.0, row.getDouble("price_usd_min"));
    assertEquals(3.0, row.getDouble("price_usd_max"));
    assertEquals(50.0, row.getDouble("spread_pct")); // (3 - 2) / 2 * 100
  }

  @Test
  void aZeroMinimumPriceGivesNoSpread() {
    Row row =
        Combining.summarize(
            spec, List.of(market("a", T0, 0.0, 5.0, 1L), market("b", T0, 3.0, 5.0, 2L)));
    assertEquals(0.0, row.getDouble("price_usd_min"));
    assertNull(row.getDouble("spread_pct"));
    assertEquals(1.5, row.getDouble("price_usd_vwap")); // (0*5 + 3*5) / 10
  }

  @Test
  void zeroVolumesGiveAZeroSumAndNoVwap() {
    Row row =
        Combining.summarize(
            spec, List.of(market("b", T0, 2.0, 0.0, null), market("a", T0, 3.0, 0.0, null)));
    assertEquals(0.0, row.getDouble("volume_usd_24hr"));
    assertNull(row.getDouble("price_usd_vwap"));
    // all volumes tie at 0: the smallest id
    assertEquals("a", row.getString("top_exchange_id"));
  }

  @Test
  void hugeVolumesAreSummedExactly() {
    // Near 1e16 doubles are 2 apart: a plain running sum of 1e16, 0.5, 0.5, 1 loses every small
    // term (each addition rounds back to 1e16); the exact sum is 1e16 + 2, a double.
    double[] volumes = {1e16, 0.5, 0.5, 1.0};
    double plain = 0;
    List<MarketSnapshot> inputs = new ArrayList<>();
    for (int i = 0; i < volumes.length; i++) {
      inputs.add(market("exchange-" + i, T0, 1.0, volumes[i], null));
      plain += volumes[i];
    }
    assertEquals(1e16, plain);
    Row row = Combining.summarize(spec, inputs);
    assertEquals(1e16 + 2, row.getDouble("volume_usd_24hr"));
    assertEquals(1.0, row.getDouble("price_usd_vwap")); // every price is 1
    assertEquals("exchange-0", row.getString("top_exchange_id"));
  }

  /**
   * A volume-weighted mean of one price is that price. Found failing like the candle VWAP: one
   * exchange at 0.1 with volume 3 gives round(round(0.3...) / 3) = 0.10000000000000002, above
   * price_usd_max.
   */
  @Test
  void theVwapOfOnePriceIsThatPrice() {
    Row row = Combining.summarize(spec, List.of(market("a", T0, 0.1, 3.0, null)));
    assertEquals(0.1, row.getDouble("price_usd_max"));
    assertEquals(0.1, row.getDouble("price_usd_vwap"));
  }

  /** The real /v2/markets capture: SOL/USDT on four exchanges, computed here in BigDecimal. */
  @Test
  void theRealMarketsCapture() throws Exception {
    JsonNode document =
        new ObjectMapper()
            .readTree(
                Files.readString(
                    SharedFixtures.require("coincap/markets_softronaut-coincap-go.json")));
    Envelope envelope = Envelope.parse(document);
    List<MarketSnapshot> tether = new ArrayList<>();
    BigDecimal volume = BigDecimal.ZERO;
    BigDecimal weighted = BigDecimal.ZERO;
    long trades = 0;
    for (JsonNode row : envelope.rows()) {
      if (row.get("quoteId").asText().equals("tether")) {
        tether.add(spec.parseRow(row, envelope.timestampMillis()));
        BigDecimal v =
            new BigDecimal(new BigDecimal(row.get("volumeUsd24Hr").asText()).doubleValue());
        BigDecimal p = new BigDecimal(new BigDecimal(row.get("priceUsd").asText()).doubleValue());
        volume = volume.add(v);
        weighted = weighted.add(p.multiply(v));
        trades += Long.parseLong(row.get("tradesCount24Hr").asText());
      }
    }
    assertEquals(4, tether.size()); // bilaxy, binance, bitmax, hotbit
    Row row = Combining.summarize(spec, tether);
    assertEquals(4L, row.getInt64("exchange_count"));
    assertEquals(2997L + 165733L + 1180L + 1583L, row.getInt64("trades_count_24hr"));
    assertEquals(trades, row.getInt64("trades_count_24hr"));
    assertEquals("binance", row.getString("top_exchange_id")); // 151001680.30 USD
    assertEquals(nearest(volume), row.getDouble("volume_usd_24hr"));
    assertEquals(
        new BigDecimal("30.4094099158316301").doubleValue(),
        row.getDouble("price_usd_min")); // hotbit
    assertEquals(
        new BigDecimal("30.4584476961336751").doubleValue(),
        row.getDouble("price_usd_max")); // binance
    double exactVwap = nearest(weighted.divide(volume, MathContext.DECIMAL128));
    double vwap = row.getDouble("price_usd_vwap");
    assertTrue(Math.abs(vwap - exactVwap) <= Math.ulp(exactVwap), vwap + " vs " + exactVwap);
    BigDecimal min = new BigDecimal(row.getDouble("price_usd_min"));
    BigDecimal max = new BigDecimal(row.getDouble("price_usd_max"));
    double exactSpread =
        nearest(
            max.subtract(min)
                .divide(min, MathContext.DECIMAL128)
                .multiply(BigDecimal.valueOf(100)));
    double spread = row.getDouble("spread_pct");
    assertTrue(
        Math.abs(spread - exactSpread) <= 2 * Math.ulp(exactSpread), spread + " vs " + exactSpread);
    assertEquals("SOL", row.getString("base_symbol"));
    assertEquals(4L, row.getInt64("observations"));
  }
}

package io.coinbeam.transforms.aggregate;

import static io.coinbeam.transforms.aggregate.ExactSumTest.nearest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.model.Side;
import io.coinbeam.model.TradeMessage;
import io.coinbeam.transforms.MeasureSchemas;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.testing.CombineFnTester;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** trade_candles through TradeCandles' real CombineFn, against values worked out by hand. */
class TradeCandlesTest {
  /** 2024-05-07T10:00:00Z, a minute boundary. */
  static final long T0 = 1_715_076_000_000L;

  private final TradeCandles spec = new TradeCandles();

  static TradeMessage trade(Side side, double price, double volume, double priceUsd, long at) {
    return new TradeMessage("gemini", "bitcoin", "euro", side, price, volume, priceUsd, at);
  }

  private Row.FieldValueBuilder expected() {
    return Row.withSchema(MeasureSchemas.of(spec)).withFieldValues(java.util.Map.of());
  }

  /**
   * Five trades, two pairs of them tied on timestamp. priceUsd = price x 1.25 (euro), all values
   * binary fractions so that every sum below is exact.
   */
  private static List<TradeMessage> fiveTrades() {
    return List.of(
        trade(Side.BUY, 101.0, 2.0, 126.25, T0 + 1_000), // A
        trade(Side.SELL, 100.0, 3.0, 125.0, T0 + 1_000), // B: same time as A, lower price: opens
        trade(Side.BUY, 104.0, 0.5, 130.0, T0 + 3_000), // C: the high
        trade(Side.SELL, 102.0, 1.0, 127.5, T0 + 5_000), // D: same time as E, higher price: closes
        trade(Side.BUY, 99.5, 0.25, 124.375, T0 + 5_000)); // E: the low
  }

  private Row fiveTradesCandle() {
    return expected()
        // first by (timestamp, price): B (t+1s, 100) before A (t+1s, 101)
        .withFieldValue("open", 100.0)
        .withFieldValue("high", 104.0)
        .withFieldValue("low", 99.5)
        // last by (timestamp, price): D (t+5s, 102) after E (t+5s, 99.5)
        .withFieldValue("close", 102.0)
        // 2 + 3 + 0.5 + 1 + 0.25
        .withFieldValue("volume", 6.75)
        // 2*126.25 + 3*125 + 0.5*130 + 1*127.5 + 0.25*124.375
        //   = 252.5 + 375 + 65 + 127.5 + 31.09375
        .withFieldValue("volume_usd", 851.09375)
        // (2*101 + 3*100 + 0.5*104 + 1*102 + 0.25*99.5) / 6.75 = 680.875 / 6.75: both exact, one
        // rounding of the true quotient 100.87037037...
        .withFieldValue("vwap", 680.875 / 6.75)
        .withFieldValue("trade_count", 5L)
        .withFieldValue("buy_count", 3L) // A, C, E
        .withFieldValue("sell_count", 2L) // B, D
        .withFieldValue("buy_volume", 2.75) // 2 + 0.5 + 0.25
        .withFieldValue("sell_volume", 4.0) // 3 + 1
        .withFieldValue("first_trade_at", new Instant(T0 + 1_000))
        .withFieldValue("last_trade_at", new Instant(T0 + 5_000))
        .build();
  }

  @Test
  void tiesOnTimestampAreOrderedByPriceInEveryArrivalOrder() {
    Row expected = fiveTradesCandle();
    List<List<TradeMessage>> orders = Combining.permutations(fiveTrades());
    assertEquals(120, orders.size());
    for (List<TradeMessage> order : orders) {
      assertEquals(expected, Combining.summarize(spec, order), () -> "arrival order " + order);
    }
  }

  @Test
  void everyBundlingAndMergeOrderGivesTheSameRow() {
    // Beam's own tester: all inputs at once, split into bundles, merged in several shapes.
    @SuppressWarnings("unchecked")
    CombineFn<TradeMessage, ?, Row> fn =
        (CombineFn<TradeMessage, ?, Row>) spec.summarize(MeasureSchemas.of(spec));
    CombineFnTester.testCombineFn(fn, new ArrayList<>(fiveTrades()), fiveTradesCandle());
    Random random = new Random(5);
    for (int round = 0; round < 50; round++) {
      assertEquals(fiveTradesCandle(), Combining.summarizeRandomly(spec, fiveTrades(), random));
    }
  }

  @Test
  void tiesOnTimestampAndPriceAreOrderedByVolume() {
    // Same time, same price: the order falls to volume. Which of the two opens does not change
    // any price, but first/last times and the sums must still be right.
    List<TradeMessage> trades =
        List.of(
            trade(Side.SELL, 50.0, 4.0, 62.5, T0 + 7_000),
            trade(Side.BUY, 50.0, 1.0, 62.5, T0 + 7_000),
            trade(Side.BUY, 50.0, 2.0, 62.5, T0 + 7_000));
    Row expected =
        expected()
            .withFieldValue("open", 50.0)
            .withFieldValue("high", 50.0)
            .withFieldValue("low", 50.0)
            .withFieldValue("close", 50.0)
            .withFieldValue("volume", 7.0) // 4 + 1 + 2
            .withFieldValue("volume_usd", 437.5) // 7 * 62.5
            .withFieldValue("vwap", 50.0) // 350 / 7
            .withFieldValue("trade_count", 3L)
            .withFieldValue("buy_count", 2L)
            .withFieldValue("sell_count", 1L)
            .withFieldValue("buy_volume", 3.0)
            .withFieldValue("sell_volume", 4.0)
            .withFieldValue("first_trade_at", new Instant(T0 + 7_000))
            .withFieldValue("last_trade_at", new Instant(T0 + 7_000))
            .build();
    for (List<TradeMessage> order : Combining.permutations(trades)) {
      assertEquals(expected, Combining.summarize(spec, order));
    }
  }

  @Test
  void aSingleTrade() {
    Row expected =
        expected()
            .withFieldValue("open", 64119.73)
            .withFieldValue("high", 64119.73)
            .withFieldValue("low", 64119.73)
            .withFieldValue("close", 64119.73)
            .withFieldValue("volume", 0.5)
            // 0.5 * 64119.73 is exact (a halving)
            .withFieldValue("volume_usd", 64119.73 / 2)
            .withFieldValue("vwap", 64119.73)
            .withFieldValue("trade_count", 1L)
            .withFieldValue("buy_count", 0L)
            .withFieldValue("sell_count", 1L)
            .withFieldValue("buy_volume", 0.0)
            .withFieldValue("sell_volume", 0.5)
            .withFieldValue("first_trade_at", new Instant(T0 + 59_999))
            .withFieldValue("last_trade_at", new Instant(T0 + 59_999))
            .build();
    assertEquals(
        expected,
        Combining.summarize(spec, List.of(trade(Side.SELL, 64119.73, 0.5, 64119.73, T0 + 59_999))));
  }

  /**
   * The VWAP of one trade is its price: sum(p*v)/sum(v) = p*v/v = p, exactly representable. Found
   * failing: vwap is computed as round(round(p*v) / v), which for p = 0.1, v = 3 gives
   * 0.10000000000000002, above the candle's high of 0.1. (About one single-trade candle in ten with
   * whole-number volumes is affected.)
   */
  @Test
  void theVwapOfASingleTradeIsItsPrice() {
    Row row = Combining.summarize(spec, List.of(trade(Side.BUY, 0.1, 3.0, 0.1, T0)));
    assertEquals(0.1, row.getDouble("vwap"), "vwap of one trade at 0.1");
  }

  /**
   * VWAP is a weighted mean of the prices, so it can never leave [low, high]; for candles whose
   * trades all share one price it is that price. Checked on 1000 random such candles.
   */
  @Test
  void theVwapOfOnePriceIsThatPriceAndNeverLeavesLowHigh() {
    Random random = new Random(42);
    List<String> violations = new ArrayList<>();
    for (int candle = 0; candle < 1000; candle++) {
      double price = Math.round(random.nextDouble() * 1e6) / 1e4; // e.g. 1234.5678
      List<TradeMessage> trades = new ArrayList<>();
      for (int i = 0; i < 1 + random.nextInt(3); i++) {
        trades.add(trade(Side.BUY, price, 1 + random.nextInt(1000), price, T0 + i));
      }
      Row row = Combining.summarize(spec, trades);
      double vwap = row.getDouble("vwap");
      if (vwap != price || vwap < row.getDouble("low") || vwap > row.getDouble("high")) {
        violations.add("price " + price + " x " + trades.size() + " trades: vwap " + vwap);
      }
    }
    assertEquals(
        List.of(),
        violations.subList(0, Math.min(5, violations.size())),
        violations.size() + " of 1000 candles");
  }

  @Test
  void onlySells() {
    List<TradeMessage> trades =
        List.of(
            trade(Side.SELL, 10.0, 1.5, 12.5, T0 + 10), trade(Side.SELL, 12.0, 0.5, 15.0, T0 + 20));
    Row row = Combining.summarize(spec, trades);
    assertEquals(0L, row.getInt64("buy_count"));
    assertEquals(0.0, row.getDouble("buy_volume"));
    assertEquals(2L, row.getInt64("sell_count"));
    assertEquals(2.0, row.getDouble("sell_volume")); // 1.5 + 0.5
    assertEquals(2.0, row.getDouble("volume"));
    assertEquals(26.25, row.getDouble("volume_usd")); // 1.5*12.5 + 0.5*15 = 18.75 + 7.5
    assertEquals(10.5, row.getDouble("vwap")); // (15 + 6) / 2
    assertEquals(10.0, row.getDouble("open"));
    assertEquals(12.0, row.getDouble("close"));
  }

  @Test
  void onlyBuys() {
    Row row =
        Combining.summarize(
            spec,
            List.of(trade(Side.BUY, 10.0, 1.0, 10.0, T0), trade(Side.BUY, 11.0, 3.0, 11.0, T0)));
    assertEquals(2L, row.getInt64("buy_count"));
    assertEquals(0L, row.getInt64("sell_count"));
    assertEquals(4.0, row.getDouble("buy_volume"));
    assertEquals(0.0, row.getDouble("sell_volume"));
  }

  @Test
  void tinyPricesAndHugeVolumesAreSummedExactly() {
    // A 1e-8 coin traded in lots of 1e9 and dust lots of 1e-8. Plain summation drops the dust:
    // the spacing of doubles near 1e9 is 2^-23 (1.19e-7), each 1e-8 is below half of it, so
    // 1e9 + 1e-8 == 1e9 every time; the exact sum 1e9 + 10 * 1e-8 = 1e9 + 1e-7 is closer to
    // 1e9 + 2^-23 than to 1e9.
    List<TradeMessage> trades = new ArrayList<>();
    trades.add(trade(Side.BUY, 1e-8, 1e9, 1e-8, T0));
    for (int i = 1; i <= 10; i++) {
      trades.add(trade(Side.SELL, 2e-8, 1e-8, 2e-8, T0 + i));
    }
    BigDecimal volume = new BigDecimal(1e9).add(new BigDecimal(1e-8).multiply(BigDecimal.TEN));
    BigDecimal notional =
        new BigDecimal(1e-8)
            .multiply(new BigDecimal(1e9))
            .add(BigDecimal.TEN.multiply(new BigDecimal(2e-8).multiply(new BigDecimal(1e-8))));
    double plain = 1e9;
    for (int i = 0; i < 10; i++) {
      plain += 1e-8;
    }
    assertNotEquals(nearest(volume), plain, "the plain sum must lose the dust for this test");
    assertEquals(1e9 + Math.scalb(1.0, -23), nearest(volume));

    Row row = Combining.summarize(spec, trades);
    assertEquals(nearest(volume), row.getDouble("volume"));
    assertEquals(nearest(notional), row.getDouble("volume_usd")); // priceUsd == price here
    assertEquals(nearest(volume.subtract(new BigDecimal(1e9))), row.getDouble("sell_volume"));
    assertEquals(1e9, row.getDouble("buy_volume"));
    assertEquals(1e-8, row.getDouble("open"));
    assertEquals(2e-8, row.getDouble("close"));
    assertEquals(2e-8, row.getDouble("high"));
    assertEquals(1e-8, row.getDouble("low"));
    // vwap ~ 1e-8 (the dust is 1e-16 of the volume); both sums are exact, so at most the quotient
    // rounding separates it from the true value.
    double vwap = row.getDouble("vwap");
    double exactVwap = nearest(notional.divide(volume, MathContext.DECIMAL128));
    assertTrue(Math.abs(vwap - exactVwap) <= Math.ulp(exactVwap), vwap + " vs " + exactVwap);
  }

  /** An independent candle: sort with our own comparator, sum in BigDecimal. */
  private static Row reference(Row.FieldValueBuilder out, List<TradeMessage> trades) {
    Comparator<TradeMessage> order =
        (a, b) -> {
          int c = Long.compare(a.timestampMillis(), b.timestampMillis());
          if (c == 0) {
            c = Double.compare(a.price(), b.price());
          }
          return c != 0 ? c : Double.compare(a.volume(), b.volume());
        };
    List<TradeMessage> sorted = new ArrayList<>(trades);
    sorted.sort(order);
    BigDecimal volume = BigDecimal.ZERO;
    BigDecimal volumeUsd = BigDecimal.ZERO;
    BigDecimal buyVolume = BigDecimal.ZERO;
    BigDecimal sellVolume = BigDecimal.ZERO;
    double high = sorted.get(0).price();
    double low = high;
    long buys = 0;
    for (TradeMessage t : sorted) {
      BigDecimal v = new BigDecimal(t.volume());
      volume = volume.add(v);
      volumeUsd = volumeUsd.add(v.multiply(new BigDecimal(t.priceUsd())));
      if (t.side() == Side.BUY) {
        buys++;
        buyVolume = buyVolume.add(v);
      } else {
        sellVolume = sellVolume.add(v);
      }
      high = Math.max(high, t.price());
      low = Math.min(low, t.price());
    }
    TradeMessage first = sorted.get(0);
    TradeMessage last = sorted.get(sorted.size() - 1);
    return out.withFieldValue("open", first.price())
        .withFieldValue("high", high)
        .withFieldValue("low", low)
        .withFieldValue("close", last.price())
        .withFieldValue("volume", nearest(volume))
        .withFieldValue("volume_usd", nearest(volumeUsd))
        .withFieldValue("trade_count", (long) trades.size())
        .withFieldValue("buy_count", buys)
        .withFieldValue("sell_count", trades.size() - buys)
        .withFieldValue("buy_volume", nearest(buyVolume))
        .withFieldValue("sell_volume", nearest(sellVolume))
        .withFieldValue("first_trade_at", new Instant(first.timestampMillis()))
        .withFieldValue("last_trade_at", new Instant(last.timestampMillis()))
        .withFieldValue("vwap", 0.0) // compared separately
        .build();
  }

  @ParameterizedTest
  @ValueSource(longs = {11, 12, 13, 14, 15})
  void randomCandlesMatchTheReferenceInAnyBundlingAndMergeOrder(long seed) {
    Random random = new Random(seed);
    List<TradeMessage> trades = new ArrayList<>();
    int n = 2 + random.nextInt(300);
    for (int i = 0; i < n; i++) {
      // few distinct times and prices, so that ties are common
      double price = 1e-8 * (1 + random.nextInt(5)) * Math.pow(10, random.nextInt(13));
      double volume = (1 + random.nextInt(1000)) * Math.pow(10, random.nextInt(18) - 8);
      double priceUsd = price * (0.5 + random.nextDouble());
      trades.add(
          trade(
              random.nextBoolean() ? Side.BUY : Side.SELL,
              price,
              volume,
              priceUsd,
              T0 + random.nextInt(5) * 1_000));
    }
    Row reference = reference(expected(), trades);
    BigDecimal notional = BigDecimal.ZERO;
    BigDecimal volume = BigDecimal.ZERO;
    for (TradeMessage t : trades) {
      notional = notional.add(new BigDecimal(t.price()).multiply(new BigDecimal(t.volume())));
      volume = volume.add(new BigDecimal(t.volume()));
    }
    double exactVwap = nearest(notional.divide(volume, new MathContext(60)));

    Row first = null;
    for (int round = 0; round < 20; round++) {
      Row row = Combining.summarizeRandomly(spec, trades, random);
      if (first == null) {
        first = row;
      }
      // identical, bit for bit, whatever the bundling and merge order
      assertEquals(first, row, "round " + round);
    }
    for (String column : reference.getSchema().getFieldNames()) {
      if (!column.equals("vwap")) {
        assertEquals(reference.getValue(column), (Object) first.getValue(column), column);
      }
    }
    // The quotient of two correctly rounded sums is within 2 ulps of the true VWAP.
    double vwap = first.getDouble("vwap");
    assertTrue(
        Math.abs(vwap - exactVwap) <= 2 * Math.ulp(exactVwap), vwap + " vs exact " + exactVwap);
  }
}

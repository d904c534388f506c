package io.coinbeam.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.coinbeam.model.Side;
import io.coinbeam.model.TradeMessage;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;

/**
 * One-minute candles computed without the pipeline: trades grouped by key and minute with a map,
 * ordered by plain sorting on (time, price, volume), summed exactly with BigDecimal; and the check
 * of every column of a candle row the pipeline wrote against them. The pipeline reads prices and
 * volumes as doubles, so the exact sums are of those doubles.
 */
public final class IndependentCandles {
  private static final long MINUTE = 60_000L;

  private IndependentCandles() {}

  /** The trades of each candle, by {@code exchange|base|quote|window_start}. */
  public static Map<String, List<TradeMessage>> byCandle(List<TradeMessage> trades) {
    Map<String, List<TradeMessage>> candles = new TreeMap<>();
    for (TradeMessage t : trades) {
      long start = t.timestampMillis() - Math.floorMod(t.timestampMillis(), MINUTE);
      candles
          .computeIfAbsent(
              t.exchange() + "|" + t.base() + "|" + t.quote() + "|" + start, k -> new ArrayList<>())
          .add(t);
    }
    return candles;
  }

  /** The key {@link #byCandle} gives the candle {@code row} is. */
  public static String keyOf(GenericRecord row) {
    return row.get("exchange")
        + "|"
        + row.get("base")
        + "|"
        + row.get("quote")
        + "|"
        + row.get("window_start");
  }

  /** Asserts every column of the batch candle {@code row} against its {@code trades}. */
  public static void assertCandle(List<TradeMessage> trades, GenericRecord row) {
    List<TradeMessage> ts = new ArrayList<>(trades);
    ts.sort(
        Comparator.comparingLong(TradeMessage::timestampMillis)
            .thenComparingDouble(TradeMessage::price)
            .thenComparingDouble(TradeMessage::volume));
    BigDecimal volume = BigDecimal.ZERO;
    BigDecimal volumeUsd = BigDecimal.ZERO;
    BigDecimal notional = BigDecimal.ZERO;
    BigDecimal buyVolume = BigDecimal.ZERO;
    double high = Double.NEGATIVE_INFINITY;
    double low = Double.POSITIVE_INFINITY;
    long buys = 0;
    for (TradeMessage t : ts) {
      BigDecimal v = new BigDecimal(t.volume());
      volume = volume.add(v);
      volumeUsd = volumeUsd.add(v.multiply(new BigDecimal(t.priceUsd())));
      notional = notional.add(v.multiply(new BigDecimal(t.price())));
      if (t.side() == Side.BUY) {
        buys++;
        buyVolume = buyVolume.add(v);
      }
      high = Math.max(high, t.price());
      low = Math.min(low, t.price());
    }
    String at = keyOf(row);
    assertEquals((Long) row.get("window_start") + MINUTE, row.get("window_end"), at);
    assertEquals(ts.get(0).price(), row.get("open"), at);
    assertEquals(ts.get(ts.size() - 1).price(), row.get("close"), at);
    assertEquals(high, row.get("high"), at);
    assertEquals(low, row.get("low"), at);
    assertEquals(volume.doubleValue(), row.get("volume"), at);
    assertEquals(volumeUsd.doubleValue(), row.get("volume_usd"), at);
    double vwap = notional.divide(volume, MathContext.DECIMAL128).doubleValue();
    assertEquals(vwap, (Double) row.get("vwap"), 2 * Math.ulp(vwap), at);
    assertEquals((long) ts.size(), row.get("trade_count"), at);
    assertEquals(buys, row.get("buy_count"), at);
    assertEquals(ts.size() - buys, row.get("sell_count"), at);
    assertEquals(buyVolume.doubleValue(), row.get("buy_volume"), at);
    assertEquals(volume.subtract(buyVolume).doubleValue(), row.get("sell_volume"), at);
    assertEquals(ts.get(0).timestampMillis(), row.get("first_trade_at"), at);
    assertEquals(ts.get(ts.size() - 1).timestampMillis(), row.get("last_trade_at"), at);
    assertEquals(null, row.get("pane_timing"), at);
    assertEquals(null, row.get("pane_index"), at);
  }

  /** The candle rows, one per candle of {@code trades}, each with every column right. */
  public static void assertCandles(List<TradeMessage> trades, List<GenericRecord> rows) {
    Map<String, List<TradeMessage>> expected = byCandle(trades);
    Map<String, GenericRecord> actual = new TreeMap<>();
    rows.forEach(row -> actual.put(keyOf(row), row));
    assertEquals(expected.keySet(), actual.keySet(), "one candle per key and minute with trades");
    expected.forEach((key, ts) -> assertCandle(ts, actual.get(key)));
  }
}

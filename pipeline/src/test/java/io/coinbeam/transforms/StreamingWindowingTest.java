package io.coinbeam.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.coinbeam.metrics.RunSummary;
import io.coinbeam.model.Side;
import io.coinbeam.model.TradeMessage;
import io.coinbeam.rows.BeamSchemas;
import io.coinbeam.testing.BeamPipelineExtension;
import io.coinbeam.transforms.aggregate.TradeCandles;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The streaming trigger on the same candle transform as batch: early panes on processing time, the
 * on-time pane at the watermark, late panes within the allowed lateness (accumulating), and data
 * beyond the lateness dropped and counted. Expected candles are worked out by hand below.
 */
class StreamingWindowingTest {
  private static final Instant T0 = Instant.parse("2024-05-07T12:00:00Z");
  private static final IntervalWindow FIRST_MINUTE =
      new IntervalWindow(T0, Duration.standardMinutes(1));
  private static final IntervalWindow THIRD_MINUTE =
      new IntervalWindow(T0.plus(Duration.standardMinutes(2)), Duration.standardMinutes(1));

  @RegisterExtension final BeamPipelineExtension beam = new BeamPipelineExtension();

  private static TradeMessage trade(int secondsAfterT0, double price, double volume, Side side) {
    return new TradeMessage(
        "binance",
        "bitcoin",
        "tether",
        side,
        price,
        volume,
        price,
        T0.getMillis() + secondsAfterT0 * 1000L);
  }

  private static TimestampedValue<TradeMessage> at(TradeMessage trade) {
    return TimestampedValue.of(trade, new Instant(trade.timestampMillis()));
  }

  private static Row candle(
      IntervalWindow window,
      double open,
      double high,
      double low,
      double close,
      double volume,
      double vwap,
      long trades,
      long buys,
      double buyVolume,
      double sellVolume,
      int firstSecond,
      int lastSecond,
      String timing,
      long paneIndex) {
    return Row.withSchema(BeamSchemas.of(new TradeCandles().table()))
        .withFieldValue("exchange", "binance")
        .withFieldValue("base", "bitcoin")
        .withFieldValue("quote", "tether")
        .withFieldValue("window_start", window.start())
        .withFieldValue("window_end", window.end())
        .withFieldValue("open", open)
        .withFieldValue("high", high)
        .withFieldValue("low", low)
        .withFieldValue("close", close)
        .withFieldValue("volume", volume)
        .withFieldValue("volume_usd", volume * vwap) // priceUsd == price in these trades
        .withFieldValue("vwap", vwap)
        .withFieldValue("trade_count", trades)
        .withFieldValue("buy_count", buys)
        .withFieldValue("sell_count", trades - buys)
        .withFieldValue("buy_volume", buyVolume)
        .withFieldValue("sell_volume", sellVolume)
        .withFieldValue("first_trade_at", T0.plus(Duration.standardSeconds(firstSecond)))
        .withFieldValue("last_trade_at", T0.plus(Duration.standardSeconds(lastSecond)))
        .withFieldValue("pane_timing", timing)
        .withFieldValue("pane_index", paneIndex)
        .build();
  }

  @Test
  void earlyOnTimeAndLatePanesAccumulateAndTooLateIsDropped() {
    TradeCandles spec = new TradeCandles();
    TestStream<TradeMessage> trades =
        TestStream.create(spec.coder())
            .advanceWatermarkTo(T0)
            // Out of order: the 10 s trade arrives before the 5 s one.
            .addElements(at(trade(10, 100.0, 1.0, Side.BUY)), at(trade(5, 101.0, 2.0, Side.SELL)))
            .advanceWatermarkTo(T0.plus(Duration.standardSeconds(30)))
            .advanceProcessingTime(Duration.standardSeconds(11))
            .advanceWatermarkTo(T0.plus(Duration.standardSeconds(61)))
            // Late by 41 s, within the 2 minutes of allowed lateness: updates the window.
            .addElements(at(trade(20, 99.0, 1.0, Side.BUY)))
            // A trade in an otherwise empty third minute, on time.
            .addElements(at(trade(150, 98.0, 0.5, Side.SELL)))
            .advanceWatermarkTo(
                T0.plus(Duration.standardMinutes(3)).plus(Duration.standardSeconds(5)))
            // The first minute closed at 12:01 + 2 min of lateness: this trade is dropped, and
            // counted.
            .addElements(at(trade(30, 500.0, 9.0, Side.BUY)))
            .advanceWatermarkToInfinity();

    PCollection<Row> candles =
        beam.pipeline()
            .apply(trades)
            .apply(
                new ComputeAggregates<>(
                    spec,
                    Windowing.streaming(Duration.standardSeconds(10), Duration.standardMinutes(2)),
                    null));

    // Early pane: trades at 5 s (101 x 2, sell) and 10 s (100 x 1, buy).
    // open = 101 (5 s is first), close = 100, volume 3, vwap = (202 + 100) / 3.
    PAssert.that(candles)
        .inEarlyPane(FIRST_MINUTE)
        .containsInAnyOrder(
            candle(FIRST_MINUTE, 101, 101, 100, 100, 3, 302.0 / 3, 2, 1, 1, 2, 5, 10, "EARLY", 0));
    PAssert.that(candles)
        .inOnTimePane(FIRST_MINUTE)
        .containsInAnyOrder(
            candle(
                FIRST_MINUTE, 101, 101, 100, 100, 3, 302.0 / 3, 2, 1, 1, 2, 5, 10, "ON_TIME", 1));
    // Late pane accumulates the 20 s trade (99 x 1, buy): close 99, low 99, volume 4,
    // vwap = (202 + 100 + 99) / 4 = 100.25. The 500-price trade beyond the lateness is absent.
    // The window closes at 12:01 + 2 min: its final pane (index 3) repeats the late pane's content.
    PAssert.that(candles)
        .inFinalPane(FIRST_MINUTE)
        .containsInAnyOrder(
            candle(FIRST_MINUTE, 101, 101, 99, 99, 4, 100.25, 3, 2, 2, 2, 5, 20, "LATE", 3));
    // An empty second minute produces no row at all; the third has one trade.
    PAssert.that(candles)
        .inWindow(
            new IntervalWindow(T0.plus(Duration.standardMinutes(1)), Duration.standardMinutes(1)))
        .empty();
    PAssert.that(candles)
        .inOnTimePane(THIRD_MINUTE)
        .containsInAnyOrder(
            candle(THIRD_MINUTE, 98, 98, 98, 98, 0.5, 98, 1, 0, 0, 0.5, 150, 150, "ON_TIME", 0));

    PipelineResult result = beam.pipeline().run();
    result.waitUntilFinish();
    long dropped = RunSummary.droppedAsLate(result);
    assertEquals(1, dropped, "the trade beyond the allowed lateness is counted as dropped");
    // early + on time + late + final for the first minute, on time + final for the third.
    assertEquals(6, RunSummary.counters(result).get("trade_candles.rows_out"));
  }
}

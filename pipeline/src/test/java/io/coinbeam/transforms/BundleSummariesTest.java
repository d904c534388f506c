package io.coinbeam.transforms;

import io.coinbeam.capture.ChunkReader;
import io.coinbeam.model.RawRecord;
import io.coinbeam.model.Side;
import io.coinbeam.model.TradeMessage;
import io.coinbeam.testing.BeamPipelineExtension;
import io.coinbeam.testing.TradeMessageText;
import io.coinbeam.transforms.aggregate.TradeCandles;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.ReadableInstant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The batch summary path: rows folded per bundle ({@link SummarizeEachBundle}, and inside the fused
 * read-parse-summarise step the graph uses, {@link ParseAndSummarizeBundles}) with a bound of one
 * key, so that every change of key sends a partial summary out early and one key's rows arrive at
 * the merge in several pieces; {@link MergeBundleSummaries} must give each key and window exactly
 * the summary of all its rows. Values worked out by hand.
 */
class BundleSummariesTest {
  private static final long T0 = BatchAggregatesPipelineTest.T0;
  private static final Duration MINUTE = Duration.standardMinutes(1);

  @RegisterExtension final BeamPipelineExtension beam = new BeamPipelineExtension();

  /** Interleaved: binance's first minute is split by kraken's and by its own second minute. */
  private static final List<TradeMessage> INTERLEAVED =
      List.of(
          trade("binance", Side.BUY, 100.0, 1.0, T0 + 10_000),
          trade("kraken", Side.BUY, 100.5, 2.0, T0 + 30_000),
          trade("binance", Side.SELL, 99.0, 0.5, T0 + 60_000), // binance, next minute
          trade("binance", Side.SELL, 98.0, 3.0, T0 + 50_000), // binance, first minute again
          trade("binance", Side.BUY, 101.0, 1.5, T0 + 119_999),
          trade("binance", Side.SELL, 97.0, 1.0, T0 + 5_000)); // first minute, a new open

  /**
   * The candles of {@link #INTERLEAVED}, by hand: binance's first minute is 100x1 + 98x3 + 97x1 =
   * 491 over 5, opening at 97 (5 s) and closing at 98 (50 s).
   */
  private static final String[] INTERLEAVED_CANDLES = {
    "binance/bitcoin/tether@"
        + T0
        + " trades=3 volume=5.0 open=97.0 close=98.0"
        + " high=100.0 low=97.0 vwap=98.2 buys=1",
    "binance/bitcoin/tether@"
        + (T0 + 60_000)
        + " trades=2 volume=2.0 open=99.0"
        + " close=101.0 high=101.0 low=99.0 vwap=100.5 buys=1",
    "kraken/bitcoin/tether@"
        + T0
        + " trades=1 volume=2.0 open=100.5 close=100.5"
        + " high=100.5 low=100.5 vwap=100.5 buys=1"
  };

  private static TradeMessage trade(String exchange, Side side, double price, double vol, long at) {
    return BatchAggregatesPipelineTest.trade(exchange, side, price, vol, at);
  }

  @Test
  void partialSummariesThatLeftEarlyAreMergedIntoOneRowPerKeyAndWindow() {
    PAssert.that(summarize(new TradeCandles(), INTERLEAVED, 1))
        .containsInAnyOrder(INTERLEAVED_CANDLES);
    beam.pipeline().run().waitUntilFinish();
  }

  @Test
  void aBoundLargerThanTheKeysGivesTheSameRows() {
    TradeCandles spec = new TradeCandles();
    List<TradeMessage> trades =
        List.of(
            trade("binance", Side.BUY, 10.0, 1.0, T0),
            trade("binance", Side.SELL, 12.0, 1.0, T0 + 59_999),
            trade("binance", Side.BUY, 11.0, 2.0, T0 + 30_000));
    PAssert.that(summarize(spec, trades, SummarizeEachBundle.MAX_KEYS))
        .containsInAnyOrder(
            "binance/bitcoin/tether@"
                + T0
                + " trades=3 volume=4.0 open=10.0 close=12.0"
                + " high=12.0 low=10.0 vwap=11.0 buys=2");
    beam.pipeline().run().waitUntilFinish();
  }

  @Test
  void theFusedBatchStepReadsParsesAndSummarisesChunksToTheSameRows() {
    TradeCandles spec = new TradeCandles();
    List<TradeMessage> trades = INTERLEAVED;
    // Two chunks, as two ranges of a file would be, with a broken line in the second.
    List<String> first = trades.subList(0, 3).stream().map(TradeMessageText::of).toList();
    List<String> second =
        new java.util.ArrayList<>(trades.subList(3, 6).stream().map(TradeMessageText::of).toList());
    second.add(1, "{\"exchange\":");
    ChunkReader<List<String>> reader =
        (chunk, out) -> {
          for (int i = 0; i < chunk.size(); i++) {
            out.accept(new RawRecord("chunk-" + chunk.size() + ":" + (i + 1), chunk.get(i), T0));
          }
        };
    PCollectionTuple out =
        new ComputeAggregates<>(spec, Windowing.batch(), MINUTE)
            .withBundleKeyLimit(1)
            .parseAndCompute(
                beam.pipeline()
                    .apply(
                        Create.of(List.of(first, second))
                            .withCoder(ListCoder.of(StringUtf8Coder.of()))),
                reader,
                ParseRecords.Shape.ROW,
                "ParseTrades",
                "ComputeTradeCandles");

    PAssert.that(
            out.get(ComputeAggregates.TABLE)
                .apply(
                    "DescribeRows",
                    MapElements.into(TypeDescriptors.strings()).via(BundleSummariesTest::describe)))
        .containsInAnyOrder(INTERLEAVED_CANDLES);
    PAssert.that(
            out.get(ParseRecords.DEAD_LETTERS)
                .apply(
                    "DescribeDeadLetters",
                    MapElements.into(TypeDescriptors.strings())
                        .via(row -> row.getString("source") + " " + row.getString("stream"))))
        .containsInAnyOrder("chunk-4:2 trades");
    beam.pipeline().run().waitUntilFinish();
  }

  /** The trades through ComputeAggregates in batch, each table row described as text. */
  private PCollection<String> summarize(TradeCandles spec, List<TradeMessage> trades, int maxKeys) {
    return beam.pipeline()
        .apply(Create.of(trades).withCoder(spec.coder()))
        .apply(new ComputeAggregates<>(spec, Windowing.batch(), MINUTE).withBundleKeyLimit(maxKeys))
        .apply(MapElements.into(TypeDescriptors.strings()).via(BundleSummariesTest::describe));
  }

  private static String describe(Row row) {
    return String.format(
        Locale.ROOT,
        "%s/%s/%s@%d trades=%d volume=%s open=%s close=%s high=%s low=%s vwap=%s buys=%d",
        row.getString("exchange"),
        row.getString("base"),
        row.getString("quote"),
        ((ReadableInstant) row.getValue("window_start")).getMillis(),
        row.getInt64("trade_count"),
        row.getDouble("volume"),
        row.getDouble("open"),
        row.getDouble("close"),
        row.getDouble("high"),
        row.getDouble("low"),
        row.getDouble("vwap"),
        row.getInt64("buy_count"));
  }
}

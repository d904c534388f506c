package io.coinbeam.transforms;

import io.coinbeam.coders.NaturalKeyCoder;
import io.coinbeam.model.NaturalKey;
import io.coinbeam.model.Side;
import io.coinbeam.model.TradeMessage;
import io.coinbeam.testing.BeamPipelineExtension;
import io.coinbeam.transforms.aggregate.TradeCandles;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The batch summary path on its own: rows folded per bundle ({@link SummarizeEachBundle}) with a
 * bound of one key, so that every change of key sends a partial summary out early and one key's
 * rows arrive at the merge in several pieces; {@link MergeBundleSummaries} must give each key and
 * window exactly the summary of all its rows. Values worked out by hand.
 */
class BundleSummariesTest {
  private static final long T0 = BatchAggregatesPipelineTest.T0;
  private static final Duration MINUTE = Duration.standardMinutes(1);

  @RegisterExtension final BeamPipelineExtension beam = new BeamPipelineExtension();

  private static TradeMessage trade(String exchange, Side side, double price, double vol, long at) {
    return BatchAggregatesPipelineTest.trade(exchange, side, price, vol, at);
  }

  @Test
  void partialSummariesThatLeftEarlyAreMergedIntoOneRowPerKeyAndWindow() {
    TradeCandles spec = new TradeCandles();
    // Interleaved: binance's first minute is split by kraken's and by its own second minute.
    List<TradeMessage> trades =
        List.of(
            trade("binance", Side.BUY, 100.0, 1.0, T0 + 10_000),
            trade("kraken", Side.BUY, 100.5, 2.0, T0 + 30_000),
            trade("binance", Side.SELL, 99.0, 0.5, T0 + 60_000), // binance, next minute
            trade("binance", Side.SELL, 98.0, 3.0, T0 + 50_000), // binance, first minute again
            trade("binance", Side.BUY, 101.0, 1.5, T0 + 119_999),
            trade("binance", Side.SELL, 97.0, 1.0, T0 + 5_000)); // first minute, a new open

    PCollection<String> summaries = summarize(spec, trades, 1);

    PAssert.that(summaries)
        .containsInAnyOrder(
            // 100x1 + 98x3 + 97x1 = 491 over 5; opens at 97 (5 s), closes at 98 (50 s)
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
                + " high=100.5 low=100.5 vwap=100.5 buys=1");
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

  /** The two steps as ComputeAggregates chains them, each summary described as text. */
  private PCollection<String> summarize(TradeCandles spec, List<TradeMessage> trades, int maxKeys) {
    Schema measures = ComputeAggregates.measureSchema(spec.table());
    NonEmptySummary<TradeMessage, ?> summary = new NonEmptySummary<>(spec.summarize(measures));
    return summarizeWith(spec, trades, summary, maxKeys, measures);
  }

  private <A> PCollection<String> summarizeWith(
      TradeCandles spec,
      List<TradeMessage> trades,
      org.apache.beam.sdk.transforms.Combine.CombineFn<TradeMessage, A, List<Row>> summary,
      int maxKeys,
      Schema measures) {
    Coder<A> accumulatorCoder;
    try {
      accumulatorCoder =
          summary.getAccumulatorCoder(beam.pipeline().getCoderRegistry(), spec.coder());
    } catch (org.apache.beam.sdk.coders.CannotProvideCoderException e) {
      throw new AssertionError(e);
    }
    return beam.pipeline()
        .apply(Create.of(trades).withCoder(spec.coder()))
        .apply(ParDo.of(new SummarizeEachBundle<>(spec, summary, MINUTE, maxKeys)))
        .setCoder(KvCoder.of(NaturalKeyCoder.of(), accumulatorCoder))
        .apply(new MergeBundleSummaries<>(summary, accumulatorCoder, MINUTE))
        .setCoder(KvCoder.of(NaturalKeyCoder.of(), ListCoder.of(RowCoder.of(measures))))
        .apply(
            MapElements.into(TypeDescriptors.strings())
                .via((KV<NaturalKey, List<Row>> kv) -> describe(kv)));
  }

  private static String describe(KV<NaturalKey, List<Row>> summary) {
    Row row = summary.getValue().get(0);
    return String.format(
        Locale.ROOT,
        "%s trades=%d volume=%s open=%s close=%s high=%s low=%s vwap=%s buys=%d",
        summary.getKey(),
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

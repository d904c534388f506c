package io.coinbeam.transforms;

import io.coinbeam.coders.NaturalKeyCoder;
import io.coinbeam.model.NaturalKey;
import io.coinbeam.model.Side;
import io.coinbeam.model.TradeMessage;
import io.coinbeam.testing.BeamPipelineExtension;
import io.coinbeam.transforms.aggregate.TradeCandles;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Streaming folds each bundle's rows per key and window before the keyed combine: a bundle of seven
 * trades over two pairs and two minutes must leave as four partial summaries, each in its rows'
 * window, counting exactly its rows, stamped with the latest of their timestamps; a second bundle
 * starts afresh.
 */
class SummarizeEachBundleInWindowsTest {
  private static final Instant T0 = Instant.parse("2024-05-07T12:00:00Z");

  @RegisterExtension final BeamPipelineExtension beam = new BeamPipelineExtension();

  /** Counts rows: the partials' content is then a number one can check by hand. */
  private static final class CountRows extends CombineFn<TradeMessage, Long, Long> {
    @Override
    public Long createAccumulator() {
      return 0L;
    }

    @Override
    public Long addInput(Long count, TradeMessage trade) {
      return count + 1;
    }

    @Override
    public Long mergeAccumulators(Iterable<Long> counts) {
      long sum = 0;
      for (long c : counts) {
        sum += c;
      }
      return sum;
    }

    @Override
    public Long extractOutput(Long count) {
      return count;
    }
  }

  private static TimestampedValue<TradeMessage> trade(String base, int second) {
    long millis = T0.getMillis() + second * 1000L;
    TradeMessage trade =
        new TradeMessage("binance", base, "tether", Side.BUY, 1.0, 1.0, 1.0, millis);
    return TimestampedValue.of(trade, new Instant(millis));
  }

  @Test
  void aBundleLeavesAsOnePartialPerKeyAndWindow() {
    TestStream<TradeMessage> trades =
        TestStream.create(SerializableCoder.of(TradeMessage.class))
            .advanceWatermarkTo(T0)
            // One bundle: bitcoin at 5, 50, 59 s and 61 s; ether at 10 s and 70, 65 s.
            .addElements(
                trade("bitcoin", 5),
                trade("ether", 10),
                trade("bitcoin", 50),
                trade("bitcoin", 61),
                trade("ether", 70),
                trade("bitcoin", 59),
                trade("ether", 65))
            // A second bundle: one more bitcoin trade in the first minute.
            .addElements(trade("bitcoin", 30))
            .advanceWatermarkToInfinity();
    PCollection<KV<NaturalKey, Long>> partials =
        beam.pipeline()
            .apply(trades)
            .apply(Window.into(FixedWindows.of(Duration.standardMinutes(1))))
            .apply(
                ParDo.of(
                    new SummarizeEachBundleInWindows<TradeMessage, Long>(
                        new TradeCandles(), new CountRows())))
            .setCoder(KvCoder.of(NaturalKeyCoder.of(), VarLongCoder.of()));

    IntervalWindow first = new IntervalWindow(T0, Duration.standardMinutes(1));
    IntervalWindow second = new IntervalWindow(first.end(), Duration.standardMinutes(1));
    PAssert.that(partials)
        .inWindow(first)
        .containsInAnyOrder(
            KV.of(key("bitcoin", first), 3L),
            KV.of(key("ether", first), 1L),
            KV.of(key("bitcoin", first), 1L));
    PAssert.that(partials)
        .inWindow(second)
        .containsInAnyOrder(KV.of(key("bitcoin", second), 1L), KV.of(key("ether", second), 2L));
    // Each partial carries the latest timestamp of its rows (seconds after T0).
    PAssert.that(partials.apply(ParDo.of(new StampFn())))
        .containsInAnyOrder("bitcoin 59", "ether 10", "bitcoin 30", "bitcoin 61", "ether 70");
    beam.pipeline().run().waitUntilFinish();
  }

  /** A partial as "base seconds-after-T0-of-its-timestamp". */
  private static final class StampFn extends DoFn<KV<NaturalKey, Long>, String> {
    @ProcessElement
    public void process(
        @Element KV<NaturalKey, Long> partial, @Timestamp Instant at, OutputReceiver<String> out) {
      out.output(partial.getKey().get(1) + " " + (at.getMillis() - T0.getMillis()) / 1000);
    }
  }

  private static NaturalKey key(String base, IntervalWindow window) {
    return NaturalKey.of(List.of("binance", base, "tether"), window.start().getMillis());
  }
}

package io.coinbeam.transforms;

import io.coinbeam.model.NaturalKey;
import io.coinbeam.model.Timestamped;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Duration;

/**
 * Batch only: keys each row by its natural id and fixed window, and folds the rows of one bundle
 * into one accumulator per key before anything is shuffled. The shuffle then carries a few
 * accumulators per key instead of every row (a one-minute candle summarises about a thousand trades
 * in the dense benchmark shape), which is what makes the portable graph cheap on every runner:
 * Flink's batch combine otherwise sorts every serialized trade, Spark's shuffles them, and Direct
 * holds them all in memory.
 *
 * <p>Rows arrive in the global window and partial summaries leave in it: the key carries the window
 * start, and {@link MergeBundleSummaries} puts each merged row in its window. The map is bounded:
 * past {@link #MAX_KEYS} keys the least recently used key leaves early (captures are mostly in time
 * order, so that is a window already complete), and memory does not grow with the input. Streaming
 * does not use this step: there the trigger and the allowed lateness judge each row on its own.
 */
final class SummarizeEachBundle<T extends Record & Timestamped, A>
    extends DoFn<T, KV<NaturalKey, A>> {
  private static final long serialVersionUID = 1L;

  /** Keys held per bundle; a few MB of accumulators, whatever the input's size. */
  static final int MAX_KEYS = 10_000;

  private final StreamSpec<T> spec;
  private final CombineFn<T, A, ?> summary;
  private final long windowMillis;
  private final int maxKeys;
  private transient LinkedHashMap<NaturalKey, A> partial;

  /**
   * @param maxKeys keys held before the least recently used leaves ({@link #MAX_KEYS})
   */
  SummarizeEachBundle(
      StreamSpec<T> spec, CombineFn<T, A, ?> summary, Duration windowSize, int maxKeys) {
    this.spec = spec;
    this.summary = summary;
    this.windowMillis = windowSize.getMillis();
    this.maxKeys = maxKeys;
  }

  @StartBundle
  public void startBundle() {
    partial = new LinkedHashMap<>(1024, 0.75f, true);
  }

  @ProcessElement
  public void process(@Element T row, OutputReceiver<KV<NaturalKey, A>> out) {
    long time = row.eventTimeMillis();
    NaturalKey key = NaturalKey.of(spec.key(row), time - Math.floorMod(time, windowMillis));
    partial.compute(
        key,
        (k, sofar) -> summary.addInput(sofar == null ? summary.createAccumulator() : sofar, row));
    if (partial.size() > maxKeys) {
      Iterator<Map.Entry<NaturalKey, A>> eldest = partial.entrySet().iterator();
      Map.Entry<NaturalKey, A> entry = eldest.next();
      eldest.remove();
      // Its timestamp does not matter: the merge takes the window from the key.
      out.output(KV.of(entry.getKey(), entry.getValue()));
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    for (Map.Entry<NaturalKey, A> entry : partial.entrySet()) {
      context.output(
          KV.of(entry.getKey(), entry.getValue()),
          MergeBundleSummaries.lastInstant(entry.getKey(), windowMillis),
          GlobalWindow.INSTANCE);
    }
    partial = null;
  }
}

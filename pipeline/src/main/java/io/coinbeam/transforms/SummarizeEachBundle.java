package io.coinbeam.transforms;

import io.coinbeam.model.Timestamped;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Duration;

/**
 * Batch only: keys each row by its natural id and fixed window, and folds the rows of one bundle
 * into one accumulator per key ({@link BundleSummaries}) before anything is shuffled. The shuffle
 * then carries a few accumulators per key instead of every row (a one-minute candle summarises
 * about a thousand trades in the dense benchmark shape): Flink's batch combine otherwise sorts
 * every serialized trade, Spark's shuffles them, and Direct holds them all in memory. The graph
 * itself folds rows while it parses them ({@link ParseAndSummarizeBundles}); this step serves
 * {@link ComputeAggregates} over rows parsed elsewhere.
 *
 * <p>Rows arrive in the global window and partial summaries leave in it: the key carries the window
 * start, and {@link MergeBundleSummaries} puts each merged row in its window. Streaming does not
 * use this step: there the trigger and the allowed lateness judge each row on its own.
 */
final class SummarizeEachBundle<T extends Record & Timestamped, A>
    extends DoFn<T, KV<Integer, byte[]>> {
  private static final long serialVersionUID = 1L;

  /** Keys held per bundle; a few MB of accumulators, whatever the input's size. */
  static final int MAX_KEYS = 10_000;

  private final StreamSpec<T> spec;
  private final CombineFn<T, A, ?> summary;
  private final long windowMillis;
  private final int maxKeys;
  private final ShardedPartials<A> sharded;
  private transient BundleSummaries<T, A> partial;

  /**
   * @param maxKeys keys held before the least recently used leaves ({@link #MAX_KEYS})
   */
  SummarizeEachBundle(
      StreamSpec<T> spec,
      CombineFn<T, A, ?> summary,
      ShardedPartials<A> sharded,
      Duration windowSize,
      int maxKeys) {
    this.spec = spec;
    this.sharded = sharded;
    this.summary = summary;
    this.windowMillis = windowSize.getMillis();
    this.maxKeys = maxKeys;
  }

  @StartBundle
  public void startBundle() {
    partial = new BundleSummaries<>(spec, summary, windowMillis, maxKeys);
  }

  @ProcessElement
  public void process(@Element T row, OutputReceiver<KV<Integer, byte[]>> out) {
    // An evicted key's timestamp does not matter: the merge takes the window from the key.
    partial.add(row, (key, accumulator) -> out.output(sharded.encode(key, accumulator)));
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    partial.drain(
        (key, accumulator, at) ->
            context.output(sharded.encode(key, accumulator), at, GlobalWindow.INSTANCE));
    partial = null;
  }
}

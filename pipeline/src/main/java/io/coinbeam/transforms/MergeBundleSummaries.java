package io.coinbeam.transforms;

import io.coinbeam.model.NaturalKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Batch only: merges the partial summaries of {@link SummarizeEachBundle} or {@link
 * ParseAndSummarizeBundles}, which arrive in their shards ({@link ShardedPartials}), into one per
 * key and window, and extracts the table's measures from it.
 *
 * <p>Why not {@code Combine.perKey}: the runners group by key, and Beam's Direct runner then
 * handles every key as a bundle of its own through every later step, paying a per-bundle price that
 * made a run of the bundled sample take minutes. The keys are therefore grouped into a fixed number
 * of {@link ShardedPartials#SHARDS} (in the global window; each key carries its window start) and
 * merged in a hash map per shard. The exact merge is order-free, and every runner gets a shuffle of
 * integer keys with a bounded group per shard.
 */
final class MergeBundleSummaries<A, OutputT>
    extends PTransform<PCollection<KV<Integer, byte[]>>, PCollection<KV<NaturalKey, OutputT>>> {
  private static final long serialVersionUID = 1L;

  private final CombineFn<?, A, OutputT> summary;
  private final ShardedPartials<A> partials;
  private final Duration windowSize;

  MergeBundleSummaries(
      CombineFn<?, A, OutputT> summary, ShardedPartials<A> partials, Duration windowSize) {
    this.summary = summary;
    this.partials = partials;
    this.windowSize = windowSize;
  }

  @Override
  public PCollection<KV<NaturalKey, OutputT>> expand(PCollection<KV<Integer, byte[]>> sharded) {
    return sharded
        .apply("GroupShards", GroupByKey.create())
        .apply("MergeEachShard", ParDo.of(new MergeShardFn<>(summary, partials, windowSize)));
  }

  /** The last instant of the window a key's start names: inside it, whatever the window fn. */
  static Instant lastInstant(NaturalKey key, long windowMillis) {
    return new Instant(key.windowStartMillis() + windowMillis - 1);
  }

  private static final class MergeShardFn<A, OutputT>
      extends DoFn<KV<Integer, Iterable<byte[]>>, KV<NaturalKey, OutputT>> {
    private static final long serialVersionUID = 1L;
    private final CombineFn<?, A, OutputT> summary;
    private final ShardedPartials<A> partials;
    private final long windowMillis;

    MergeShardFn(
        CombineFn<?, A, OutputT> summary, ShardedPartials<A> partials, Duration windowSize) {
      this.summary = summary;
      this.partials = partials;
      this.windowMillis = windowSize.getMillis();
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<byte[]>> shard, OutputReceiver<KV<NaturalKey, OutputT>> out) {
      Map<NaturalKey, A> merged = new HashMap<>();
      for (byte[] encoded : shard.getValue()) {
        // Decoded afresh, so the first partial of a key can be kept as it is.
        KV<NaturalKey, A> partial = partials.decode(encoded);
        merged.merge(
            partial.getKey(),
            partial.getValue(),
            (sofar, next) -> summary.mergeAccumulators(List.of(sofar, next)));
      }
      for (Map.Entry<NaturalKey, A> entry : merged.entrySet()) {
        // Stamped inside its window, so windowing the rows again puts each where it belongs.
        out.outputWithTimestamp(
            KV.of(entry.getKey(), summary.extractOutput(entry.getValue())),
            lastInstant(entry.getKey(), windowMillis));
      }
    }

    /** Rows are stamped with their window's last instant, earlier than the shard's end of time. */
    @Override
    @SuppressWarnings("deprecation")
    public Duration getAllowedTimestampSkew() {
      return Duration.millis(Long.MAX_VALUE);
    }
  }
}

package io.coinbeam.transforms;

import io.coinbeam.model.NaturalKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
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
 * Batch only: merges the partial summaries of {@link SummarizeEachBundle} into one per key and
 * window, and extracts the table's measures from it.
 *
 * <p>Why not {@code Combine.perKey}: the runners group by key, and Beam's Direct runner then
 * handles every key as a bundle of its own through every later step, paying a per-bundle price that
 * made a run of the bundled sample take minutes. The keys are therefore grouped into a fixed number
 * of {@link #SHARDS} (in the global window; each key carries its window start) and merged in a hash
 * map per shard. The partial summaries are few, the exact merge is order-free, and every runner
 * gets a small shuffle of integers keys with a bounded group per shard.
 */
final class MergeBundleSummaries<A, OutputT>
    extends PTransform<PCollection<KV<NaturalKey, A>>, PCollection<KV<NaturalKey, OutputT>>> {
  private static final long serialVersionUID = 1L;

  /** Groups the keys are spread over: enough for a few cores, few enough for the Direct runner. */
  static final int SHARDS = 32;

  private final CombineFn<?, A, OutputT> summary;
  private final Coder<A> accumulatorCoder;
  private final Duration windowSize;

  MergeBundleSummaries(
      CombineFn<?, A, OutputT> summary, Coder<A> accumulatorCoder, Duration windowSize) {
    this.summary = summary;
    this.accumulatorCoder = accumulatorCoder;
    this.windowSize = windowSize;
  }

  @Override
  public PCollection<KV<NaturalKey, OutputT>> expand(PCollection<KV<NaturalKey, A>> partials) {
    return partials
        .apply("AssignShards", ParDo.of(new AssignShardFn<A>()))
        .setCoder(KvCoder.of(VarIntCoder.of(), partials.getCoder()))
        .apply("GroupShards", GroupByKey.create())
        .apply("MergeEachShard", ParDo.of(new MergeShardFn<>(summary, windowSize)));
  }

  /** The last instant of the window a key's start names: inside it, whatever the window fn. */
  static Instant lastInstant(NaturalKey key, long windowMillis) {
    return new Instant(key.windowStartMillis() + windowMillis - 1);
  }

  private static final class AssignShardFn<A>
      extends DoFn<KV<NaturalKey, A>, KV<Integer, KV<NaturalKey, A>>> {
    private static final long serialVersionUID = 1L;

    @ProcessElement
    public void process(
        @Element KV<NaturalKey, A> partial, OutputReceiver<KV<Integer, KV<NaturalKey, A>>> out) {
      out.output(KV.of(Math.floorMod(partial.getKey().hashCode(), SHARDS), partial));
    }
  }

  private static final class MergeShardFn<A, OutputT>
      extends DoFn<KV<Integer, Iterable<KV<NaturalKey, A>>>, KV<NaturalKey, OutputT>> {
    private static final long serialVersionUID = 1L;
    private final CombineFn<?, A, OutputT> summary;
    private final long windowMillis;

    MergeShardFn(CombineFn<?, A, OutputT> summary, Duration windowSize) {
      this.summary = summary;
      this.windowMillis = windowSize.getMillis();
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<KV<NaturalKey, A>>> shard,
        OutputReceiver<KV<NaturalKey, OutputT>> out) {
      Map<NaturalKey, A> merged = new HashMap<>();
      for (KV<NaturalKey, A> partial : shard.getValue()) {
        // Always a fresh accumulator: a runner may reuse the objects the grouped values come in.
        A value = partial.getValue();
        merged.compute(
            partial.getKey(),
            (key, sofar) ->
                summary.mergeAccumulators(sofar == null ? List.of(value) : List.of(sofar, value)));
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

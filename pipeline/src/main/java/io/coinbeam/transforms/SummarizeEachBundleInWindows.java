package io.coinbeam.transforms;

import io.coinbeam.model.NaturalKey;
import io.coinbeam.model.Timestamped;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Instant;

/**
 * Streaming: the rows of one bundle, already in their windows, folded into one accumulator per key
 * and window before anything is keyed and shuffled; the trigger's combine then merges those partial
 * summaries ({@link MergePartialSummaries}).
 *
 * <p>Why: a runner otherwise encodes every row for the shuffle to the keyed combine and updates the
 * key's state and timers once per row; at tens of thousands of trades a second over a few dozen
 * pairs, a bundle holds hundreds of rows per key. The panes keep their meaning: a partial stays in
 * its rows' window, so it is late exactly when they would be (lateness is judged per window), and
 * the runners let no watermark pass a bundle still open (Flink holds its output watermark until the
 * bundle finishes; Direct and Spark commit a bundle's output with its watermark). Bundles are short
 * ({@code --maxBundleTimeMills} on Flink, the batch interval on Spark), so early panes wait little.
 */
final class SummarizeEachBundleInWindows<T extends Record & Timestamped, A>
    extends DoFn<T, KV<NaturalKey, A>> {
  private static final long serialVersionUID = 1L;

  private final StreamSpec<T> spec;
  private final CombineFn<T, A, ?> summary;
  private transient Map<NaturalKey, Partial<A>> partials;

  SummarizeEachBundleInWindows(StreamSpec<T> spec, CombineFn<T, A, ?> summary) {
    this.spec = spec;
    this.summary = summary;
  }

  /** One key's accumulator in one window, with the latest of its rows' timestamps. */
  private static final class Partial<A> {
    final BoundedWindow window;
    A accumulator;
    Instant latest;

    Partial(BoundedWindow window, A accumulator, Instant latest) {
      this.window = window;
      this.accumulator = accumulator;
      this.latest = latest;
    }
  }

  @StartBundle
  public void startBundle() {
    partials = new HashMap<>();
  }

  @ProcessElement
  public void process(@Element T row, @Timestamp Instant timestamp, BoundedWindow window) {
    NaturalKey key = NaturalKey.of(spec.key(row), ((IntervalWindow) window).start().getMillis());
    Partial<A> partial = partials.get(key);
    if (partial == null) {
      partial = new Partial<>(window, summary.createAccumulator(), timestamp);
      partials.put(key, partial);
    }
    partial.accumulator = summary.addInput(partial.accumulator, row);
    if (timestamp.isAfter(partial.latest)) {
      partial.latest = timestamp;
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    partials.forEach(
        (key, partial) ->
            context.output(KV.of(key, partial.accumulator), partial.latest, partial.window));
    partials = null;
  }
}

package io.coinbeam.transforms;

import io.coinbeam.model.NaturalKey;
import io.coinbeam.model.Timestamped;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.joda.time.Instant;

/**
 * One bundle's rows folded into one accumulator per natural key and fixed window, the key carrying
 * the window start. Bounded: past {@code maxKeys} keys the least recently used key leaves early
 * (captures are mostly in time order, so that is a window already complete), so memory does not
 * grow with the input. Not thread-safe: one per bundle.
 */
final class BundleSummaries<T extends Record & Timestamped, A> {
  private final StreamSpec<T> spec;
  private final CombineFn<T, A, ?> summary;
  private final long windowMillis;
  private final int maxKeys;
  private final LinkedHashMap<NaturalKey, A> partial = new LinkedHashMap<>(1024, 0.75f, true);

  BundleSummaries(StreamSpec<T> spec, CombineFn<T, A, ?> summary, long windowMillis, int maxKeys) {
    this.spec = spec;
    this.summary = summary;
    this.windowMillis = windowMillis;
    this.maxKeys = maxKeys;
  }

  /** Adds {@code row}; a key that has to leave to make room goes to {@code evicted}. */
  void add(T row, BiConsumer<NaturalKey, A> evicted) {
    long time = row.eventTimeMillis();
    NaturalKey key = NaturalKey.of(spec.key(row), time - Math.floorMod(time, windowMillis));
    A sofar = partial.get(key);
    A next = summary.addInput(sofar == null ? summary.createAccumulator() : sofar, row);
    if (next != sofar) {
      partial.put(key, next);
    }
    if (partial.size() > maxKeys) {
      Iterator<Map.Entry<NaturalKey, A>> eldest = partial.entrySet().iterator();
      Map.Entry<NaturalKey, A> entry = eldest.next();
      eldest.remove();
      evicted.accept(entry.getKey(), entry.getValue());
    }
  }

  /**
   * Every key still held, then none, each stamped with the last instant of its window (in the
   * global window, the merge takes the window from the key).
   */
  void drain(Drained<A> out) {
    partial.forEach(
        (key, accumulator) ->
            out.accept(key, accumulator, MergeBundleSummaries.lastInstant(key, windowMillis)));
    partial.clear();
  }

  /** Receives each key {@link #drain} empties, with its accumulator and its timestamp. */
  @FunctionalInterface
  interface Drained<A> {
    void accept(NaturalKey key, A accumulator, Instant at);
  }
}

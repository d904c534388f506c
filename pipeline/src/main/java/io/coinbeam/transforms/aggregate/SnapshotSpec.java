package io.coinbeam.transforms.aggregate;

import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.model.Timestamped;
import io.coinbeam.rows.RowBuilder;
import io.coinbeam.transforms.StreamSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;

/**
 * A REST snapshot stream (assets, rates, exchanges, markets). A window holds few observations per
 * key (one per poll), so they are all kept, de-duplicated and ordered, and each stream summarises
 * the ordered list. A snapshot that arrives twice (a replayed file, an at-least-once producer)
 * counts once, and the result does not depend on arrival order.
 */
public abstract class SnapshotSpec<T extends Record & Timestamped> extends StreamSpec<T> {
  private static final long serialVersionUID = 1L;

  protected SnapshotSpec(CoinCapStream stream, Class<T> rowType) {
    super(stream, rowType, Duration.standardMinutes(5));
  }

  /**
   * What tells two observations with the same time apart; empty when the key already does. Markets
   * use the exchange: one pair is observed on many exchanges at once.
   */
  protected String discriminator(T row) {
    return "";
  }

  /** Builds the measure columns from the window's distinct observations, oldest first. */
  protected abstract Row summarize(List<T> observations, RowBuilder measures);

  @Override
  public final CombineFn<T, ?, Row> summarize(Schema measures) {
    return new ObservationsFn<>(this, measures);
  }

  /** A window's observations by (time, discriminator). */
  static final class Observations<T> implements Serializable {
    private static final long serialVersionUID = 1L;
    final TreeMap<ObservationKey, T> byKey = new TreeMap<>();
  }

  record ObservationKey(long timeMillis, String discriminator)
      implements Comparable<ObservationKey>, Serializable {
    private static final Comparator<ObservationKey> ORDER =
        Comparator.comparingLong(ObservationKey::timeMillis)
            .thenComparing(ObservationKey::discriminator);

    @Override
    public int compareTo(ObservationKey other) {
      return ORDER.compare(this, other);
    }
  }

  private static final class ObservationsFn<T extends Record & Timestamped>
      extends CombineFn<T, Observations<T>, Row> {
    private static final long serialVersionUID = 1L;
    private final SnapshotSpec<T> spec;
    private final Schema measures;

    ObservationsFn(SnapshotSpec<T> spec, Schema measures) {
      this.spec = spec;
      this.measures = measures;
    }

    @Override
    public Observations<T> createAccumulator() {
      return new Observations<>();
    }

    @Override
    public Observations<T> addInput(Observations<T> acc, T row) {
      put(acc, new ObservationKey(row.eventTimeMillis(), spec.discriminator(row)), row);
      return acc;
    }

    /**
     * Two different rows for the same key and time should not happen; if they do, the larger by
     * their text wins, so every runner and every arrival order keeps the same one.
     */
    private static <T> void put(Observations<T> acc, ObservationKey key, T row) {
      acc.byKey.merge(key, row, (a, b) -> a.toString().compareTo(b.toString()) >= 0 ? a : b);
    }

    @Override
    public Observations<T> mergeAccumulators(Iterable<Observations<T>> accumulators) {
      Observations<T> merged = new Observations<>();
      for (Observations<T> acc : accumulators) {
        acc.byKey.forEach((key, row) -> put(merged, key, row));
      }
      return merged;
    }

    @Override
    public Row extractOutput(Observations<T> acc) {
      return spec.summarize(new ArrayList<>(acc.byKey.values()), RowBuilder.of(measures));
    }

    @Override
    public Coder<Observations<T>> getAccumulatorCoder(CoderRegistry registry, Coder<T> inputCoder) {
      return new ObservationsCoder<>(inputCoder);
    }
  }
}

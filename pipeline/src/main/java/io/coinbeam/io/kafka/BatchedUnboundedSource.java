package io.coinbeam.io.kafka;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.values.TimestampedValue;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Another unbounded source's records, handed on as batches: each element is the run of records its
 * reader hands over one after the other, at most {@code maxRecords} and for at most {@code
 * maxWait}, each with the timestamp the source gave it.
 *
 * <p>Why: the Direct runner reads at most ten elements from an unbounded source per bundle, and it
 * pays per bundle in every step downstream (it re-translates each ParDo and copies the keyed state
 * a bundle touches). At a few thousand records a second it spent most of its time on bundles of
 * ten. A batch of records is one element, so a bundle carries hundreds of records and the
 * pipeline's per-bundle fold meets many rows at once.
 *
 * <p>Nothing else changes: the watermark, checkpoint marks (so offsets committed on finalize) and
 * backlog are the wrapped reader's. A batch's timestamp is the earliest of its records', so the
 * step that unpacks it may give every record its own timestamp (never earlier than the batch's).
 * Sources that need de-duplication by record id are refused: a batch has no single id.
 */
public final class BatchedUnboundedSource<T, C extends UnboundedSource.CheckpointMark>
    extends UnboundedSource<List<TimestampedValue<T>>, C> {
  private static final long serialVersionUID = 1L;

  private final UnboundedSource<T, C> records;
  private final int maxRecords;
  private final long maxWaitNanos;

  private BatchedUnboundedSource(
      UnboundedSource<T, C> records, int maxRecords, java.time.Duration maxWait) {
    if (records.requiresDeduping()) {
      throw new IllegalArgumentException(
          records + " de-duplicates by record id, which batches of records do not have");
    }
    if (maxRecords < 1) {
      throw new IllegalArgumentException("maxRecords must be at least 1, not " + maxRecords);
    }
    if (maxWait.isNegative()) {
      throw new IllegalArgumentException("maxWait is negative: " + maxWait);
    }
    this.records = records;
    this.maxRecords = maxRecords;
    this.maxWaitNanos = maxWait.toNanos();
  }

  /**
   * Batches of {@code records}' records: at most {@code maxRecords}, and no more records asked for
   * once {@code maxWait} has passed since the batch's first.
   */
  public static <T, C extends UnboundedSource.CheckpointMark> BatchedUnboundedSource<T, C> of(
      UnboundedSource<T, C> records, int maxRecords, java.time.Duration maxWait) {
    return new BatchedUnboundedSource<>(records, maxRecords, maxWait);
  }

  @Override
  public List<BatchedUnboundedSource<T, C>> split(int desiredNumSplits, PipelineOptions options)
      throws Exception {
    List<BatchedUnboundedSource<T, C>> splits = new ArrayList<>();
    for (UnboundedSource<T, C> split : records.split(desiredNumSplits, options)) {
      splits.add(
          new BatchedUnboundedSource<>(
              split, maxRecords, java.time.Duration.ofNanos(maxWaitNanos)));
    }
    return splits;
  }

  @Override
  public UnboundedReader<List<TimestampedValue<T>>> createReader(
      PipelineOptions options, @Nullable C checkpointMark) throws IOException {
    return new BatchReader(records.createReader(options, checkpointMark));
  }

  @Override
  public Coder<C> getCheckpointMarkCoder() {
    return records.getCheckpointMarkCoder();
  }

  @Override
  public Coder<List<TimestampedValue<T>>> getOutputCoder() {
    return ListCoder.of(TimestampedValue.TimestampedValueCoder.of(records.getOutputCoder()));
  }

  /** Collects the records the wrapped reader can hand over without waiting. */
  private final class BatchReader extends UnboundedReader<List<TimestampedValue<T>>> {
    private final UnboundedReader<T> reader;
    private @Nullable List<TimestampedValue<T>> batch;
    private Instant batchTimestamp = Instant.EPOCH;

    BatchReader(UnboundedReader<T> reader) {
      this.reader = reader;
    }

    @Override
    public boolean start() throws IOException {
      return reader.start() ? collect() : none();
    }

    @Override
    public boolean advance() throws IOException {
      return reader.advance() ? collect() : none();
    }

    /** The reader stands on a record: it and those right behind it, up to the limits. */
    private boolean collect() throws IOException {
      List<TimestampedValue<T>> next = new ArrayList<>();
      Instant earliest = null;
      long deadline = System.nanoTime() + maxWaitNanos;
      do {
        Instant timestamp = reader.getCurrentTimestamp();
        next.add(TimestampedValue.of(reader.getCurrent(), timestamp));
        if (earliest == null || timestamp.isBefore(earliest)) {
          earliest = timestamp;
        }
      } while (next.size() < maxRecords && System.nanoTime() - deadline < 0 && reader.advance());
      batch = next;
      batchTimestamp = earliest;
      return true;
    }

    private boolean none() {
      batch = null;
      return false;
    }

    @Override
    public List<TimestampedValue<T>> getCurrent() {
      if (batch == null) {
        throw new NoSuchElementException("no batch: start() or advance() returned false");
      }
      return batch;
    }

    @Override
    public Instant getCurrentTimestamp() {
      getCurrent();
      return batchTimestamp;
    }

    @Override
    public Instant getWatermark() {
      return reader.getWatermark();
    }

    @Override
    public CheckpointMark getCheckpointMark() {
      return reader.getCheckpointMark();
    }

    @Override
    public long getSplitBacklogBytes() {
      return reader.getSplitBacklogBytes();
    }

    @Override
    public long getTotalBacklogBytes() {
      return reader.getTotalBacklogBytes();
    }

    @Override
    public UnboundedSource<List<TimestampedValue<T>>, ?> getCurrentSource() {
      return BatchedUnboundedSource.this;
    }

    @Override
    public void close() throws IOException {
      reader.close();
    }
  }
}

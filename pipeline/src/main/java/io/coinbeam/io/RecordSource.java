package io.coinbeam.io;

import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.model.RawRecord;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.values.PCollection;

/**
 * Where a run's raw records come from: capture files (batch) or Kafka topics (streaming). The graph
 * after it is the same for both.
 */
public interface RecordSource {
  /**
   * Before anything runs: fails with an {@link IllegalArgumentException} that says what is wrong
   * when the source cannot feed {@code streams} (no input files, an unreadable one).
   */
  default void check(List<CoinCapStream> streams) {}

  /**
   * The raw records of {@code stream}, read by a step named Read&lt;Stream&gt;From&lt;Where&gt;.
   */
  PCollection<RawRecord> read(Pipeline pipeline, CoinCapStream stream);

  /**
   * The records of {@code stream} as units that the step consuming them reads itself with the
   * returned reader (a batch graph parses and summarises each range of a file in one step), read by
   * a step named as {@link #read} names it.
   */
  RecordChunks<?> readChunks(Pipeline pipeline, CoinCapStream stream);

  /**
   * True when every record is one row (a Kafka record), false when a record may be a whole snapshot
   * envelope (a capture file).
   */
  boolean recordsAreRows();
}

package io.coinbeam.model;

/**
 * A parsed input row that knows its event time: a trade's time, or a snapshot's observation time.
 * Serializable so that accumulators holding rows can fall back to Java serialization.
 */
public interface Timestamped extends java.io.Serializable {
  long eventTimeMillis();
}

package io.coinbeam.ingest;

/** Where rows go: Kafka in production, anything that records them in tests of pacing and order. */
public interface RowPublisher {
  /** Sends one row; may return before it is acknowledged. */
  void publish(KafkaRow row);

  /** Waits until everything sent so far is acknowledged, and fails if any send failed. */
  void flush();
}

package io.coinbeam.ingest;

/**
 * One record as coinbeam writes it to Kafka: the row's raw JSON text as the value, its natural id
 * as the key (null when the row has none, e.g. a line that is not JSON), and its observation time.
 *
 * @param topic e.g. {@code coincap.assets}
 * @param key the natural id ({@code exchange:base:quote}, an asset id, ...), or null
 * @param value one {@code data[]} row, one trades message, or an unusable line as it was
 * @param timestampMillis the record timestamp: envelope time for snapshot rows, message time for
 *     trades
 */
public record KafkaRow(String topic, String key, String value, long timestampMillis) {}

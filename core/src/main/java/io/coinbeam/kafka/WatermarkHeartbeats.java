package io.coinbeam.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Watermark heartbeats: records that carry no data, only the producer's word that its event time
 * has reached their timestamp. The pipeline's Kafka source ({@link EventTimePolicy}) lets a
 * heartbeat advance its partition's event time and then drops it. Producers own event time, so they
 * send them: the replay tool to every partition once a second of replayed time and, at the end, an
 * hour past its last event so that every window closes and fires its final pane.
 *
 * <p>A heartbeat is a record with the header {@value #HEADER} (its value is the timestamp in
 * decimal, for people reading the topic) and an empty value.
 */
public final class WatermarkHeartbeats {
  /** The header that marks a record as a heartbeat. */
  public static final String HEADER = "coinbeam-watermark";

  private WatermarkHeartbeats() {}

  /** True when a record with these headers is a heartbeat rather than data. */
  public static boolean isHeartbeat(Headers headers) {
    return headers != null && headers.lastHeader(HEADER) != null;
  }

  /** The headers of a heartbeat at {@code timestampMillis}. */
  public static Headers headers(long timestampMillis) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(HEADER, Long.toString(timestampMillis).getBytes(StandardCharsets.UTF_8));
    return headers;
  }

  /** The heartbeat for one partition. */
  public static ProducerRecord<String, String> record(
      String topic, int partition, long timestampMillis) {
    return new ProducerRecord<>(
        topic, partition, timestampMillis, null, "", headers(timestampMillis));
  }

  /**
   * Sends a heartbeat at {@code timestampMillis} to every partition of each topic (asynchronously;
   * {@code producer.flush()} waits for them).
   *
   * @return how many heartbeats were sent
   */
  public static int send(
      Producer<String, String> producer, Collection<String> topics, long timestampMillis) {
    int sent = 0;
    for (String topic : topics) {
      for (PartitionInfo partition : producer.partitionsFor(topic)) {
        producer.send(record(topic, partition.partition(), timestampMillis));
        sent++;
      }
    }
    return sent;
  }
}

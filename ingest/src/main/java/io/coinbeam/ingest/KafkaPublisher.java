package io.coinbeam.ingest;

import io.coinbeam.kafka.KafkaUnavailableException;
import io.coinbeam.kafka.ProducerSettings;
import io.coinbeam.kafka.WatermarkHeartbeats;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rows into Kafka through one idempotent producer ({@code acks=all}), counting what was
 * acknowledged per topic. Sends are asynchronous; the first failure is kept and raised by the next
 * {@link #publish} or {@link #flush}, so a broken broker stops the caller instead of dropping rows
 * silently.
 */
public final class KafkaPublisher implements RowPublisher, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaPublisher.class);

  private final Producer<String, String> producer;
  private final String bootstrapServers;
  private final Map<String, AtomicLong> acknowledged = new ConcurrentHashMap<>();
  private final AtomicReference<Exception> failure = new AtomicReference<>();

  public KafkaPublisher(String bootstrapServers, Duration maxBlock) {
    this(bootstrapServers, ProducerSettings.idempotent(bootstrapServers, maxBlock));
  }

  KafkaPublisher(String bootstrapServers, Properties settings) {
    this.bootstrapServers = bootstrapServers;
    this.producer = new KafkaProducer<>(settings);
  }

  @Override
  public void publish(KafkaRow row) {
    raiseFailure();
    try {
      producer.send(
          new ProducerRecord<>(row.topic(), null, row.timestampMillis(), row.key(), row.value()),
          (metadata, e) -> {
            if (e == null) {
              acknowledged.computeIfAbsent(row.topic(), t -> new AtomicLong()).incrementAndGet();
            } else if (failure.compareAndSet(null, e)) {
              LOG.error("Kafka refused a record for {}: {}", row.topic(), e.toString());
            }
          });
    } catch (KafkaException e) {
      throw new KafkaUnavailableException(
          "could not send to Kafka at " + bootstrapServers + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void flush() {
    try {
      producer.flush();
    } catch (KafkaException e) {
      throw new KafkaUnavailableException(
          "could not flush to Kafka at " + bootstrapServers + ": " + e.getMessage(), e);
    }
    raiseFailure();
  }

  /**
   * Sends a watermark heartbeat at {@code timestampMillis} to every partition of {@code topics}
   * (not counted as rows; failures surface like a row's).
   */
  public void heartbeat(Collection<String> topics, long timestampMillis) {
    raiseFailure();
    try {
      WatermarkHeartbeats.send(producer, topics, timestampMillis);
    } catch (KafkaException e) {
      throw new KafkaUnavailableException(
          "could not send a heartbeat to Kafka at " + bootstrapServers + ": " + e.getMessage(), e);
    }
  }

  /** Records acknowledged so far, by topic (sorted). */
  public Map<String, Long> acknowledged() {
    Map<String, Long> counts = new TreeMap<>();
    acknowledged.forEach((topic, n) -> counts.put(topic, n.get()));
    return counts;
  }

  private void raiseFailure() {
    Exception e = failure.get();
    if (e != null) {
      throw new KafkaUnavailableException(
          "Kafka at " + bootstrapServers + " refused a record: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(30));
  }
}

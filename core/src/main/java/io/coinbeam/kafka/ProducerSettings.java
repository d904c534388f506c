package io.coinbeam.kafka;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The producer configuration every coinbeam producer uses: idempotent with {@code acks=all}, so a
 * retried send never duplicates or reorders a record within a partition, and string keys and values
 * (the raw JSON text of one row).
 */
public final class ProducerSettings {
  private ProducerSettings() {}

  /**
   * Settings for {@code bootstrapServers}.
   *
   * @param maxBlock how long {@code send} may wait for metadata or buffer space before it fails:
   *     the time allowed for an unreachable broker to come back
   */
  public static Properties idempotent(String bootstrapServers, Duration maxBlock) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    // Idempotence keeps order with up to 5 requests in flight per connection.
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
    props.put(ProducerConfig.RETRIES_CONFIG, Integer.toString(Integer.MAX_VALUE));
    props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(maxBlock.toMillis()));
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "coinbeam-ingest");
    return props;
  }

  /** As {@link #idempotent(String, Duration)}, waiting up to 30 seconds for the broker. */
  public static Properties idempotent(String bootstrapServers) {
    return idempotent(bootstrapServers, Duration.ofSeconds(30));
  }
}

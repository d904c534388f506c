package io.coinbeam.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads what a topic holds, for assertions: every record from a remembered position to the end, so
 * tests sharing one broker see only what they produced.
 */
public final class KafkaTestRecords {
  private KafkaTestRecords() {}

  /** The end offset of each partition of {@code topic}: where a test's records will start. */
  public static Map<TopicPartition, Long> endOffsets(String bootstrap, String topic) {
    try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
      return consumer.endOffsets(partitions(consumer, topic));
    }
  }

  /** All records after {@code from} (as {@link #endOffsets}) up to the current end, in order. */
  public static List<ConsumerRecord<String, String>> readFrom(
      String bootstrap, String topic, Map<TopicPartition, Long> from) {
    try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
      List<TopicPartition> partitions = partitions(consumer, topic);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      consumer.assign(partitions);
      Map<TopicPartition, Long> start = new HashMap<>();
      for (TopicPartition tp : partitions) {
        long offset = from.getOrDefault(tp, 0L);
        start.put(tp, offset);
        consumer.seek(tp, offset);
      }
      List<ConsumerRecord<String, String>> records = new ArrayList<>();
      long wanted = 0;
      for (TopicPartition tp : partitions) {
        wanted += end.get(tp) - start.get(tp);
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (records.size() < wanted && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
            records.add(r);
          }
        }
      }
      return records;
    }
  }

  /** All records of {@code topic}. */
  public static List<ConsumerRecord<String, String>> readAll(String bootstrap, String topic) {
    return readFrom(bootstrap, topic, Map.of());
  }

  private static List<TopicPartition> partitions(
      KafkaConsumer<String, String> consumer, String topic) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
      partitions.add(new TopicPartition(topic, info.partition()));
    }
    return partitions;
  }

  private static KafkaConsumer<String, String> consumer(String bootstrap) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    return new KafkaConsumer<>(props);
  }
}

package io.coinbeam.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.catalog.KafkaTopics;
import io.coinbeam.kafka.KafkaUnavailableException;
import io.coinbeam.kafka.ProducerSettings;
import io.coinbeam.kafka.TopicCreator;
import io.coinbeam.testing.KafkaTestRecords;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The in-JVM broker is a real Kafka: topics, idempotent produce, consume. */
class LocalKafkaBrokerTest {
  private static LocalKafkaBroker broker;

  @BeforeAll
  static void start() {
    broker = LocalKafkaBroker.start();
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void topicNamesFollowTheContract() {
    assertEquals("coincap.trades", KafkaTopics.of(CoinCapStream.TRADES));
    assertEquals("coincap.markets", KafkaTopics.of(CoinCapStream.MARKETS));
    assertEquals(
        List.of(
            "coincap.trades",
            "coincap.assets",
            "coincap.rates",
            "coincap.exchanges",
            "coincap.markets",
            "coincap.prices"),
        KafkaTopics.all());
  }

  @Test
  void createsTopicsOnceAndTheyExist() throws Exception {
    List<String> created = broker.createTopics(KafkaTopics.all(), 2);
    assertEquals(Set.copyOf(KafkaTopics.all()), Set.copyOf(created));
    assertEquals(List.of(), broker.createTopics(KafkaTopics.all(), 2), "second time: none new");
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      var descriptions = admin.describeTopics(KafkaTopics.all()).allTopicNames().get();
      for (String topic : KafkaTopics.all()) {
        assertEquals(2, descriptions.get(topic).partitions().size(), topic);
      }
    }
  }

  @Test
  void idempotentProducerRoundTripKeepsKeyTimestampAndValue() throws Exception {
    broker.createTopics("round-trip");
    Properties settings = ProducerSettings.idempotent(broker.bootstrapServers());
    assertEquals("true", settings.get("enable.idempotence"));
    assertEquals("all", settings.get("acks"));
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(settings)) {
      producer
          .send(new ProducerRecord<>("round-trip", null, 1715083200091L, "bitcoin", "{\"a\":1}"))
          .get();
      producer
          .send(new ProducerRecord<>("round-trip", null, 1715083200000L, null, "not json"))
          .get();
    }
    List<ConsumerRecord<String, String>> records =
        KafkaTestRecords.readAll(broker.bootstrapServers(), "round-trip");
    assertEquals(2, records.size());
    assertEquals("bitcoin", records.get(0).key());
    assertEquals(1715083200091L, records.get(0).timestamp());
    assertEquals("{\"a\":1}", records.get(0).value());
    assertNull(records.get(1).key());
    assertEquals("not json", records.get(1).value());
    assertEquals(1715083200000L, records.get(1).timestamp());
  }

  @Test
  void anUnreachableBrokerIsReportedNotAwaitedForever() {
    KafkaUnavailableException e =
        assertThrows(
            KafkaUnavailableException.class,
            () ->
                TopicCreator.ensure(
                    "127.0.0.1:1", List.of("coincap.trades"), 1, Duration.ofSeconds(2)));
    assertTrue(e.getMessage().contains("127.0.0.1:1"), e.getMessage());
  }
}

package io.coinbeam.io.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.kafka.WatermarkHeartbeats;
import io.coinbeam.model.RawRecord;
import io.coinbeam.options.KafkaSourceOptions;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaTimestampType;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** Kafka records into the parser's input, heartbeats out, and where the brokers are. */
class ReadFromKafkaTest {
  private static KafkaRecord<String, byte[]> record(String value, Headers headers, long offset) {
    return bytesRecord(
        value == null ? null : value.getBytes(StandardCharsets.UTF_8), headers, offset);
  }

  private static KafkaRecord<String, byte[]> bytesRecord(
      byte[] value, Headers headers, long offset) {
    return new KafkaRecord<>(
        "coincap.assets",
        3,
        offset,
        1715083200000L,
        KafkaTimestampType.CREATE_TIME,
        headers,
        "bitcoin",
        value);
  }

  @Test
  void aValueThatIsNotUtf8IsAnUnreadableRecordNotGarbledText() {
    byte[] value = {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xFF, '"', '}'};
    RawRecord raw = ReadFromKafka.toRawRecord(bytesRecord(value, new RecordHeaders(), 9));
    assertEquals("coincap.assets/3/9", raw.source());
    assertEquals("the record's value is not valid UTF-8 text", raw.readError());
    assertEquals("{\"id\":\"\uFFFD\"}", raw.payload());
    // Valid multi-byte text is read as it is.
    assertEquals(
        "{\"name\":\"Ñandú ₿\"}",
        ReadFromKafka.toRawRecord(record("{\"name\":\"Ñandú ₿\"}", new RecordHeaders(), 10))
            .payload());
  }

  @Test
  void aRecordBecomesARawRecordNamedByTopicPartitionAndOffset() {
    RawRecord raw =
        ReadFromKafka.toRawRecord(record("{\"id\":\"bitcoin\"}", new RecordHeaders(), 41));
    assertEquals(new RawRecord("coincap.assets/3/41", "{\"id\":\"bitcoin\"}", 1715083200000L), raw);
  }

  @Test
  void aRecordWithoutValueIsAnEmptyPayloadForTheDeadLetters() {
    assertEquals("", ReadFromKafka.toRawRecord(record(null, new RecordHeaders(), 1)).payload());
  }

  @Test
  void aHeartbeatIsNotData() {
    assertNull(ReadFromKafka.toRawRecord(record("", WatermarkHeartbeats.headers(5), 2)));
    // Other headers do not make a heartbeat.
    RecordHeaders other = new RecordHeaders();
    other.add("trace", new byte[] {1});
    assertEquals("{}", ReadFromKafka.toRawRecord(record("{}", other, 2)).payload());
  }

  @Test
  void heartbeatsAreSentAsEmptyRecordsToOnePartitionAtTheirTime() {
    ProducerRecord<String, String> beat = WatermarkHeartbeats.record("coincap.rates", 1, 1234L);
    assertEquals(1, beat.partition());
    assertEquals(1234L, beat.timestamp());
    assertEquals("", beat.value());
    assertTrue(WatermarkHeartbeats.isHeartbeat(beat.headers()));
  }

  @Test
  void bootstrapServersComeFromTheFlagThenTheEnvironmentThenLocalhost() {
    KafkaSourceOptions options = PipelineOptionsFactory.as(KafkaSourceOptions.class);
    assertEquals("localhost:9092", ReadFromKafka.bootstrapServers(options, Map.of()));
    assertEquals(
        "kafka:29092",
        ReadFromKafka.bootstrapServers(options, Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:29092")));
    options.setKafkaBootstrapServers("broker:1");
    assertEquals(
        "broker:1",
        ReadFromKafka.bootstrapServers(options, Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:29092")));
  }
}

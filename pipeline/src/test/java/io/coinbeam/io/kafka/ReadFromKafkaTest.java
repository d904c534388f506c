package io.coinbeam.io.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.kafka.WatermarkHeartbeats;
import io.coinbeam.model.RawRecord;
import io.coinbeam.options.KafkaSourceOptions;
import io.coinbeam.testing.BeamPipelineExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaRecordCoder;
import org.apache.beam.sdk.io.kafka.KafkaTimestampType;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Kafka records into the parser's input, heartbeats out, and where the brokers are. */
class ReadFromKafkaTest {
  @RegisterExtension final BeamPipelineExtension beam = new BeamPipelineExtension();

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
  void theDirectRunnerReadsInBatchesAndTheOthersOneRecordAtATime() {
    assertTrue(ReadFromKafka.batchSizeFor("DirectRunner") > 1);
    assertEquals(1, ReadFromKafka.batchSizeFor("FlinkRunner"));
    assertEquals(1, ReadFromKafka.batchSizeFor("SparkRunner"));
  }

  @Test
  void theLegacySourceOfAKafkaReadIsFoundWithoutABroker() {
    UnboundedSource<KafkaRecord<String, byte[]>, ?> source =
        ReadFromKafka.legacySourceOf(
            KafkaIO.<String, byte[]>read()
                .withBootstrapServers("localhost:1")
                .withTopic("coincap.trades")
                .withKeyDeserializer(StringDeserializer.class)
                .withValueDeserializer(ByteArrayDeserializer.class));
    assertFalse(source.requiresDeduping());
    assertInstanceOf(KafkaRecordCoder.class, source.getOutputCoder());
    // A transform without an unbounded read is refused, not guessed at.
    assertThrows(
        IllegalStateException.class,
        () -> ReadFromKafka.legacySourceOf(Create.of("x").withCoder(StringUtf8Coder.of())));
  }

  @Test
  void aBatchBecomesItsRecordsEachAtItsOwnTimestampWithoutHeartbeats() {
    List<TimestampedValue<KafkaRecord<String, byte[]>>> batch =
        List.of(
            TimestampedValue.of(record("{\"n\":1}", new RecordHeaders(), 7), new Instant(2_000)),
            TimestampedValue.of(record("", WatermarkHeartbeats.headers(5), 8), new Instant(1_500)),
            TimestampedValue.of(record("{\"n\":2}", new RecordHeaders(), 9), new Instant(1_000)));
    PCollection<String> out =
        beam.pipeline()
            .apply(
                Create.timestamped(List.of(TimestampedValue.of(batch, new Instant(1_000))))
                    .withCoder(
                        ListCoder.of(
                            TimestampedValue.TimestampedValueCoder.of(
                                KafkaRecordCoder.of(StringUtf8Coder.of(), ByteArrayCoder.of())))))
            .apply(ParDo.of(new ReadFromKafka.BatchToRawRecordsFn("assets")))
            .apply(ParDo.of(new DescribeFn()));
    PAssert.that(out)
        .containsInAnyOrder(
            "coincap.assets/3/7 {\"n\":1} @2000", "coincap.assets/3/9 {\"n\":2} @1000");
    beam.pipeline().run().waitUntilFinish();
  }

  /** A record as "source payload @timestamp". */
  private static final class DescribeFn extends DoFn<RawRecord, String> {
    @ProcessElement
    public void process(@Element RawRecord raw, @Timestamp Instant at, OutputReceiver<String> out) {
      out.output(raw.source() + " " + raw.payload() + " @" + at.getMillis());
    }
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

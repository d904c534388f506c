package io.coinbeam.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coinbeam.broker.LocalKafkaBroker;
import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.catalog.KafkaTopics;
import io.coinbeam.testing.KafkaTestRecords;
import io.coinbeam.testing.ProjectFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay tool: the bundled sample into a real broker with every line accounted for, event-time
 * order across streams, pacing on a fake clock, and its exit codes.
 */
class ReplayTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long T = 1_715_083_200_000L; // 2024-05-07T12:00:00Z
  private static LocalKafkaBroker broker;

  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeAll
  static void startBroker() {
    broker = LocalKafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  private int replay(String... args) {
    return Replay.run(
        args,
        Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers()),
        java.time.Clock.systemUTC(),
        Sleeper.SYSTEM,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        Duration.ofSeconds(3));
  }

  private static String sample() {
    return ProjectFiles.root().resolve("data/sample").toString() + "/{stream}/*";
  }

  @Test
  void theBundledSampleArrivesWithEveryLineAccountedFor() throws Exception {
    broker.createTopics(KafkaTopics.all(), 1);
    Map<String, Map<TopicPartition, Long>> before = new HashMap<>();
    for (String topic : KafkaTopics.all()) {
      before.put(topic, KafkaTestRecords.endOffsets(broker.bootstrapServers(), topic));
    }
    assertEquals(Replay.EXIT_OK, replay("--input=" + sample(), "--speed=max"), err.toString());

    // What the sample holds, from its manifest: every row of every envelope (good or bad) and every
    // record that is unusable as a whole; for trades every line.
    JsonNode manifest =
        JSON.readTree(ProjectFiles.root().resolve("data/sample/MANIFEST.json").toFile())
            .get("streams");
    for (CoinCapStream stream : CoinCapStream.values()) {
      JsonNode m = manifest.get(stream.id());
      long expected =
          m.get("rows").asLong() + m.get("badRows").asLong() + m.get("badRecords").asLong();
      List<ConsumerRecord<String, String>> records =
          KafkaTestRecords.readFrom(
              broker.bootstrapServers(),
              KafkaTopics.of(stream),
              before.get(KafkaTopics.of(stream)));
      // Watermark heartbeats (one per replayed second and partition, and a closing one) are not
      // rows.
      records = new java.util.ArrayList<>(records);
      records.removeIf(r -> io.coinbeam.kafka.WatermarkHeartbeats.isHeartbeat(r.headers()));
      assertEquals(expected, records.size(), stream.id());
      for (int i = 1; i < records.size(); i++) {
        assertTrue(
            records.get(i - 1).timestamp() <= records.get(i).timestamp(),
            stream.id() + ": event-time order at offset " + records.get(i).offset());
      }
    }
    assertEquals(
        nonBlankLines(ProjectFiles.root().resolve("data/sample/trades")),
        manifestTrades(manifest),
        "the manifest's trades records are the sample's trades lines");

    // The truncated trades line 161 goes out as itself, keyed null, at line 160's time.
    List<String> lines =
        Files.readAllLines(ProjectFiles.root().resolve("data/sample/trades/trades-0000.ndjson"));
    long previous = JSON.readTree(lines.get(159)).get("timestamp").asLong();
    previous = previous < 100_000_000_000L ? previous * 1000 : previous;
    List<ConsumerRecord<String, String>> trades =
        KafkaTestRecords.readFrom(
            broker.bootstrapServers(), "coincap.trades", before.get("coincap.trades"));
    List<ConsumerRecord<String, String>> cut =
        trades.stream().filter(r -> r.value().equals(lines.get(160))).toList();
    assertEquals(1, cut.size());
    assertNull(cut.get(0).key());
    assertEquals(previous, cut.get(0).timestamp());

    // The v2 shutdown body among the assets envelopes goes out whole, for the dead letters.
    List<ConsumerRecord<String, String>> v2 =
        KafkaTestRecords.readFrom(
                broker.bootstrapServers(), "coincap.assets", before.get("coincap.assets"))
            .stream()
            .filter(r -> r.value().contains("We are deprecating"))
            .toList();
    assertEquals(1, v2.size());
    assertNull(v2.get(0).key());

    String printed = out.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("coinbeam replay summary"), printed);
    assertTrue(printed.contains("coincap.trades"), printed);
  }

  private static long manifestTrades(JsonNode manifest) {
    return manifest.get("trades").get("records").asLong();
  }

  /** The non-blank lines of every file in {@code dir}. */
  private static long nonBlankLines(Path dir) throws java.io.IOException {
    long lines = 0;
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        lines += Files.readAllLines(file).stream().filter(l -> !l.isBlank()).count();
      }
    }
    return lines;
  }

  @Test
  void allStreamsAreMergedInEventTimeOrder() {
    ReplayPlan plan = ReplayPlan.load(List.of(CoinCapStream.values()), sample());
    List<ReplayPlan.Entry> entries = plan.entries();
    Set<CoinCapStream> inFirstMinute = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      long t = entries.get(i).row().timestampMillis();
      if (i > 0) {
        assertTrue(entries.get(i - 1).row().timestampMillis() <= t, "order at " + i);
      }
      if (t < T + 60_000) {
        inFirstMinute.add(entries.get(i).stream());
      }
    }
    assertEquals(Set.of(CoinCapStream.values()), inFirstMinute, "streams interleave");
    assertEquals(3 + 4 * 4, plan.files().size(), "3 trades files, 4 per snapshot stream");
  }

  /** Writes a small capture: trades at T, T+1s, T+5s (one cut line) and an envelope at T+2s. */
  private String smallCapture() throws Exception {
    Files.createDirectories(dir.resolve("trades"));
    Files.createDirectories(dir.resolve("assets"));
    Files.write(
        dir.resolve("trades/t.ndjson"),
        List.of(
            "{\"exchange\":\"cut",
            trade("binance", T),
            trade("kraken", T + 1000),
            "{\"exchange\":\"also cut",
            trade("binance", T + 5000)));
    Files.writeString(
        dir.resolve("assets/a.json"),
        "{\n  \"data\": [{\"id\":\"bitcoin\",\"priceUsd\":\"1\"}, {\"id\":\"ethereum\"}],\n"
            + "  \"timestamp\": "
            + (T + 2000)
            + "\n}\n");
    return dir + "/{stream}/*";
  }

  private static String trade(String exchange, long t) {
    return "{\"exchange\":\""
        + exchange
        + "\",\"base\":\"bitcoin\",\"quote\":\"tether\",\"direction\":\"buy\",\"price\":1,"
        + "\"volume\":1,\"timestamp\":"
        + t
        + ",\"priceUsd\":1}";
  }

  private record Sent(long atMillis, KafkaRow row) {}

  private List<Sent> paced(double speed, FakeTime time) throws Exception {
    ReplayPlan plan = ReplayPlan.load(List.of(CoinCapStream.values()), smallCapture());
    List<Sent> sent = new ArrayList<>();
    RowPublisher recorder =
        new RowPublisher() {
          @Override
          public void publish(KafkaRow row) {
            sent.add(new Sent(time.millis(), row));
          }

          @Override
          public void flush() {}
        };
    Replay.replay(
        plan,
        recorder,
        new Pacer(speed, time, time),
        time,
        new PrintStream(out, true, StandardCharsets.UTF_8));
    return sent;
  }

  @Test
  void tenTimesFasterSendsEachRecordAtATenthOfItsOffset() throws Exception {
    FakeTime time = new FakeTime(Instant.parse("2030-01-01T00:00:00Z"));
    long start = time.millis();
    List<Sent> sent = paced(10, time);
    // The first cut line has no earlier good line: it takes the next good time (T). The second
    // follows kraken's line, so it takes kraken's time, T+1s, and goes out beside it.
    List<String> keys = sent.stream().map(s -> String.valueOf(s.row().key())).toList();
    assertEquals(
        List.of(
            "null",
            "binance:bitcoin:tether",
            "kraken:bitcoin:tether",
            "null",
            "bitcoin",
            "ethereum",
            "binance:bitcoin:tether"),
        keys);
    assertEquals(
        List.of(T, T, T + 1000, T + 1000, T + 2000, T + 2000, T + 5000),
        sent.stream().map(s -> s.row().timestampMillis()).toList());
    assertEquals(
        List.of(0L, 0L, 100L, 100L, 200L, 200L, 500L),
        sent.stream().map(s -> s.atMillis() - start).toList());
    assertEquals(
        List.of(Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofMillis(300)),
        time.sleeps());
    // A cut line is published as it was, keyed null.
    assertEquals("{\"exchange\":\"cut", sent.get(0).row().value());
    assertEquals("{\"id\":\"bitcoin\",\"priceUsd\":\"1\"}", sent.get(4).row().value());
  }

  @Test
  void originalPaceAndAsFastAsPossible() throws Exception {
    FakeTime time = new FakeTime(Instant.parse("2030-01-01T00:00:00Z"));
    long start = time.millis();
    List<Sent> sent = paced(1, time);
    assertEquals(
        List.of(0L, 0L, 1000L, 1000L, 2000L, 2000L, 5000L),
        sent.stream().map(s -> s.atMillis() - start).toList());

    FakeTime fast = new FakeTime(Instant.parse("2030-01-01T00:00:00Z"));
    List<Sent> all = paced(Pacer.AS_FAST_AS_POSSIBLE, fast);
    assertEquals(7, all.size());
    assertEquals(List.of(), fast.sleeps());
  }

  @Test
  void speedsAndFlagsAreReadOrRefused() {
    assertEquals(Pacer.AS_FAST_AS_POSSIBLE, Replay.parseSpeed("max"));
    assertEquals(Pacer.AS_FAST_AS_POSSIBLE, Replay.parseSpeed("0"));
    assertEquals(10.0, Replay.parseSpeed("10"));
    assertEquals(2.5, Replay.parseSpeed("2.5x"));
    assertEquals(Replay.EXIT_USAGE, replay("--speed=fast"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--speed=fast"));
    assertEquals(Replay.EXIT_USAGE, replay("--speed=-1"));
    assertEquals(Replay.EXIT_USAGE, replay("--streams=candles"));
    assertEquals(Replay.EXIT_USAGE, replay("--colour=blue"));
  }

  @Test
  void noInputExitsWithTwo() {
    assertEquals(Replay.EXIT_USAGE, replay("--input=" + dir + "/nothing-here/{stream}/*"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("no files match"), err.toString());
  }

  @Test
  void unreachableKafkaExitsWithOne() throws Exception {
    String input = smallCapture();
    int code =
        Replay.run(
            new String[] {"--input=" + input, "--bootstrap=127.0.0.1:1"},
            Map.of(),
            java.time.Clock.systemUTC(),
            Sleeper.SYSTEM,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Duration.ofSeconds(2));
    assertEquals(Replay.EXIT_KAFKA, code);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("127.0.0.1:1"), err.toString());
  }
}

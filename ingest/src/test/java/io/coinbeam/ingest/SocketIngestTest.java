package io.coinbeam.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.broker.LocalKafkaBroker;
import io.coinbeam.catalog.KafkaTopics;
import io.coinbeam.ingest.LoopbackWebSocketServer.CloseFrame;
import io.coinbeam.ingest.LoopbackWebSocketServer.Drop;
import io.coinbeam.ingest.LoopbackWebSocketServer.Fragment;
import io.coinbeam.ingest.LoopbackWebSocketServer.Hold;
import io.coinbeam.ingest.LoopbackWebSocketServer.Text;
import io.coinbeam.testing.KafkaTestRecords;
import io.coinbeam.testing.SharedFixtures;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trades and prices sockets against a loopback WebSocket server that sends the real trades
 * capture, cuts a message in half and drops the connection: every whole message reaches Kafka
 * exactly once, the cut one never, and the client reconnects by itself.
 */
class SocketIngestTest {
  private static LocalKafkaBroker broker;

  @TempDir Path archiveDir;
  private FakeTime time;
  private IngestStats stats;
  private KafkaPublisher publisher;
  private CaptureArchive archive;
  private Map<String, Map<TopicPartition, Long>> startOffsets;

  @BeforeAll
  static void startBroker() {
    broker = LocalKafkaBroker.start();
    broker.createTopics(KafkaTopics.all(), 1);
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @BeforeEach
  void setUp() {
    time = new FakeTime(Instant.parse("2026-11-21T13:30:00Z"));
    stats = new IngestStats();
    publisher = new KafkaPublisher(broker.bootstrapServers(), Duration.ofSeconds(20));
    archive = new CaptureArchive(archiveDir, time);
    startOffsets = new HashMap<>();
    for (String topic : KafkaTopics.all()) {
      startOffsets.put(topic, KafkaTestRecords.endOffsets(broker.bootstrapServers(), topic));
    }
  }

  @AfterEach
  void tearDown() {
    publisher.close();
    archive.close();
  }

  private CoinCapSockets sockets(LoopbackWebSocketServer server, String apiKey) {
    IngestConfig config =
        IngestConfig.fromEnvironment(
            Map.of(
                "COINCAP_API_KEY",
                apiKey,
                "COINCAP_TRADES_WS_URL",
                server.base() + "/trades",
                "COINCAP_PRICES_WS_URL",
                server.base() + "/prices",
                "INGEST_ASSETS",
                "bitcoin,ethereum"));
    return new CoinCapSockets(
        config,
        HttpClient.newHttpClient(),
        publisher,
        archive,
        stats,
        new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10), new Random(3)),
        time,
        time,
        // Short, as the production safety net it is: the JDK 17 client sometimes misses the end
        // of a dropped stream (an InternalError inside it), and then only the idle rule notices.
        Duration.ofSeconds(5));
  }

  private List<ConsumerRecord<String, String>> produced(String topic) {
    publisher.flush();
    return KafkaTestRecords.readFrom(broker.bootstrapServers(), topic, startOffsets.get(topic));
  }

  /** Waits for something the sockets do on their own threads (no time is asserted). */
  private static void await(String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void tradesSurviveADroppedConnectionWithNoMessageLostOrDoubled() throws Exception {
    List<String> lines =
        Files.readAllLines(
                SharedFixtures.require("coincap/trades_ws_lab-flink-crypto-readme.jsonl"))
            .stream()
            .filter(l -> !l.isBlank())
            .toList();
    assertEquals(6, lines.size());
    String fourth = lines.get(3);
    try (LoopbackWebSocketServer server =
        new LoopbackWebSocketServer(
            List.of(
                List.of(
                    new Text(lines.get(0)),
                    new Text(lines.get(1)),
                    new Text(lines.get(2)),
                    // half a message, then the connection is gone: it must not be produced
                    new Fragment("{\"exchange\":\"bitso\",\"base\":\"bitcoin\",", "", false),
                    new Drop(() -> stats.get("trades/bitso.messages") == 3)),
                List.of(
                    // a message in two frames is put back together
                    new Fragment(fourth.substring(0, 40), fourth.substring(40), true),
                    new Text("this is not JSON"),
                    new Text(lines.get(4)),
                    new CloseFrame()),
                List.of(new Text(lines.get(5)), new Hold())))) {
      ReconnectingSocket socket = sockets(server, "test-key").trades("bitso");
      socket.start();
      try {
        await(
            "three connections and six trades",
            () -> stats.get("trades.rows") == 6 && socket.connections() == 3);
      } finally {
        socket.close();
      }
      assertEquals(
          List.of("/trades/bitso", "/trades/bitso", "/trades/bitso"), server.requestTargets());
      assertEquals("Bearer test-key", server.authorizations().get(0));
    }

    List<ConsumerRecord<String, String>> records = produced("coincap.trades");
    assertEquals(lines, records.stream().map(ConsumerRecord::value).toList(), "as received, once");
    assertEquals(
        List.of(
            "bitso:terra-luna:euro",
            "bitso:xrp:tether",
            "bitso:safepal:tether",
            "gemini:ethereum:singapore-dollar",
            "gemini:bitcoin:united-states-dollar",
            "gemini:ethereum:united-states-dollar"),
        records.stream().map(ConsumerRecord::key).toList());
    assertEquals(
        List.of(
            1651687003450L,
            1651686997237L,
            1651687003453L,
            1715075793000L,
            1715075795000L,
            1715075819000L),
        records.stream().map(ConsumerRecord::timestamp).toList());
    // (Whether the cut half was read before the drop depends on the network; it is never produced.)
    assertEquals(2, stats.get("trades/bitso.reconnects"));
    assertEquals(1, stats.get("trades.rejects"));
    assertEquals(2, time.sleeps().size(), "one back-off before each reconnect, not really waited");
    assertEquals(lines, Files.readAllLines(archiveDir.resolve("trades/trades-20261121T13.ndjson")));
    List<String> rejects =
        Files.readAllLines(archiveDir.resolve("rejects/trades-20261121T13.ndjson"));
    assertEquals(1, rejects.size());
    assertTrue(rejects.get(0).contains("this is not JSON"), rejects.get(0));
  }

  @Test
  void pricesBecomeOneRecordPerAssetStampedWithArrivalTime() throws Exception {
    try (LoopbackWebSocketServer server =
        new LoopbackWebSocketServer(
            List.of(
                List.of(
                    new Text("{\"bitcoin\":\"6929.82\",\"ethereum\":\"2770.14\"}"),
                    new Text("[1,2]"),
                    new Drop(() -> stats.get("prices.messages") == 2)),
                List.of(new Text("{\"bitcoin\":\"6930.01\"}"), new Hold())))) {
      ReconnectingSocket socket = sockets(server, "k&y").prices();
      socket.start();
      try {
        await("three prices", () -> stats.get("prices.rows") == 3 && socket.connections() == 2);
      } finally {
        socket.close();
      }
      assertEquals("/prices?assets=bitcoin,ethereum&apiKey=k%26y", server.requestTargets().get(0));
    }
    long now = Instant.parse("2026-11-21T13:30:00Z").toEpochMilli();
    // The reconnect's back-off moved the fake clock before the third message arrived.
    long later = now + time.sleeps().get(0).toMillis();
    List<ConsumerRecord<String, String>> records = produced("coincap.prices");
    assertEquals(
        List.of("bitcoin", "ethereum", "bitcoin"),
        records.stream().map(ConsumerRecord::key).toList());
    assertEquals(
        List.of(
            "{\"asset\":\"bitcoin\",\"priceUsd\":\"6929.82\",\"timestamp\":" + now + "}",
            "{\"asset\":\"ethereum\",\"priceUsd\":\"2770.14\",\"timestamp\":" + now + "}",
            "{\"asset\":\"bitcoin\",\"priceUsd\":\"6930.01\",\"timestamp\":" + later + "}"),
        records.stream().map(ConsumerRecord::value).toList());
    assertEquals(
        List.of(now, now, later), records.stream().map(ConsumerRecord::timestamp).toList());
    assertEquals(1, stats.get("prices.rejects"));
  }
}

package io.coinbeam.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.broker.LocalKafkaBroker;
import io.coinbeam.catalog.KafkaTopics;
import io.coinbeam.ingest.LoopbackWebSocketServer.AwaitReceived;
import io.coinbeam.ingest.LoopbackWebSocketServer.CloseFrame;
import io.coinbeam.ingest.LoopbackWebSocketServer.Drop;
import io.coinbeam.ingest.LoopbackWebSocketServer.Fragment;
import io.coinbeam.ingest.LoopbackWebSocketServer.Hold;
import io.coinbeam.ingest.LoopbackWebSocketServer.Ping;
import io.coinbeam.ingest.LoopbackWebSocketServer.Text;
import io.coinbeam.ingest.feeds.Feed;
import io.coinbeam.ingest.feeds.FeedConfig;
import io.coinbeam.ingest.feeds.FeedHandler;
import io.coinbeam.ingest.feeds.FeedSockets;
import io.coinbeam.ingest.feeds.PairWatch;
import io.coinbeam.testing.FeedCapturesByHand;
import io.coinbeam.testing.KafkaTestRecords;
import io.coinbeam.testing.SharedFixtures;
import io.coinbeam.testing.TradeMessageText;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 *
 * <p>The exchange feeds likewise, with the captured Binance, Coinbase Exchange and Advanced Trade
 * frames: the subscribe request on every connection, the acknowledgement, trades, heartbeats, a
 * ping (answered with its payload), an error frame, a dropped connection and the reconnect, a
 * connection renewed before its lifetime ends, and a pair that never trades. Every trade reaches
 * {@code coincap.trades} once, as a CoinCap-shaped message with the values {@link
 * FeedCapturesByHand} reads from the frames.
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
    return new CoinCapSockets(config, context(Duration.ofSeconds(5)));
  }

  /**
   * The sockets' shared parts, with a short idle timeout, as the production safety net it is: the
   * JDK 17 client sometimes misses the end of a dropped stream (an InternalError inside it), and
   * then only the idle rule notices.
   */
  private SocketContext context(Duration idleTimeout) {
    return new SocketContext(
        HttpClient.newHttpClient(),
        publisher,
        archive,
        stats,
        new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10), new Random(3)),
        time,
        time,
        idleTimeout);
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

  // --- exchange feeds: the captured frames replayed by loopback servers

  private static List<String> lines(String file) throws Exception {
    return Files.readAllLines(SharedFixtures.require("exchanges/" + file)).stream()
        .filter(l -> !l.isBlank())
        .toList();
  }

  private FeedSockets sockets(Map<String, String> env) {
    return new FeedSockets(FeedConfig.fromEnvironment(env), context(Duration.ofSeconds(10)));
  }

  @Test
  void coinbaseSubscribesOnEveryConnectionAndSurvivesADrop() throws Exception {
    List<String> matches = lines("coinbase-exchange_match_bmoscon-cryptofeed.jsonl");
    String ack = lines("coinbase-exchange_subscriptions_ziyangliu-666-FastMM.jsonl").get(0);
    String lastMatch = lines("coinbase-exchange_last_match_ziyangliu-666-FastMM.jsonl").get(0);
    String heartbeat = lines("coinbase-exchange_heartbeat_ziyangliu-666-FastMM.jsonl").get(0);
    String error = lines("coinbase-exchange_error_thrasher-corp-gocryptotrader.jsonl").get(0);
    try (LoopbackWebSocketServer server =
        new LoopbackWebSocketServer(
            List.of(
                List.of(
                    new AwaitReceived(1),
                    new Text(ack),
                    new Text(lastMatch),
                    new Text(matches.get(0)),
                    new Text(heartbeat),
                    new Ping("are you there"),
                    new Text(matches.get(1)),
                    new Text(error),
                    new Text("[\"neither\"]"),
                    new Text(matches.get(2)),
                    new Drop(() -> stats.get("coinbase.trades") == 3)),
                List.of(
                    new AwaitReceived(1),
                    new Text(ack),
                    new Text(matches.get(3)),
                    new Text(matches.get(4)),
                    new Hold())))) {
      FeedSockets sockets =
          sockets(
              Map.of(
                  "INGEST_FEEDS", "coinbase",
                  "INGEST_PAIRS", "SKL-BTC,SKL-USD",
                  "FEED_COINBASE_URL", server.base()));
      ReconnectingSocket socket = sockets.socket(Feed.COINBASE);
      socket.start();
      try {
        await(
            "two connections and five trades",
            () -> stats.get("coinbase.trades") == 5 && socket.connections() == 2);
        await("the pong", () -> !server.pongs().isEmpty());
      } finally {
        socket.close();
      }
      String subscribe =
          "{\"type\":\"subscribe\",\"product_ids\":[\"SKL-BTC\",\"SKL-USD\"],"
              + "\"channels\":[\"matches\",\"heartbeat\"]}";
      assertEquals(List.of(List.of(subscribe), List.of(subscribe)), server.received());
      assertEquals(List.of("are you there"), server.pongs());
    }
    List<String> expected = new ArrayList<>();
    for (String match : matches.subList(0, 5)) {
      expected.add(TradeMessageText.of(FeedCapturesByHand.trades(match).get(0)));
    }
    List<ConsumerRecord<String, String>> records = produced("coincap.trades");
    assertEquals(expected, records.stream().map(ConsumerRecord::value).toList(), "once each");
    assertEquals(
        List.of(
            "coinbase-matches:SKL:bitcoin",
            "coinbase-matches:SKL:united-states-dollar",
            "coinbase-matches:SKL:united-states-dollar",
            "coinbase-matches:NMR:euro",
            "coinbase-matches:SKL:british-pound-sterling"),
        records.stream().map(ConsumerRecord::key).toList());
    // trade times, as the frames' "time" cut to milliseconds
    assertEquals(
        List.of(1618677817089L, 1618677817121L, 1618677817140L, 1618677817207L, 1618677817270L),
        records.stream().map(ConsumerRecord::timestamp).toList());
    assertEquals(2, stats.get("coinbase.acks"));
    assertEquals(4, stats.get("coinbase.control"), "2 acks, the last_match, the heartbeat");
    assertEquals(1, stats.get("coinbase.errors"));
    assertEquals(1, stats.get("coinbase.rejects"));
    assertEquals(1, stats.get("feed/coinbase.reconnects"));
    assertEquals(
        matches.subList(0, 5),
        Files.readAllLines(archiveDir.resolve("trades/trades-20261121T13.ndjson")));
  }

  @Test
  void binanceSubscribesInTheUrlAndReportsAPairThatNeverTrades() throws Exception {
    List<String> session = lines("binance_combined-stream-session_ziyangliu-666-FastMM.jsonl");
    List<LoopbackWebSocketServer.Step> script = new ArrayList<>();
    script.add(new Ping("20s"));
    session.forEach(line -> script.add(new Text(line)));
    script.add(new Text("{\"result\":null,\"id\":1}"));
    script.add(new Hold());
    try (LoopbackWebSocketServer server = new LoopbackWebSocketServer(List.of(script))) {
      FeedSockets sockets =
          sockets(
              Map.of(
                  "INGEST_FEEDS", "binance",
                  "INGEST_PAIRS_BINANCE", "BTC-USDT,NOPE-USDT",
                  "FEED_BINANCE_URL", server.base(),
                  "INGEST_FEED_SILENT_AFTER", "5m"));
      ReconnectingSocket socket = sockets.socket(Feed.BINANCE);
      socket.start();
      try {
        await("seven trades", () -> stats.get("binance.trades") == 7);
        await("every frame", () -> stats.get("feed/binance.messages") == session.size() + 1);
        await("the pong", () -> !server.pongs().isEmpty());
      } finally {
        socket.close();
      }
      assertEquals(
          List.of("/stream?streams=btcusdt@trade/nopeusdt@trade"), server.requestTargets());
      assertEquals(List.of(List.of()), server.received(), "nothing sent: the URL subscribes");
      assertEquals(List.of("20s"), server.pongs());

      sockets.reportSilentPairs();
      assertEquals(0, stats.get("binance.silentPairs"), "not silent for 5 minutes yet");
      time.advance(Duration.ofMinutes(6));
      sockets.reportSilentPairs();
      sockets.reportSilentPairs();
      // BTC-USDT traded at the start, NOPE-USDT never: both silent now, each reported once
      assertEquals(2, stats.get("binance.silentPairs"));
    }
    List<String> expected = new ArrayList<>();
    for (String line : session) {
      FeedCapturesByHand.trades(line).forEach(t -> expected.add(TradeMessageText.of(t)));
    }
    assertEquals(7, expected.size());
    assertEquals(expected, produced("coincap.trades").stream().map(ConsumerRecord::value).toList());
    assertEquals(session.size() + 1 - 7, stats.get("binance.control"), "book frames and the ack");
  }

  @Test
  void advancedTradeSkipsTheSnapshotAndSubscribesTwice() throws Exception {
    List<String> frames = lines("coinbase-advanced_market_trades_bmoscon-cryptofeed.jsonl");
    List<String> acks = lines("coinbase-advanced_subscriptions_bmoscon-cryptofeed.jsonl");
    String beat = lines("coinbase-advanced_heartbeats_bmoscon-cryptofeed.jsonl").get(0);
    try (LoopbackWebSocketServer server =
        new LoopbackWebSocketServer(
            List.of(
                List.of(
                    new AwaitReceived(2),
                    new Text(acks.get(0)),
                    new Text(frames.get(0)),
                    new Text(frames.get(2)),
                    new Text(beat),
                    new Text(frames.get(3)),
                    new Hold())))) {
      FeedSockets sockets =
          sockets(
              Map.of(
                  "INGEST_FEEDS",
                  "coinbase-advanced",
                  "FEED_COINBASE_ADVANCED_URL",
                  server.base()));
      ReconnectingSocket socket = sockets.socket(Feed.COINBASE_ADVANCED);
      socket.start();
      try {
        await("three frames", () -> stats.get("coinbase-advanced.control") == 3);
        await("the updates", () -> stats.get("feed/coinbase-advanced.messages") == 5);
      } finally {
        socket.close();
      }
      assertEquals(
          List.of(
              List.of(
                  "{\"type\":\"subscribe\",\"product_ids\":[\"BTC-USD\",\"ETH-USD\"],"
                      + "\"channel\":\"market_trades\"}",
                  "{\"type\":\"subscribe\",\"channel\":\"heartbeats\"}")),
          server.received());
    }
    List<String> expected = new ArrayList<>();
    FeedCapturesByHand.trades(frames.get(2)).forEach(t -> expected.add(TradeMessageText.of(t)));
    FeedCapturesByHand.trades(frames.get(3)).forEach(t -> expected.add(TradeMessageText.of(t)));
    assertTrue(expected.size() >= 2);
    assertEquals(expected, produced("coincap.trades").stream().map(ConsumerRecord::value).toList());
  }

  @Test
  void aConnectionIsRenewedBeforeItsLifetimeEnds() throws Exception {
    List<String> trades = lines("binance_trade_ziyangliu-666-FastMM.jsonl");
    try (LoopbackWebSocketServer server =
        new LoopbackWebSocketServer(
            List.of(
                List.of(new Text(trades.get(0)), new Hold()),
                List.of(new Text(trades.get(1)), new Hold())))) {
      PairWatch watch = new PairWatch(List.of("BTC-USDT"), Duration.ofMinutes(5), time);
      ReconnectingSocket socket =
          new ReconnectingSocket(
              "feed/binance",
              URI.create(server.base() + "/stream?streams=btcusdt@trade"),
              "loopback",
              Map.of(),
              new FeedHandler(Feed.BINANCE, context(Duration.ofSeconds(30)), watch),
              context(Duration.ofSeconds(30)),
              List.of(),
              Duration.ofMillis(300));
      socket.start();
      try {
        await("two connections, two trades", () -> stats.get("binance.trades") == 2);
      } finally {
        socket.close();
      }
      assertTrue(stats.get("feed/binance.renewals") >= 1);
    }
    assertEquals(
        List.of(
            TradeMessageText.of(FeedCapturesByHand.trades(trades.get(0)).get(0)),
            TradeMessageText.of(FeedCapturesByHand.trades(trades.get(1)).get(0))),
        produced("coincap.trades").stream().map(ConsumerRecord::value).toList());
  }
}

package io.coinbeam.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.broker.LocalKafkaBroker;
import io.coinbeam.catalog.KafkaTopics;
import io.coinbeam.ingest.LoopbackWebSocketServer.AwaitReceived;
import io.coinbeam.ingest.LoopbackWebSocketServer.Drop;
import io.coinbeam.ingest.LoopbackWebSocketServer.Hold;
import io.coinbeam.ingest.LoopbackWebSocketServer.Ping;
import io.coinbeam.ingest.LoopbackWebSocketServer.Text;
import io.coinbeam.ingest.feeds.Feed;
import io.coinbeam.ingest.feeds.FeedConfig;
import io.coinbeam.ingest.feeds.FeedHandler;
import io.coinbeam.ingest.feeds.FeedSockets;
import io.coinbeam.ingest.feeds.PairWatch;
import io.coinbeam.model.TradeMessage;
import io.coinbeam.testing.FeedCapturesByHand;
import io.coinbeam.testing.KafkaTestRecords;
import io.coinbeam.testing.SharedFixtures;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * The exchange feeds against loopback WebSocket servers that replay the real captures: the
 * subscribe request on every connection, the acknowledgement, trades, heartbeats, a ping (answered
 * with its payload), an error frame, a dropped connection and the reconnect, a connection renewed
 * before its lifetime ends, and a pair that never trades. Every trade reaches {@code
 * coincap.trades} once, as a CoinCap-shaped message with the values {@link FeedCapturesByHand}
 * reads from the frames.
 */
class FeedIngestTest {
  private static LocalKafkaBroker broker;

  @TempDir Path archiveDir;
  private FakeTime time;
  private IngestStats stats;
  private KafkaPublisher publisher;
  private CaptureArchive archive;
  private Map<TopicPartition, Long> startOffsets;

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
    startOffsets = KafkaTestRecords.endOffsets(broker.bootstrapServers(), "coincap.trades");
  }

  @AfterEach
  void tearDown() {
    publisher.close();
    archive.close();
  }

  private static List<String> lines(String file) throws Exception {
    return Files.readAllLines(SharedFixtures.require("exchanges/" + file)).stream()
        .filter(l -> !l.isBlank())
        .toList();
  }

  private FeedSockets sockets(Map<String, String> env) {
    return new FeedSockets(
        FeedConfig.fromEnvironment(env),
        HttpClient.newHttpClient(),
        publisher,
        archive,
        stats,
        new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10), new Random(3)),
        time,
        time,
        Duration.ofSeconds(10));
  }

  private List<ConsumerRecord<String, String>> produced() {
    publisher.flush();
    return KafkaTestRecords.readFrom(broker.bootstrapServers(), "coincap.trades", startOffsets);
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

  /** The CoinCap-shaped message a trade becomes, written out here. */
  private static String message(TradeMessage t) {
    return String.format(
        Locale.ROOT,
        "{\"exchange\":\"%s\",\"base\":\"%s\",\"quote\":\"%s\",\"direction\":\"%s\","
            + "\"price\":%s,\"volume\":%s,\"timestamp\":%d,\"priceUsd\":%s}",
        t.exchange(),
        t.base(),
        t.quote(),
        t.side().name().toLowerCase(Locale.ROOT),
        t.price(),
        t.volume(),
        t.timestampMillis(),
        t.priceUsd());
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
      expected.add(message(FeedCapturesByHand.trades(match).get(0)));
    }
    List<ConsumerRecord<String, String>> records = produced();
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
      FeedCapturesByHand.trades(line).forEach(t -> expected.add(message(t)));
    }
    assertEquals(7, expected.size());
    assertEquals(expected, produced().stream().map(ConsumerRecord::value).toList());
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
    FeedCapturesByHand.trades(frames.get(2)).forEach(t -> expected.add(message(t)));
    FeedCapturesByHand.trades(frames.get(3)).forEach(t -> expected.add(message(t)));
    assertTrue(expected.size() >= 2);
    assertEquals(expected, produced().stream().map(ConsumerRecord::value).toList());
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
              HttpClient.newHttpClient(),
              URI.create(server.base() + "/stream?streams=btcusdt@trade"),
              "loopback",
              Map.of(),
              new FeedHandler(Feed.BINANCE, publisher, archive, stats, watch),
              new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10), new Random(3)),
              time,
              Duration.ofSeconds(30),
              stats,
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
            message(FeedCapturesByHand.trades(trades.get(0)).get(0)),
            message(FeedCapturesByHand.trades(trades.get(1)).get(0))),
        produced().stream().map(ConsumerRecord::value).toList());
  }

  @Test
  void pairWatchReportsEachSilenceOnce() {
    PairWatch watch = new PairWatch(List.of("BTC-USDT", "FOO-USDT"), Duration.ofMinutes(5), time);
    time.advance(Duration.ofMinutes(4));
    watch.traded("bitcoin", "tether");
    watch.traded("bitcoin", "euro"); // not asked for: ignored
    assertEquals(List.of(), watch.newlySilent());
    time.advance(Duration.ofMinutes(2));
    assertEquals(List.of("FOO-USDT"), watch.newlySilent());
    assertEquals(List.of(), watch.newlySilent());
    time.advance(Duration.ofMinutes(4));
    assertEquals(List.of("BTC-USDT"), watch.newlySilent());
    watch.traded("FOO", "tether");
    time.advance(Duration.ofMinutes(6));
    assertEquals(List.of("FOO-USDT"), watch.newlySilent(), "silent anew after trading");
  }

  @Test
  void feedSettingsAreCheckedAndNamed() {
    FeedConfig config =
        FeedConfig.fromEnvironment(
            Map.of("INGEST_FEEDS", "binance, coinbase", "INGEST_PAIRS_COINBASE", "btc-usd"));
    assertEquals(List.of("BTC-USDT", "ETH-USDT"), config.pairs().get(Feed.BINANCE));
    assertEquals(List.of("BTC-USD"), config.pairs().get(Feed.COINBASE));
    assertEquals("wss://stream.binance.com:9443", config.urls().get(Feed.BINANCE));
    assertEquals(false, FeedConfig.fromEnvironment(Map.of()).any());
    for (Map<String, String> bad :
        List.of(
            Map.of("INGEST_FEEDS", "kraken"),
            Map.of("INGEST_FEEDS", "binance", "INGEST_PAIRS", "BTCUSDT"),
            Map.of("INGEST_FEEDS", "binance", "INGEST_FEED_SILENT_AFTER", "soon"))) {
      try {
        FeedConfig.fromEnvironment(bad);
        throw new AssertionError("accepted " + bad);
      } catch (IllegalArgumentException expected) {
        assertTrue(!expected.getMessage().isBlank());
      }
    }
  }

  @Test
  void replayKeysAndTimesARawFrameByItsEarliestTrade() throws Exception {
    String aggTrade = lines("binance_aggTrade_bmoscon-cryptofeed.jsonl").get(0);
    KafkaRow row = CaptureRows.fromTrade(aggTrade);
    assertEquals("binance-aggtrade:FTM:tether", row.key());
    assertEquals(1628952396572L, row.timestampMillis());
    assertEquals(aggTrade, row.value(), "the frame as it came");
    // An update lists its trades newest first: the row takes the earliest.
    String update =
        lines("coinbase-advanced_market_trades_bmoscon-cryptofeed.jsonl").stream()
            .filter(l -> FeedCapturesByHand.trades(l).size() > 1)
            .findFirst()
            .orElseThrow();
    long earliest =
        FeedCapturesByHand.trades(update).stream()
            .mapToLong(TradeMessage::timestampMillis)
            .min()
            .orElseThrow();
    assertEquals(earliest, CaptureRows.fromTrade(update).timestampMillis());
    String heartbeat = lines("coinbase-exchange_heartbeat_ziyangliu-666-FastMM.jsonl").get(0);
    try {
      CaptureRows.fromTrade(heartbeat);
      throw new AssertionError("a heartbeat has no trade to time it by");
    } catch (io.coinbeam.model.MalformedRecordException expected) {
      assertTrue(expected.getMessage().contains("timestamp"), expected.getMessage());
    }
  }
}

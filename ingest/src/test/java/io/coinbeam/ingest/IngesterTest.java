package io.coinbeam.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.broker.LocalKafkaBroker;
import io.coinbeam.catalog.KafkaTopics;
import io.coinbeam.ingest.LoopbackHttpServer.Answer;
import io.coinbeam.ingest.LoopbackWebSocketServer.Hold;
import io.coinbeam.ingest.LoopbackWebSocketServer.Text;
import io.coinbeam.testing.CapturedStderr;
import io.coinbeam.testing.KafkaTestRecords;
import io.coinbeam.testing.SharedFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The ingester as {@code make ingest} runs it: settings from the environment, exit codes. */
class IngesterTest {
  private static LocalKafkaBroker broker;

  @TempDir Path archiveDir;
  private LoopbackHttpServer coincap;
  @RegisterExtension final CapturedStderr stderr = new CapturedStderr();

  @BeforeAll
  static void startBroker() {
    broker = LocalKafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @BeforeEach
  void setUp() throws Exception {
    coincap = new LoopbackHttpServer();
  }

  @AfterEach
  void tearDown() {
    coincap.close();
  }

  private String err() {
    return stderr.text();
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("COINCAP_API_KEY", "test-key");
    env.put("COINCAP_REST_URL", coincap.base());
    env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
    env.put("INGEST_ARCHIVE_DIR", archiveDir.toString());
    return env;
  }

  private int runOnce(Map<String, String> env) {
    return Ingester.run(env, new String[] {"--once"}, new CountDownLatch(1), Duration.ofSeconds(5));
  }

  private void scriptAllFour() throws Exception {
    coincap.script("/assets", Answer.ok(fixture("assets_softronaut-coincap-go.json")));
    coincap.script("/rates", Answer.ok(fixture("rates_softronaut-coincap-go.json")));
    coincap.script("/exchanges", Answer.ok(fixture("exchanges_softronaut-coincap-go.json")));
    coincap.script("/markets", Answer.ok(fixture("markets_softronaut-coincap-go.json")));
  }

  private static String fixture(String name) throws Exception {
    return Files.readString(SharedFixtures.require("coincap/" + name));
  }

  @Test
  void onceCreatesTheTopicsPollsEveryEndpointAndArchives() throws Exception {
    scriptAllFour();
    Map<String, Map<TopicPartition, Long>> before = new HashMap<>();
    broker.createTopics(KafkaTopics.all(), 1);
    for (String topic : KafkaTopics.all()) {
      before.put(topic, KafkaTestRecords.endOffsets(broker.bootstrapServers(), topic));
    }
    assertEquals(Ingester.EXIT_OK, runOnce(env()), err());
    assertEquals(5, read("coincap.assets", before).size());
    assertEquals(5, read("coincap.rates", before).size());
    assertEquals(5, read("coincap.exchanges", before).size());
    assertEquals(7, read("coincap.markets", before).size());
    for (String stream : List.of("assets", "rates", "exchanges", "markets")) {
      try (var files = Files.list(archiveDir.resolve(stream))) {
        assertEquals(1, files.count(), stream);
      }
    }
  }

  private List<?> read(String topic, Map<String, Map<TopicPartition, Long>> before) {
    return KafkaTestRecords.readFrom(broker.bootstrapServers(), topic, before.get(topic));
  }

  @Test
  void aRefusedKeyAtStartExitsWithThreeAndNamesTheVariable() {
    coincap.script("/assets", Answer.status(401, "{\"error\":\"Invalid API key\"}"));
    assertEquals(Ingester.EXIT_COINCAP_REFUSED, runOnce(env()));
    assertTrue(err().contains("COINCAP_API_KEY"), err());
  }

  @Test
  void theV2ShutdownBodyAtStartExitsWithThreeAndPointsAtV3() throws Exception {
    coincap.script("/assets", Answer.ok(fixture("v2-deprecation-response_x-cmd-issue217.json")));
    assertEquals(Ingester.EXIT_COINCAP_REFUSED, runOnce(env()));
    assertTrue(err().contains("COINCAP_REST_URL=https://rest.coincap.io/v3"), err());
  }

  @Test
  void unreachableKafkaExitsWithOne() {
    Map<String, String> env = env();
    env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1");
    assertEquals(Ingester.EXIT_KAFKA, runOnce(env));
    assertTrue(err().contains("127.0.0.1:1"), err());
    assertEquals(List.of(), coincap.requests(), "CoinCap is not asked before Kafka is there");
  }

  @Test
  void badSettingsExitWithTwo() {
    Map<String, String> env = env();
    env.put("INGEST_POLL_MARKETS", "often");
    assertEquals(Ingester.EXIT_USAGE, runOnce(env));
    assertTrue(err().contains("INGEST_POLL_MARKETS=often"), err());
    assertEquals(
        Ingester.EXIT_USAGE,
        Ingester.run(
            env(), new String[] {"--bogus"}, new CountDownLatch(1), Duration.ofSeconds(5)));
  }

  /** Runs the ingester until a trade reaches coincap.trades, then stops it: exit 0 expected. */
  private void runUntilATradeArrives(Map<String, String> env, Map<TopicPartition, Long> before)
      throws Exception {
    CountDownLatch stop = new CountDownLatch(1);
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () -> Ingester.run(env, new String[0], stop, Duration.ofSeconds(5)));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (KafkaTestRecords.readFrom(broker.bootstrapServers(), "coincap.trades", before).isEmpty()
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    stop.countDown();
    assertEquals(Ingester.EXIT_OK, exit.get(30, TimeUnit.SECONDS), err());
  }

  @Test
  void runsPollsAndSocketsUntilStoppedThenExitsZero() throws Exception {
    scriptAllFour();
    broker.createTopics(KafkaTopics.all(), 1);
    Map<TopicPartition, Long> tradesBefore =
        KafkaTestRecords.endOffsets(broker.bootstrapServers(), "coincap.trades");
    String trade =
        Files.readAllLines(
                SharedFixtures.require("coincap/trades_ws_lab-flink-crypto-readme.jsonl"))
            .get(0);
    try (LoopbackWebSocketServer sockets =
        new LoopbackWebSocketServer(List.of(List.of(new Text(trade), new Hold())))) {
      Map<String, String> env = env();
      env.put("COINCAP_TRADES_WS_URL", sockets.base() + "/trades");
      env.put("INGEST_EXCHANGES", "bitso");
      env.put("INGEST_ASSETS", "");
      runUntilATradeArrives(env, tradesBefore);
      assertEquals(List.of("/trades/bitso"), sockets.requestTargets());
    }
    var trades =
        KafkaTestRecords.readFrom(broker.bootstrapServers(), "coincap.trades", tradesBefore);
    assertEquals(1, trades.size());
    assertEquals(trade, trades.get(0).value());
  }

  @Test
  void withFeedsAndNoKeyOnlyTheFeedsRunAndCoinCapIsNeverAsked() throws Exception {
    broker.createTopics(KafkaTopics.all(), 1);
    Map<TopicPartition, Long> tradesBefore =
        KafkaTestRecords.endOffsets(broker.bootstrapServers(), "coincap.trades");
    String frame =
        Files.readAllLines(
                SharedFixtures.require("exchanges/binance_trade_ziyangliu-666-FastMM.jsonl"))
            .get(0);
    try (LoopbackWebSocketServer feed =
        new LoopbackWebSocketServer(List.of(List.of(new Text(frame), new Hold())))) {
      Map<String, String> env = env();
      env.remove("COINCAP_API_KEY");
      env.put("INGEST_FEEDS", "binance");
      env.put("INGEST_PAIRS", "BTC-USDT");
      env.put("FEED_BINANCE_URL", feed.base());
      runUntilATradeArrives(env, tradesBefore);
      assertEquals(List.of("/stream?streams=btcusdt@trade"), feed.requestTargets());
    }
    assertEquals(List.of(), coincap.requests(), "no key: CoinCap is left out, not refused");
    var trades =
        KafkaTestRecords.readFrom(broker.bootstrapServers(), "coincap.trades", tradesBefore);
    assertEquals(1, trades.size());
    // m:false at 76745.19: a taker buy of 0.00065 BTC for USDT, at T
    assertEquals(
        "{\"exchange\":\"binance-trade\",\"base\":\"bitcoin\",\"quote\":\"tether\","
            + "\"direction\":\"buy\",\"price\":76745.19,\"volume\":6.5E-4,"
            + "\"timestamp\":1789295134225,\"priceUsd\":76745.19}",
        trades.get(0).value());
    assertEquals("binance-trade:bitcoin:tether", trades.get(0).key());
    assertEquals(1789295134225L, trades.get(0).timestamp());
  }
}

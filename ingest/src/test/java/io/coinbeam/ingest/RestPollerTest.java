package io.coinbeam.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coinbeam.broker.LocalKafkaBroker;
import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.catalog.KafkaTopics;
import io.coinbeam.ingest.LoopbackHttpServer.Answer;
import io.coinbeam.testing.KafkaTestRecords;
import io.coinbeam.testing.SharedFixtures;
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
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST poller against a loopback server that answers with the real CoinCap captures, and with
 * every failure CoinCap can produce; records are read back from a real Kafka broker.
 */
class RestPollerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration BASE = Duration.ofMillis(500);
  private static LocalKafkaBroker broker;

  @TempDir Path archiveDir;
  private LoopbackHttpServer coincap;
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
  void setUp() throws Exception {
    coincap = new LoopbackHttpServer();
    time = new FakeTime(Instant.parse("2026-11-21T13:59:00Z"));
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
    coincap.close();
  }

  private RestPoller poller(String apiKey, Duration timeout, int maxAttempts) {
    IngestConfig config =
        IngestConfig.fromEnvironment(
            Map.of("COINCAP_API_KEY", apiKey, "COINCAP_REST_URL", coincap.base()));
    return new RestPoller(
        config,
        HttpClient.newHttpClient(),
        timeout,
        maxAttempts,
        new Backoff(BASE, Duration.ofSeconds(30), new Random(7)),
        time,
        time,
        publisher,
        archive,
        stats);
  }

  private RestPoller poller() {
    return poller("test-key", Duration.ofSeconds(10), 5);
  }

  private List<ConsumerRecord<String, String>> produced(String topic) {
    publisher.flush();
    return KafkaTestRecords.readFrom(broker.bootstrapServers(), topic, startOffsets.get(topic));
  }

  private static String fixture(String name) throws Exception {
    return Files.readString(SharedFixtures.require("coincap/" + name));
  }

  private void assertRecords(String topic, String fixture, List<String> keys, long timestamp)
      throws Exception {
    List<ConsumerRecord<String, String>> records = produced(topic);
    JsonNode rows = JSON.readTree(fixture).get("data");
    assertEquals(keys, records.stream().map(ConsumerRecord::key).collect(Collectors.toList()));
    for (int i = 0; i < records.size(); i++) {
      assertEquals(timestamp, records.get(i).timestamp(), topic + " #" + i);
      assertEquals(rows.get(i), JSON.readTree(records.get(i).value()), topic + " #" + i);
      assertTrue(!records.get(i).value().contains("\n"), "compact: one line");
    }
  }

  @Test
  void theRealCapturesBecomeOneRecordPerRowWithNaturalKeysAndEnvelopeTime() throws Exception {
    String assets = fixture("assets_softronaut-coincap-go.json");
    String rates = fixture("rates_softronaut-coincap-go.json");
    String exchanges = fixture("exchanges_softronaut-coincap-go.json");
    String markets = fixture("markets_softronaut-coincap-go.json");
    coincap.script("/assets", Answer.ok(assets));
    coincap.script("/rates", Answer.ok(rates));
    coincap.script("/exchanges", Answer.ok(exchanges));
    coincap.script("/markets", Answer.ok(markets));
    RestPoller poller = poller();
    for (CoinCapStream stream :
        List.of(
            CoinCapStream.ASSETS,
            CoinCapStream.RATES,
            CoinCapStream.EXCHANGES,
            CoinCapStream.MARKETS)) {
      RestPoller.Outcome outcome = poller.poll(stream);
      assertEquals(RestPoller.Status.PUBLISHED, outcome.status(), stream.id());
      assertEquals(1, outcome.requests());
    }

    assertRecords(
        "coincap.assets",
        assets,
        List.of("bitcoin", "ethereum", "tether", "binance-coin", "cardano"),
        1627297413424L);
    assertRecords(
        "coincap.rates",
        rates,
        List.of("australian-dollar", "turkish-lira", "united-states-dollar", "usd-coin", "tether"),
        1627299565440L);
    assertRecords(
        "coincap.exchanges",
        exchanges,
        List.of("binance", "huobi", "okex", "gdax", "hitbtc"),
        1627321566653L);
    assertRecords(
        "coincap.markets",
        markets,
        List.of(
            "bilaxy:solana:tether",
            "binance:solana:tether",
            "binance:solana:bitcoin",
            "binance:solana:binance-coin",
            "bitmax:solana:tether",
            "hotbit:solana:tether",
            "hotbit:solana:bitcoin"),
        1627309368777L);
    // The value is the row's JSON text, compact, with CoinCap's strings and nulls as they were.
    assertEquals(
        "{\"id\":\"usd-coin\",\"symbol\":\"USDC\",\"currencySymbol\":null,\"type\":\"crypto\","
            + "\"rateUsd\":\"1.0000000000000000\"}",
        produced("coincap.rates").get(3).value());
    assertEquals(
        5 + 5 + 5 + 7,
        stats.get("assets.rows")
            + stats.get("rates.rows")
            + stats.get("exchanges.rows")
            + stats.get("markets.rows"));
    for (LoopbackHttpServer.Request request : coincap.requests()) {
      assertEquals("Bearer test-key", request.authorization(), request.path());
    }
    assertEquals(
        List.of("/v3/assets", "/v3/rates", "/v3/exchanges", "/v3/markets"),
        coincap.requests().stream().map(LoopbackHttpServer.Request::path).toList());

    // The archive: one compact envelope per line, in the stream's folder, named by the hour.
    List<String> lines = Files.readAllLines(archiveDir.resolve("assets/assets-20261121T13.ndjson"));
    assertEquals(1, lines.size());
    assertEquals(JSON.readTree(assets), JSON.readTree(lines.get(0)));
  }

  @Test
  void earlyV2ExchangesAreKeyedByTheirIdKey() throws Exception {
    coincap.script("/exchanges", Answer.ok(fixture("exchanges_solipsis-coincapV2.json")));
    assertEquals(RestPoller.Status.PUBLISHED, poller().poll(CoinCapStream.EXCHANGES).status());
    List<ConsumerRecord<String, String>> records = produced("coincap.exchanges");
    assertEquals(62, records.size());
    assertEquals("binance", records.get(0).key());
    assertEquals("okex", records.get(1).key());
  }

  @Test
  void tooManyRequestsWaitsAsRetryAfterSaysThenSucceeds() throws Exception {
    coincap.script(
        "/assets",
        new Answer(429, "{\"error\":\"rate limited\"}", Map.of("Retry-After", "7"), 0),
        Answer.ok(fixture("assets_softronaut-coincap-go.json")));
    RestPoller.Outcome outcome = poller().poll(CoinCapStream.ASSETS);
    assertEquals(new RestPoller.Outcome(RestPoller.Status.PUBLISHED, 5, 2), outcome);
    assertEquals(List.of(Duration.ofSeconds(7)), time.sleeps());
    assertEquals(1, stats.get("assets.throttled"));
    assertEquals(5, produced("coincap.assets").size());
  }

  @Test
  void serverErrorsBackOffWithFullJitterThenSucceed() throws Exception {
    coincap.script(
        "/rates",
        Answer.status(500, "oops"),
        Answer.status(503, "<html>busy</html>"),
        Answer.ok(fixture("rates_softronaut-coincap-go.json")));
    RestPoller.Outcome outcome = poller().poll(CoinCapStream.RATES);
    assertEquals(new RestPoller.Outcome(RestPoller.Status.PUBLISHED, 5, 3), outcome);
    List<Duration> sleeps = time.sleeps();
    assertEquals(2, sleeps.size());
    // Full jitter: the n-th wait is drawn from [0, base * 2^n].
    assertTrue(sleeps.get(0).compareTo(BASE) <= 0, sleeps.toString());
    assertTrue(sleeps.get(1).compareTo(BASE.multipliedBy(2)) <= 0, sleeps.toString());
    assertEquals(2, stats.get("rates.serverErrors"));
    assertEquals(5, produced("coincap.rates").size());
  }

  @Test
  void aTimeoutIsRetried() throws Exception {
    String body = fixture("assets_softronaut-coincap-go.json");
    coincap.script("/assets", new Answer(200, body, Map.of(), 3_000), Answer.ok(body));
    RestPoller.Outcome outcome =
        poller("test-key", Duration.ofMillis(300), 5).poll(CoinCapStream.ASSETS);
    assertEquals(new RestPoller.Outcome(RestPoller.Status.PUBLISHED, 5, 2), outcome);
    assertEquals(1, stats.get("assets.timeouts"));
    assertEquals(1, time.sleeps().size());
    assertEquals(5, produced("coincap.assets").size(), "the late first answer is not used");
  }

  @Test
  void givesUpAfterTheLastAttemptAndPublishesNothing() throws Exception {
    coincap.script("/markets", Answer.status(502, "bad gateway"));
    RestPoller.Outcome outcome =
        poller("test-key", Duration.ofSeconds(10), 3).poll(CoinCapStream.MARKETS);
    assertEquals(new RestPoller.Outcome(RestPoller.Status.GAVE_UP, 0, 3), outcome);
    assertEquals(2, time.sleeps().size(), "no wait after the last attempt");
    assertEquals(3, coincap.requests().size());
    assertEquals(0, produced("coincap.markets").size());
  }

  @Test
  void malformedBodiesAreRejectedKeptAndCountedAndPollingGoesOn() throws Exception {
    String truncated = "{\"data\":[{\"id\":\"bitcoin\",\"rank\":\"1\"";
    String noTimestamp = "{\"data\":[{\"id\":\"bitcoin\"}]}";
    coincap.script(
        "/assets",
        Answer.ok(truncated),
        Answer.ok(noTimestamp),
        Answer.ok(fixture("assets_softronaut-coincap-go.json")));
    RestPoller poller = poller();
    assertEquals(RestPoller.Status.REJECTED, poller.poll(CoinCapStream.ASSETS).status());
    assertEquals(RestPoller.Status.REJECTED, poller.poll(CoinCapStream.ASSETS).status());
    assertEquals(RestPoller.Status.PUBLISHED, poller.poll(CoinCapStream.ASSETS).status());
    assertEquals(2, stats.get("assets.rejects"));
    assertEquals(5, produced("coincap.assets").size(), "only the good poll's rows");

    List<String> rejects =
        Files.readAllLines(archiveDir.resolve("rejects/assets-20261121T13.ndjson"));
    assertEquals(2, rejects.size());
    JsonNode first = JSON.readTree(rejects.get(0));
    assertEquals(truncated, first.get("body").asText());
    assertTrue(first.get("error").asText().startsWith("not valid JSON"), first.toString());
    assertEquals("GET " + coincap.base() + "/assets", first.get("source").asText());
    assertEquals("missing timestamp", JSON.readTree(rejects.get(1)).get("error").asText());
    // The stream's own archive holds only the good envelope.
    assertEquals(
        1, Files.readAllLines(archiveDir.resolve("assets/assets-20261121T13.ndjson")).size());
  }

  @Test
  void unauthorizedSaysWhichVariableHoldsTheKeyAndDoesNotRetry() throws Exception {
    coincap.script("/assets", Answer.status(401, "{\"error\":\"Unauthorized\"}"));
    CoinCapRefusedException refused =
        assertThrows(CoinCapRefusedException.class, () -> poller().poll(CoinCapStream.ASSETS));
    assertTrue(
        refused.getMessage().contains("refused the API key in COINCAP_API_KEY"),
        refused.getMessage());
    assertTrue(refused.getMessage().contains("HTTP 401"), refused.getMessage());
    assertEquals(1, coincap.requests().size());
    assertEquals(List.of(), time.sleeps());

    coincap.script("/rates", Answer.status(403, "forbidden"));
    CoinCapRefusedException noKey =
        assertThrows(
            CoinCapRefusedException.class,
            () -> poller("", Duration.ofSeconds(5), 5).poll(CoinCapStream.RATES));
    assertTrue(noKey.getMessage().contains("COINCAP_API_KEY is not set"), noKey.getMessage());
    assertEquals(null, coincap.requests().get(1).authorization(), "no key, no header");
  }

  @Test
  void theV2ShutdownBodyIsRefusedWithWhatToChange() throws Exception {
    String body = fixture("v2-deprecation-response_x-cmd-issue217.json");
    coincap.script("/assets", Answer.ok(body));
    CoinCapRefusedException refused =
        assertThrows(CoinCapRefusedException.class, () -> poller().poll(CoinCapStream.ASSETS));
    String message = refused.getMessage();
    assertTrue(message.contains("COINCAP_REST_URL=https://rest.coincap.io/v3"), message);
    assertTrue(message.contains("We are deprecating this version of the CoinCap API"), message);
    assertEquals(0, produced("coincap.assets").size());
    try (Stream<Path> rejects = Files.list(archiveDir.resolve("rejects"))) {
      List<String> lines = new ArrayList<>();
      for (Path p : rejects.toList()) {
        lines.addAll(Files.readAllLines(p));
      }
      assertEquals(1, lines.size());
      assertEquals(body, JSON.readTree(lines.get(0)).get("body").asText());
    }
  }

  @Test
  void theArchiveRollsOverWithTheHour() throws Exception {
    String body = fixture("assets_softronaut-coincap-go.json");
    coincap.script("/assets", Answer.ok(body));
    RestPoller poller = poller();
    poller.poll(CoinCapStream.ASSETS);
    time.advance(Duration.ofMinutes(2)); // 14:01
    poller.poll(CoinCapStream.ASSETS);
    assertEquals(
        1, Files.readAllLines(archiveDir.resolve("assets/assets-20261121T13.ndjson")).size());
    assertEquals(
        1, Files.readAllLines(archiveDir.resolve("assets/assets-20261121T14.ndjson")).size());
  }
}

package io.coinbeam.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.coinbeam.catalog.CoinCapStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Settings from the environment, natural keys, back-off ceilings and price rows. */
class IngestConfigAndKeysTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void defaultsAreTheContractsValues() {
    IngestConfig config = IngestConfig.fromEnvironment(Map.of());
    assertEquals("https://rest.coincap.io/v3", config.restBase());
    assertEquals("wss://ws.coincap.io/trades", config.tradesSocketUrl().toString());
    assertEquals("wss://wss.coincap.io/prices", config.pricesSocketUrl().toString());
    assertEquals("localhost:9092", config.bootstrapServers());
    assertEquals(List.of("binance", "coinbase", "kraken"), config.exchanges());
    assertEquals(List.of("bitcoin", "ethereum"), config.assets());
    assertEquals(Path.of("captures"), config.archiveDir());
    assertEquals(
        Map.of(
            CoinCapStream.ASSETS, Duration.ofSeconds(60),
            CoinCapStream.RATES, Duration.ofMinutes(5),
            CoinCapStream.EXCHANGES, Duration.ofMinutes(5),
            CoinCapStream.MARKETS, Duration.ofMinutes(5)),
        config.pollIntervals());
    assertFalse(config.hasApiKey());
    assertFalse(config.restUrlLooksLikeV2());
  }

  @Test
  void settingsAreReadAndBadOnesNamed() {
    IngestConfig config =
        IngestConfig.fromEnvironment(
            Map.of(
                "COINCAP_REST_URL", "https://api.coincap.io/v2/",
                "INGEST_POLL_MARKETS", "0",
                "INGEST_POLL_RATES", "PT15M",
                "INGEST_EXCHANGES", " gemini , ,bitso ",
                "COINCAP_API_KEY", " k "));
    assertTrue(config.restUrlLooksLikeV2());
    assertEquals("https://api.coincap.io/v2", config.restBase());
    assertEquals(Duration.ZERO, config.pollIntervals().get(CoinCapStream.MARKETS));
    assertEquals(Duration.ofMinutes(15), config.pollIntervals().get(CoinCapStream.RATES));
    assertEquals(List.of("gemini", "bitso"), config.exchanges());
    assertEquals("k", config.apiKey());
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class,
            () -> IngestConfig.fromEnvironment(Map.of("INGEST_POLL_ASSETS", "soon")));
    assertTrue(bad.getMessage().startsWith("INGEST_POLL_ASSETS=soon"), bad.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> IngestConfig.fromEnvironment(Map.of("COINCAP_REST_URL", "rest.coincap.io")));
  }

  @Test
  void naturalKeysPerStream() throws Exception {
    assertEquals(
        "binance:bitcoin:tether",
        RowKeys.of(
            CoinCapStream.TRADES,
            JSON.readTree("{\"exchange\":\"binance\",\"base\":\"bitcoin\",\"quote\":\"tether\"}")));
    assertNull(
        RowKeys.of(
            CoinCapStream.TRADES, JSON.readTree("{\"exchange\":\"binance\",\"base\":\"x\"}")));
    assertEquals(
        "bitcoin", RowKeys.of(CoinCapStream.ASSETS, JSON.readTree("{\"id\":\"bitcoin\"}")));
    assertEquals("euro", RowKeys.of(CoinCapStream.RATES, JSON.readTree("{\"id\":\"euro\"}")));
    assertEquals("okex", RowKeys.of(CoinCapStream.EXCHANGES, JSON.readTree("{\"id\":\"okex\"}")));
    assertEquals(
        "kraken",
        RowKeys.of(
            CoinCapStream.EXCHANGES, JSON.readTree("{\"exchangeId\":\"kraken\",\"id\":\"old\"}")));
    assertEquals(
        "kraken:bitcoin:euro",
        RowKeys.of(
            CoinCapStream.MARKETS,
            JSON.readTree(
                "{\"exchangeId\":\"kraken\",\"baseId\":\"bitcoin\",\"quoteId\":\"euro\"}")));
    assertNull(RowKeys.of(CoinCapStream.ASSETS, JSON.readTree("{\"id\":null}")));
    assertNull(RowKeys.of(CoinCapStream.ASSETS, JSON.readTree("{\"id\":{\"a\":1}}")));
    assertNull(RowKeys.of(CoinCapStream.ASSETS, JSON.readTree("\"84739.05\"")));
  }

  @Test
  void backoffCeilingsDoubleUpToTheCap() {
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), new Random(1));
    assertEquals(Duration.ofSeconds(1), backoff.ceiling(0));
    assertEquals(Duration.ofSeconds(8), backoff.ceiling(3));
    assertEquals(Duration.ofSeconds(60), backoff.ceiling(6));
    assertEquals(Duration.ofSeconds(60), backoff.ceiling(500));
    for (int attempt = 0; attempt < 20; attempt++) {
      Duration d = backoff.delay(attempt);
      assertFalse(d.isNegative());
      assertTrue(d.compareTo(backoff.ceiling(attempt)) <= 0, d + " at " + attempt);
    }
    assertEquals(Duration.ofSeconds(600), backoff.retryAfter(Duration.ofDays(1)), "capped at 10x");
    assertEquals(Duration.ofSeconds(7), backoff.retryAfter(Duration.ofSeconds(7)));
  }

  @Test
  void pricesMessagesBecomeOneRowPerAsset() throws Exception {
    List<KafkaRow> rows =
        SocketHandlers.priceRows("{\"bitcoin\":\"6929.82\",\"tether\":1.0001}", 1_700_000_000_000L);
    assertEquals(
        List.of(
            new KafkaRow(
                "coincap.prices",
                "bitcoin",
                "{\"asset\":\"bitcoin\",\"priceUsd\":\"6929.82\",\"timestamp\":1700000000000}",
                1_700_000_000_000L),
            new KafkaRow(
                "coincap.prices",
                "tether",
                "{\"asset\":\"tether\",\"priceUsd\":\"1.0001\",\"timestamp\":1700000000000}",
                1_700_000_000_000L)),
        rows);
    assertThrows(Exception.class, () -> SocketHandlers.priceRows("{}", 1L));
    assertThrows(Exception.class, () -> SocketHandlers.priceRows("{\"bitcoin\":[1]}", 1L));
  }
}

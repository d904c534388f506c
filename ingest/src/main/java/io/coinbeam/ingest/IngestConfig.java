package io.coinbeam.ingest;

import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.flags.Durations;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ingester's settings, all from the environment (names fixed in the contract), so that the API
 * key never appears on a command line or in a file of the repository.
 *
 * @param apiKey COINCAP_API_KEY (blank: none)
 * @param restUrl COINCAP_REST_URL, default https://rest.coincap.io/v3
 * @param tradesSocketUrl COINCAP_TRADES_WS_URL, default wss://ws.coincap.io/trades
 * @param pricesSocketUrl COINCAP_PRICES_WS_URL, default wss://wss.coincap.io/prices
 * @param bootstrapServers KAFKA_BOOTSTRAP_SERVERS, default localhost:9092
 * @param exchanges INGEST_EXCHANGES: the trades sockets to open, default binance,coinbase,kraken
 *     (empty: none)
 * @param assets INGEST_ASSETS: the prices socket's assets, default bitcoin,ethereum (empty: no
 *     prices socket)
 * @param archiveDir INGEST_ARCHIVE_DIR, default captures
 * @param pollIntervals INGEST_POLL_ASSETS / _RATES / _EXCHANGES / _MARKETS (0: do not poll)
 */
public record IngestConfig(
    String apiKey,
    URI restUrl,
    URI tradesSocketUrl,
    URI pricesSocketUrl,
    String bootstrapServers,
    List<String> exchanges,
    List<String> assets,
    Path archiveDir,
    Map<CoinCapStream, Duration> pollIntervals) {

  public static final String API_KEY = "COINCAP_API_KEY";
  public static final String REST_URL = "COINCAP_REST_URL";

  /** Reads the settings; throws IllegalArgumentException naming the variable that is wrong. */
  public static IngestConfig fromEnvironment(Map<String, String> env) {
    Map<CoinCapStream, Duration> intervals = new EnumMap<>(CoinCapStream.class);
    intervals.put(CoinCapStream.ASSETS, interval(env, "INGEST_POLL_ASSETS", "60s"));
    intervals.put(CoinCapStream.RATES, interval(env, "INGEST_POLL_RATES", "5m"));
    intervals.put(CoinCapStream.EXCHANGES, interval(env, "INGEST_POLL_EXCHANGES", "5m"));
    intervals.put(CoinCapStream.MARKETS, interval(env, "INGEST_POLL_MARKETS", "5m"));
    return new IngestConfig(
        env.getOrDefault(API_KEY, "").trim(),
        uri(env, REST_URL, "https://rest.coincap.io/v3"),
        uri(env, "COINCAP_TRADES_WS_URL", "wss://ws.coincap.io/trades"),
        uri(env, "COINCAP_PRICES_WS_URL", "wss://wss.coincap.io/prices"),
        value(env, "KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
        list(env.getOrDefault("INGEST_EXCHANGES", "binance,coinbase,kraken")),
        list(env.getOrDefault("INGEST_ASSETS", "bitcoin,ethereum")),
        Path.of(value(env, "INGEST_ARCHIVE_DIR", "captures")),
        Map.copyOf(intervals));
  }

  public boolean hasApiKey() {
    return !apiKey.isBlank();
  }

  /** The REST base URL without a trailing slash, e.g. https://rest.coincap.io/v3. */
  public String restBase() {
    String base = restUrl.toString();
    return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  /** True when the REST URL names CoinCap's retired v2 API. */
  public boolean restUrlLooksLikeV2() {
    return restBase().toLowerCase(Locale.ROOT).endsWith("/v2");
  }

  private static String value(Map<String, String> env, String name, String fallback) {
    String value = env.get(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  private static URI uri(Map<String, String> env, String name, String fallback) {
    String text = value(env, name, fallback);
    try {
      URI uri = new URI(text);
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new IllegalArgumentException(name + "=" + text + " is not an absolute URL");
      }
      return uri;
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException(name + "=" + text + " is not a URL: " + e.getMessage());
    }
  }

  private static Duration interval(Map<String, String> env, String name, String fallback) {
    String text = value(env, name, fallback);
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    try {
      return Durations.parse(name, text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          name + "=" + text + " is not a duration; use e.g. 60s, 5m or 1h (0 turns polling off)");
    }
  }

  private static List<String> list(String text) {
    List<String> items = new ArrayList<>();
    for (String item : text.split(",")) {
      if (!item.isBlank()) {
        items.add(item.trim());
      }
    }
    return List.copyOf(items);
  }
}

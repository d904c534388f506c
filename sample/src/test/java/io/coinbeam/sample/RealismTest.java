package io.coinbeam.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coinbeam.catalog.CoinCapStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundled sample looks like CoinCap: the shapes, quirks and faults the pipeline must meet. */
class RealismTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern REST_NUMBER = Pattern.compile("-?\\d+\\.\\d{16}");

  @TempDir static Path dir;
  static Manifest manifest;

  @BeforeAll
  static void generate() throws IOException {
    manifest = SampleGenerator.generate(SampleGenerator.BUNDLED_SAMPLE, dir);
  }

  @Test
  void tradesLookLikeTheSocket() throws IOException {
    List<JsonNode> trades = valid(CoinCapStream.TRADES);
    Set<String> exchanges = new TreeSet<>();
    Set<String> quotes = new TreeSet<>();
    Set<String> directions = new TreeSet<>();
    Map<String, Double> euroRates = euroRates();
    int nonWholeSeconds = 0;
    for (JsonNode t : trades) {
      assertTrue(t.get("price").isNumber() && t.get("volume").isNumber(), "JSON numbers: " + t);
      String exchange = t.get("exchange").asText();
      String quote = t.get("quote").asText();
      long timestamp = t.get("timestamp").asLong();
      double price = t.get("price").asDouble();
      double priceUsd = t.get("priceUsd").asDouble();
      exchanges.add(exchange);
      quotes.add(quote);
      directions.add(t.get("direction").asText());
      if (exchange.equals("gemini")) {
        assertEquals(0, timestamp % 1000, "gemini sends whole seconds: " + t);
      } else if (timestamp % 1000 != 0) {
        nonWholeSeconds++;
      }
      switch (t.get("base").asText()) {
        case "bitcoin" -> {
          if (!quote.equals("mexican-peso")) {
            assertTrue(priceUsd > 55_000 && priceUsd < 72_000, "bitcoin near 63k: " + t);
          }
        }
        case "shiba-inu" -> assertTrue(price > 1e-5 && price < 1e-4, "sub-cent: " + t);
        default -> {}
      }
      if (quote.equals("united-states-dollar")) {
        assertEquals(price, priceUsd, "priceUsd of a dollar pair is its price: " + t);
      }
      if (quote.equals("euro")) {
        // priceUsd follows the euro's rate of the same minute in /rates, within its drift.
        String minute = Long.toString(timestamp / 60_000);
        Double rate = euroRates.get(minute);
        if (rate != null) {
          assertEquals(rate, priceUsd / price, rate * 2e-3, "euro rate: " + t);
        }
      }
    }
    assertTrue(exchanges.containsAll(Set.of("binance", "kraken", "coinbase", "bitso", "gemini")));
    assertTrue(quotes.containsAll(Set.of("tether", "united-states-dollar", "euro", "bitcoin")));
    assertEquals(Set.of("buy", "sell"), directions);
    assertTrue(nonWholeSeconds > trades.size() / 2);

    Manifest.StreamCounts counts = manifest.stream(CoinCapStream.TRADES);
    assertTrue(counts.outOfOrder() > counts.late() && counts.late() >= 2, "late: " + counts);
    assertTrue(counts.duplicates() >= 2 && counts.badRecords() >= 1 && counts.badRows() >= 4);
    assertTrue(counts.firstEventMillis() >= Config.DEFAULT_START.toEpochMilli());
  }

  @Test
  void snapshotsHaveEveryFileShapeAndFault() {
    for (CoinCapStream stream :
        List.of(
            CoinCapStream.ASSETS,
            CoinCapStream.RATES,
            CoinCapStream.EXCHANGES,
            CoinCapStream.MARKETS)) {
      Manifest.StreamCounts counts = manifest.stream(stream);
      List<String> paths = counts.files().stream().map(Manifest.FileCounts::path).toList();
      assertTrue(paths.stream().anyMatch(p -> p.endsWith(".json")), stream + ": a document file");
      assertTrue(paths.stream().anyMatch(p -> p.endsWith(".ndjson")), stream + ": NDJSON");
      assertTrue(paths.stream().anyMatch(p -> p.endsWith(".ndjson.gz")), stream + ": gzip");
      assertEquals(
          Set.of("truncated-json", "v2-shutdown-body"),
          kinds(counts, Manifest.Level.RECORD),
          stream.id());
      assertEquals(1, counts.badRows(), stream.id());
      assertEquals(1, counts.duplicates(), stream.id());
      assertEquals(
          SampleGenerator.BUNDLED_SAMPLE.minutes() + 2,
          counts.records(),
          stream.id() + ": a poll a minute (one of them cut off), a re-sent one, a shutdown body");
    }
  }

  @Test
  void restRowsUseStringsWithSixteenDecimalsAndNulls() throws IOException {
    Map<String, Integer> nulls = new TreeMap<>();
    int idKeys = 0;
    int exchangeIdKeys = 0;
    for (CoinCapStream stream :
        List.of(
            CoinCapStream.ASSETS,
            CoinCapStream.RATES,
            CoinCapStream.EXCHANGES,
            CoinCapStream.MARKETS)) {
      for (JsonNode row : rows(stream)) {
        var fields = row.fields();
        while (fields.hasNext()) {
          var field = fields.next();
          String key = field.getKey();
          JsonNode value = field.getValue();
          if (value.isNull()) {
            nulls.merge(stream.id() + "." + key, 1, Integer::sum);
          } else if (Set.of(
                      "priceUsd",
                      "supply",
                      "marketCapUsd",
                      "rateUsd",
                      "volumeUsd24Hr",
                      "priceQuote",
                      "volumeUsd")
                  .contains(key)
              && !value.asText().equals("n/a")) {
            assertTrue(
                value.isTextual() && REST_NUMBER.matcher(value.asText()).matches(),
                key + ": " + row);
          } else if (Set.of("rank", "tradingPairs", "tradesCount24Hr").contains(key)) {
            assertTrue(value.isTextual() && value.asText().matches("\\d+"), key + ": " + row);
          } else if (Set.of("updated").contains(key)) {
            assertTrue(value.isNumber(), key + ": " + row);
          }
        }
        idKeys += stream == CoinCapStream.EXCHANGES && row.has("id") ? 1 : 0;
        exchangeIdKeys += stream == CoinCapStream.EXCHANGES && row.has("exchangeId") ? 1 : 0;
      }
    }
    for (String key :
        List.of(
            "assets.maxSupply",
            "assets.vwap24Hr",
            "assets.explorer",
            "rates.currencySymbol",
            "exchanges.volumeUsd",
            "exchanges.percentTotalVolume")) {
      assertTrue(nulls.getOrDefault(key, 0) > 0, key + " is sometimes null: " + nulls);
    }
    assertTrue(idKeys > 0 && exchangeIdKeys > 0, "both the early and the later exchanges key");
  }

  @Test
  void marketsShowOnePairOnSeveralExchangesAtSlightlyDifferentPrices() throws IOException {
    Map<String, List<Double>> pricesByPairAndPoll = new TreeMap<>();
    Set<String> exchangesSeen = new TreeSet<>();
    for (JsonNode envelope : envelopes(CoinCapStream.MARKETS)) {
      if (envelope.toString().contains("\"n/a\"")) {
        continue; // the poll with the one bad row
      }
      for (JsonNode row : envelope.get("data")) {
        exchangesSeen.add(row.get("exchangeId").asText());
        pricesByPairAndPoll
            .computeIfAbsent(
                row.get("baseId").asText()
                    + "/"
                    + row.get("quoteId").asText()
                    + "@"
                    + envelope.get("timestamp"),
                k -> new ArrayList<>())
            .add(Double.parseDouble(row.get("priceUsd").asText()));
      }
    }
    assertTrue(exchangesSeen.size() >= 4);
    boolean spread = false;
    for (var entry : pricesByPairAndPoll.entrySet()) {
      List<Double> prices = entry.getValue();
      assertTrue(prices.size() >= 2, entry.getKey() + " is on several exchanges");
      double min = prices.stream().mapToDouble(d -> d).min().orElseThrow();
      double max = prices.stream().mapToDouble(d -> d).max().orElseThrow();
      assertTrue((max - min) / min < 0.01, entry + ": prices within 1%");
      spread |= max > min;
    }
    assertTrue(spread);
  }

  @Test
  void assetPricesAgreeWithTrades() throws IOException {
    double assetBitcoin = 0;
    for (JsonNode row : rows(CoinCapStream.ASSETS)) {
      if (row.get("id").asText().equals("bitcoin") && !row.get("priceUsd").asText().equals("n/a")) {
        assetBitcoin = Double.parseDouble(row.get("priceUsd").asText());
        break;
      }
    }
    JsonNode firstBitcoinTrade =
        valid(CoinCapStream.TRADES).stream()
            .filter(t -> t.get("base").asText().equals("bitcoin"))
            .findFirst()
            .orElseThrow();
    assertEquals(assetBitcoin, firstBitcoinTrade.get("priceUsd").asDouble(), assetBitcoin * 0.005);
  }

  private static Set<String> kinds(Manifest.StreamCounts counts, Manifest.Level level) {
    Set<String> kinds = new TreeSet<>();
    counts.rejects().stream().filter(r -> r.level() == level).forEach(r -> kinds.add(r.kind()));
    return kinds;
  }

  private static Map<String, Double> euroRates() throws IOException {
    Map<String, Double> rates = new TreeMap<>();
    for (JsonNode envelope : envelopes(CoinCapStream.RATES)) {
      for (JsonNode row : envelope.get("data")) {
        if (row.get("id").asText().equals("euro") && !row.get("rateUsd").asText().equals("n/a")) {
          rates.put(
              Long.toString(envelope.get("timestamp").asLong() / 60_000),
              Double.parseDouble(row.get("rateUsd").asText()));
        }
      }
    }
    return rates;
  }

  /** The well-formed JSON records of a stream with an array {@code data} (snapshots). */
  private static List<JsonNode> envelopes(CoinCapStream stream) throws IOException {
    List<JsonNode> envelopes = new ArrayList<>();
    for (JsonNode node : parsed(stream)) {
      if (node.path("data").isArray()) {
        envelopes.add(node);
      }
    }
    return envelopes;
  }

  private static List<JsonNode> rows(CoinCapStream stream) throws IOException {
    List<JsonNode> rows = new ArrayList<>();
    for (JsonNode envelope : envelopes(stream)) {
      envelope.get("data").forEach(rows::add);
    }
    return rows;
  }

  /** Trade lines the manifest calls valid. */
  private static List<JsonNode> valid(CoinCapStream stream) throws IOException {
    Set<String> bad = new TreeSet<>();
    manifest.stream(stream).rejects().forEach(r -> bad.add(r.source()));
    List<JsonNode> nodes = new ArrayList<>();
    for (Manifest.FileCounts file : manifest.stream(stream).files()) {
      for (Recount.Item item : Recount.records(dir.resolve(file.path()), file.path())) {
        if (!bad.contains(item.source())) {
          nodes.add(JSON.readTree(item.text()));
        }
      }
    }
    return nodes;
  }

  private static List<JsonNode> parsed(CoinCapStream stream) throws IOException {
    List<JsonNode> nodes = new ArrayList<>();
    for (Manifest.FileCounts file : manifest.stream(stream).files()) {
      for (Recount.Item item : Recount.records(dir.resolve(file.path()), file.path())) {
        try {
          nodes.add(JSON.readTree(item.text()));
        } catch (IOException e) {
          // a truncated record: the manifest tests account for it
        }
      }
    }
    return nodes;
  }
}

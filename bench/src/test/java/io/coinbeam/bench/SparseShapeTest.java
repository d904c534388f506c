package io.coinbeam.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.sample.Config;
import io.coinbeam.sample.Manifest;
import io.coinbeam.sample.SampleGenerator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's second data shape comes from the project's generator: {@code --pairs P} spreads
 * the trades evenly over P pairs on numbered venues, deterministically, and leaves the default (the
 * bundled sample's recipe) as it was.
 */
class SparseShapeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** Valid trades per pair (exchange/base/quote) in the generated trade files. */
  private static Map<String, Integer> tradesPerPair(Path trades) throws Exception {
    Map<String, Integer> counts = new HashMap<>();
    try (var files = Files.list(trades)) {
      for (Path file : files.sorted().toList()) {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          JsonNode node;
          try {
            node = JSON.readTree(line);
          } catch (Exception truncated) {
            continue;
          }
          String pair =
              node.path("exchange").asText()
                  + "/"
                  + node.path("base").asText()
                  + "/"
                  + node.path("quote").asText();
          counts.merge(pair, 1, Integer::sum);
        }
      }
    }
    return counts;
  }

  @Test
  void tradesSpreadEvenlyOverTheRequestedPairs() throws Exception {
    // 96 pairs: the generator's 24 markets on four venues each (binance, binance-1, -2, -3).
    Config config = BenchData.config(48_000, 3, 960, 2, 96);
    SampleGenerator.generate(config, dir);
    Map<String, Integer> counts = tradesPerPair(dir.resolve("trades"));
    assertEquals(96, counts.size(), counts.keySet().toString());
    assertTrue(counts.containsKey("binance-3/bitcoin/tether"), counts.keySet().toString());
    assertTrue(counts.containsKey("gemini-1/solana/united-states-dollar"));
    assertFalse(counts.containsKey("binance-4/bitcoin/tether"));
    // Equal shares: 500 lines per pair expected; a binomial spread of about 22.
    for (Map.Entry<String, Integer> pair : counts.entrySet()) {
      int n = pair.getValue();
      assertTrue(n > 400 && n < 600, pair.toString());
    }
  }

  @Test
  void fiveTradesPerPairAndMinuteGiveAboutFiveTradesPerCandle() throws Exception {
    // The benchmark's sparse recipe scaled down: 40 pairs at 200 trades per minute, 100 minutes.
    Manifest manifest = SampleGenerator.generate(BenchData.config(20_000, 42, 200, 2, 40), dir);
    assertEquals(
        0,
        BaselineCandles.run(
            new String[] {
              "--input=" + dir.resolve("trades") + "/*", "--output=" + dir.resolve("o")
            }));
    OutputChecksum.Fingerprint candles = OutputChecksum.of(dir.resolve("o/trade_candles"));
    assertEquals(manifest.stream(CoinCapStream.TRADES).rows(), candles.trades());
    // 40 x 100 candles if every pair traded every minute; Poisson(5) leaves e^-5 = 0.7 % empty,
    // and late trades open a few candles past the end.
    assertTrue(candles.rows() > 3900 && candles.rows() < 4050, candles.toString());
    double perCandle = candles.trades() / (double) candles.rows();
    assertTrue(perCandle > 4.8 && perCandle < 5.2, "trades per candle " + perCandle);
  }

  @Test
  void theSameRecipeGivesTheSameBytes() throws Exception {
    Config config = BenchData.config(5000, 9, 500, 1, 30);
    SampleGenerator.generate(config, dir.resolve("a"));
    SampleGenerator.generate(config, dir.resolve("b"));
    String file = "trades/trades-0000.ndjson";
    assertArrayEquals(
        Files.readAllBytes(dir.resolve("a").resolve(file)),
        Files.readAllBytes(dir.resolve("b").resolve(file)));
  }

  @Test
  void pairsAreInTheRecipeOnlyWhenSet() throws Exception {
    Config sparse = BenchData.config(2000, 1, 100, 1, 400);
    assertEquals(400, sparse.pairs());
    assertEquals(List.of("--pairs", "400"), sparse.toArgs().subList(12, 14));
    Manifest written = SampleGenerator.generate(sparse, dir.resolve("s"));
    assertEquals(sparse, Manifest.read(dir.resolve("s")).config());
    assertTrue(written.toJson().contains("\"pairs\": 400"));

    // The sample's own markets: no pairs key, no flag, so existing manifests read as before.
    Config dense = BenchData.config(2000, 1, 100, 1);
    assertEquals(0, dense.pairs());
    assertFalse(dense.toArgs().contains("--pairs"));
    Manifest plain = SampleGenerator.generate(dense, dir.resolve("d"));
    assertFalse(plain.toJson().contains("pairs"));
    assertEquals(dense, Manifest.read(dir.resolve("d")).config());
    assertThrows(IllegalArgumentException.class, () -> dense.withPairs(-1));
  }

  @Test
  void theBenchmarkRunsTheSparseShapeUnlessTurnedOff() {
    List<DataShape> shapes = BenchSettings.parse(new String[0]).shapes();
    assertEquals(List.of("dense", "sparse"), shapes.stream().map(DataShape::id).toList());
    DataShape sparse = shapes.get(1);
    assertEquals(List.of(2_000_000L), sparse.sizes());
    assertEquals(400, sparse.pairs());
    assertEquals(2000, sparse.tradesPerMinute());
    assertEquals(5.0, sparse.tradesPerCandle());
    assertEquals(List.of(), sparse.largeSizes());
    assertEquals(
        "Batch throughput, sparse shape: 400 pairs, about 5 trades per candle", sparse.title());
    BenchSettings custom =
        BenchSettings.parse(new String[] {"--sparse-pairs=50", "--sparse-trades-per-minute=500"});
    assertEquals(10.0, custom.shapes().get(1).tradesPerCandle());
    assertEquals(
        List.of("dense"),
        BenchSettings.parse(new String[] {"--sparse-sizes=none"}).shapes().stream()
            .map(DataShape::id)
            .toList());
  }
}

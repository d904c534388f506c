package io.coinbeam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.metrics.InProcessTally;
import io.coinbeam.metrics.PipelineMetrics;
import io.coinbeam.model.Side;
import io.coinbeam.model.TradeMessage;
import io.coinbeam.testing.FeedCapturesByHand;
import io.coinbeam.testing.IndependentCandles;
import io.coinbeam.testing.ParquetFiles;
import io.coinbeam.testing.SharedFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every captured Binance and Coinbase frame, in one archive with CoinCap messages and broken lines
 * among them, through the batch pipeline into trade candles: each line recognised with no flag,
 * control frames counted and skipped, broken lines dead letters, and every candle equal to one
 * computed from the trades read by {@link FeedCapturesByHand} (regular expressions) by {@link
 * IndependentCandles} (plain sorting and BigDecimal sums), read back from the Parquet files the run
 * wrote.
 */
class ExchangeFramesToCandlesTest {
  @TempDir Path dir;

  /** A CoinCap message in the same archive, beside the frames. */
  private static final String COINCAP =
      "{\"exchange\":\"binance\",\"base\":\"bitcoin\",\"quote\":\"tether\",\"direction\":\"sell\","
          + "\"price\":76745.5,\"volume\":0.25,\"timestamp\":1789295134000,\"priceUsd\":76700.0}";

  private static final List<String> BROKEN =
      List.of(
          // not JSON, neither CoinCap nor exchange, and a Binance trade without a price
          "{\"stream\":\"btcusdt@trade\",\"data\":",
          "{\"hello\":\"world\"}",
          "{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"q\":\"1\",\"T\":1789295134225,\"m\":true}");

  @Test
  void capturedFramesBecomeTheCandlesOfTheirTrades() throws Exception {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files =
        Files.list(SharedFixtures.require("exchanges/SOURCES.md").getParent())) {
      for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList()) {
        Files.readAllLines(file).stream().filter(l -> !l.isBlank()).forEach(lines::add);
      }
    }
    List<TradeMessage> trades = new ArrayList<>();
    long frameLines = lines.size();
    long tradeLines = 0;
    for (String line : lines) {
      List<TradeMessage> held = FeedCapturesByHand.trades(line);
      trades.addAll(held);
      tradeLines += held.isEmpty() ? 0 : 1;
    }
    // 28 aggTrade, 7 trade twice (its own file and the whole session), 97 matches, 79 updates
    assertEquals(218, trades.size());
    trades.add(
        new TradeMessage(
            "binance", "bitcoin", "tether", Side.SELL, 76745.5, 0.25, 76700.0, 1789295134000L));
    // CoinCap's message and the broken lines go in the middle, as an archive mixes them.
    lines.add(lines.size() / 2, COINCAP);
    lines.addAll(lines.size() / 3, BROKEN);
    Path input =
        Files.write(Files.createDirectories(dir.resolve("in")).resolve("mixed.jsonl"), lines);

    InProcessTally.reset();
    int exit =
        CoinbeamPipeline.run(
            new String[] {
              "--streams=trades", "--input=" + input, "--output=" + dir.resolve("out")
            });
    assertEquals(CoinbeamPipeline.EXIT_OK, exit);

    Map<String, Long> counters = InProcessTally.counters();
    long skipped = frameLines - tradeLines;
    assertEquals(trades.size(), counters.get("trades." + PipelineMetrics.ROWS_PARSED));
    assertEquals(skipped, counters.get("trades." + PipelineMetrics.SKIPPED));
    assertEquals(3L, counters.get("trades." + PipelineMetrics.DEAD_LETTERS));
    assertEquals(
        trades.size() + skipped + 3, counters.get("trades." + PipelineMetrics.RECORDS_READ));

    List<GenericRecord> dead = ParquetFiles.readTable(dir.resolve("out/dead_letters"));
    List<String> reasons = new ArrayList<>();
    dead.forEach(d -> reasons.add(d.get("payload") + " -> " + d.get("error")));
    assertEquals(3, dead.size(), reasons.toString());
    assertTrue(reasons.stream().anyMatch(r -> r.endsWith("missing p")), reasons.toString());

    List<GenericRecord> candles = ParquetFiles.readTable(dir.resolve("out/trade_candles"));
    IndependentCandles.assertCandles(trades, candles);
    // the feeds' own exchange ids sit beside CoinCap's "binance"
    assertEquals(
        List.of(
            "binance",
            "binance-aggtrade",
            "binance-trade",
            "coinbase-market-trades",
            "coinbase-matches"),
        candles.stream().map(r -> r.get("exchange").toString()).distinct().sorted().toList());
  }
}

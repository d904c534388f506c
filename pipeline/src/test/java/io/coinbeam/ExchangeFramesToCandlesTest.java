package io.coinbeam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.metrics.InProcessTally;
import io.coinbeam.metrics.PipelineMetrics;
import io.coinbeam.model.Side;
import io.coinbeam.model.TradeMessage;
import io.coinbeam.testing.FeedCapturesByHand;
import io.coinbeam.testing.ParquetFiles;
import io.coinbeam.testing.SharedFixtures;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every captured Binance and Coinbase frame, in one archive with CoinCap messages and broken lines
 * among them, through the batch pipeline into trade candles: each line recognised with no flag,
 * control frames counted and skipped, broken lines dead letters, and every candle equal to one
 * computed here from the trades read by {@link FeedCapturesByHand} (regular expressions, plain
 * sorting and BigDecimal sums), read back from the Parquet files the run wrote.
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

    assertCandles(trades, ParquetFiles.readTable(dir.resolve("out/trade_candles")));
  }

  /** The candles of {@code trades}, computed here, against the rows the run wrote. */
  private static void assertCandles(List<TradeMessage> trades, List<GenericRecord> rows) {
    Map<String, List<TradeMessage>> byCandle = new TreeMap<>();
    for (TradeMessage t : trades) {
      long start = t.timestampMillis() - Math.floorMod(t.timestampMillis(), 60_000L);
      byCandle
          .computeIfAbsent(
              t.exchange() + "|" + t.base() + "|" + t.quote() + "|" + start, k -> new ArrayList<>())
          .add(t);
    }
    Map<String, GenericRecord> actual = new TreeMap<>();
    for (GenericRecord row : rows) {
      actual.put(
          row.get("exchange")
              + "|"
              + row.get("base")
              + "|"
              + row.get("quote")
              + "|"
              + row.get("window_start"),
          row);
    }
    assertEquals(byCandle.keySet(), actual.keySet());
    // the feeds' own exchange ids sit beside CoinCap's "binance"
    assertEquals(
        List.of(
            "binance",
            "binance-aggtrade",
            "binance-trade",
            "coinbase-market-trades",
            "coinbase-matches"),
        actual.values().stream()
            .map(r -> r.get("exchange").toString())
            .distinct()
            .sorted()
            .toList());
    for (Map.Entry<String, List<TradeMessage>> candle : byCandle.entrySet()) {
      List<TradeMessage> ts = new ArrayList<>(candle.getValue());
      ts.sort(
          Comparator.comparingLong(TradeMessage::timestampMillis)
              .thenComparingDouble(TradeMessage::price)
              .thenComparingDouble(TradeMessage::volume));
      BigDecimal volume = BigDecimal.ZERO;
      BigDecimal volumeUsd = BigDecimal.ZERO;
      BigDecimal notional = BigDecimal.ZERO;
      BigDecimal buyVolume = BigDecimal.ZERO;
      double high = Double.NEGATIVE_INFINITY;
      double low = Double.POSITIVE_INFINITY;
      long buys = 0;
      for (TradeMessage t : ts) {
        BigDecimal v = new BigDecimal(t.volume());
        volume = volume.add(v);
        volumeUsd = volumeUsd.add(v.multiply(new BigDecimal(t.priceUsd())));
        notional = notional.add(v.multiply(new BigDecimal(t.price())));
        if (t.side() == Side.BUY) {
          buys++;
          buyVolume = buyVolume.add(v);
        }
        high = Math.max(high, t.price());
        low = Math.min(low, t.price());
      }
      GenericRecord row = actual.get(candle.getKey());
      String at = candle.getKey();
      assertEquals(ts.get(0).price(), row.get("open"), at);
      assertEquals(ts.get(ts.size() - 1).price(), row.get("close"), at);
      assertEquals(high, row.get("high"), at);
      assertEquals(low, row.get("low"), at);
      assertEquals(volume.doubleValue(), row.get("volume"), at);
      assertEquals(volumeUsd.doubleValue(), row.get("volume_usd"), at);
      double vwap = notional.divide(volume, MathContext.DECIMAL128).doubleValue();
      assertEquals(vwap, (Double) row.get("vwap"), 2 * Math.ulp(vwap), at);
      assertEquals((long) ts.size(), row.get("trade_count"), at);
      assertEquals(buys, row.get("buy_count"), at);
      assertEquals(buyVolume.doubleValue(), row.get("buy_volume"), at);
      assertEquals(volume.subtract(buyVolume).doubleValue(), row.get("sell_volume"), at);
      assertEquals(ts.get(0).timestampMillis(), row.get("first_trade_at"), at);
      assertEquals(ts.get(ts.size() - 1).timestampMillis(), row.get("last_trade_at"), at);
    }
  }
}

package io.coinbeam.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.catalog.CoinCapStream;
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
 * DuckDB's SQL must compute the candles the pipeline computes, or its ratio means nothing: exact
 * candles for hand-made trades (ordering ties, whole seconds, every kind of bad line), and the
 * baseline's rows on generated data.
 */
class DuckDbCandlesTest {
  /** 2024-05-07T12:00:00Z, a minute boundary. */
  private static final long W = 1_715_083_200_000L;

  @TempDir Path dir;

  private static String trade(
      String exchange, String direction, String price, String volume, long ts, String usd) {
    return "{\"exchange\":\""
        + exchange
        + "\",\"base\":\"b\",\"quote\":\"q\",\"direction\":\""
        + direction
        + "\",\"price\":"
        + price
        + ",\"volume\":"
        + volume
        + ",\"timestamp\":"
        + ts
        + ",\"priceUsd\":"
        + usd
        + "}";
  }

  @Test
  void handMadeTradesGiveHandComputedCandles() throws Exception {
    List<String> lines =
        List.of(
            trade("x", "buy", "10", "2", W + 1000, "10"),
            // Same millisecond, lower price: first in (timestamp, price, volume) order, the open.
            trade("x", "sell", "9", "1", W + 1000, "9"),
            trade("x", "buy", "12", "1", W + 30_000, "12.5"),
            trade("x", "sell", "11", "4", W + 59_999, "11"),
            // Whole seconds: 12:00:59, before the last trade, and the high.
            trade("x", "buy", "13", "1", (W + 59_000) / 1000, "13"),
            // Same last millisecond, lower price: not the close.
            trade("x", "buy", "10.5", "2", W + 59_999, "10.5"),
            // The next minute; numeric strings and a direction to trim and lower-case.
            trade("x", " BUY ", "\"20\"", "\"0.5\"", W + 60_000, "20"),
            trade("y", "sell", "100", "0.25", W + 5000, "100"),
            // Bad lines: none of these may count.
            trade("x", "sell", "\"abc\"", "1", W, "1"),
            "{\"exchange\":\"x\",\"base\":\"b\",\"quote\":\"q\",\"direction\":\"buy\",\"price\":1,"
                + "\"timestamp\":"
                + W
                + ",\"priceUsd\":1}",
            trade("x", "hold", "1", "1", W, "1"),
            trade("x", "buy", "1", "-1", W, "1"),
            trade("x", "buy", "0", "1", W, "1"),
            trade("x", "buy", "1", "1", W, "-1"),
            trade("x", "buy", "1", "1", 1000, "1"),
            trade("  ", "buy", "1", "1", W, "1"),
            "{\"exchange\":\"x\",\"base\":\"b\",\"quote\":\"q\",\"direction\":\"buy\",\"pri",
            "not json at all");
    Path in = dir.resolve("in");
    Files.createDirectories(in);
    Files.write(in.resolve("trades-0000.ndjson"), lines, StandardCharsets.UTF_8);

    assertEquals(
        0,
        DuckDbCandles.run(new String[] {"--input=" + in + "/*", "--output=" + dir.resolve("out")}));
    Map<String, Map<String, Object>> candles = new HashMap<>();
    for (Map<String, Object> row : OutputChecksum.readRows(dir.resolve("out/trade_candles"))) {
      candles.put(row.get("exchange") + "@" + row.get("window_start"), row);
    }
    assertEquals(3, candles.size(), candles.keySet().toString());

    Map<String, Object> a = candles.get("x@" + W);
    assertEquals("b", a.get("base"));
    assertEquals("q", a.get("quote"));
    assertEquals(W + 60_000, a.get("window_end"));
    assertEquals(9.0, a.get("open"));
    assertEquals(13.0, a.get("high"));
    assertEquals(9.0, a.get("low"));
    assertEquals(11.0, a.get("close"));
    assertEquals(11.0, a.get("volume")); // 2 + 1 + 1 + 4 + 1 + 2
    assertEquals(119.5, a.get("volume_usd")); // 20 + 9 + 12.5 + 44 + 13 + 21
    assertEquals(119.0 / 11.0, a.get("vwap")); // (20 + 9 + 12 + 44 + 13 + 21) / 11
    assertEquals(6L, a.get("trade_count"));
    assertEquals(4L, a.get("buy_count"));
    assertEquals(2L, a.get("sell_count"));
    assertEquals(6.0, a.get("buy_volume"));
    assertEquals(5.0, a.get("sell_volume"));
    assertEquals(W + 1000, a.get("first_trade_at"));
    assertEquals(W + 59_999, a.get("last_trade_at"));
    assertEquals(null, a.get("pane_timing"));
    assertEquals(null, a.get("pane_index"));

    Map<String, Object> b = candles.get("x@" + (W + 60_000));
    assertEquals(20.0, b.get("open"));
    assertEquals(20.0, b.get("close"));
    assertEquals(0.5, b.get("volume"));
    assertEquals(10.0, b.get("volume_usd"));
    assertEquals(20.0, b.get("vwap"));
    assertEquals(1L, b.get("trade_count"));
    assertEquals(1L, b.get("buy_count"));
    assertEquals(0L, b.get("sell_count"));
    assertEquals(0.0, b.get("sell_volume"));
    assertEquals(W + 60_000, b.get("first_trade_at"));

    Map<String, Object> c = candles.get("y@" + W);
    assertEquals(100.0, c.get("open"));
    assertEquals(25.0, c.get("volume_usd"));
    assertEquals(0L, c.get("buy_count"));
    assertEquals(1L, c.get("sell_count"));
    assertEquals(0.0, c.get("buy_volume"));
    assertEquals(0.25, c.get("sell_volume"));
  }

  @Test
  void generatedTradesGiveTheBaselinesRows() throws Exception {
    // 30 minutes over 40 pairs, 3 files: bad lines of every kind, duplicates, late and
    // whole-second trades, about 10 trades per candle.
    Manifest manifest =
        SampleGenerator.generate(BenchData.config(12_000, 7, 400, 3, 40), dir.resolve("in"));
    String input = dir.resolve("in/trades") + "/*";
    assertEquals(
        0, BaselineCandles.run(new String[] {"--input=" + input, "--output=" + dir.resolve("b")}));
    assertEquals(
        0, DuckDbCandles.run(new String[] {"--input=" + input, "--output=" + dir.resolve("d")}));
    List<Map<String, Object>> baseline = OutputChecksum.readRows(dir.resolve("b/trade_candles"));
    List<Map<String, Object>> duckdb = OutputChecksum.readRows(dir.resolve("d/trade_candles"));
    OutputComparison.Result result = OutputComparison.compare(baseline, duckdb);
    assertTrue(result.same(), result.differences().toString());
    assertEquals(manifest.stream(CoinCapStream.TRADES).rows(), OutputChecksum.of(duckdb).trades());
    assertTrue(manifest.stream(CoinCapStream.TRADES).deadLetters() > 20, "bad lines exercised");
  }

  @Test
  void wrongFlagsAndMissingInputAreExitCodes() {
    assertEquals(2, DuckDbCandles.run(new String[] {"--input=x"}));
    assertEquals(2, DuckDbCandles.run(new String[] {"--bogus=1"}));
    assertEquals(
        1,
        DuckDbCandles.run(
            new String[] {"--input=" + dir.resolve("none") + "/*", "--output=" + dir}));
  }
}

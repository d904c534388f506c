package io.coinbeam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.rows.DeadLetters;
import io.coinbeam.testing.ParquetFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * One run over a corpus of bad input of every kind the pipeline meets, written here by hand: each
 * bad record costs only itself (a dead letter with its place and reason), the good records around
 * it are aggregated exactly, no NaN or Infinity reaches a table, and records read = rows parsed +
 * dead letters.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputCorpusTest {
  @TempDir static Path dir;
  private Path in;
  private Path out;
  private int exit;
  private String stdout;
  private List<Map<String, Object>> candles;
  private List<Map<String, Object>> assetStats;
  private List<Map<String, Object>> deadLetters;

  /** 2024-05-07T12:00:00Z. */
  private static final long T0 = 1_715_083_200_000L;

  private static String trade(String exchange, String side, double price, double volume, long ts) {
    return String.format(
        java.util.Locale.ROOT,
        "{\"exchange\":\"%s\",\"base\":\"bitcoin\",\"quote\":\"tether\",\"direction\":\"%s\","
            + "\"price\":%s,\"volume\":%s,\"priceUsd\":%s,\"timestamp\":%d}",
        exchange,
        side,
        price,
        volume,
        price,
        ts);
  }

  @BeforeAll
  void runOnTheCorpus() throws Exception {
    in = dir.resolve("in");
    out = dir.resolve("out");
    Path trades = Files.createDirectories(in.resolve("trades"));
    String good = trade("binance", "buy", 100, 2, T0);
    byte[] notUtf8 =
        concat(
            bytes("{\"exchange\":\"bin"),
            new byte[] {(byte) 0xC0, (byte) 0xAF},
            bytes("ance\",\"base\":\"bitcoin\"}"));
    Files.write(
        trades.resolve("a.ndjson"),
        concat(
            bytes(good + "\n"), // line 1
            bytes(good + "\n"), // line 2: the same message again, a second trade
            notUtf8, // line 3
            bytes("\n" + trade("binance", "buy", 1e200, 2, T0 + 1) + "\n"), // line 4
            bytes(
                "{\"exchange\":\"binance\",\"base\":\"bitcoin\",\"quote\":\"tether\","
                    + "\"direction\":\"buy\",\"price\":\"2\",\"volume\":\"1e160\","
                    + "\"priceUsd\":\"2\",\"timestamp\":"
                    + (T0 + 2)
                    + "}\n"), // line 5
            bytes(
                "{\"exchange\":\"binance\",\"base\":\"bitcoin\",\"quote\":\"tether\","
                    + "\"direction\":\"buy\",\"price\":3,\"volume\":1,\"priceUsd\":\"NaN\","
                    + "\"timestamp\":"
                    + (T0 + 3)
                    + "}\n"), // line 6
            bytes(
                "{\"exchange\":\"binance\",\"base\":\"bitcoin\",\"quote\":\"tether\","
                    + "\"direction\":\"buy\",\"price\":1e400,\"volume\":1,\"priceUsd\":3,"
                    + "\"timestamp\":"
                    + (T0 + 4)
                    + "}\n"), // line 7
            bytes(trade("binance", "sell", 102, 1, T0 + 30_000) + "\n"), // line 8
            bytes("   \n"), // line 9: blank, not a record
            bytes("{\"exchange\":\"binance\",\"base\n"))); // line 10: cut short
    // 3,000 kraken trades, one per 10 ms from T0, gzipped and then cut in the middle.
    StringBuilder kraken = new StringBuilder();
    for (int i = 0; i < 3000; i++) {
      kraken.append(trade("kraken", "buy", 50, 0.5, T0 + 10L * i)).append('\n');
    }
    byte[] gz = gzip(bytes(kraken.toString()));
    Files.write(trades.resolve("b.ndjson.gz"), Arrays.copyOf(gz, gz.length / 2));
    // The gzip magic and then garbage: damaged from its first block.
    byte[] junk = new byte[64];
    new java.util.Random(7).nextBytes(junk);
    Files.write(trades.resolve("c.ndjson.gz"), concat(new byte[] {0x1f, (byte) 0x8b, 8, 0}, junk));

    Path assets = Files.createDirectories(in.resolve("assets"));
    Files.writeString(
        assets.resolve("assets.ndjson"),
        "{\"timestamp\":"
            + T0
            + ",\"data\":["
            + "{\"id\":\"bitcoin\",\"symbol\":\"BTC\",\"name\":\"Bitcoin\",\"rank\":\"1\","
            + "\"priceUsd\":\"63000.5\",\"marketCapUsd\":\"1.2e12\"},"
            + "{\"id\":\"ethereum\",\"symbol\":\"ETH\",\"name\":\"Ethereum\",\"rank\":\"2\","
            + "\"priceUsd\":\"3100\",\"marketCapUsd\":\"1e200\"},"
            + "{\"id\":\"tether\",\"symbol\":\"USDT\",\"name\":\"Tether\",\"rank\":\"3\","
            + "\"priceUsd\":\"Infinity\"}"
            + "]}\n");

    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      exit =
          CoinbeamPipeline.run(
              new String[] {
                "--streams=trades,assets", "--input=" + in + "/{stream}/*", "--output=" + out
              });
    } finally {
      System.setOut(original);
    }
    stdout = captured.toString(StandardCharsets.UTF_8);
    candles = ParquetFiles.readRows(out.resolve("trade_candles"), CoinCapStream.TRADES.table());
    assetStats = ParquetFiles.readRows(out.resolve("asset_stats"), CoinCapStream.ASSETS.table());
    deadLetters = ParquetFiles.readRows(out.resolve("dead_letters"), DeadLetters.table());
  }

  private Map<String, String> deadLetterErrors() {
    Map<String, String> errors = new TreeMap<>();
    for (Map<String, Object> row : deadLetters) {
      String source = row.get("source").toString().substring(in.toString().length() + 1);
      errors.put(source, row.get("error").toString());
    }
    return errors;
  }

  /** The line the truncated gzip broke off after, as its dead letter says. */
  private int krakenLinesRead() {
    Matcher m =
        Pattern.compile("the file breaks off after line (\\d+) ")
            .matcher(deadLetterErrors().get(krakenBreakSource()));
    assertTrue(m.find());
    return Integer.parseInt(m.group(1));
  }

  private String krakenBreakSource() {
    return deadLetterErrors().keySet().stream()
        .filter(s -> s.startsWith("trades/b.ndjson.gz:"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void theRunSucceedsAndSaysEveryRecordIsAccountedFor() {
    assertEquals(CoinbeamPipeline.EXIT_OK, exit, stdout);
    assertTrue(stdout.contains("Every record is accounted for"), stdout);
    int kraken = krakenLinesRead();
    // trades: 3 good lines of a.ndjson + the kraken lines before the cut are rows; 6 bad lines of
    // a.ndjson, the cut and the damaged file are dead letters. assets: 1 row, 2 dead letters.
    // Candles: binance and kraken, all in the 12:00 minute (the kraken trades span < 30 s).
    Pattern row =
        Pattern.compile("(?m)^(\\w+)\\s+([\\d,]+)\\s+([\\d,]+)\\s+([\\d,]+)\\s+\\w+\\s+([\\d,]+)$");
    Matcher m = row.matcher(stdout);
    Map<String, List<Long>> counts = new TreeMap<>();
    while (m.find()) {
      counts.put(
          m.group(1),
          List.of(number(m.group(2)), number(m.group(3)), number(m.group(4)), number(m.group(5))));
    }
    assertEquals(List.of(3L + kraken + 8, 3L + kraken, 8L, 2L), counts.get("trades"));
    assertEquals(List.of(3L, 1L, 2L, 1L), counts.get("assets"));
  }

  private static long number(String text) {
    return Long.parseLong(text.replace(",", ""));
  }

  @Test
  void everyBadRecordIsADeadLetterWithItsPlaceAndReason() {
    Map<String, String> errors = deadLetterErrors();
    assertEquals(
        "not valid UTF-8 (byte 0xC0 at byte 17)",
        errors.get("trades/a.ndjson:3"),
        errors.toString());
    assertTrue(errors.get("trades/a.ndjson:4").startsWith("price: 1.0E200 is out of range"));
    assertTrue(errors.get("trades/a.ndjson:5").startsWith("volume: 1.0E160 is out of range"));
    assertEquals("priceUsd: not a number: \"NaN\"", errors.get("trades/a.ndjson:6"));
    assertEquals("price: not a finite number: Infinity", errors.get("trades/a.ndjson:7"));
    assertTrue(errors.get("trades/a.ndjson:10").startsWith("not valid JSON"));
    assertTrue(
        errors.get(krakenBreakSource()).contains("EOFException"), errors.get(krakenBreakSource()));
    String damaged =
        errors.keySet().stream().filter(s -> s.startsWith("trades/c.ndjson.gz")).findFirst().get();
    assertTrue(
        errors.get(damaged).startsWith("the file breaks off after line 0 ("), errors.get(damaged));
    assertTrue(
        errors
            .get("assets/assets.ndjson:1#data[1]")
            .startsWith("marketCapUsd: 1.0E200 is out of range"));
    assertEquals(
        "priceUsd: not a number: \"Infinity\"", errors.get("assets/assets.ndjson:1#data[2]"));
    assertEquals(10, errors.size(), errors.toString());
  }

  @Test
  void identicalTradeLinesAreTwoTradesAndTheGoodLinesAroundTheBadOnesAreExact() {
    Map<String, Object> candle =
        candles.stream().filter(c -> c.get("exchange").equals("binance")).findFirst().get();
    // Trades 100 x 2 (twice: two identical lines are two trades, see README "Input") and 102 x 1.
    assertEquals(100.0, candle.get("open"));
    assertEquals(102.0, candle.get("close"));
    assertEquals(102.0, candle.get("high"));
    assertEquals(100.0, candle.get("low"));
    assertEquals(5.0, candle.get("volume"));
    assertEquals(502.0, candle.get("volume_usd"));
    assertEquals(100.4, candle.get("vwap"));
    assertEquals(3L, candle.get("trade_count"));
    assertEquals(2L, candle.get("buy_count"));
    assertEquals(1L, candle.get("sell_count"));
    assertEquals(4.0, candle.get("buy_volume"));
    assertEquals(1.0, candle.get("sell_volume"));
  }

  @Test
  void theLinesOfACutGzipBeforeTheCutAreAggregated() {
    int kraken = krakenLinesRead();
    assertTrue(kraken > 0 && kraken < 3000, "kraken lines read: " + kraken);
    long trades =
        candles.stream()
            .filter(c -> c.get("exchange").equals("kraken"))
            .mapToLong(c -> (Long) c.get("trade_count"))
            .sum();
    assertEquals(kraken, trades);
  }

  @Test
  void noTableHoldsNaNOrInfinity() {
    for (List<Map<String, Object>> table : List.of(candles, assetStats)) {
      for (Map<String, Object> row : table) {
        row.forEach(
            (column, value) -> {
              if (value instanceof Double d) {
                assertTrue(Double.isFinite(d), column + " = " + d + " in " + row);
              }
            });
      }
    }
    assertEquals(1, assetStats.size());
    assertEquals("bitcoin", assetStats.get(0).get("asset_id"));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      all.writeBytes(part);
    }
    return all.toByteArray();
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(all)) {
      gz.write(bytes);
    }
    return all.toByteArray();
  }
}

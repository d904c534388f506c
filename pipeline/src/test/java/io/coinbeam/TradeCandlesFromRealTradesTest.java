package io.coinbeam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.testing.ParquetFiles;
import io.coinbeam.testing.SharedFixtures;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole batch path (files, parse, window, aggregate, Parquet) on real exchange trades, checked
 * against candles computed here independently: plain sorting and BigDecimal arithmetic, every key
 * and every column, read back from the Parquet files the run wrote.
 */
class TradeCandlesFromRealTradesTest {
  @TempDir Path dir;

  /** One real trade as the test reads it from a CSV, before it becomes a socket message. */
  private record Trade(long millis, BigDecimal price, BigDecimal volume, boolean buy) {}

  /** freqtrade's order-flow capture: {@code ,timestamp,id,type,side,price,amount,cost,date}, ms. */
  @Test
  void orderFlowTradesWithOneBadLine() throws Exception {
    List<Trade> trades = new ArrayList<>();
    for (String line :
        Files.readAllLines(
            SharedFixtures.require(
                "ticks/trades_csv_freqtrade-orderflow-public_trades_list.csv"))) {
      String[] f = line.split(",");
      if (f[1].equals("timestamp")) {
        continue;
      }
      trades.add(
          new Trade(
              Long.parseLong(f[1]),
              new BigDecimal(f[5]),
              new BigDecimal(f[6]),
              f[4].equals("buy")));
    }
    assertEquals(1000, trades.size());
    List<String> lines = messages("binance", "ethereum", "tether", trades, false);
    // One malformed line among the good ones: it must end in dead_letters, with its line number.
    lines.add(
        500,
        "{\"exchange\":\"binance\",\"base\":\"ethereum\",\"quote\":\"tether\",\"direction\":\"buy\",");
    Path input = Files.createDirectories(dir.resolve("in"));
    Files.write(input.resolve("orderflow.ndjson"), lines);

    runAndCompare(input.resolve("orderflow.ndjson"), "binance", "ethereum", "tether", trades, 1);

    List<GenericRecord> dead = ParquetFiles.readTable(dir.resolve("out/dead_letters"));
    assertEquals(1, dead.size());
    assertEquals("trades", dead.get(0).get("stream").toString());
    assertTrue(dead.get(0).get("source").toString().endsWith("orderflow.ndjson:501"));
    assertTrue(dead.get(0).get("error").toString().startsWith("not valid JSON"));
  }

  /** Kraken BCH/EUR, {@code seconds,price,volume}: whole-second timestamps, sent as seconds. */
  @Test
  void krakenTradesWithTimestampsInSeconds() throws Exception {
    List<Trade> trades = new ArrayList<>();
    int i = 0;
    for (String line :
        Files.readAllLines(
            SharedFixtures.require("ticks/trades_csv_freqtrade-kraken-BCHEUR.csv"))) {
      String[] f = line.split(",");
      // The capture has no side; alternate so both sides are exercised.
      trades.add(
          new Trade(
              Long.parseLong(f[0]) * 1000,
              new BigDecimal(f[1]),
              new BigDecimal(f[2]),
              i++ % 3 == 0));
    }
    assertEquals(148, trades.size());
    Path input = Files.createDirectories(dir.resolve("in"));
    Files.write(
        input.resolve("kraken.ndjson"), messages("kraken", "bitcoin-cash", "euro", trades, true));

    runAndCompare(input.resolve("kraken.ndjson"), "kraken", "bitcoin-cash", "euro", trades, 0);
    assertEquals(List.of(), ParquetFiles.readTable(dir.resolve("out/dead_letters")));
  }

  private static List<String> messages(
      String exchange, String base, String quote, List<Trade> trades, boolean timestampInSeconds) {
    List<String> lines = new ArrayList<>();
    for (Trade t : trades) {
      lines.add(
          String.format(
              Locale.ROOT,
              "{\"exchange\":\"%s\",\"base\":\"%s\",\"quote\":\"%s\",\"direction\":\"%s\","
                  + "\"price\":%s,\"volume\":%s,\"timestamp\":%d,\"priceUsd\":%s,\"extra\":null}",
              exchange,
              base,
              quote,
              t.buy ? "buy" : "sell",
              t.price.toPlainString(),
              t.volume.toPlainString(),
              timestampInSeconds ? t.millis / 1000 : t.millis,
              // A made-up USD conversion, so volume_usd differs from price x volume.
              t.price.multiply(new BigDecimal("1.25")).toPlainString()));
    }
    return lines;
  }

  private void runAndCompare(
      Path input, String exchange, String base, String quote, List<Trade> trades, int expectedDead)
      throws IOException {
    int exit =
        CoinbeamPipeline.run(
            new String[] {
              "--streams=trades", "--input=" + input, "--output=" + dir.resolve("out"),
            });
    assertEquals(CoinbeamPipeline.EXIT_OK, exit);

    Map<Long, List<Trade>> byMinute = new TreeMap<>();
    for (Trade t : trades) {
      byMinute
          .computeIfAbsent(t.millis - Math.floorMod(t.millis, 60_000L), k -> new ArrayList<>())
          .add(t);
    }
    Map<Long, GenericRecord> actual = new HashMap<>();
    for (GenericRecord row : ParquetFiles.readTable(dir.resolve("out/trade_candles"))) {
      assertEquals(exchange, row.get("exchange").toString());
      assertEquals(base, row.get("base").toString());
      assertEquals(quote, row.get("quote").toString());
      actual.put((Long) row.get("window_start"), row);
    }
    assertEquals(byMinute.keySet(), actual.keySet(), "one candle per minute that has trades");

    long totalTrades = 0;
    for (Map.Entry<Long, List<Trade>> minute : byMinute.entrySet()) {
      List<Trade> ts = new ArrayList<>(minute.getValue());
      ts.sort(
          Comparator.comparingLong(Trade::millis)
              .thenComparing(Trade::price)
              .thenComparing(Trade::volume));
      BigDecimal volume = BigDecimal.ZERO;
      BigDecimal volumeUsd = BigDecimal.ZERO;
      BigDecimal notional = BigDecimal.ZERO;
      BigDecimal buyVolume = BigDecimal.ZERO;
      BigDecimal sellVolume = BigDecimal.ZERO;
      BigDecimal high = ts.get(0).price;
      BigDecimal low = ts.get(0).price;
      long buys = 0;
      for (Trade t : ts) {
        // The pipeline parses decimals into doubles: the exact sums are of those doubles.
        BigDecimal p = new BigDecimal(t.price.doubleValue());
        BigDecimal v = new BigDecimal(t.volume.doubleValue());
        BigDecimal usd = new BigDecimal(t.price.multiply(new BigDecimal("1.25")).doubleValue());
        volume = volume.add(v);
        volumeUsd = volumeUsd.add(v.multiply(usd));
        notional = notional.add(p.multiply(v));
        if (t.buy) {
          buys++;
          buyVolume = buyVolume.add(v);
        } else {
          sellVolume = sellVolume.add(v);
        }
        high = high.max(t.price);
        low = low.min(t.price);
      }
      GenericRecord row = actual.get(minute.getKey());
      String at = "candle at " + minute.getKey();
      assertEquals(minute.getKey() + 60_000L, row.get("window_end"), at);
      assertEquals(ts.get(0).price.doubleValue(), row.get("open"), at);
      assertEquals(ts.get(ts.size() - 1).price.doubleValue(), row.get("close"), at);
      assertEquals(high.doubleValue(), row.get("high"), at);
      assertEquals(low.doubleValue(), row.get("low"), at);
      assertEquals(volume.doubleValue(), row.get("volume"), at);
      assertEquals(volumeUsd.doubleValue(), row.get("volume_usd"), at);
      double vwap = notional.divide(volume, MathContext.DECIMAL128).doubleValue();
      assertEquals(vwap, (Double) row.get("vwap"), 2 * Math.ulp(vwap), at);
      assertEquals((long) ts.size(), row.get("trade_count"), at);
      assertEquals(buys, row.get("buy_count"), at);
      assertEquals(ts.size() - buys, row.get("sell_count"), at);
      assertEquals(buyVolume.doubleValue(), row.get("buy_volume"), at);
      assertEquals(sellVolume.doubleValue(), row.get("sell_volume"), at);
      assertEquals(ts.get(0).millis, row.get("first_trade_at"), at);
      assertEquals(ts.get(ts.size() - 1).millis, row.get("last_trade_at"), at);
      assertEquals(null, row.get("pane_timing"), at);
      assertEquals(null, row.get("pane_index"), at);
      totalTrades += (Long) row.get("trade_count");
    }
    assertEquals(trades.size(), totalTrades, "every parsed trade is in exactly one candle");
  }
}

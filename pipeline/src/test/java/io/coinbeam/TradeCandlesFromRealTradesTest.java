package io.coinbeam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.model.Side;
import io.coinbeam.model.TradeMessage;
import io.coinbeam.testing.IndependentCandles;
import io.coinbeam.testing.ParquetFiles;
import io.coinbeam.testing.SharedFixtures;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole batch path (files, parse, window, aggregate, Parquet) on real exchange trades, checked
 * against candles computed independently ({@link IndependentCandles}: plain sorting and BigDecimal
 * arithmetic), every key and every column, read back from the Parquet files the run wrote.
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

    List<TradeMessage> messages = new ArrayList<>();
    for (Trade t : trades) {
      messages.add(
          new TradeMessage(
              exchange,
              base,
              quote,
              t.buy ? Side.BUY : Side.SELL,
              t.price.doubleValue(),
              t.volume.doubleValue(),
              t.price.multiply(new BigDecimal("1.25")).doubleValue(),
              t.millis));
    }
    List<GenericRecord> rows = ParquetFiles.readTable(dir.resolve("out/trade_candles"));
    IndependentCandles.assertCandles(messages, rows);
    long totalTrades = 0;
    for (GenericRecord row : rows) {
      totalTrades += (Long) row.get("trade_count");
    }
    assertEquals(trades.size(), totalTrades, "every parsed trade is in exactly one candle");
  }
}

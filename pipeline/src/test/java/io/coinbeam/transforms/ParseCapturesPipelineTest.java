package io.coinbeam.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.io.files.ReadCaptureFiles;
import io.coinbeam.model.AssetSnapshot;
import io.coinbeam.model.Timestamped;
import io.coinbeam.model.TradeMessage;
import io.coinbeam.testing.BeamPipelineExtension;
import io.coinbeam.testing.SharedFixtures;
import io.coinbeam.transforms.aggregate.AssetStats;
import io.coinbeam.transforms.aggregate.RateStats;
import io.coinbeam.transforms.aggregate.TradeCandles;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real captures through the file reader and the parse step in a pipeline: what becomes rows, what
 * becomes dead letters, with which source and reason. Skipped where ../shared/fixtures is absent.
 */
class ParseCapturesPipelineTest {
  @RegisterExtension final BeamPipelineExtension beam = new BeamPipelineExtension();

  private <T extends Record & Timestamped> PCollectionTuple parse(
      StreamSpec<T> spec, String fixture) {
    String path = SharedFixtures.require(fixture).toString();
    return beam.pipeline()
        .apply(ReadCaptureFiles.from(path))
        .apply(new ParseRecords<>(spec, ParseRecords.fileShape(spec)));
  }

  @Test
  void theV3PriceBySymbolBodyIsFiveRowDeadLetters() {
    AssetStats spec = new AssetStats();
    ParseRecords<AssetSnapshot> parser = new ParseRecords<>(spec, ParseRecords.Shape.ENVELOPE);
    String path =
        SharedFixtures.require("coincap/price-bysymbol_v3_dxzielinski-readme.json").toString();
    PCollectionTuple out = beam.pipeline().apply(ReadCaptureFiles.from(path)).apply(parser);
    PAssert.that(out.get(parser.rows())).empty();
    PAssert.that(out.get(ParseRecords.DEAD_LETTERS))
        .satisfies(
            dead -> {
              List<String> sources = new ArrayList<>();
              for (Row row : dead) {
                assertEquals("assets", row.getString("stream"));
                assertEquals("expected a JSON object per row, got STRING", row.getString("error"));
                assertTrue(
                    row.getString("payload").matches("\"[0-9.]+\""), row.getString("payload"));
                sources.add(row.getString("source"));
              }
              sources.sort(null);
              assertEquals(5, sources.size());
              for (int i = 0; i < 5; i++) {
                assertTrue(sources.get(i).endsWith(".json:1#data[" + i + "]"), sources.get(i));
              }
              return null;
            });
    beam.pipeline().run().waitUntilFinish();
  }

  @Test
  void theV2ShutdownBodyIsOneDeadLetterThatSaysSo() {
    PCollectionTuple out =
        parse(new AssetStats(), "coincap/v2-deprecation-response_x-cmd-issue217.json");
    PAssert.that(out.get(ParseRecords.DEAD_LETTERS))
        .satisfies(
            dead -> {
              List<Row> rows = new ArrayList<>();
              dead.forEach(rows::add);
              assertEquals(1, rows.size());
              String error = rows.get(0).getString("error");
              assertTrue(error.contains("v2 API was shut down on 2025-03-31"), error);
              assertTrue(rows.get(0).getString("payload").contains("We are deprecating"));
              return null;
            });
    beam.pipeline().run().waitUntilFinish();
  }

  @Test
  void theFakedRatesTimestampIsOneDeadLetterNamingIt() {
    PCollectionTuple out = parse(new RateStats(), "coincap/rates_solipsis-coincapV2.json");
    PAssert.that(out.get(ParseRecords.DEAD_LETTERS))
        .satisfies(
            dead -> {
              List<Row> rows = new ArrayList<>();
              dead.forEach(rows::add);
              assertEquals(1, rows.size());
              assertEquals(
                  "timestamp: 2130914394831867904 is not a time between 2009 and 2100 in epoch"
                      + " milliseconds",
                  rows.get(0).getString("error"));
              assertTrue(
                  rows.get(0).getString("source").endsWith("rates_solipsis-coincapV2.json:1"));
              return null;
            });
    beam.pipeline().run().waitUntilFinish();
  }

  @Test
  void theTradesCaptureBecomesSixOneTradeCandles() {
    TradeCandles spec = new TradeCandles();
    ParseRecords<TradeMessage> parser = new ParseRecords<>(spec, ParseRecords.Shape.ROW);
    String path =
        SharedFixtures.require("coincap/trades_ws_lab-flink-crypto-readme.jsonl").toString();
    PCollectionTuple parsed = beam.pipeline().apply(ReadCaptureFiles.from(path)).apply(parser);
    PAssert.that(parsed.get(ParseRecords.DEAD_LETTERS)).empty();
    PCollection<Row> candles =
        parsed.get(parser.rows()).apply(new ComputeAggregates<>(spec, Windowing.batch(), null));
    PAssert.that(candles)
        .satisfies(
            rows -> {
              List<Row> all = new ArrayList<>();
              rows.forEach(all::add);
              assertEquals(6, all.size(), "six trades, six (exchange, base, quote) keys");
              Row gemini =
                  all.stream()
                      .filter(r -> r.getString("quote").equals("united-states-dollar"))
                      .filter(r -> r.getString("base").equals("bitcoin"))
                      .findFirst()
                      .orElseThrow();
              // 1715075795000 = 2024-05-07T09:56:35Z: the window is 09:56:00 .. 09:57:00
              assertEquals(1_715_075_760_000L, gemini.getDateTime("window_start").getMillis());
              assertEquals(1_715_075_820_000L, gemini.getDateTime("window_end").getMillis());
              assertEquals(64119.73, gemini.getDouble("open"));
              assertEquals(64119.73, gemini.getDouble("close"));
              assertEquals(0.00031, gemini.getDouble("volume"));
              assertEquals(1L, gemini.getInt64("trade_count"));
              assertEquals(0L, gemini.getInt64("buy_count"));
              assertEquals(0.00031, gemini.getDouble("sell_volume"));
              return null;
            });
    beam.pipeline().run().waitUntilFinish();
  }
}

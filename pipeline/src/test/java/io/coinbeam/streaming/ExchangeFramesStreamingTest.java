package io.coinbeam.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.coinbeam.CoinbeamPipeline;
import io.coinbeam.broker.LocalKafkaBroker;
import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.catalog.KafkaTopics;
import io.coinbeam.ingest.KafkaPublisher;
import io.coinbeam.ingest.KafkaRow;
import io.coinbeam.metrics.PipelineMetrics;
import io.coinbeam.metrics.RunSummary;
import io.coinbeam.model.TradeMessage;
import io.coinbeam.rows.DeadLetters;
import io.coinbeam.schema.TableDefinition;
import io.coinbeam.testing.FeedCapturesByHand;
import io.coinbeam.testing.ParquetFiles;
import io.coinbeam.testing.SharedFixtures;
import io.coinbeam.testing.StreamingComparison;
import io.coinbeam.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Raw exchange frames produced to {@code coincap.trades} work in streaming as in batch: every
 * captured Binance and Coinbase frame (and two broken lines) published as it was recorded, read by
 * the streaming pipeline on the DirectRunner into PostgreSQL, and once every window has closed the
 * final panes equal the batch run's rows of the same lines, dead letters included; control frames
 * are counted as skipped, not dead-lettered.
 */
class ExchangeFramesStreamingTest {
  private static final Duration PATIENCE = Duration.ofMinutes(4);

  @TempDir Path dir;

  @Test
  void framesOnTheTopicGiveTheBatchCandles() throws Exception {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files =
        Files.list(SharedFixtures.require("exchanges/SOURCES.md").getParent())) {
      for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList()) {
        Files.readAllLines(file).stream().filter(l -> !l.isBlank()).forEach(lines::add);
      }
    }
    lines.add("{\"price\":\"1\",\"type\":\"match\",\"product_id\":\"BTC-USD\"}");
    lines.add("not json");
    // Published in time order (the feeds' files span 2021 to 2026); a line without trades takes
    // the earliest time, so it moves no watermark.
    long earliest = Long.MAX_VALUE;
    long latest = Long.MIN_VALUE;
    Map<String, Long> timeOf = new LinkedHashMap<>();
    long frameLines = 0;
    long trades = 0;
    for (String line : lines) {
      List<TradeMessage> held = FeedCapturesByHand.trades(line);
      trades += held.size();
      frameLines += held.isEmpty() ? 1 : 0;
      for (TradeMessage t : held) {
        earliest = Math.min(earliest, t.timestampMillis());
        latest = Math.max(latest, t.timestampMillis());
        timeOf.merge(line, t.timestampMillis(), Math::min);
      }
    }
    long floor = earliest;
    List<String> ordered = new ArrayList<>(lines);
    ordered.sort(Comparator.comparingLong(line -> timeOf.getOrDefault(line, floor)));

    Path input = Files.write(dir.resolve("frames.jsonl"), lines);
    Path batchOut = dir.resolve("batch");
    assertEquals(
        CoinbeamPipeline.EXIT_OK,
        CoinbeamPipeline.run(
            new String[] {"--streams=trades", "--input=" + input, "--output=" + batchOut}));
    Map<String, List<Map<String, Object>>> batch = new LinkedHashMap<>();
    for (TableDefinition table : StreamingComparison.aggregateTables()) {
      batch.put(
          table.name(),
          table.name().equals("trade_candles")
              ? ParquetFiles.readRows(batchOut.resolve(table.name()), table)
              : List.of());
    }
    batch.put(
        DeadLetters.table().name(),
        ParquetFiles.readRows(batchOut.resolve(DeadLetters.table().name()), DeadLetters.table()));
    assertEquals(2, batch.get(DeadLetters.table().name()).size());
    long batchTrades = 0;
    for (Map<String, Object> candle : batch.get("trade_candles")) {
      batchTrades += (Long) candle.get("trade_count");
    }
    assertEquals(trades, batchTrades, "every trade of the frames is in one batch candle");

    String topic = KafkaTopics.of(CoinCapStream.TRADES);
    TestPostgres.Database db = TestPostgres.freshDatabase();
    PipelineResult result = null;
    try (LocalKafkaBroker broker = LocalKafkaBroker.start();
        KafkaPublisher publisher =
            new KafkaPublisher(broker.bootstrapServers(), Duration.ofSeconds(30))) {
      broker.createTopics(List.of(topic), 1);
      for (String line : ordered) {
        publisher.publish(new KafkaRow(topic, null, line, timeOf.getOrDefault(line, floor)));
      }
      publisher.heartbeat(List.of(topic), latest + Duration.ofMinutes(10).toMillis());
      publisher.flush();
      result =
          StreamingComparison.startIntoPostgres(
              broker.bootstrapServers(), db, "exchange-frames", "--streams=trades");

      List<String> differences;
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      do {
        Thread.sleep(1000);
        try (Connection connection = db.connect()) {
          differences =
              StreamingComparison.differences(StreamingComparison.readPostgres(connection), batch);
        }
      } while (!differences.isEmpty() && System.nanoTime() < deadline);
      assertEquals(List.of(), differences);

      Map<String, Long> counters = RunSummary.counters(result);
      assertEquals(trades, counters.get("trades." + PipelineMetrics.ROWS_PARSED));
      assertEquals(frameLines - 2, counters.get("trades." + PipelineMetrics.SKIPPED));
      assertEquals(2L, counters.get("trades." + PipelineMetrics.DEAD_LETTERS));
    } finally {
      if (result != null) {
        result.cancel();
      }
    }
  }
}

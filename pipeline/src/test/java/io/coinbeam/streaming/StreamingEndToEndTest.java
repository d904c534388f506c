package io.coinbeam.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.coinbeam.CoinbeamPipeline;
import io.coinbeam.broker.LocalKafkaBroker;
import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.catalog.KafkaTopics;
import io.coinbeam.ingest.KafkaPublisher;
import io.coinbeam.ingest.KafkaRow;
import io.coinbeam.ingest.Pacer;
import io.coinbeam.ingest.Replay;
import io.coinbeam.ingest.ReplayPlan;
import io.coinbeam.ingest.Sleeper;
import io.coinbeam.metrics.PipelineMetrics;
import io.coinbeam.metrics.RunSummary;
import io.coinbeam.rows.DeadLetters;
import io.coinbeam.sample.Manifest;
import io.coinbeam.schema.TableDefinition;
import io.coinbeam.testing.ParquetFiles;
import io.coinbeam.testing.PostgresTables;
import io.coinbeam.testing.ProjectFiles;
import io.coinbeam.testing.StreamingComparison;
import io.coinbeam.testing.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.apache.beam.sdk.PipelineResult;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled sample through a real broker into the streaming pipeline on the DirectRunner, written
 * to PostgreSQL: once every window has closed, each key's final pane equals the batch row of the
 * same captures (one graph, two sources). On the way, a trade that arrives after its window fired
 * on time (within the allowed lateness) updates the candle, and one that arrives after the window
 * closed is counted as dropped and changes nothing.
 *
 * <p>Event time here moves only with the replay's watermark heartbeats (the idle rule is set to an
 * hour), so which windows are closed at each step is decided by the data, not by the clock.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamingEndToEndTest {
  private static final Duration PATIENCE = Duration.ofMinutes(6);
  private static final long MINUTE = 60_000L;
  private static final long MAX_OUT_OF_ORDER = 5_000L;

  @TempDir static Path dir;
  private final Path sample = ProjectFiles.root().resolve("data/sample");
  private LocalKafkaBroker broker;
  private KafkaPublisher publisher;
  private PipelineResult result;
  private TestPostgres.Database db;
  private final List<String> topics = new ArrayList<>();

  private Map<String, List<Map<String, Object>>> batch;
  private Map<String, Object> lateBatchRow;
  private Map<String, Object> onTimeRow;
  private Map<String, Object> lateRow;
  private double latePrice;
  private long lateTime;
  private List<String> finalDifferences;
  private Map<String, Object> tooLateBatchRow;
  private Map<String, Object> tooLateRowAfter;
  private long droppedAsLate;
  private Map<String, Long> counters;
  private long publishedTrades;
  private Map<TopicPartition, String> uncommitted;

  private static final String GROUP = "streaming-e2e";

  @BeforeAll
  void streamTheSample() throws Exception {
    batch = batchResult();
    broker = LocalKafkaBroker.start();
    CoinCapStream.parseList("all").forEach(s -> topics.add(KafkaTopics.of(s)));
    // Two partitions per topic: the watermark is the slower partition's, heartbeats reach both.
    broker.createTopics(topics, 2);
    publisher = new KafkaPublisher(broker.bootstrapServers(), Duration.ofSeconds(30));
    db = TestPostgres.freshDatabase();

    ReplayPlan plan = ReplayPlan.load(CoinCapStream.parseList("all"), sample + "/{stream}/*");
    long lastEvent = plan.entries().get(plan.entries().size() - 1).row().timestampMillis();
    Replay.replay(
        plan,
        publisher,
        new Pacer(Pacer.AS_FAST_AS_POSSIBLE, Clock.systemUTC(), Sleeper.SYSTEM),
        Clock.systemUTC(),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        time -> publisher.heartbeat(topics, time));
    publisher.flush();

    result = startPipeline();

    // A candle whose window the replay's heartbeats closed on time, still within its lateness.
    long watermark = lastEvent - MAX_OUT_OF_ORDER;
    long lastClosedEnd = Math.floorDiv(watermark, MINUTE) * MINUTE;
    lateBatchRow = pickLateCandidate(lastClosedEnd);
    Map<String, Object> key = keyOf(lateBatchRow);
    onTimeRow = awaitRow(key, row -> "ON_TIME".equals(row.get("pane_timing")));

    latePrice = (Double) lateBatchRow.get("high") + 100.0;
    long first = (Long) lateBatchRow.get("first_trade_at");
    long last = (Long) lateBatchRow.get("last_trade_at");
    lateTime = first + (last - first) / 2;
    publishTrade(lateBatchRow, latePrice, 0.5, lateTime);
    long batchTrades = (Long) lateBatchRow.get("trade_count");
    lateRow = awaitRow(key, row -> Objects.equals(row.get("trade_count"), batchTrades + 1));

    // Closes every window: its final pane fires.
    publisher.heartbeat(topics, lastEvent + Replay.FINAL_HEARTBEAT_AFTER.toMillis());
    publisher.flush();
    Map<String, List<Map<String, Object>>> expected = withLateRow(batch, lateBatchRow, lateRow);
    finalDifferences = StreamingComparison.awaitNoDifferences(db, expected, PATIENCE);

    // Long after its window closed: dropped and counted. The earliest window, closed long before
    // the replay's last heartbeat (whatever order the batch files hold the candles in): a later
    // one may still be open if the final heartbeat is not yet read (the tables above already
    // equal the batch from early and on-time panes), and then the trade is late, not too late.
    tooLateBatchRow = earliestCandle(batch.get("trade_candles"));
    publishTrade(
        tooLateBatchRow,
        (Double) tooLateBatchRow.get("high") + 1.0,
        1.0,
        ((Long) tooLateBatchRow.get("window_start")) + 1000);
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (RunSummary.droppedAsLate(result) < 1 && System.nanoTime() < deadline) {
      Thread.sleep(500);
    }
    droppedAsLate = RunSummary.droppedAsLate(result);
    counters = RunSummary.counters(result);
    tooLateRowAfter = readRow(keyOf(tooLateBatchRow));
    uncommitted = awaitCommittedOffsets(lastEvent);
  }

  /**
   * Waits until the pipeline's consumer group has committed every partition's offsets up to the end
   * as it stands now; returns the partitions still behind, with their committed and end offsets.
   * The Direct runner finalizes a reader's checkpoint (the reader commits then) when its next read
   * finds records, and the reader commits from its own poll thread, so a commit is lost when the
   * runner closes that reader first (Direct replaces its reader now and then): a heartbeat per
   * partition is published every second while waiting, as a live stream keeps records coming, and
   * each read after one commits again.
   */
  private Map<TopicPartition, String> awaitCommittedOffsets(long lastEvent) throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
      for (String topic : topics) {
        for (int partition = 0; partition < 2; partition++) {
          latest.put(new TopicPartition(topic, partition), OffsetSpec.latest());
        }
      }
      Map<TopicPartition, Long> ends = new LinkedHashMap<>();
      admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
      long beat = lastEvent + Replay.FINAL_HEARTBEAT_AFTER.toMillis() + MINUTE;
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      Map<TopicPartition, String> behind = new LinkedHashMap<>();
      do {
        publisher.heartbeat(topics, beat += 1000);
        publisher.flush();
        behind.clear();
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
        ends.forEach(
            (tp, end) -> {
              OffsetAndMetadata at = committed.get(tp);
              if (at == null || at.offset() < end) {
                behind.put(tp, (at == null ? "none" : at.offset()) + " of " + end);
              }
            });
        if (!behind.isEmpty()) {
          Thread.sleep(1000);
        }
      } while (!behind.isEmpty() && System.nanoTime() < deadline);
      return behind;
    }
  }

  @AfterAll
  void stop() throws Exception {
    if (result != null) {
      result.cancel();
    }
    if (publisher != null) {
      publisher.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  private Map<String, List<Map<String, Object>>> batchResult() throws Exception {
    Path out = dir.resolve("batch");
    int exit =
        CoinbeamPipeline.run(
            new String[] {
              "--input=" + sample + "/{stream}/*", "--output=" + out, "--sinks=parquet"
            });
    assertEquals(CoinbeamPipeline.EXIT_OK, exit, "the batch run failed");
    Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();
    for (TableDefinition table : StreamingComparison.aggregateTables()) {
      tables.put(table.name(), ParquetFiles.readRows(out.resolve(table.name()), table));
    }
    tables.put(
        DeadLetters.table().name(),
        ParquetFiles.readRows(out.resolve(DeadLetters.table().name()), DeadLetters.table()));
    return tables;
  }

  private PipelineResult startPipeline() {
    return StreamingComparison.startIntoPostgres(broker.bootstrapServers(), db, GROUP);
  }

  /** The candle of the earliest window; of those, the first by pair. */
  private static Map<String, Object> earliestCandle(List<Map<String, Object>> candles) {
    Comparator<Map<String, Object>> order =
        Comparator.comparing((Map<String, Object> row) -> (Long) row.get("window_start"));
    for (String column : List.of("exchange", "base", "quote")) {
      order = order.thenComparing(row -> String.valueOf(row.get(column)));
    }
    return candles.stream().min(order).orElseThrow();
  }

  /** A batch candle in a window ending at {@code end} or a minute before, with room inside. */
  private Map<String, Object> pickLateCandidate(long end) {
    for (long windowEnd : new long[] {end, end - MINUTE}) {
      for (Map<String, Object> row : batch.get("trade_candles")) {
        if ((Long) row.get("window_end") == windowEnd
            && (Long) row.get("last_trade_at") - (Long) row.get("first_trade_at") >= 2) {
          return row;
        }
      }
    }
    throw new AssertionError("no candle in the windows ending at " + end + " or a minute before");
  }

  private static Map<String, Object> keyOf(Map<String, Object> candle) {
    Map<String, Object> key = new LinkedHashMap<>();
    for (String column : CoinCapStream.TRADES.table().key()) {
      key.put(column, candle.get(column));
    }
    return key;
  }

  private void publishTrade(Map<String, Object> candle, double price, double volume, long time) {
    String value =
        String.format(
            Locale.ROOT,
            "{\"exchange\":\"%s\",\"base\":\"%s\",\"quote\":\"%s\",\"direction\":\"buy\","
                + "\"price\":%s,\"volume\":%s,\"timestamp\":%d,\"priceUsd\":%s}",
            candle.get("exchange"),
            candle.get("base"),
            candle.get("quote"),
            price,
            volume,
            time,
            price);
    String key = candle.get("exchange") + ":" + candle.get("base") + ":" + candle.get("quote");
    publisher.publish(new KafkaRow(KafkaTopics.of(CoinCapStream.TRADES), key, value, time));
    publisher.flush();
    publishedTrades++;
  }

  private Map<String, Object> readRow(Map<String, Object> key) throws Exception {
    TableDefinition candles = CoinCapStream.TRADES.table();
    try (Connection connection = db.connect()) {
      for (Map<String, Object> row : PostgresTables.read(connection, candles)) {
        if (keyOf(row).equals(key)) {
          return row;
        }
      }
    }
    return null;
  }

  private Map<String, Object> awaitRow(Map<String, Object> key, Predicate<Map<String, Object>> ok)
      throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    Map<String, Object> row = null;
    while (System.nanoTime() < deadline) {
      row = readRow(key);
      if (row != null && ok.test(row)) {
        return row;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the candle " + key + " never reached the expected pane; last " + row);
  }

  /** The batch tables with one candle replaced by the streamed one (checked on its own below). */
  private static Map<String, List<Map<String, Object>>> withLateRow(
      Map<String, List<Map<String, Object>>> batch,
      Map<String, Object> batchRow,
      Map<String, Object> streamedRow) {
    Map<String, List<Map<String, Object>>> expected = new LinkedHashMap<>(batch);
    List<Map<String, Object>> candles = new ArrayList<>();
    for (Map<String, Object> row : batch.get("trade_candles")) {
      candles.add(row == batchRow ? streamedRow : row);
    }
    expected.put("trade_candles", candles);
    return expected;
  }

  @Test
  void everyFinalPaneEqualsTheBatchRow() {
    assertEquals(List.of(), finalDifferences);
  }

  /** What a restarted job resumes from: every offset read, committed under the group. */
  @Test
  void theOffsetsOfEveryRecordReadAreCommittedUnderTheGroup() {
    assertEquals(Map.of(), uncommitted, "partitions whose committed offset is behind the end");
  }

  @Test
  void everyRecordWasReadAndAccountedFor() throws Exception {
    // The sample's trades records, as its manifest counts them, plus the trades this test
    // published.
    long sampleTrades = Manifest.read(sample).stream(CoinCapStream.TRADES).recordsRead();
    assertEquals(2, publishedTrades, "the late trade and the one beyond the lateness");
    assertEquals(
        sampleTrades + publishedTrades, counters.get("trades." + PipelineMetrics.RECORDS_READ));
    long deadLetters = 0;
    for (CoinCapStream stream : CoinCapStream.values()) {
      deadLetters += counters.getOrDefault(stream.id() + "." + PipelineMetrics.DEAD_LETTERS, 0L);
    }
    assertEquals(batch.get("dead_letters").size(), deadLetters);
  }

  @Test
  void aTradeWithinTheLatenessUpdatesItsCandle() {
    assertEquals("ON_TIME", onTimeRow.get("pane_timing"), "fired on time before the late trade");
    assertEquals("LATE", lateRow.get("pane_timing"));
    Map<String, Object> before = lateBatchRow;
    assertEquals((Long) before.get("trade_count") + 1, lateRow.get("trade_count"));
    assertEquals((Long) before.get("buy_count") + 1, lateRow.get("buy_count"));
    assertEquals(before.get("sell_count"), lateRow.get("sell_count"));
    assertEquals(latePrice, lateRow.get("high"));
    assertEquals(before.get("low"), lateRow.get("low"));
    // Neither the first nor the last trade of the window: open and close stay.
    assertEquals(before.get("open"), lateRow.get("open"));
    assertEquals(before.get("close"), lateRow.get("close"));
    assertEquals((Double) before.get("volume") + 0.5, (Double) lateRow.get("volume"), 1e-9);
    assertEquals((Double) before.get("buy_volume") + 0.5, (Double) lateRow.get("buy_volume"), 1e-9);
    assertEquals(
        (Double) before.get("volume_usd") + 0.5 * latePrice,
        (Double) lateRow.get("volume_usd"),
        1e-6);
    double notional = (Double) before.get("vwap") * (Double) before.get("volume");
    assertEquals(
        (notional + 0.5 * latePrice) / ((Double) before.get("volume") + 0.5),
        (Double) lateRow.get("vwap"),
        1e-6);
    assertEquals(before.get("first_trade_at"), lateRow.get("first_trade_at"));
    assertEquals(before.get("last_trade_at"), lateRow.get("last_trade_at"));
  }

  @Test
  void aTradeBeyondTheLatenessIsCountedAndChangesNothing() {
    assertEquals(
        1L,
        droppedAsLate,
        "a trade in the window of " + tooLateBatchRow + "; that candle now: " + tooLateRowAfter);
    assertNotNull(tooLateRowAfter);
    Map<String, Object> after = new LinkedHashMap<>(tooLateRowAfter);
    after.remove("pane_timing");
    after.remove("pane_index");
    Map<String, Object> want = new LinkedHashMap<>(tooLateBatchRow);
    want.remove("pane_timing");
    want.remove("pane_index");
    assertEquals(want, after);
  }
}

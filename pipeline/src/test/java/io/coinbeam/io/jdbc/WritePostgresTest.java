package io.coinbeam.io.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.coinbeam.model.Side;
import io.coinbeam.model.TradeMessage;
import io.coinbeam.rows.BeamSchemas;
import io.coinbeam.rows.DeadLetters;
import io.coinbeam.schema.TableDefinition;
import io.coinbeam.testing.PostgresTables;
import io.coinbeam.testing.TestPostgres;
import io.coinbeam.transforms.ComputeAggregates;
import io.coinbeam.transforms.Windowing;
import io.coinbeam.transforms.aggregate.TradeCandles;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL sink against a real server: exact values, idempotent reruns, panes, duplicates.
 */
class WritePostgresTest {
  private static final TableDefinition CANDLES = TableDefinition.named("trade_candles");
  private static final TableDefinition ASSETS = TableDefinition.named("asset_stats");
  private static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");

  private TestPostgres.Database db;

  @BeforeEach
  void migratedDatabase() throws SQLException {
    db = TestPostgres.freshDatabase();
    try (Connection connection = db.connect()) {
      PostgresMigrations.migrate(connection);
    }
  }

  private static Row candle(String exchange, Instant start, double open, double volume, Long pane) {
    return Row.withSchema(BeamSchemas.of(CANDLES))
        .withFieldValue("exchange", exchange)
        .withFieldValue("base", "bitcoin")
        .withFieldValue("quote", "tether")
        .withFieldValue("window_start", start)
        .withFieldValue("window_end", start.plus(Duration.standardMinutes(1)))
        .withFieldValue("open", open)
        .withFieldValue("high", open + 1)
        .withFieldValue("low", open - 1)
        .withFieldValue("close", open)
        .withFieldValue("volume", volume)
        .withFieldValue("volume_usd", volume * open)
        .withFieldValue("vwap", open)
        .withFieldValue("trade_count", 3L)
        .withFieldValue("buy_count", 2L)
        .withFieldValue("sell_count", 1L)
        .withFieldValue("buy_volume", volume / 2)
        .withFieldValue("sell_volume", volume / 2)
        .withFieldValue("first_trade_at", start.plus(Duration.millis(1)))
        .withFieldValue("last_trade_at", start.plus(Duration.millis(59_999)))
        .withFieldValue("pane_timing", pane == null ? null : "EARLY")
        .withFieldValue("pane_index", pane)
        .build();
  }

  private void writeBatch(TableDefinition table, Row... rows) {
    Pipeline pipeline = Pipeline.create();
    pipeline
        .apply(Create.of(Arrays.asList(rows)).withRowSchema(BeamSchemas.of(table)))
        .apply(WritePostgres.to(db.target(), table));
    assertEquals(PipelineResult.State.DONE, pipeline.run().waitUntilFinish());
  }

  /** Rows through the streaming path (unbounded input), in the order given. */
  private void writeStreaming(TableDefinition table, Row... rows) {
    TestStream.Builder<Row> stream =
        TestStream.create(
            BeamSchemas.of(table),
            org.apache.beam.sdk.values.TypeDescriptors.rows(),
            r -> r,
            r -> r);
    for (Row row : rows) {
      stream = stream.addElements(TimestampedValue.of(row, T0));
    }
    Pipeline pipeline = Pipeline.create();
    pipeline.apply(stream.advanceWatermarkToInfinity()).apply(WritePostgres.to(db.target(), table));
    assertEquals(PipelineResult.State.DONE, pipeline.run().waitUntilFinish());
  }

  private List<Map<String, Object>> table(TableDefinition table, String... extra)
      throws SQLException {
    try (Connection connection = db.connect()) {
      return PostgresTables.read(connection, table, List.of(extra));
    }
  }

  @Test
  void extremeValuesComeBackAsTheSameDoubles() throws SQLException {
    double tiny = 1.2345678901234567e-8;
    double cap = 1_000_000_000_000_000.125; // 1e15 + 1/8: exactly representable, 19 digits
    Row sub = candle("bin'ance\"; DROP TABLE trade_candles;--", T0, tiny, 0.1 + 0.2, null);
    Row huge =
        Row.fromRow(candle("₿ exchange 🚀", T0, cap, Double.MIN_VALUE, Long.MAX_VALUE))
            .withFieldValue("trade_count", Long.MAX_VALUE)
            .withFieldValue("vwap", Double.MAX_VALUE)
            .build();
    writeBatch(CANDLES, sub, huge);

    List<Map<String, Object>> rows = table(CANDLES);
    assertEquals(2, rows.size());
    Map<String, Object> hostile = rows.get(0);
    assertEquals("bin'ance\"; DROP TABLE trade_candles;--", hostile.get("exchange"));
    assertEquals(tiny, (double) hostile.get("open"));
    assertEquals(tiny + 1, (double) hostile.get("high"));
    assertEquals(0.30000000000000004, (double) hostile.get("volume"));
    assertEquals(null, hostile.get("pane_index"));
    assertEquals(null, hostile.get("pane_timing"));
    assertEquals(T0.getMillis(), hostile.get("window_start"));
    assertEquals(T0.getMillis() + 59_999, hostile.get("last_trade_at"));
    Map<String, Object> big = rows.get(1);
    assertEquals("₿ exchange 🚀", big.get("exchange"));
    assertEquals(cap, (double) big.get("open"));
    assertEquals(Double.MIN_VALUE, (double) big.get("volume"));
    assertEquals(Double.MAX_VALUE, (double) big.get("vwap"));
    assertEquals(Long.MAX_VALUE, big.get("trade_count"));
    assertEquals(Long.MAX_VALUE, big.get("pane_index"));
    try (Connection connection = db.connect()) {
      // numeric holds the shortest decimal that identifies the double (what Java, JSON and
      // Parquet readers print for it), so SQL sees the same number the pipeline computed.
      assertEquals(
          List.of("1000000000000000.1"),
          PostgresMigrationsTest.strings(
              connection, "SELECT open::text FROM trade_candles WHERE exchange LIKE '₿%'"));
    }
  }

  @Test
  void runningTheSameBatchAgainLeavesEveryRowUntouched() throws SQLException {
    Row[] rows = new Row[250];
    for (int i = 0; i < rows.length; i++) {
      rows[i] =
          candle("ex" + (i % 7), T0.plus(Duration.standardMinutes(i)), 100 + i * 0.01, i, null);
    }
    writeBatch(CANDLES, rows);
    List<Map<String, Object>> first = table(CANDLES, "written_at", "xmin");
    assertEquals(250, first.size());
    writeBatch(CANDLES, rows);
    // Same values, same written_at, same row versions (xmin): nothing was rewritten.
    assertEquals(first, table(CANDLES, "written_at", "xmin"));

    Row changed = candle("ex0", T0, 42.0, 0.0, null);
    writeBatch(CANDLES, changed);
    List<Map<String, Object>> after = table(CANDLES, "written_at", "xmin");
    assertEquals(42.0, after.get(0).get("open"));
    assertNotEquals(first.get(0).get("xmin"), after.get(0).get("xmin"));
    assertEquals(first.subList(1, 250), after.subList(1, 250));
  }

  @Test
  void anOlderPaneArrivingLaterDoesNotWin() throws SQLException {
    writeStreaming(CANDLES, candle("kraken", T0, 103.0, 3.0, 3L));
    writeStreaming(CANDLES, candle("kraken", T0, 101.0, 1.0, 1L));
    assertEquals(3L, table(CANDLES).get(0).get("pane_index"));
    assertEquals(103.0, table(CANDLES).get(0).get("open"));

    // Within one run too, whatever order the panes reach the database in.
    writeStreaming(
        CANDLES,
        candle("kraken", T0, 105.0, 5.0, 5L),
        candle("kraken", T0, 104.0, 4.0, 4L),
        candle("kraken", T0, 102.0, 2.0, 2L));
    assertEquals(5L, table(CANDLES).get(0).get("pane_index"));
    assertEquals(105.0, table(CANDLES).get(0).get("open"));

    // A batch row is complete: it replaces any pane, and no pane replaces it.
    writeBatch(CANDLES, candle("kraken", T0, 200.0, 9.0, null));
    writeStreaming(CANDLES, candle("kraken", T0, 106.0, 6.0, 6L));
    assertEquals(200.0, table(CANDLES).get(0).get("open"));
    assertEquals(null, table(CANDLES).get(0).get("pane_index"));
  }

  @Test
  void streamingPanesLeaveTheFinalPaneOfEveryWindow() throws SQLException {
    IntervalWindow first = new IntervalWindow(T0, Duration.standardMinutes(1));
    TradeCandles spec = new TradeCandles();
    TestStream<TradeMessage> trades =
        TestStream.create(spec.coder())
            .advanceWatermarkTo(T0)
            .addElements(trade(10, 100.0, 1.0, Side.BUY), trade(5, 101.0, 2.0, Side.SELL))
            .advanceProcessingTime(Duration.standardSeconds(11))
            .advanceWatermarkTo(T0.plus(Duration.standardSeconds(61)))
            .addElements(trade(20, 99.0, 1.0, Side.BUY)) // late, within the lateness
            .addElements(trade(150, 98.0, 0.5, Side.SELL)) // third minute, on time
            .advanceWatermarkTo(
                T0.plus(Duration.standardMinutes(3)).plus(Duration.standardSeconds(5)))
            .addElements(trade(30, 500.0, 9.0, Side.BUY)) // beyond the lateness: dropped
            .advanceWatermarkToInfinity();
    Pipeline pipeline = Pipeline.create();
    pipeline
        .apply(trades)
        .apply(
            new ComputeAggregates<>(
                spec,
                Windowing.streaming(Duration.standardSeconds(10), Duration.standardMinutes(2)),
                null))
        .apply(WritePostgres.to(db.target(), CANDLES));
    assertEquals(PipelineResult.State.DONE, pipeline.run().waitUntilFinish());

    List<Map<String, Object>> rows = table(CANDLES);
    assertEquals(2, rows.size());
    // First minute: trades 5 s (101 x 2 sell), 10 s (100 x 1 buy), 20 s (99 x 1 buy), worked by
    // hand: open 101, high 101, low 99, close 99, volume 4, vwap (202 + 100 + 99) / 4 = 100.25.
    // Panes: early 0, on time 1, late 2, and the final pane 3 when the window closes.
    Map<String, Object> minute = rows.get(0);
    assertEquals(first.start().getMillis(), minute.get("window_start"));
    assertEquals(
        List.of(101.0, 101.0, 99.0, 99.0, 4.0, 100.25, 3L, 2L, 1L, 3L, "LATE"),
        List.of(
            minute.get("open"),
            minute.get("high"),
            minute.get("low"),
            minute.get("close"),
            minute.get("volume"),
            minute.get("vwap"),
            minute.get("trade_count"),
            minute.get("buy_count"),
            minute.get("sell_count"),
            minute.get("pane_index"),
            minute.get("pane_timing")));
    Map<String, Object> third = rows.get(1);
    assertEquals(T0.plus(Duration.standardMinutes(2)).getMillis(), third.get("window_start"));
    assertEquals(
        List.of(98.0, 0.5, 1L),
        List.of(third.get("open"), third.get("volume"), third.get("pane_index")));
  }

  private static TimestampedValue<TradeMessage> trade(
      int second, double price, double volume, Side side) {
    long millis = T0.getMillis() + second * 1000L;
    return TimestampedValue.of(
        new TradeMessage("binance", "bitcoin", "tether", side, price, volume, price, millis),
        new Instant(millis));
  }

  @Test
  void deadLettersWithOneKeyBecomeOneRowAndTheSameOneEveryRun() throws SQLException {
    List<Row> letters = new ArrayList<>();
    for (int i = 9; i >= 0; i--) {
      letters.add(
          DeadLetters.of(
              "bigquery", "bigquery:trade_candles", "{\"row\":" + i + "}", "refused", 1000L * i));
    }
    letters.add(DeadLetters.of("trades", "a.ndjson:3", "not json\u0000here", "malformed", 5L));
    writeBatch(DeadLetters.table(), letters.toArray(Row[]::new));
    List<Map<String, Object>> rows = table(DeadLetters.table(), "written_at");
    assertEquals(2, rows.size());
    assertEquals("{\"row\":0}", rows.get(0).get("payload"));
    assertEquals(0L, rows.get(0).get("observed_at"));
    assertEquals("not json\\u0000here", rows.get(1).get("payload"));
    assertEquals("malformed", rows.get(1).get("error"));

    java.util.Collections.reverse(letters);
    writeBatch(DeadLetters.table(), letters.toArray(Row[]::new));
    assertEquals(rows, table(DeadLetters.table(), "written_at"));
  }

  @Test
  void nullableSnapshotColumnsStayNull() throws SQLException {
    Row asset =
        Row.withSchema(BeamSchemas.of(ASSETS))
            .withFieldValue("asset_id", "tether")
            .withFieldValue("window_start", T0)
            .withFieldValue("window_end", T0.plus(Duration.standardMinutes(5)))
            .withFieldValue("price_usd_open", 1.0001)
            .withFieldValue("price_usd_high", 1.0002)
            .withFieldValue("price_usd_low", 0.9999)
            .withFieldValue("price_usd_close", 1.0)
            .withFieldValue("price_usd_avg", 1.00005)
            .withFieldValue("observations", 2L)
            .build();
    writeBatch(ASSETS, asset);
    Map<String, Object> row = table(ASSETS).get(0);
    assertEquals(null, row.get("max_supply"));
    assertEquals(null, row.get("rank"));
    assertEquals(null, row.get("symbol"));
    assertEquals(1.00005, row.get("price_usd_avg"));
    assertEquals(2L, row.get("observations"));
  }
}

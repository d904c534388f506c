package io.coinbeam.io.bigquery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.services.bigquery.model.Table;
import com.google.api.services.bigquery.model.TableRow;
import io.coinbeam.options.BigQuerySinkOptions.BigQueryWriteMethod;
import io.coinbeam.rows.BeamSchemas;
import io.coinbeam.rows.DeadLetters;
import io.coinbeam.schema.TableDefinition;
import io.coinbeam.testing.BeamPipelineExtension;
import io.coinbeam.testing.FakeBigQuery;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO.Write.CreateDisposition;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO.Write.Method;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The BigQuery sink through BigQueryIO's real code paths against Beam's fake BigQuery: load jobs
 * for bounded input, the Storage Write API (at-least-once and exactly-once) for a TestStream, the
 * rows and schemas that arrive, and rows that cannot be written coming back as dead letters.
 */
class WriteBigQueryTest {
  private static final TableDefinition CANDLES = TableDefinition.named("trade_candles");
  private static final Instant T0 = Instant.parse("2024-05-07T12:00:00Z");

  @RegisterExtension final BeamPipelineExtension beam = new BeamPipelineExtension();
  @TempDir Path temp;
  private FakeBigQuery bigQuery;

  @BeforeEach
  void setUp() {
    bigQuery = FakeBigQuery.create();
  }

  private BigQueryTarget target() {
    return BigQueryTarget.of(FakeBigQuery.PROJECT, FakeBigQuery.DATASET, temp.toString());
  }

  private static Row candle(String exchange, int minute, double close, Long paneIndex) {
    Instant start = T0.plus(Duration.standardMinutes(minute));
    return Row.withSchema(BeamSchemas.of(CANDLES))
        .withFieldValue("exchange", exchange)
        .withFieldValue("base", "bitcoin")
        .withFieldValue("quote", "tether")
        .withFieldValue("window_start", start)
        .withFieldValue("window_end", start.plus(Duration.standardMinutes(1)))
        .withFieldValue("open", 100.0)
        .withFieldValue("high", 110.5)
        .withFieldValue("low", 99.25)
        .withFieldValue("close", close)
        .withFieldValue("volume", 2.0)
        .withFieldValue("volume_usd", 210.0)
        .withFieldValue("vwap", 105.0)
        .withFieldValue("trade_count", 3L)
        .withFieldValue("buy_count", 2L)
        .withFieldValue("sell_count", 1L)
        .withFieldValue("buy_volume", 1.5)
        .withFieldValue("sell_volume", 0.5)
        .withFieldValue("first_trade_at", start.plus(Duration.millis(1500)))
        .withFieldValue("last_trade_at", start.plus(Duration.millis(59_999)))
        .withFieldValue("pane_timing", paneIndex == null ? null : "ON_TIME")
        .withFieldValue("pane_index", paneIndex)
        .build();
  }

  /** What BigQuery should hold for {@link #candle}: every value as text, timestamps in UTC. */
  private static Map<String, String> expectedCandle(
      String exchange, int minute, double close, Long paneIndex) {
    Map<String, String> row = new TreeMap<>();
    String start = String.format("2024-05-07 12:%02d:00.000 UTC", minute);
    row.put("exchange", exchange);
    row.put("base", "bitcoin");
    row.put("quote", "tether");
    row.put("window_start", start);
    row.put("window_end", String.format("2024-05-07 12:%02d:00.000 UTC", minute + 1));
    row.put("open", "100.0");
    row.put("high", "110.5");
    row.put("low", "99.25");
    row.put("close", String.valueOf(close));
    row.put("volume", "2.0");
    row.put("volume_usd", "210.0");
    row.put("vwap", "105.0");
    row.put("trade_count", "3");
    row.put("buy_count", "2");
    row.put("sell_count", "1");
    row.put("buy_volume", "1.5");
    row.put("sell_volume", "0.5");
    row.put("first_trade_at", String.format("2024-05-07 12:%02d:01.500 UTC", minute));
    row.put("last_trade_at", String.format("2024-05-07 12:%02d:59.999 UTC", minute));
    if (paneIndex != null) {
      row.put("pane_timing", "ON_TIME");
      row.put("pane_index", String.valueOf(paneIndex));
    }
    return row;
  }

  /**
   * A stored row as text. The load path keeps our strings; the Storage Write API path turns
   * timestamps into epoch microseconds and numbers into their own types, so normalise both.
   */
  private static Map<String, String> normalise(TableRow row) {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, Object> e : row.entrySet()) {
      Object value = e.getValue();
      if (value == null) {
        continue;
      }
      String column = e.getKey();
      String text = value.toString();
      boolean timestamp =
          column.endsWith("_start") || column.endsWith("_end") || column.endsWith("_at");
      if (timestamp && text.matches("-?\\d+")) {
        text =
            org.joda.time.format.DateTimeFormat.forPattern("yyyy-MM-dd HH:mm:ss.SSS 'UTC'")
                .withZoneUTC()
                .print(Long.parseLong(text) / 1000);
      } else if (!timestamp && text.matches("-?\\d+\\.\\d+(E-?\\d+)?")) {
        text = String.valueOf(Double.parseDouble(text));
      }
      out.put(column, text);
    }
    return out;
  }

  private List<Map<String, String>> stored(String table) throws Exception {
    List<Map<String, String>> rows = new ArrayList<>();
    for (TableRow row : bigQuery.rows(table)) {
      rows.add(normalise(row));
    }
    rows.sort((a, b) -> a.toString().compareTo(b.toString()));
    return rows;
  }

  private static List<Map<String, String>> sorted(List<Map<String, String>> rows) {
    List<Map<String, String>> copy = new ArrayList<>(rows);
    copy.sort((a, b) -> a.toString().compareTo(b.toString()));
    return copy;
  }

  @Test
  void boundedRowsAreLoadedWithFileLoadsIntoTheTerraformTable() throws Exception {
    bigQuery.createTablesAsTerraformDoes();
    Table before = bigQuery.table("trade_candles");
    PCollection<Row> rows =
        beam.pipeline()
            .apply(
                Create.of(candle("binance", 0, 101.0, null), candle("kraken", 1, 102.5, null))
                    .withRowSchema(BeamSchemas.of(CANDLES)));
    WriteBigQuery sink = WriteBigQuery.to(target(), CANDLES).withTestServices(bigQuery.services());
    assertEquals(Method.FILE_LOADS, sink.bigQueryWrite(false).getMethod());
    PCollection<Row> failures = rows.apply("WriteTradeCandlesToBigQuery", sink);
    PAssert.that(failures).empty();
    beam.pipeline().run().waitUntilFinish();

    assertEquals(
        sorted(
            List.of(
                expectedCandle("binance", 0, 101.0, null),
                expectedCandle("kraken", 1, 102.5, null))),
        stored("trade_candles"));
    // CREATE_NEVER: the sink wrote into Terraform's table and left its definition alone.
    Table after = bigQuery.table("trade_candles");
    assertEquals(before.getSchema(), after.getSchema());
    assertEquals(FakeBigQuery.schemaFromFile("trade_candles"), after.getSchema());
  }

  @Test
  void rowsBigQueryCannotTakeBecomeDeadLettersAndTheRestIsLoaded() throws Exception {
    bigQuery.createTablesAsTerraformDoes();
    // A schema looser than the table's: exchange may be null here but is REQUIRED in BigQuery.
    Schema loose =
        Schema.builder()
            .addFields(
                BeamSchemas.of(CANDLES).getFields().stream()
                    .map(f -> f.getName().equals("exchange") ? f.withNullable(true) : f)
                    .toList())
            .build();
    List<Object> nullKey = new ArrayList<>(candle("x", 1, 1.0, null).getValues());
    nullKey.set(BeamSchemas.of(CANDLES).indexOf("exchange"), null);
    PCollection<Row> rows =
        beam.pipeline()
            .apply(
                Create.of(
                        Row.withSchema(loose)
                            .addValues(candle("binance", 0, 101.0, null).getValues())
                            .build(),
                        Row.withSchema(loose).addValues(nullKey).build(),
                        Row.withSchema(loose)
                            .addValues(candle("kraken", 2, Double.NaN, null).getValues())
                            .build())
                    .withRowSchema(loose));
    PCollection<Row> failures =
        rows.apply(WriteBigQuery.to(target(), CANDLES).withTestServices(bigQuery.services()));
    PAssert.that(failures)
        .satisfies(
            letters -> {
              List<String> errors = new ArrayList<>();
              for (Row letter : letters) {
                assertEquals("trade_candles", letter.getString("stream"));
                assertEquals("bigquery:trade_candles", letter.getString("source"));
                assertTrue(
                    letter.getString("payload").startsWith("{"), letter.getString("payload"));
                assertNotNull(letter.getDateTime("observed_at"));
                errors.add(letter.getString("error"));
              }
              errors.sort(String::compareTo);
              assertEquals(
                  List.of(
                      "trade_candles row not written to BigQuery: close is NaN, not a finite number",
                      "trade_candles row not written to BigQuery: exchange is REQUIRED but has no"
                          + " value"),
                  errors);
              return null;
            });
    beam.pipeline().run().waitUntilFinish();
    assertEquals(List.of(expectedCandle("binance", 0, 101.0, null)), stored("trade_candles"));
  }

  @Test
  void unboundedRowsStreamThroughTheStorageWriteApiAtLeastOnce() throws Exception {
    bigQuery.createTablesAsTerraformDoes();
    // BigQuery refuses kraken's row, as it would a row it cannot store.
    bigQuery.refuseRows((FakeBigQuery.RowPredicate) row -> "kraken".equals(row.get("exchange")));
    TestStream<Row> stream =
        TestStream.create(RowCoder.of(BeamSchemas.of(CANDLES)))
            .addElements(candle("binance", 0, 101.0, 0L))
            .advanceProcessingTime(Duration.standardSeconds(10))
            .addElements(candle("binance", 0, 101.5, 1L), candle("kraken", 0, 99.0, 0L))
            .advanceWatermarkToInfinity();
    WriteBigQuery sink = WriteBigQuery.to(target(), CANDLES).withTestServices(bigQuery.services());
    assertEquals(Method.STORAGE_API_AT_LEAST_ONCE, sink.bigQueryWrite(true).getMethod());
    PCollection<Row> failures = beam.pipeline().apply(stream).apply(sink);
    PAssert.that(failures)
        .satisfies(
            letters -> {
              List<Row> all = new ArrayList<>();
              letters.forEach(all::add);
              assertEquals(1, all.size(), all.toString());
              Row letter = all.get(0);
              assertEquals("trade_candles", letter.getString("stream"));
              assertEquals("bigquery:trade_candles", letter.getString("source"));
              assertTrue(letter.getString("payload").contains("\"exchange\":\"kraken\""));
              assertTrue(
                  letter.getString("error").startsWith("BigQuery refused the row: "),
                  letter.getString("error"));
              return null;
            });
    beam.pipeline().run().waitUntilFinish();

    assertEquals(
        sorted(
            List.of(
                expectedCandle("binance", 0, 101.0, 0L), expectedCandle("binance", 0, 101.5, 1L))),
        stored("trade_candles"));
  }

  @Test
  void exactlyOnceStorageWriteApiOnRequest() throws Exception {
    bigQuery.createTablesAsTerraformDoes();
    TestStream<Row> stream =
        TestStream.create(RowCoder.of(BeamSchemas.of(CANDLES)))
            .addElements(candle("binance", 0, 101.0, 0L), candle("kraken", 0, 99.0, 0L))
            .advanceProcessingTime(Duration.standardSeconds(10))
            .addElements(candle("binance", 1, 103.0, 0L))
            .advanceWatermarkToInfinity();
    WriteBigQuery sink =
        WriteBigQuery.to(target().withMethod(BigQueryWriteMethod.STORAGE_WRITE_API), CANDLES)
            .withTestServices(bigQuery.services());
    PAssert.that(beam.pipeline().apply(stream).apply(sink)).empty();
    beam.pipeline().run().waitUntilFinish();

    assertEquals(
        sorted(
            List.of(
                expectedCandle("binance", 0, 101.0, 0L),
                expectedCandle("kraken", 0, 99.0, 0L),
                expectedCandle("binance", 1, 103.0, 0L))),
        stored("trade_candles"));
  }

  @Test
  void deadLettersGoToTheirOwnTable() throws Exception {
    bigQuery.createTablesAsTerraformDoes();
    Row letter =
        DeadLetters.of(
            "trades", "in/trades.ndjson:7", "{\"price\":-1}", "price must be positive", 0L);
    PCollection<Row> letters =
        beam.pipeline().apply(Create.of(letter).withRowSchema(DeadLetters.schema()));
    PAssert.that(
            letters.apply(
                WriteBigQuery.to(target(), DeadLetters.table())
                    .withTestServices(bigQuery.services())))
        .empty();
    beam.pipeline().run().waitUntilFinish();

    Map<String, String> expected = new TreeMap<>();
    expected.put("stream", "trades");
    expected.put("source", "in/trades.ndjson:7");
    expected.put("payload", "{\"price\":-1}");
    expected.put("error", "price must be positive");
    expected.put("observed_at", "1970-01-01 00:00:00.000 UTC");
    assertEquals(List.of(expected), stored("dead_letters"));
  }

  @Test
  void createIfNeededMakesTheTableTerraformWouldHaveMade() throws Exception {
    // No tables: the dataset is empty, and the sink is allowed to create what it writes.
    assertNull(bigQuery.table("trade_candles"));
    PCollection<Row> rows =
        beam.pipeline()
            .apply(
                Create.of(candle("binance", 0, 101.0, null))
                    .withRowSchema(BeamSchemas.of(CANDLES)));
    PAssert.that(
            rows.apply(
                WriteBigQuery.to(
                        target().withCreateDisposition(CreateDisposition.CREATE_IF_NEEDED), CANDLES)
                    .withTestServices(bigQuery.services())))
        .empty();
    beam.pipeline().run().waitUntilFinish();

    Table created = bigQuery.table("trade_candles");
    assertEquals(FakeBigQuery.schemaFromFile("trade_candles"), created.getSchema());
    assertEquals("DAY", created.getTimePartitioning().getType());
    assertEquals("window_start", created.getTimePartitioning().getField());
    assertEquals(List.of("exchange", "base", "quote"), created.getClustering().getFields());
    assertEquals(List.of(expectedCandle("binance", 0, 101.0, null)), stored("trade_candles"));
  }

  @Test
  void fileLoadsAreForBatchOnly() {
    BigQueryTarget loads = target().withMethod(BigQueryWriteMethod.FILE_LOADS);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> loads.writeMethod(true));
    assertTrue(e.getMessage().contains("FILE_LOADS is for batch"), e.getMessage());
    IllegalArgumentException noTemp =
        assertThrows(
            IllegalArgumentException.class,
            () -> BigQueryTarget.of("p-roject", "d", null).writeMethod(false));
    assertTrue(noTemp.getMessage().contains("--bigQueryTempLocation=gs://"), noTemp.getMessage());
    assertFalse(
        BigQueryTarget.of("p-roject", "d", null).writeMethod(true) == Method.STREAMING_INSERTS);
    beam.pipeline().enableAbandonedNodeEnforcement(false);
  }
}

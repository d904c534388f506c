package io.coinbeam.dbt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.CoinbeamPipeline;
import io.coinbeam.sample.Config;
import io.coinbeam.sample.SampleGenerator;
import io.coinbeam.testing.ProjectFiles;
import io.coinbeam.testing.TestPostgres;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dbt models run: the pipeline fills a real PostgreSQL from the bundled sample, the harness
 * builds every model in dependency order and every schema and singular test returns no rows. Then
 * the pipeline adds a later slice of generated data, the incremental models run their incremental
 * branch (delete+insert on the key) and equal a full rebuild, a rerun changes nothing, and the
 * hourly candles equal a roll-up this test computes from trade_candles itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DbtModelsRunTest {
  private static final Path DBT = ProjectFiles.root().resolve("dbt");
  private static final List<String> INCREMENTAL =
      List.of("fct_candles_hourly", "fct_candles_daily", "fct_cross_exchange_spread");

  @TempDir static Path work;
  private TestPostgres.Database db;
  private final JinjaRenderer renderer = new JinjaRenderer();
  private final DbtTarget target = new DbtTarget("postgres", "dbt_test");
  private DbtRunner runner;

  private List<DbtRunner.BuiltModel> firstBuild;
  private Map<String, Long> firstFailures;
  private long hourlyRowsAfterFirst;
  private List<Instant> hoursAfterFirst;
  private List<DbtRunner.BuiltModel> secondBuild;
  private Map<String, Long> secondFailures;
  private Map<String, List<String>> afterSecond;
  private Map<String, List<String>> afterThird;

  private void runPipeline(Path input) {
    List<String> args = new ArrayList<>();
    args.add("--input=" + input + "/{stream}/*");
    args.add("--output=" + work.resolve("out"));
    args.add("--sinks=postgres");
    args.addAll(List.of(db.flags()));
    assertEquals(CoinbeamPipeline.EXIT_OK, CoinbeamPipeline.run(args.toArray(String[]::new)));
  }

  @BeforeAll
  void buildTwiceOnTwoSlices() throws Exception {
    db = TestPostgres.freshDatabase();
    runPipeline(ProjectFiles.root().resolve("data/sample"));
    runner = new DbtRunner(DbtProject.load(DBT, target, renderer), target, renderer);
    try (Connection connection = db.connect()) {
      firstBuild = runner.run(connection, false);
      firstFailures = runner.test(connection);
      hourlyRowsAfterFirst = count(connection, "SELECT count(*) FROM dbt_test.fct_candles_hourly");
      hoursAfterFirst = hours(connection);
    }

    // A later slice: 12:30 to 13:30, so hour 12 gains rows and hour 13 is new.
    Path later = work.resolve("later");
    SampleGenerator.generate(
        Config.defaults()
            .withSeed(43)
            .withStart(Instant.parse("2024-05-07T12:30:00Z"))
            .withMinutes(60)
            .withTrades(4000)
            .withFiles(2),
        later);
    runPipeline(later);
    try (Connection connection = db.connect()) {
      secondBuild = runner.run(connection, false);
      secondFailures = runner.test(connection);
      afterSecond = snapshot(connection);
      runner.run(connection, false);
      afterThird = snapshot(connection);
      DbtTarget full = new DbtTarget("postgres", "dbt_full");
      new DbtRunner(DbtProject.load(DBT, full, renderer), full, renderer).run(connection, true);
    }
  }

  @Test
  void theFirstBuildMadeEveryModelAndEveryTestFoundNoFailingRow() {
    assertEquals(12, firstBuild.size());
    assertTrue(firstBuild.stream().noneMatch(DbtRunner.BuiltModel::incremental));
    assertEquals(
        Map.of("view", 5L, "table", 4L, "incremental", 3L),
        firstBuild.stream()
            .collect(
                Collectors.groupingBy(DbtRunner.BuiltModel::materialized, Collectors.counting())));
    // Every test of the YAML files and tests/ ran: 5 singular tests and the schema tests.
    assertTrue(firstFailures.size() > 60, "tests run: " + firstFailures.keySet());
    assertEquals(Map.of(), failing(firstFailures));
    assertTrue(hourlyRowsAfterFirst > 0);
    assertEquals(List.of(Instant.parse("2024-05-07T12:00:00Z")), hoursAfterFirst);
  }

  @Test
  void theSecondBuildRanTheIncrementalBranchAndEveryTestStillPasses() throws Exception {
    for (DbtRunner.BuiltModel model : secondBuild) {
      assertEquals(INCREMENTAL.contains(model.name()), model.incremental(), model.name());
      if (model.incremental()) {
        assertTrue(model.sql().contains("from \"dbt_test\".\"" + model.name() + "\""), model.sql());
      }
    }
    assertEquals(Map.of(), failing(secondFailures));
    try (Connection connection = db.connect()) {
      assertEquals(
          List.of(Instant.parse("2024-05-07T12:00:00Z"), Instant.parse("2024-05-07T13:00:00Z")),
          hours(connection));
    }
  }

  @Test
  void incrementalModelsEqualAFullRebuild() throws Exception {
    try (Connection connection = db.connect()) {
      for (String model : runner.order()) {
        String a = "dbt_test." + model;
        String b = "dbt_full." + model;
        long rows = count(connection, "SELECT count(*) FROM " + a);
        assertTrue(rows > 0, model + " has rows");
        assertEquals(rows, count(connection, "SELECT count(*) FROM " + b), model);
        assertEquals(
            0,
            count(
                connection,
                "SELECT count(*) FROM ((SELECT * FROM "
                    + a
                    + " EXCEPT SELECT * FROM "
                    + b
                    + ") UNION ALL (SELECT * FROM "
                    + b
                    + " EXCEPT SELECT * FROM "
                    + a
                    + ")) AS differences"),
            model + " differs from a full rebuild");
      }
    }
  }

  @Test
  void rerunningWithoutNewDataChangesNothing() {
    assertEquals(afterSecond, afterThird);
  }

  /** The hourly mart, checked against a roll-up in Java of the pipeline's own table. */
  @Test
  void hourlyCandlesAreTheMinuteCandlesRolledUp() throws Exception {
    record Minute(
        Instant start,
        BigDecimal open,
        BigDecimal close,
        BigDecimal high,
        BigDecimal low,
        BigDecimal volume,
        long trades) {}
    Map<String, List<Minute>> byHour = new TreeMap<>();
    Map<String, String> expected = new TreeMap<>();
    Map<String, String> actual = new TreeMap<>();
    try (Connection connection = db.connect();
        Statement statement = connection.createStatement()) {
      try (ResultSet rows =
          statement.executeQuery(
              "SELECT exchange, base, quote, window_start, open, close, high, low, volume,"
                  + " trade_count FROM public.trade_candles")) {
        while (rows.next()) {
          Instant start = rows.getTimestamp(4).toInstant();
          String key =
              rows.getString(1)
                  + "|"
                  + rows.getString(2)
                  + "|"
                  + rows.getString(3)
                  + "|"
                  + start.truncatedTo(ChronoUnit.HOURS);
          byHour
              .computeIfAbsent(key, k -> new ArrayList<>())
              .add(
                  new Minute(
                      start,
                      rows.getBigDecimal(5),
                      rows.getBigDecimal(6),
                      rows.getBigDecimal(7),
                      rows.getBigDecimal(8),
                      rows.getBigDecimal(9),
                      rows.getLong(10)));
        }
      }
      for (Map.Entry<String, List<Minute>> hour : byHour.entrySet()) {
        List<Minute> minutes = new ArrayList<>(hour.getValue());
        minutes.sort((x, y) -> x.start().compareTo(y.start()));
        BigDecimal volume = BigDecimal.ZERO;
        BigDecimal high = minutes.get(0).high();
        BigDecimal low = minutes.get(0).low();
        long trades = 0;
        for (Minute m : minutes) {
          volume = volume.add(m.volume());
          high = high.max(m.high());
          low = low.min(m.low());
          trades += m.trades();
        }
        expected.put(
            hour.getKey(),
            plain(minutes.get(0).open())
                + " "
                + plain(minutes.get(minutes.size() - 1).close())
                + " "
                + plain(high)
                + " "
                + plain(low)
                + " "
                + plain(volume)
                + " "
                + trades
                + " "
                + minutes.size());
      }
      try (ResultSet rows =
          statement.executeQuery(
              "SELECT exchange, base, quote, window_start, open, close, high, low, volume,"
                  + " trade_count, minute_candles FROM dbt_test.fct_candles_hourly")) {
        while (rows.next()) {
          actual.put(
              rows.getString(1)
                  + "|"
                  + rows.getString(2)
                  + "|"
                  + rows.getString(3)
                  + "|"
                  + rows.getTimestamp(4).toInstant(),
              plain(rows.getBigDecimal(5))
                  + " "
                  + plain(rows.getBigDecimal(6))
                  + " "
                  + plain(rows.getBigDecimal(7))
                  + " "
                  + plain(rows.getBigDecimal(8))
                  + " "
                  + plain(rows.getBigDecimal(9))
                  + " "
                  + rows.getLong(10)
                  + " "
                  + rows.getLong(11));
        }
      }
    }
    assertTrue(expected.size() > 20, "hours: " + expected.size());
    assertEquals(expected, actual);
  }

  /** Bitcoin dominance, from asset_stats directly, for every window. */
  @Test
  void btcDominanceIsBitcoinsShareOfTheMarketCap() throws Exception {
    try (Connection connection = db.connect()) {
      assertEquals(
          0,
          count(
              connection,
              "SELECT count(*) FROM dbt_test.fct_market_overview o JOIN (SELECT window_start,"
                  + " 100 * sum(market_cap_usd) FILTER (WHERE asset_id = 'bitcoin') /"
                  + " sum(market_cap_usd) AS btc FROM public.asset_stats GROUP BY window_start) s"
                  + " USING (window_start) WHERE (o.btc_dominance_pct IS NULL) <> (s.btc IS NULL)"
                  // numeric division rounds at a scale of its own choosing: 1e-9 of a percent
                  + " OR abs(o.btc_dominance_pct - s.btc) > 1e-9"));
      long windows =
          count(connection, "SELECT count(DISTINCT window_start) FROM public.asset_stats");
      assertEquals(windows, count(connection, "SELECT count(*) FROM dbt_test.fct_market_overview"));
      assertFalse(
          count(
                  connection,
                  "SELECT count(*) FROM dbt_test.fct_market_overview WHERE btc_dominance_pct > 0")
              == 0);
    }
  }

  /** A test that must fail does: unique on a column with repeats finds them. */
  @Test
  void aFailingTestReportsItsRows() throws Exception {
    try (Connection connection = db.connect()) {
      long repeats =
          DbtRunner.count(
              connection,
              SchemaTestSql.compile(
                  new DbtProject.SchemaTest("stg_trade_candles", "exchange", "unique", Map.of()),
                  runner));
      assertEquals(5, repeats); // binance, bitso, coinbase, gemini, kraken
      long outside =
          DbtRunner.count(
              connection,
              SchemaTestSql.compile(
                  new DbtProject.SchemaTest(
                      "stg_rate_stats",
                      "rate_type",
                      "accepted_values",
                      Map.of("values", List.of("fiat"))),
                  runner));
      assertTrue(outside > 0);
    }
  }

  private static Map<String, Long> failing(Map<String, Long> failures) {
    return failures.entrySet().stream()
        .filter(e -> e.getValue() != 0)
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  private static String plain(BigDecimal value) {
    return value.stripTrailingZeros().toPlainString();
  }

  private static List<Instant> hours(Connection connection) throws SQLException {
    List<Instant> hours = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT DISTINCT window_start FROM dbt_test.fct_candles_hourly ORDER BY 1")) {
      while (rows.next()) {
        hours.add(rows.getTimestamp(1).toInstant());
      }
    }
    return hours;
  }

  private Map<String, List<String>> snapshot(Connection connection) throws SQLException {
    Map<String, List<String>> tables = new TreeMap<>();
    for (String model : INCREMENTAL) {
      List<String> rows = new ArrayList<>();
      try (Statement statement = connection.createStatement();
          ResultSet result =
              statement.executeQuery("SELECT t::text FROM dbt_test." + model + " t ORDER BY 1")) {
        while (result.next()) {
          rows.add(result.getString(1));
        }
      }
      tables.put(model, rows);
    }
    return tables;
  }

  private static long count(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}

package io.coinbeam.dbt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coinbeam.CoinbeamPipeline;
import io.coinbeam.sample.Config;
import io.coinbeam.sample.SampleGenerator;
import io.coinbeam.testing.ProjectFiles;
import io.coinbeam.testing.TestPostgres;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The dbt project run by dbt itself. The pipeline fills a real PostgreSQL (and Parquet) from the
 * bundled sample; {@code dbt build} makes every model and runs every data test; the same project on
 * the duckdb target, over the Parquet files alone, makes the same marts (and ignores the hidden
 * files and folders a run in progress keeps beside them). A later slice of trades and a second
 * {@code dbt build} take the incremental branch and equal {@code --full-refresh}; the marts' values
 * equal what this test computes from the one-minute table; {@code dbt source freshness} calls the
 * 2024 sample stale and a slice ending now fresh; a broken row fails its test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DbtMartsTest {
  private static final List<String> MODELS =
      List.of(
          "stg_trade_candles",
          "stg_asset_stats",
          "stg_rate_stats",
          "stg_exchange_stats",
          "stg_market_stats",
          "fct_candles_hourly",
          "fct_candles_daily",
          "dim_assets",
          "dim_exchanges",
          "fct_market_overview",
          "fct_exchange_volume_share",
          "fct_cross_exchange_spread");
  private static final List<String> INCREMENTAL =
      List.of("fct_candles_hourly", "fct_candles_daily", "fct_cross_exchange_spread");

  /** Each mart and the column that identifies its rows. */
  private static final Map<String, String> MART_KEYS =
      new LinkedHashMap<>(
          Map.of(
              "fct_candles_hourly", "candle_key",
              "fct_candles_daily", "candle_key",
              "fct_cross_exchange_spread", "spread_key",
              "fct_exchange_volume_share", "share_key",
              "fct_market_overview", "window_start",
              "dim_assets", "asset_id",
              "dim_exchanges", "exchange_id"));

  private static final List<String> SOURCES =
      List.of("trade_candles", "asset_stats", "rate_stats", "exchange_stats", "market_stats");

  @TempDir static Path work;
  private DbtCli dbt;
  private TestPostgres.Database db;

  private DbtCli.Result firstBuild;
  private DbtCli.Result staleFreshness;
  private Map<String, Instant> newestWindowEnd;
  private DbtCli.Result duckBuild;
  private Map<String, MartTable> postgresMartsFirst;
  private Map<String, MartTable> duckMarts;
  private List<Instant> hoursAfterFirst;
  private DbtCli.Result secondBuild;
  private DbtCli.Result fullRefresh;
  private Map<String, Long> differencesFromFullRefresh;
  private DbtCli.Result brokenTest;
  private DbtCli.Result freshFreshness;

  @BeforeAll
  void buildWithDbt() throws Exception {
    dbt = DbtCli.locate(work);
    db = TestPostgres.freshDatabase();
    runPipeline(db, ProjectFiles.root().resolve("data/sample"), work.resolve("out"));

    firstBuild = dbt.run("first", postgres(db, "dbt_test"), "build");
    staleFreshness = dbt.run("stale", postgres(db, "dbt_test"), "source", "freshness");
    try (Connection connection = db.connect()) {
      newestWindowEnd = newestWindowEnd(connection);
      hoursAfterFirst = hours(connection, "dbt_test");
      postgresMartsFirst = postgresMarts(connection, "dbt_test");
    }

    // A later slice, 12:30 to 13:30: hour 12 gains rows, hour 13 is new.
    Path later = work.resolve("later");
    SampleGenerator.generate(
        Config.defaults()
            .withSeed(43)
            .withStart(Instant.parse("2024-05-07T12:30:00Z"))
            .withMinutes(60)
            .withTrades(4000)
            .withFiles(2),
        later);
    runPipeline(db, later, work.resolve("out-later"));

    // DuckDB over the first run's Parquet files, with the later run's files hidden among them.
    hideCopies(work.resolve("out-later/trade_candles"), work.resolve("out/trade_candles"));
    duckBuild = dbt.run("duckdb", duckdb(work.resolve("out")), "build", "--target", "duckdb");
    duckMarts = duckMarts(work.resolve("out/marts.duckdb"));
    secondBuild = dbt.run("second", postgres(db, "dbt_test"), "build");
    fullRefresh = dbt.run("full", postgres(db, "dbt_full"), "build", "--full-refresh");
    try (Connection connection = db.connect()) {
      differencesFromFullRefresh = differences(connection, "dbt_test", "dbt_full");
      // Now break one hourly candle of the full-refresh copy: its high below its low.
      try (Statement statement = connection.createStatement()) {
        assertEquals(
            1,
            statement.executeUpdate(
                "UPDATE dbt_full.fct_candles_hourly SET high = low - 1 WHERE candle_key ="
                    + " (SELECT min(candle_key) FROM dbt_full.fct_candles_hourly)"));
      }
    }
    brokenTest =
        dbt.run("broken", postgres(db, "dbt_full"), "test", "--select", "fct_candles_hourly");

    // Freshness of data that ends now, in a database of its own.
    TestPostgres.Database fresh = TestPostgres.freshDatabase();
    Path recent = work.resolve("recent");
    SampleGenerator.generate(
        Config.defaults()
            .withStart(Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(10, ChronoUnit.MINUTES))
            .withMinutes(10)
            .withTrades(300)
            .withFiles(1),
        recent);
    runPipeline(fresh, recent, work.resolve("out-recent"));
    freshFreshness = dbt.run("fresh", postgres(fresh, "dbt_test"), "source", "freshness");
  }

  /**
   * What a batch run leaves in a table's folder while it writes the next one out of readers' sight:
   * hidden files and folders (names starting with "." or "_") of Parquet files. Here they hold
   * another run's rows, so a source that read them would have rows PostgreSQL's marts lack.
   */
  private static void hideCopies(Path from, Path table) throws Exception {
    List<Path> files;
    try (Stream<Path> listed = Files.list(from)) {
      files = listed.filter(f -> f.getFileName().toString().endsWith(".parquet")).toList();
    }
    assertTrue(files.size() >= 2, "the later run's trade_candles files: " + files);
    Files.copy(files.get(0), table.resolve(".in-flight.parquet"));
    Files.copy(files.get(1), table.resolve("_in-flight.parquet"));
    Files.copy(
        files.get(0), Files.createDirectories(table.resolve(".next-run")).resolve("a.parquet"));
    Files.copy(
        files.get(1), Files.createDirectories(table.resolve("_temporary")).resolve("b.parquet"));
  }

  private static void runPipeline(TestPostgres.Database database, Path input, Path output) {
    List<String> args = new ArrayList<>();
    args.add("--input=" + input + "/{stream}/*");
    args.add("--output=" + output);
    args.add("--sinks=parquet,postgres");
    args.addAll(List.of(database.flags()));
    assertEquals(CoinbeamPipeline.EXIT_OK, CoinbeamPipeline.run(args.toArray(String[]::new)));
  }

  /** The environment profiles.example.yml reads for the postgres target. */
  private static Map<String, String> postgres(TestPostgres.Database database, String schema) {
    URI uri = URI.create(database.url().substring("jdbc:".length()));
    Map<String, String> env = new HashMap<>();
    env.put("DBT_TARGET", "postgres");
    env.put("DBT_PG_HOST", uri.getHost());
    env.put("DBT_PG_PORT", String.valueOf(uri.getPort()));
    env.put("DBT_PG_DBNAME", uri.getPath().substring(1));
    env.put("PG_USER", database.user());
    env.put("PG_PASSWORD", database.password());
    env.put("DBT_PG_SCHEMA", schema);
    env.put("COINBEAM_SOURCE_SCHEMA", "public");
    // As make dbt-build: the session in UTC, so text keys do not depend on the server's zone.
    env.put("PGTZ", "UTC");
    return env;
  }

  /** The environment for the duckdb target, as make dbt-build DBT_TARGET=duckdb sets it. */
  private static Map<String, String> duckdb(Path output) {
    return Map.of(
        "DBT_TARGET",
        "duckdb",
        "COINBEAM_PARQUET_ROOT",
        output.toString(),
        "DBT_DUCKDB_PATH",
        output.resolve("marts.duckdb").toString());
  }

  // ---- dbt build ------------------------------------------------------------------------------

  @Test
  void theFirstBuildMadeEveryModelAndRanEveryDataTest() throws Exception {
    assertEquals(0, firstBuild.exitCode(), firstBuild + "\n" + firstBuild.output());
    Map<String, String> statuses = firstBuild.statuses();
    Map<String, String> models = byType(statuses, "model.coinbeam.");
    assertEquals(new TreeSet<>(MODELS), new TreeSet<>(models.keySet()));
    assertTrue(models.values().stream().allMatch("success"::equals), models.toString());
    Map<String, String> tests = byType(statuses, "test.coinbeam.");
    assertEquals(dataTestsDeclared(), tests.size(), "data tests run: " + tests.keySet());
    assertTrue(tests.values().stream().allMatch("pass"::equals), tests.toString());
    assertEquals(List.of(Instant.parse("2024-05-07T12:00:00Z")), hoursAfterFirst);
  }

  /** The data tests the project declares, counted from its files rather than from dbt. */
  @SuppressWarnings("unchecked")
  private static int dataTestsDeclared() throws Exception {
    int count = 0;
    try (Stream<Path> files = Files.walk(DbtCli.PROJECT.resolve("models"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yml")).toList()) {
        Map<String, Object> yaml = new Yaml().load(Files.readString(file));
        for (Map<String, Object> model :
            (List<Map<String, Object>>) yaml.getOrDefault("models", List.of())) {
          for (Map<String, Object> column :
              (List<Map<String, Object>>) model.getOrDefault("columns", List.of())) {
            count += ((List<?>) column.getOrDefault("data_tests", List.of())).size();
          }
        }
      }
    }
    try (Stream<Path> files = Files.list(DbtCli.PROJECT.resolve("tests"))) {
      count += (int) files.filter(f -> f.toString().endsWith(".sql")).count();
    }
    return count;
  }

  private static Map<String, String> byType(Map<String, String> statuses, String prefix) {
    Map<String, String> selected = new TreeMap<>();
    statuses.forEach(
        (id, status) -> {
          if (id.startsWith(prefix)) {
            selected.put(id.substring(prefix.length()).replaceAll("\\.[0-9a-f]{10}$", ""), status);
          }
        });
    return selected;
  }

  @Test
  void theSecondBuildTookTheIncrementalBranch() throws Exception {
    assertEquals(0, secondBuild.exitCode(), secondBuild + "\n" + secondBuild.output());
    assertTrue(
        secondBuild.statuses().values().stream()
            .allMatch(s -> s.equals("success") || s.equals("pass")),
        secondBuild.statuses().toString());
    for (String model : MODELS) {
      String sql = secondBuild.result("model.coinbeam." + model).path("compiled_code").asText();
      // The incremental branch reads the model's own table ({{ this }}) for its lookback.
      assertEquals(
          INCREMENTAL.contains(model), sql.contains("\"dbt_test\".\"" + model + "\""), model);
    }
    try (Connection connection = db.connect()) {
      assertEquals(
          List.of(Instant.parse("2024-05-07T12:00:00Z"), Instant.parse("2024-05-07T13:00:00Z")),
          hours(connection, "dbt_test"));
    }
  }

  @Test
  void incrementalModelsEqualAFullRefresh() {
    assertEquals(0, fullRefresh.exitCode(), fullRefresh + "\n" + fullRefresh.output());
    Map<String, Long> none = new TreeMap<>();
    MODELS.forEach(m -> none.put(m, 0L));
    assertEquals(none, differencesFromFullRefresh);
  }

  @Test
  void aBrokenRowFailsItsTestAndTheCommand() {
    assertEquals(1, brokenTest.exitCode(), brokenTest.output());
    Map<String, String> failing = new TreeMap<>(byType(brokenTest.statuses(), "test.coinbeam."));
    failing.values().removeIf("pass"::equals);
    assertEquals(Map.of("assert_candles_high_low_bound_open_close", "fail"), failing);
    long failures = 0;
    for (JsonNode r : brokenTest.artifact("run_results.json").path("results")) {
      failures += r.path("failures").asLong(0);
    }
    assertEquals(1, failures, "one failing row in all tests");
  }

  // ---- source freshness -----------------------------------------------------------------------

  @Test
  void theSampleFrom2024IsStaleAndItsNewestRowIsReported() {
    // dbt exits 1 when a source is past error_after (the sample ends 2024-05-07 12:30).
    assertEquals(1, staleFreshness.exitCode(), staleFreshness.output());
    Map<String, String> verdicts = new TreeMap<>();
    Map<String, Instant> newest = new TreeMap<>();
    for (JsonNode source : staleFreshness.artifact("sources.json").path("results")) {
      String table = source.path("unique_id").asText().replace("source.coinbeam.coinbeam.", "");
      verdicts.put(table, source.path("status").asText());
      newest.put(table, Instant.parse(source.path("max_loaded_at").asText().replace(" ", "T")));
    }
    Map<String, String> allError = new TreeMap<>();
    SOURCES.forEach(s -> allError.put(s, "error"));
    assertEquals(allError, verdicts);
    assertEquals(new TreeMap<>(newestWindowEnd), newest);
  }

  @Test
  void dataEndingNowIsFresh() {
    assertEquals(0, freshFreshness.exitCode(), freshFreshness.output());
    Map<String, String> verdicts = new TreeMap<>();
    for (JsonNode source : freshFreshness.artifact("sources.json").path("results")) {
      verdicts.put(
          source.path("unique_id").asText().replace("source.coinbeam.coinbeam.", ""),
          source.path("status").asText());
    }
    Map<String, String> allPass = new TreeMap<>();
    SOURCES.forEach(s -> allPass.put(s, "pass"));
    assertEquals(allPass, verdicts);
  }

  private static Map<String, Instant> newestWindowEnd(Connection connection) throws SQLException {
    Map<String, Instant> newest = new LinkedHashMap<>();
    for (String table : SOURCES) {
      try (Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery("SELECT max(window_end) FROM public." + table)) {
        rows.next();
        newest.put(table, rows.getObject(1, java.time.OffsetDateTime.class).toInstant());
      }
    }
    return newest;
  }

  // ---- DuckDB -----------------------------------------------------------------------------------

  @Test
  void duckDbOverTheParquetFilesMakesTheSameMartsAsPostgres() {
    assertEquals(0, duckBuild.exitCode(), duckBuild + "\n" + duckBuild.output());
    assertTrue(
        duckBuild.statuses().values().stream()
            .allMatch(s -> s.equals("success") || s.equals("pass")),
        duckBuild.statuses().toString());
    assertEquals(MART_KEYS.keySet(), duckMarts.keySet());
    for (String mart : MART_KEYS.keySet()) {
      assertTrue(postgresMartsFirst.get(mart).rows().size() > 0, mart + " has rows");
      postgresMartsFirst.get(mart).assertSameAs(duckMarts.get(mart));
    }
  }

  private Map<String, MartTable> duckMarts(Path database) throws Exception {
    Path script = work.resolve("duckdb_marts.py");
    try (InputStream in = DbtMartsTest.class.getResourceAsStream("duckdb_marts.py")) {
      Files.copy(in, script);
    }
    List<String> command = new ArrayList<>();
    command.add(dbt.python().toString());
    command.add(script.toString());
    command.add(database.toString());
    command.add("analytics");
    command.addAll(MART_KEYS.keySet());
    DbtCli.Result printed = dbt.exec("duckdb-read", command, Map.of(), work);
    assertEquals(0, printed.exitCode(), printed.output());
    Map<String, MartTable> marts = new LinkedHashMap<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : printed.output().split("\n")) {
      if (line.startsWith("{")) {
        JsonNode table = json.readTree(line);
        String name = table.path("table").asText();
        marts.put(
            name, MartTable.fromDuckDb(table, postgresMartsFirst.get(name), MART_KEYS.get(name)));
      }
    }
    return marts;
  }

  private static Map<String, MartTable> postgresMarts(Connection connection, String schema)
      throws SQLException {
    Map<String, MartTable> marts = new LinkedHashMap<>();
    for (Map.Entry<String, String> mart : MART_KEYS.entrySet()) {
      marts.put(
          mart.getKey(),
          MartTable.fromPostgres(connection, schema, mart.getKey(), mart.getValue()));
    }
    return marts;
  }

  // ---- mart values, computed here from the one-minute table ------------------------------------

  /** One row of public.trade_candles. */
  record Minute(
      String exchange,
      String base,
      String quote,
      Instant start,
      BigDecimal open,
      BigDecimal high,
      BigDecimal low,
      BigDecimal close,
      BigDecimal volume,
      BigDecimal volumeUsd,
      long trades) {
    String pair() {
      return base + "|" + quote;
    }
  }

  private List<Minute> minutes() throws SQLException {
    List<Minute> minutes = new ArrayList<>();
    try (Connection connection = db.connect();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT exchange, base, quote, window_start, open, high, low, close, volume,"
                    + " volume_usd, trade_count FROM public.trade_candles")) {
      while (rows.next()) {
        minutes.add(
            new Minute(
                rows.getString(1),
                rows.getString(2),
                rows.getString(3),
                rows.getObject(4, java.time.OffsetDateTime.class).toInstant(),
                rows.getBigDecimal(5),
                rows.getBigDecimal(6),
                rows.getBigDecimal(7),
                rows.getBigDecimal(8),
                rows.getBigDecimal(9),
                rows.getBigDecimal(10),
                rows.getLong(11)));
      }
    }
    assertTrue(minutes.size() > 1000, "minute candles: " + minutes.size());
    return minutes;
  }

  private MartTable mart(String name) throws SQLException {
    try (Connection connection = db.connect()) {
      return MartTable.fromPostgres(connection, "dbt_test", name, MART_KEYS.get(name));
    }
  }

  /** The text key the marts give a row: values joined with '|', timestamps as PostgreSQL prints. */
  private static String key(Object... parts) {
    return java.util.Arrays.stream(parts)
        .map(p -> p instanceof Instant t ? t.toString().replace("T", " ").replace("Z", "+00") : p)
        .map(String::valueOf)
        .collect(Collectors.joining("|"));
  }

  @Test
  void hourlyCandlesAreTheMinutesRolledUp() throws Exception {
    assertRollUp(mart("fct_candles_hourly"), t -> t.truncatedTo(ChronoUnit.HOURS));
  }

  @Test
  void dailyCandlesAreTheMinutesRolledUp() throws Exception {
    assertRollUp(mart("fct_candles_daily"), t -> t.truncatedTo(ChronoUnit.DAYS));
  }

  private void assertRollUp(MartTable mart, Function<Instant, Instant> period) throws Exception {
    Map<String, List<Minute>> groups = new TreeMap<>();
    for (Minute m : minutes()) {
      groups
          .computeIfAbsent(
              key(m.exchange(), m.base(), m.quote(), period.apply(m.start())),
              k -> new ArrayList<>())
          .add(m);
    }
    assertEquals(groups.keySet(), mart.rows().keySet(), mart.name() + " keys");
    for (Map.Entry<String, List<Minute>> group : groups.entrySet()) {
      List<Minute> in = new ArrayList<>(group.getValue());
      in.sort(Comparator.comparing(Minute::start));
      String k = group.getKey();
      assertNumber(in.get(0).open(), mart.value(k, "open"), k + " open");
      assertNumber(in.get(in.size() - 1).close(), mart.value(k, "close"), k + " close");
      assertNumber(
          in.stream().map(Minute::high).max(Comparator.naturalOrder()).get(),
          mart.value(k, "high"),
          k + " high");
      assertNumber(
          in.stream().map(Minute::low).min(Comparator.naturalOrder()).get(),
          mart.value(k, "low"),
          k + " low");
      assertNumber(sum(in, Minute::volume), mart.value(k, "volume"), k + " volume");
      assertNumber(sum(in, Minute::volumeUsd), mart.value(k, "volume_usd"), k + " volume_usd");
      assertNumber(
          BigDecimal.valueOf(in.stream().mapToLong(Minute::trades).sum()),
          mart.value(k, "trade_count"),
          k + " trades");
      assertNumber(BigDecimal.valueOf(in.size()), mart.value(k, "minute_candles"), k + " minutes");
    }
  }

  @Test
  void volumeSharesAreEachExchangesPartOfTheHour() throws Exception {
    MartTable mart = mart("fct_exchange_volume_share");
    Map<String, BigDecimal> byExchangeHour = new TreeMap<>();
    Map<Instant, BigDecimal> byHour = new TreeMap<>();
    Map<String, Instant> hourOf = new HashMap<>();
    for (Minute m : minutes()) {
      Instant hour = m.start().truncatedTo(ChronoUnit.HOURS);
      String k = key(m.exchange(), hour);
      byExchangeHour.merge(k, m.volumeUsd(), BigDecimal::add);
      byHour.merge(hour, m.volumeUsd(), BigDecimal::add);
      hourOf.put(k, hour);
    }
    assertEquals(byExchangeHour.keySet(), mart.rows().keySet());
    for (Map.Entry<String, BigDecimal> row : byExchangeHour.entrySet()) {
      BigDecimal market = byHour.get(hourOf.get(row.getKey()));
      assertNumber(row.getValue(), mart.value(row.getKey(), "volume_usd"), row.getKey());
      assertNumber(market, mart.value(row.getKey(), "market_volume_usd"), row.getKey());
      assertNumber(
          row.getValue().multiply(BigDecimal.valueOf(100)).divide(market, MathContext.DECIMAL128),
          mart.value(row.getKey(), "volume_share_pct"),
          row.getKey() + " share");
    }
  }

  @Test
  void spreadsAreTheCheapestAndDearestCloseAcrossExchanges() throws Exception {
    MartTable mart = mart("fct_cross_exchange_spread");
    Map<String, List<Minute>> byPairMinute = new TreeMap<>();
    for (Minute m : minutes()) {
      byPairMinute
          .computeIfAbsent(key(m.base(), m.quote(), m.start()), k -> new ArrayList<>())
          .add(m);
    }
    byPairMinute.values().removeIf(exchanges -> exchanges.size() < 2);
    assertTrue(byPairMinute.size() > 50, "pair minutes with two exchanges: " + byPairMinute.size());
    assertEquals(byPairMinute.keySet(), mart.rows().keySet());
    for (Map.Entry<String, List<Minute>> row : byPairMinute.entrySet()) {
      String k = row.getKey();
      Comparator<Minute> byCloseThenExchange =
          Comparator.comparing(Minute::close).thenComparing(Minute::exchange);
      Minute cheapest = row.getValue().stream().min(byCloseThenExchange).get();
      Minute dearest =
          row.getValue().stream()
              .min(Comparator.comparing(Minute::close).reversed().thenComparing(Minute::exchange))
              .get();
      BigDecimal spread = dearest.close().subtract(cheapest.close());
      assertEquals(cheapest.exchange(), mart.value(k, "cheapest_exchange"), k);
      assertEquals(dearest.exchange(), mart.value(k, "dearest_exchange"), k);
      assertNumber(BigDecimal.valueOf(row.getValue().size()), mart.value(k, "exchange_count"), k);
      assertNumber(cheapest.close(), mart.value(k, "min_close"), k + " min");
      assertNumber(dearest.close(), mart.value(k, "max_close"), k + " max");
      assertNumber(spread, mart.value(k, "spread"), k + " spread");
      assertNumber(
          spread.multiply(BigDecimal.valueOf(100)).divide(cheapest.close(), MathContext.DECIMAL128),
          mart.value(k, "spread_pct"),
          k + " spread %");
    }
  }

  @Test
  void marketOverviewIsTheMarketCapAndItsLeadersPerWindow() throws Exception {
    record Asset(String id, BigDecimal marketCap, BigDecimal change) {}
    Map<Instant, List<Asset>> windows = new TreeMap<>();
    try (Connection connection = db.connect();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT window_start, asset_id, market_cap_usd, change_percent_24hr"
                    + " FROM public.asset_stats")) {
      while (rows.next()) {
        windows
            .computeIfAbsent(
                rows.getObject(1, java.time.OffsetDateTime.class).toInstant(),
                w -> new ArrayList<>())
            .add(new Asset(rows.getString(2), rows.getBigDecimal(3), rows.getBigDecimal(4)));
      }
    }
    MartTable mart = mart("fct_market_overview");
    Map<String, Instant> keys = new TreeMap<>();
    windows.keySet().forEach(w -> keys.put(w.toString(), w));
    assertEquals(keys.keySet(), mart.rows().keySet());
    int withBitcoin = 0;
    for (Map.Entry<Instant, List<Asset>> window : windows.entrySet()) {
      String k = window.getKey().toString();
      List<Asset> assets = window.getValue();
      BigDecimal total =
          assets.stream()
              .map(Asset::marketCap)
              .filter(v -> v != null)
              .reduce(BigDecimal.ZERO, BigDecimal::add);
      assertNumber(BigDecimal.valueOf(assets.size()), mart.value(k, "asset_count"), k);
      assertNumber(total, mart.value(k, "total_market_cap_usd"), k + " total");
      BigDecimal btc =
          assets.stream()
              .filter(a -> a.id().equals("bitcoin") && a.marketCap() != null)
              .map(Asset::marketCap)
              .findFirst()
              .orElse(null);
      if (btc == null) {
        assertEquals(null, mart.value(k, "btc_dominance_pct"), k);
      } else {
        withBitcoin++;
        assertNumber(
            btc.multiply(BigDecimal.valueOf(100)).divide(total, MathContext.DECIMAL128),
            mart.value(k, "btc_dominance_pct"),
            k + " btc dominance");
      }
      List<Asset> changed = assets.stream().filter(a -> a.change() != null).toList();
      Asset gainer =
          changed.stream()
              .min(Comparator.comparing(Asset::change).reversed().thenComparing(Asset::id))
              .get();
      Asset loser =
          changed.stream().min(Comparator.comparing(Asset::change).thenComparing(Asset::id)).get();
      assertEquals(gainer.id(), mart.value(k, "top_gainer_asset_id"), k + " gainer");
      assertEquals(loser.id(), mart.value(k, "top_loser_asset_id"), k + " loser");
      assertNumber(gainer.change(), mart.value(k, "top_gainer_change_pct"), k);
      assertNumber(loser.change(), mart.value(k, "top_loser_change_pct"), k);
    }
    assertTrue(withBitcoin > 0, "windows with bitcoin");
  }

  private static BigDecimal sum(List<Minute> minutes, Function<Minute, BigDecimal> value) {
    return minutes.stream().map(value).reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  private static void assertNumber(BigDecimal expected, Object actual, String where) {
    assertTrue(actual instanceof BigDecimal, where + ": " + actual + " is a number");
    MartTable.assertValue(expected, actual, where);
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private static List<Instant> hours(Connection connection, String schema) throws SQLException {
    List<Instant> hours = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT DISTINCT window_start FROM " + schema + ".fct_candles_hourly ORDER BY 1")) {
      while (rows.next()) {
        hours.add(rows.getObject(1, java.time.OffsetDateTime.class).toInstant());
      }
    }
    return hours;
  }

  /** Per model, rows in one schema and not the other, both ways (0: the same rows). */
  private static Map<String, Long> differences(Connection connection, String a, String b)
      throws SQLException {
    Map<String, Long> differences = new TreeMap<>();
    for (String model : MODELS) {
      String left = a + "." + model;
      String right = b + "." + model;
      try (Statement statement = connection.createStatement();
          ResultSet rows =
              statement.executeQuery(
                  "SELECT (SELECT count(*) FROM ((SELECT * FROM "
                      + left
                      + " EXCEPT ALL SELECT * FROM "
                      + right
                      + ") UNION ALL (SELECT * FROM "
                      + right
                      + " EXCEPT ALL SELECT * FROM "
                      + left
                      + ")) AS d), (SELECT count(*) FROM "
                      + left
                      + ")")) {
        rows.next();
        assertTrue(rows.getLong(2) > 0, left + " has rows");
        differences.put(model, rows.getLong(1));
      }
    }
    return differences;
  }
}

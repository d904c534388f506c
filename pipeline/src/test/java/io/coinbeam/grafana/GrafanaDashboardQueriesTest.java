package io.coinbeam.grafana;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coinbeam.CoinbeamPipeline;
import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.grafana.GrafanaSqlExpander.Context;
import io.coinbeam.grafana.GrafanaSqlExpander.Variable;
import io.coinbeam.rows.DeadLetters;
import io.coinbeam.sample.Manifest;
import io.coinbeam.schema.TableDefinition;
import io.coinbeam.testing.ParquetFiles;
import io.coinbeam.testing.ProjectFiles;
import io.coinbeam.testing.TestPostgres;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * Every query of every provisioned Grafana dashboard, expanded as Grafana would expand it, runs
 * against a real PostgreSQL that the real pipeline filled from the bundled sample, as the read-only
 * role docker/postgres/init creates: it executes, returns rows, and returns the columns its panel
 * type needs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrafanaDashboardQueriesTest {
  private static final Path DASHBOARDS = ProjectFiles.root().resolve("docker/grafana/dashboards");
  private static final Path PROVISIONING =
      ProjectFiles.root().resolve("docker/grafana/provisioning");
  private static final String DATASOURCE_UID = "coinbeam-postgres";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final Path SAMPLE = ProjectFiles.root().resolve("data/sample");

  @TempDir static Path out;

  /** What the generator wrote into the bundled sample: its event time, rows and dead letters. */
  private Manifest manifest;

  private TestPostgres.Database db;
  private String grafanaUser;
  private final String grafanaPassword = "grafana's test password";
  private Instant runStart;
  private Instant runEnd;

  /** One panel query, ready to run: where it comes from and the SQL Grafana would send. */
  record PanelQuery(String dashboard, JsonNode panel, String repeatValue, String sql) {
    String type() {
      return panel.path("type").asText();
    }

    @Override
    public String toString() {
      return dashboard
          + " / "
          + panel.path("title").asText()
          + (repeatValue == null ? "" : " [" + repeatValue + "]");
    }
  }

  @BeforeAll
  void fillPostgresWithThePipeline() throws Exception {
    manifest = Manifest.read(SAMPLE);
    db = TestPostgres.freshDatabase();
    grafanaUser = "grafana_" + db.url().replaceAll(".*/(\\w+).*", "$1");
    createGrafanaRoleAsTheInitScriptDoes();
    runStart = Instant.now();
    List<String> args = new ArrayList<>();
    args.add("--input=" + SAMPLE + "/{stream}/*");
    args.add("--output=" + out);
    args.add("--sinks=parquet,postgres");
    args.addAll(List.of(db.flags()));
    assertEquals(CoinbeamPipeline.EXIT_OK, CoinbeamPipeline.run(args.toArray(String[]::new)));
    runEnd = Instant.now();
  }

  /**
   * The statements of docker/postgres/init/10-grafana-role.sh, with psql's variables filled in and
   * a role name of this test's own (roles are shared by every database on the server). Applied
   * before the pipeline creates its tables, as in compose, so the default privileges are proven.
   */
  private void createGrafanaRoleAsTheInitScriptDoes() throws Exception {
    String script =
        Files.readString(ProjectFiles.root().resolve("docker/postgres/init/10-grafana-role.sh"));
    String sql = script.substring(script.indexOf("<<'SQL'") + 7, script.lastIndexOf("\nSQL"));
    String database = db.url().replaceAll(".*/(\\w+).*", "$1");
    sql =
        sql.replace(":'grafana_password'", "'" + grafanaPassword.replace("'", "''") + "'")
            .replace(":\"db\"", "\"" + database + "\"")
            .replace(":\"owner\"", "\"" + db.user() + "\"")
            .replaceAll("\\bgrafana\\b", grafanaUser);
    try (Connection owner = db.connect();
        Statement statement = owner.createStatement()) {
      for (String line : sql.split(";")) {
        String withoutComments = line.replaceAll("(?m)^\\s*--.*$", "").trim();
        if (!withoutComments.isEmpty()) {
          statement.execute(withoutComments);
        }
      }
    }
  }

  /**
   * A connection as Grafana's role. The user goes in the URL: an embedded server's URL names its
   * superuser there, and a URL parameter would win over the user given beside it.
   */
  private Connection asGrafana() throws Exception {
    String base = db.url().replaceAll("\\?.*$", "");
    Connection c =
        DriverManager.getConnection(base + "?user=" + grafanaUser, grafanaUser, grafanaPassword);
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_user")) {
      rs.next();
      assertEquals(grafanaUser, rs.getString(1), "connected as Grafana's role");
    }
    return c;
  }

  static Stream<Path> dashboardFiles() throws Exception {
    try (Stream<Path> files = Files.list(DASHBOARDS)) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList().stream();
    }
  }

  private static JsonNode read(Path file) throws Exception {
    return JSON.readTree(file.toFile());
  }

  /**
   * The time range a dashboard is tested over: the sample's event time for market panels. Pipeline
   * health filters on processing times instead: written_at (when a row was written: this run) and
   * dead_letters.observed_at (when its record was captured: for files, their modification time, so
   * the checkout's time here). Its range reaches from the oldest sample file to the end of the run.
   */
  private Instant[] rangeFor(JsonNode dashboard) throws Exception {
    if (dashboard.path("uid").asText().equals("coinbeam-pipeline-health")) {
      Instant oldest = runStart;
      try (Stream<Path> files = Files.walk(SAMPLE)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          Instant modified = Files.getLastModifiedTime(f).toInstant();
          oldest = modified.isBefore(oldest) ? modified : oldest;
        }
      }
      return new Instant[] {oldest.minusSeconds(60), runEnd.plusSeconds(60)};
    }
    Instant from = manifest.config().start();
    return new Instant[] {from, from.plus(Duration.ofMinutes(manifest.config().minutes()))};
  }

  private static Duration intervalOf(JsonNode panel) {
    String interval = panel.path("interval").asText("");
    return interval.isEmpty() ? Duration.ofMinutes(1) : GrafanaSqlExpander.parseInterval(interval);
  }

  /** Variables in dashboard order, each from its own query run with the ones before it. */
  private Map<String, Variable> variables(JsonNode dashboard, Instant[] range) throws Exception {
    Map<String, Variable> resolved = new LinkedHashMap<>();
    for (JsonNode v : dashboard.path("templating").path("list")) {
      assertEquals("query", v.path("type").asText(), "variable " + v.path("name"));
      assertEquals(DATASOURCE_UID, v.path("datasource").path("uid").asText());
      String sql =
          checked(
              GrafanaSqlExpander.expand(
                  v.path("query").asText(),
                  new Context(range[0], range[1], Duration.ofMinutes(1), resolved)),
              "variable " + v.path("name").asText());
      List<String> options = new ArrayList<>();
      try (Connection c = asGrafana();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(sql)) {
        while (rs.next()) {
          options.add(rs.getString(1));
        }
      }
      assertFalse(options.isEmpty(), "variable " + v.path("name") + " has values: " + sql);
      boolean quoted = v.path("multi").asBoolean() || v.path("includeAll").asBoolean();
      JsonNode current = v.path("current").path("value");
      List<String> selected = new ArrayList<>();
      if (current.isArray()) {
        current.forEach(value -> selected.add(value.asText()));
      } else if (!current.isMissingNode()) {
        selected.add(current.asText());
      }
      if (selected.isEmpty() || selected.contains("$__all")) {
        selected.clear();
        selected.addAll(options);
      }
      assertTrue(
          options.containsAll(selected),
          "variable " + v.path("name") + ": default " + selected + " is among " + options);
      resolved.put(v.path("name").asText(), new Variable(selected, quoted));
    }
    return resolved;
  }

  private static String checked(String sql, String where) {
    List<String> left = GrafanaSqlExpander.leftovers(sql);
    if (!left.isEmpty()) {
      fail(where + ": not expanded: " + left + "\n" + sql);
    }
    return sql;
  }

  /** Every panel query, a repeated panel once per value of its variable. */
  List<PanelQuery> panelQueries() throws Exception {
    List<PanelQuery> queries = new ArrayList<>();
    for (Path file : dashboardFiles().toList()) {
      JsonNode dashboard = read(file);
      Instant[] range = rangeFor(dashboard);
      Map<String, Variable> variables = variables(dashboard, range);
      for (JsonNode panel : dashboard.path("panels")) {
        String repeat = panel.path("repeat").asText("");
        List<String> scopes =
            repeat.isEmpty()
                ? java.util.Collections.singletonList(null)
                : variables.get(repeat).values();
        for (String scope : scopes) {
          Map<String, Variable> inScope = new LinkedHashMap<>(variables);
          if (scope != null) {
            inScope.put(repeat, new Variable(List.of(scope), variables.get(repeat).quoted()));
          }
          for (JsonNode target : panel.path("targets")) {
            String sql =
                GrafanaSqlExpander.expand(
                    target.path("rawSql").asText(),
                    new Context(range[0], range[1], intervalOf(panel), inScope));
            queries.add(
                new PanelQuery(
                    dashboard.path("title").asText(),
                    panel,
                    scope,
                    checked(sql, dashboard.path("title") + " / " + panel.path("title"))));
          }
        }
      }
    }
    return queries;
  }

  /** A result as column names and rows. */
  record Result(List<String> columns, List<Integer> types, List<List<Object>> rows) {}

  private Result run(String sql) throws Exception {
    try (Connection c = asGrafana();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData meta = rs.getMetaData();
      List<String> columns = new ArrayList<>();
      List<Integer> types = new ArrayList<>();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        columns.add(meta.getColumnLabel(i));
        types.add(meta.getColumnType(i));
      }
      List<List<Object>> rows = new ArrayList<>();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= columns.size(); i++) {
          row.add(rs.getObject(i));
        }
        rows.add(row);
      }
      return new Result(columns, types, rows);
    }
  }

  private static boolean numeric(int type) {
    return Set.of(
            Types.NUMERIC,
            Types.DECIMAL,
            Types.DOUBLE,
            Types.FLOAT,
            Types.REAL,
            Types.BIGINT,
            Types.INTEGER,
            Types.SMALLINT)
        .contains(type);
  }

  private static boolean timeLike(int type) {
    return numeric(type) || type == Types.TIMESTAMP || type == Types.TIMESTAMP_WITH_TIMEZONE;
  }

  @Test
  void everyPanelQueryRunsAndReturnsWhatItsPanelNeeds() throws Exception {
    List<PanelQuery> queries = panelQueries();
    assertEquals(expectedQueryCount(), queries.size(), "panel queries: " + queries);
    List<String> problems = new ArrayList<>();
    for (PanelQuery query : queries) {
      Result result;
      try {
        result = run(query.sql());
      } catch (Exception e) {
        problems.add(query + ": " + e.getMessage() + "\n" + query.sql());
        continue;
      }
      // No panel is legitimately empty on the sample: every table has rows in its event time, and
      // the health range covers the run that wrote them and the files its dead letters came from.
      if (result.rows().isEmpty()) {
        problems.add(query + ": no rows\n" + query.sql());
        continue;
      }
      String shape = shapeProblem(query, result);
      if (shape != null) {
        problems.add(query + ": " + shape + " (columns " + result.columns() + ")");
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n\n", problems));
  }

  /** What a panel type reads from a result; null when the result fits. */
  private static String shapeProblem(PanelQuery query, Result r) {
    String format = query.panel().path("targets").get(0).path("format").asText();
    List<String> cols = r.columns();
    switch (query.type()) {
      case "candlestick":
        if (!cols.equals(List.of("time", "open", "high", "low", "close", "volume"))) {
          return "a candlestick needs time, open, high, low, close, volume";
        }
        break;
      case "timeseries":
        if (!format.equals("time_series") || !cols.get(0).equals("time")) {
          return "a time series needs time first, as time_series";
        }
        int valueFrom = cols.size() > 1 && cols.get(1).equals("metric") ? 2 : 1;
        if (cols.size() != valueFrom + 1) {
          return "one value column expected after time" + (valueFrom == 2 ? " and metric" : "");
        }
        if (!numeric(r.types().get(valueFrom))) {
          return "the value column is not numeric";
        }
        break;
      case "stat", "piechart", "bargauge":
        String field = query.panel().path("options").path("reduceOptions").path("fields").asText();
        String name = field.replaceAll("^/\\^|\\$/$", "");
        int index = cols.indexOf(name);
        if (index < 0 || !numeric(r.types().get(index))) {
          return "the panel reads the numeric field " + name;
        }
        if (r.types().stream().noneMatch(t -> t == Types.VARCHAR)) {
          return "the panel needs a text column to name each value";
        }
        break;
      case "table":
        break;
      default:
        return "no check for panel type " + query.type();
    }
    for (int i = 0; i < cols.size(); i++) {
      if (cols.get(i).equals("time") && !timeLike(r.types().get(i))) {
        return "time is neither a number of seconds nor a timestamp";
      }
    }
    return null;
  }

  @ParameterizedTest
  @MethodSource("dashboardFiles")
  void everyPanelAndVariableUsesTheProvisionedDatasource(Path file) throws Exception {
    JsonNode d = read(file);
    assertEquals(39, d.path("schemaVersion").asInt(), file.toString());
    assertTrue(d.path("editable").asBoolean(), file + " is editable");
    assertEquals("now-6h", d.path("time").path("from").asText());
    assertEquals("10s", d.path("refresh").asText());
    assertTrue(d.path("uid").asText().startsWith("coinbeam-"), "uid");
    assertFalse(d.path("panels").isEmpty());
    for (JsonNode panel : d.path("panels")) {
      String where = file.getFileName() + " / " + panel.path("title").asText();
      assertEquals(DATASOURCE_UID, panel.path("datasource").path("uid").asText(), where);
      assertFalse(panel.path("targets").isEmpty(), where + " has a query");
      for (JsonNode target : panel.path("targets")) {
        assertEquals(DATASOURCE_UID, target.path("datasource").path("uid").asText(), where);
        assertTrue(target.path("rawQuery").asBoolean(), where + " is raw SQL");
        assertFalse(target.path("rawSql").asText().isBlank(), where + " has SQL");
      }
    }
  }

  @Test
  void candlesAtOneMinuteAreExactlyTheTradeCandlesRowsInParquet() throws Exception {
    PanelQuery btc =
        panelQueries().stream()
            .filter(q -> q.type().equals("candlestick") && "bitcoin/tether".equals(q.repeatValue()))
            .findFirst()
            .orElseThrow();
    List<List<Object>> expected = new ArrayList<>();
    for (Map<String, Object> row :
        ParquetFiles.readRows(
            out.resolve("trade_candles"), TableDefinition.named("trade_candles"))) {
      if (row.get("exchange").equals("binance")
          && row.get("base").equals("bitcoin")
          && row.get("quote").equals("tether")) {
        expected.add(
            List.of(
                epochSeconds(row.get("window_start")),
                decimal(row.get("open")),
                decimal(row.get("high")),
                decimal(row.get("low")),
                decimal(row.get("close")),
                decimal(row.get("volume"))));
      }
    }
    expected.sort(java.util.Comparator.comparing(r -> (BigDecimal) r.get(0)));
    List<List<Object>> actual = new ArrayList<>();
    for (List<Object> row : run(btc.sql()).rows()) {
      actual.add(row.stream().map(v -> (Object) decimal(v)).toList());
    }
    assertEquals(
        manifest.config().minutes(),
        expected.size(),
        "binance BTC/USDT has a candle in each minute of the sample");
    assertEquals(expected, actual);
  }

  @Test
  void theVolumePanelSumsToTheParquetVolumeOfEachPair() throws Exception {
    PanelQuery volume =
        panelQueries().stream()
            .filter(q -> q.panel().path("title").asText().startsWith("Volume"))
            .findFirst()
            .orElseThrow();
    Map<String, BigDecimal> panel = new java.util.TreeMap<>();
    for (List<Object> row : run(volume.sql()).rows()) {
      panel.merge((String) row.get(1), decimal(row.get(2)), BigDecimal::add);
    }
    Map<String, BigDecimal> parquet = new java.util.TreeMap<>();
    for (Map<String, Object> row :
        ParquetFiles.readRows(
            out.resolve("trade_candles"), TableDefinition.named("trade_candles"))) {
      if (row.get("exchange").equals("binance")) {
        parquet.merge(
            row.get("base") + "/" + row.get("quote"),
            decimal(row.get("volume_usd")),
            BigDecimal::add);
      }
    }
    assertTrue(parquet.size() > 1, "binance trades several pairs in the sample: " + parquet);
    assertEquals(parquet, panel);
  }

  @Test
  void theHealthPanelsCountTheSamplesRowsAndDeadLetters() throws Exception {
    Map<String, BigDecimal> counts = new java.util.TreeMap<>();
    Map<String, BigDecimal> deadPerStream = new java.util.TreeMap<>();
    for (PanelQuery q : panelQueries()) {
      String title = q.panel().path("title").asText();
      if (title.equals("Rows per table")) {
        run(q.sql()).rows().forEach(r -> counts.put((String) r.get(0), decimal(r.get(1))));
      } else if (title.equals("Dead letters per stream")) {
        run(q.sql())
            .rows()
            .forEach(
                r -> deadPerStream.merge((String) r.get(1), decimal(r.get(2)), BigDecimal::add));
      }
    }
    // Every table's rows as the same run wrote them to Parquet, and each stream's dead letters as
    // the sample's manifest counts them.
    Map<String, BigDecimal> rows = new java.util.TreeMap<>();
    Map<String, BigDecimal> dead = new java.util.TreeMap<>();
    for (CoinCapStream stream : CoinCapStream.values()) {
      rows.put(stream.tableName(), BigDecimal.valueOf(parquetRows(stream.table())));
      dead.put(stream.id(), BigDecimal.valueOf(manifest.stream(stream).deadLetters()));
    }
    rows.put(DeadLetters.table().name(), BigDecimal.valueOf(parquetRows(DeadLetters.table())));
    assertEquals(rows, counts);
    assertEquals(dead, deadPerStream);
  }

  private long parquetRows(TableDefinition table) throws Exception {
    return ParquetFiles.readRows(out.resolve(table.name()), table).size();
  }

  /**
   * How many queries the dashboards hold, counted from their JSON files: each panel's targets, and
   * a repeated panel's once per value of its variable. Only the pair variable repeats a panel; its
   * values (all pairs on the exchange variable's default) are counted in the Parquet trade_candles
   * the same run wrote, not by the variable's own SQL.
   */
  private long expectedQueryCount() throws Exception {
    long count = 0;
    for (Path file : dashboardFiles().toList()) {
      JsonNode dashboard = read(file);
      for (JsonNode panel : dashboard.path("panels")) {
        String repeat = panel.path("repeat").asText("");
        long copies = 1;
        if (!repeat.isEmpty()) {
          assertEquals("pair", repeat, file + ": a repeat this test cannot count");
          assertEquals(List.of("$__all"), defaults(dashboard, "pair"), "pair repeats over all");
          List<String> exchange = defaults(dashboard, "exchange");
          assertEquals(1, exchange.size(), "one default exchange: " + exchange);
          copies = pairsTradedOn(exchange.get(0)).size();
        }
        count += copies * panel.path("targets").size();
      }
    }
    return count;
  }

  /** The values a dashboard variable is saved with ({@code current.value}). */
  private static List<String> defaults(JsonNode dashboard, String variable) {
    for (JsonNode v : dashboard.path("templating").path("list")) {
      if (v.path("name").asText().equals(variable)) {
        JsonNode current = v.path("current").path("value");
        List<String> values = new ArrayList<>();
        if (current.isArray()) {
          current.forEach(value -> values.add(value.asText()));
        } else {
          values.add(current.asText());
        }
        return values;
      }
    }
    return fail("no variable " + variable);
  }

  /** base/quote of every pair with candles on the exchange, from the Parquet trade_candles. */
  private Set<String> pairsTradedOn(String exchange) throws Exception {
    TableDefinition candles = CoinCapStream.TRADES.table();
    Set<String> pairs = new java.util.TreeSet<>();
    for (Map<String, Object> row : ParquetFiles.readRows(out.resolve(candles.name()), candles)) {
      if (row.get("exchange").equals(exchange)) {
        pairs.add(row.get("base") + "/" + row.get("quote"));
      }
    }
    return pairs;
  }

  @Test
  void grafanasRoleCannotWrite() throws Exception {
    try (Connection c = asGrafana();
        Statement s = c.createStatement()) {
      c.setAutoCommit(false); // should the role ever write, nothing is kept for the other tests
      Exception refused =
          org.junit.jupiter.api.Assertions.assertThrows(
              Exception.class, () -> s.executeUpdate("DELETE FROM trade_candles"));
      assertTrue(refused.getMessage().contains("read-only"), refused.getMessage());
      c.rollback();
    }
  }

  @Test
  void provisioningLoadsTheseDashboardsWithThisDatasource() throws Exception {
    Map<String, Object> datasources =
        new Yaml().load(Files.readString(PROVISIONING.resolve("datasources/coinbeam.yml")));
    @SuppressWarnings("unchecked")
    Map<String, Object> ds = ((List<Map<String, Object>>) datasources.get("datasources")).get(0);
    assertEquals(DATASOURCE_UID, ds.get("uid"));
    assertEquals("postgres", ds.get("type"));
    assertEquals("grafana", ds.get("user"), "the read-only role from docker/postgres/init");

    Map<String, Object> providers =
        new Yaml().load(Files.readString(PROVISIONING.resolve("dashboards/coinbeam.yml")));
    @SuppressWarnings("unchecked")
    Map<String, Object> provider = ((List<Map<String, Object>>) providers.get("providers")).get(0);
    @SuppressWarnings("unchecked")
    String path = (String) ((Map<String, Object>) provider.get("options")).get("path");
    String compose = Files.readString(ProjectFiles.root().resolve("docker-compose.yml"));
    assertTrue(
        compose.contains("./docker/grafana/dashboards:" + path + ":ro"),
        "compose mounts docker/grafana/dashboards where the provider reads: " + path);
  }

  /** A number as a BigDecimal that equals() any other form of the same value. */
  private static BigDecimal decimal(Object value) {
    BigDecimal b;
    if (value instanceof BigDecimal d) {
      b = d;
    } else if (value instanceof Double d) {
      b = new BigDecimal(Double.toString(d)); // the shortest decimal, as PostgreSQL stores it
    } else if (value instanceof Number n) {
      b = new BigDecimal(n.toString());
    } else {
      throw new AssertionError("not a number: " + value);
    }
    b = b.stripTrailingZeros();
    return b.scale() < 0 ? b.setScale(0) : b;
  }

  private static BigDecimal epochSeconds(Object value) {
    if (value instanceof org.joda.time.ReadableInstant i) {
      return BigDecimal.valueOf(i.getMillis() / 1000);
    }
    if (value instanceof Instant i) {
      return BigDecimal.valueOf(i.getEpochSecond());
    }
    if (value instanceof Long millis) { // Avro timestamp-millis without a logical-type conversion
      return BigDecimal.valueOf(millis / 1000);
    }
    throw new AssertionError("not an instant: " + value + " (" + value.getClass() + ")");
  }
}

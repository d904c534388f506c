package io.coinbeam.dbt;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A small {@code dbt build} for PostgreSQL: renders every model (first to learn its config and
 * refs, as dbt parses, then to compile), runs them in dependency order as views, tables or
 * incremental tables (delete+insert on unique_key, as dbt-postgres), then runs the schema and
 * singular tests and counts their failing rows.
 */
final class DbtRunner {
  /** One model as built: how, from which SQL, and whether the incremental branch ran. */
  record BuiltModel(String name, String materialized, boolean incremental, String sql) {}

  private final DbtProject project;
  private final DbtTarget target;
  private final JinjaRenderer renderer;

  DbtRunner(DbtProject project, DbtTarget target, JinjaRenderer renderer) {
    this.project = project;
    this.target = target;
    this.renderer = renderer;
  }

  /** What a parse render learns: the model's config and the models it refs. */
  record Parsed(Map<String, Object> config, List<String> refs) {}

  Parsed parse(DbtProject.Model model) {
    RenderScope scope = new RenderScope(project, target, false);
    render(model, scope);
    return new Parsed(Map.copyOf(scope.config), List.copyOf(scope.refs));
  }

  private String render(DbtProject.Model model, RenderScope scope) {
    try {
      return renderer.render(
          model.sql(), scope, project.macros(), target.relation(target.schema(), model.name()));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(model.path() + ": " + e.getMessage(), e);
    }
  }

  /** The models in an order where every model comes after the ones it refs. */
  List<String> order() {
    Map<String, List<String>> dependencies = new LinkedHashMap<>();
    for (DbtProject.Model model : project.models().values()) {
      dependencies.put(model.name(), parse(model).refs());
    }
    List<String> ordered = new ArrayList<>();
    Set<String> visiting = new LinkedHashSet<>();
    for (String name : dependencies.keySet()) {
      visit(name, dependencies, visiting, ordered);
    }
    return ordered;
  }

  private static void visit(
      String name, Map<String, List<String>> dependencies, Set<String> visiting, List<String> out) {
    if (out.contains(name)) {
      return;
    }
    if (!visiting.add(name)) {
      throw new IllegalArgumentException("models ref each other in a cycle: " + visiting);
    }
    for (String dependency : dependencies.get(name)) {
      visit(dependency, dependencies, visiting, out);
    }
    visiting.remove(name);
    out.add(name);
  }

  /** Builds every model; fullRefresh rebuilds incremental models from scratch. */
  List<BuiltModel> run(Connection connection, boolean fullRefresh) throws SQLException {
    execute(connection, "CREATE SCHEMA IF NOT EXISTS " + quote(target.schema()));
    List<BuiltModel> built = new ArrayList<>();
    for (String name : order()) {
      built.add(build(connection, project.models().get(name), fullRefresh));
    }
    return built;
  }

  private BuiltModel build(Connection connection, DbtProject.Model model, boolean fullRefresh)
      throws SQLException {
    Parsed parsed = parse(model);
    String materialized =
        String.valueOf(parsed.config().getOrDefault("materialized", model.defaultMaterialized()));
    String relation = target.relation(target.schema(), model.name());
    boolean exists = exists(connection, model.name());
    boolean incremental = materialized.equals("incremental") && exists && !fullRefresh;
    String sql = render(model, new RenderScope(project, target, incremental));
    switch (materialized) {
      case "view" -> {
        execute(connection, "DROP VIEW IF EXISTS " + relation + " CASCADE");
        execute(connection, "CREATE VIEW " + relation + " AS\n" + sql);
      }
      case "table" -> {
        execute(connection, "DROP TABLE IF EXISTS " + relation + " CASCADE");
        execute(connection, "CREATE TABLE " + relation + " AS\n" + sql);
      }
      case "incremental" -> {
        if (incremental) {
          mergeDeleteInsert(connection, model.name(), parsed.config(), sql);
        } else {
          execute(connection, "DROP TABLE IF EXISTS " + relation + " CASCADE");
          execute(connection, "CREATE TABLE " + relation + " AS\n" + sql);
        }
      }
      default ->
          throw new IllegalArgumentException(
              model.path()
                  + ": materialized='"
                  + materialized
                  + "' is not supported by the harness");
    }
    return new BuiltModel(model.name(), materialized, incremental, sql);
  }

  /** dbt-postgres' delete+insert: new rows in a temp table, old rows of their keys deleted. */
  private void mergeDeleteInsert(
      Connection connection, String name, Map<String, Object> config, String sql)
      throws SQLException {
    Object strategy = config.getOrDefault("incremental_strategy", "delete+insert");
    if (!"delete+insert".equals(strategy)) {
      throw new IllegalArgumentException(
          name + ": incremental_strategy '" + strategy + "' is not supported on postgres here");
    }
    List<String> keys = uniqueKey(name, config);
    String relation = target.relation(target.schema(), name);
    String temp = quote(name + "__dbt_tmp");
    execute(connection, "DROP TABLE IF EXISTS " + temp);
    execute(connection, "CREATE TEMPORARY TABLE " + temp + " AS\n" + sql);
    List<String> existing = columns(connection, target.schema(), name);
    List<String> incoming = columns(connection, null, name + "__dbt_tmp");
    if (!existing.equals(incoming)) {
      // on_schema_change='fail' (the project sets it): the same columns in the same order.
      throw new IllegalStateException(
          name + ": the new rows have columns " + incoming + ", the table " + existing);
    }
    String keyList = keys.stream().map(DbtRunner::quote).collect(Collectors.joining(", "));
    execute(
        connection,
        "DELETE FROM "
            + relation
            + " WHERE ("
            + keyList
            + ") IN (SELECT DISTINCT "
            + keyList
            + " FROM "
            + temp
            + ")");
    String columnList = existing.stream().map(DbtRunner::quote).collect(Collectors.joining(", "));
    execute(
        connection,
        "INSERT INTO " + relation + " (" + columnList + ") SELECT " + columnList + " FROM " + temp);
    execute(connection, "DROP TABLE " + temp);
  }

  @SuppressWarnings("unchecked")
  private static List<String> uniqueKey(String name, Map<String, Object> config) {
    Object key = config.get("unique_key");
    if (key instanceof String one) {
      return List.of(one);
    }
    if (key instanceof List<?> many && !many.isEmpty()) {
      return many.stream().map(String::valueOf).toList();
    }
    throw new IllegalArgumentException(name + ": an incremental model needs a unique_key");
  }

  /** Failing rows per test: every schema test, then every singular test. */
  Map<String, Long> test(Connection connection) throws SQLException {
    Map<String, Long> failures = new LinkedHashMap<>();
    for (DbtProject.SchemaTest test : project.schemaTests()) {
      failures.put(test.name(), count(connection, SchemaTestSql.compile(test, this)));
    }
    for (Map.Entry<String, String> test : project.singularTests().entrySet()) {
      String sql;
      try {
        sql =
            renderer.render(
                test.getValue(), new RenderScope(project, target, false), project.macros(), null);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("tests/" + test.getKey() + ".sql: " + e.getMessage(), e);
      }
      failures.put(test.getKey(), count(connection, sql));
    }
    return failures;
  }

  /** Renders an expression such as {@code ref('dim_assets')} from a test's arguments. */
  String renderExpression(String expression) {
    return renderer.render(
        "{{ " + expression + " }}", new RenderScope(project, target, false), "", null);
  }

  String relation(String model) {
    if (!project.models().containsKey(model)) {
      throw new IllegalArgumentException("no model named " + model);
    }
    return target.relation(target.schema(), model);
  }

  static long count(Connection connection, String failingRowsSql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT count(*) FROM (\n" + failingRowsSql + "\n) AS dbt_test_failures")) {
      rows.next();
      return rows.getLong(1);
    } catch (SQLException e) {
      throw new SQLException(e.getMessage() + "\nin:\n" + failingRowsSql, e.getSQLState(), e);
    }
  }

  private boolean exists(Connection connection, String name) throws SQLException {
    return !columns(connection, target.schema(), name).isEmpty();
  }

  private static List<String> columns(Connection connection, String schema, String table)
      throws SQLException {
    String sql =
        schema == null
            ? "SELECT a.attname FROM pg_attribute a WHERE a.attrelid = to_regclass(?) AND a.attnum > 0"
                + " AND NOT a.attisdropped ORDER BY a.attnum"
            : "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND"
                + " table_name = ? ORDER BY ordinal_position";
    try (var statement = connection.prepareStatement(sql)) {
      if (schema == null) {
        statement.setString(1, "pg_temp." + quote(table));
      } else {
        statement.setString(1, schema);
        statement.setString(2, table);
      }
      List<String> names = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          names.add(rows.getString(1));
        }
      }
      return names;
    }
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new SQLException(e.getMessage() + "\nin:\n" + sql, e.getSQLState(), e);
    }
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}

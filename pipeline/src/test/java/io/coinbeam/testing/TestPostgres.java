package io.coinbeam.testing;

import io.coinbeam.io.jdbc.PostgresTarget;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real PostgreSQL for tests: the server named by {@code PG_URL} (with {@code PG_USER} and {@code
 * PG_PASSWORD}) when set, else one embedded server per test JVM, run from PostgreSQL binaries that
 * come from the Maven registry. Each caller gets a database of its own, so tests never see each
 * other's rows.
 */
public final class TestPostgres {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres embedded;

  private TestPostgres() {}

  /** One database on a real server: where it is, who connects. */
  public record Database(String url, String user, String password) {
    public Connection connect() throws SQLException {
      return DriverManager.getConnection(url, user, password);
    }

    public PostgresTarget target() {
      return PostgresTarget.of(url, user, password);
    }

    /** The pipeline flags that point at this database. */
    public String[] flags() {
      return new String[] {
        "--postgresUrl=" + url, "--postgresUser=" + user, "--postgresPassword=" + password
      };
    }
  }

  /** A new, empty database. */
  public static synchronized Database freshDatabase() {
    String name =
        "coinbeam_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    String externalUrl = System.getenv("PG_URL");
    try {
      if (externalUrl != null && !externalUrl.isBlank()) {
        String user = envOr("PG_USER", "coinbeam");
        String password = envOr("PG_PASSWORD", "");
        try (Connection admin = DriverManager.getConnection(externalUrl, user, password)) {
          createDatabase(admin, name);
        }
        return new Database(replaceDatabase(externalUrl, name), user, password);
      }
      EmbeddedPostgres server = shared();
      try (Connection admin = server.getPostgresDatabase().getConnection()) {
        createDatabase(admin, name);
      }
      return new Database(server.getJdbcUrl("postgres", name), "postgres", "");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create a test database: " + e.getMessage(), e);
    }
  }

  /** True when tests run against the server PG_URL names rather than an embedded one. */
  public static boolean external() {
    String url = System.getenv("PG_URL");
    return url != null && !url.isBlank();
  }

  /**
   * A server of the caller's own, on a data directory it keeps between starts and the given port
   * (0: any free one), for tests that stop and restart the database.
   */
  public static EmbeddedPostgres startServer(java.nio.file.Path dataDirectory, int port)
      throws IOException {
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false);
    if (port > 0) {
      builder.setPort(port);
    }
    return builder.start();
  }

  private static EmbeddedPostgres shared() {
    if (embedded == null) {
      try {
        embedded = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the embedded PostgreSQL server", e);
      }
      EmbeddedPostgres server = embedded;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      server.close();
                    } catch (IOException e) {
                      // The JVM is going; the server's directory is temporary.
                    }
                  }));
    }
    return embedded;
  }

  private static void createDatabase(Connection admin, String name) throws SQLException {
    try (Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    }
  }

  private static String replaceDatabase(String url, String database) {
    int query = url.indexOf('?');
    String base = query < 0 ? url : url.substring(0, query);
    String params = query < 0 ? "" : url.substring(query);
    return base.substring(0, base.lastIndexOf('/') + 1) + database + params;
  }

  private static String envOr(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}

package io.coinbeam.io.jdbc;

import io.coinbeam.options.JodaDurations;
import io.coinbeam.options.PostgresSinkOptions;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.joda.time.Duration;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Where the PostgreSQL sink writes and how hard it tries: the flags, else {@code PG_URL}, {@code
 * PG_USER} and {@code PG_PASSWORD}, else the docker compose database. It travels with the graph to
 * the workers, which open their own connections from it; {@link #toString} never shows the
 * password.
 */
public final class PostgresTarget implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The docker compose database, the default when neither a flag nor PG_URL names one. */
  public static final String DEFAULT_URL = "jdbc:postgresql://localhost:5432/coinbeam";

  public static final String DEFAULT_USER = "coinbeam";

  private final String url;
  private final String user;
  private final String password;
  private final int batchSize;
  private final long retryTimeoutMillis;

  private PostgresTarget(
      String url, String user, String password, int batchSize, long retryTimeoutMillis) {
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "PostgreSQL URL must start with jdbc:postgresql:, e.g. " + DEFAULT_URL + "; got " + url);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("--postgresBatchSize must be at least 1");
    }
    this.url = url;
    this.user = user;
    this.password = password;
    this.batchSize = batchSize;
    this.retryTimeoutMillis = retryTimeoutMillis;
  }

  /** The target the options name, with the process environment as the fallback. */
  public static PostgresTarget from(PostgresSinkOptions options) {
    return from(options, System.getenv());
  }

  /** {@link #from(PostgresSinkOptions)} with the environment given, for tests. */
  public static PostgresTarget from(PostgresSinkOptions options, Map<String, String> env) {
    return new PostgresTarget(
        firstSet(options.getPostgresUrl(), env.get("PG_URL"), DEFAULT_URL),
        firstSet(options.getPostgresUser(), env.get("PG_USER"), DEFAULT_USER),
        firstSet(options.getPostgresPassword(), env.get("PG_PASSWORD"), ""),
        options.getPostgresBatchSize(),
        JodaDurations.parse("postgresRetryTimeout", options.getPostgresRetryTimeout()).getMillis());
  }

  /**
   * A target at this URL with the given credentials and defaults otherwise, for tests and tools.
   */
  public static PostgresTarget of(String url, String user, String password) {
    return new PostgresTarget(url, user, password, 1000, Duration.standardMinutes(2).getMillis());
  }

  private static String firstSet(String... values) {
    for (String value : values) {
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return values[values.length - 1];
  }

  public String url() {
    return url;
  }

  public String user() {
    return user;
  }

  public int batchSize() {
    return batchSize;
  }

  public Duration retryTimeout() {
    return Duration.millis(retryTimeoutMillis);
  }

  /**
   * A plain data source: one attempt per connection. {@code rewriteBatchedInserts} turns a JDBC
   * batch of single-row INSERTs into multi-row INSERTs, one round trip per 128 rows.
   */
  DataSource plainDataSource(boolean rewriteBatchedInserts) {
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setURL(url);
    source.setUser(user);
    if (!password.isEmpty()) {
      source.setPassword(password);
    }
    source.setApplicationName("coinbeam");
    source.setReWriteBatchedInserts(rewriteBatchedInserts);
    source.setConnectTimeout(10);
    source.setTcpKeepAlive(true);
    return source;
  }

  /**
   * A data source for the sink's writers: connecting retries until {@link #retryTimeout}, and its
   * connections reconnect after the server dropped them (see {@link ReconnectingDataSource}).
   */
  public DataSource writerDataSource(boolean rewriteBatchedInserts) {
    return new ReconnectingDataSource(this, plainDataSource(rewriteBatchedInserts));
  }

  /** One connection, one attempt: for the checks before a run, which should answer at once. */
  public Connection connectOnce() throws SQLException {
    return plainDataSource(false).getConnection();
  }

  /** What to tell a person whose database cannot be reached. */
  public String unreachableAdvice() {
    return "start the docker compose database with `make up`, or point PG_URL, PG_USER and"
        + " PG_PASSWORD (or --postgresUrl, --postgresUser, --postgresPassword) at a server";
  }

  @Override
  public String toString() {
    return user + "@" + url;
  }
}

package io.coinbeam.io.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * A data source that rides out a database restart. Connecting retries with jittered exponential
 * backoff until the target's retry timeout; a connection it hands out replaces its server
 * connection when that one was lost, and treats a rollback on a lost connection as done (the server
 * aborted that transaction with the connection).
 *
 * <p>This is what lets {@link UpsertBatchesFn}'s retry loop, which keeps one connection per writer,
 * get past a reset connection: on a transient error it rolls back and prepares the statement again,
 * and the second step now reaches a new server connection. The writes are idempotent upserts, so
 * running a batch twice is safe even when a lost commit had in fact succeeded.
 */
final class ReconnectingDataSource implements DataSource {
  private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(ReconnectingDataSource.class);
  private static final long FIRST_DELAY_MILLIS = 250;
  private static final long MAX_DELAY_MILLIS = 10_000;

  private final PostgresTarget target;
  private final DataSource server;

  ReconnectingDataSource(PostgresTarget target, DataSource server) {
    this.target = target;
    this.server = server;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            new ReconnectingConnection(connectWithRetries()));
  }

  /** A server connection, retried on transient failures until the retry timeout runs out. */
  Connection connectWithRetries() throws SQLException {
    long deadline = System.currentTimeMillis() + target.retryTimeout().getMillis();
    long delay = FIRST_DELAY_MILLIS;
    int attempt = 1;
    while (true) {
      try {
        return server.getConnection();
      } catch (SQLException e) {
        String state = TransientErrors.stateOf(e);
        long now = System.currentTimeMillis();
        if (!TransientErrors.isTransient(state) || now >= deadline) {
          throw new SQLException(
              "cannot connect to PostgreSQL at "
                  + target
                  + " (gave up after "
                  + attempt
                  + " attempt(s) over "
                  + target.retryTimeout().getStandardSeconds()
                  + " s): "
                  + e.getMessage(),
              state,
              e);
        }
        long sleep =
            Math.min(ThreadLocalRandom.current().nextLong(delay / 2, delay + 1), deadline - now);
        LOG.warn(
            "PostgreSQL at {} not reachable (SQLSTATE {}: {}); attempt {} failed, retrying in {} ms",
            target,
            state,
            e.getMessage(),
            attempt,
            sleep);
        sleepMillis(sleep);
        delay = Math.min(delay * 2, MAX_DELAY_MILLIS);
        attempt++;
      }
    }
  }

  private static void sleepMillis(long millis) throws SQLException {
    try {
      Thread.sleep(Math.max(0, millis));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting to reconnect to PostgreSQL", "08001", e);
    }
  }

  /** The connection behind a handed-out proxy, replaced when the server dropped it. */
  private final class ReconnectingConnection implements InvocationHandler {
    private Connection current;
    private boolean autoCommit = true;
    private boolean closed;

    ReconnectingConnection(Connection first) throws SQLException {
      this.current = first;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      switch (method.getName()) {
        case "close":
          closed = true;
          if (current != null) {
            Connection last = current;
            current = null;
            quietlyClose(last);
          }
          return null;
        case "isClosed":
          return closed;
        case "setAutoCommit":
          autoCommit = (Boolean) args[0];
          break;
        case "rollback":
          if (args == null && (current == null || current.isClosed())) {
            LOG.warn("PostgreSQL connection was lost; its open transaction is gone with it");
            current = null;
            return null;
          }
          break;
        case "equals":
          return proxy == args[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        case "toString":
          return "ReconnectingConnection[" + target + "]";
        default:
          break;
      }
      if (closed) {
        throw new SQLException("connection closed", "08003");
      }
      if (current == null || current.isClosed()) {
        if (current != null) {
          LOG.warn("PostgreSQL connection to {} was lost; reconnecting", target);
          quietlyClose(current);
        }
        current = null;
        Connection fresh = connectWithRetries();
        fresh.setAutoCommit(autoCommit);
        current = fresh;
      }
      try {
        return method.invoke(current, args);
      } catch (InvocationTargetException e) {
        Throwable error = e.getCause();
        if (error instanceof SQLException && connectionLost(TransientErrors.stateOf(error))) {
          // The next call gets a new server connection; a rollback has nothing left to undo.
          quietlyClose(current);
          current = null;
          if (method.getName().equals("rollback")) {
            return null;
          }
        }
        throw error;
      }
    }

    private boolean connectionLost(String state) {
      return state != null && (state.startsWith("08") || state.startsWith("57P"));
    }

    private void quietlyClose(Connection connection) {
      try {
        connection.close();
      } catch (SQLException e) {
        LOG.debug("closing a lost PostgreSQL connection: {}", e.getMessage());
      }
    }
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("the target's credentials are used");
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {}

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new SQLException("not a wrapper for " + type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return type.isInstance(this);
  }
}

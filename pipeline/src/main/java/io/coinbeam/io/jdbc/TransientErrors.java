package io.coinbeam.io.jdbc;

import java.io.Serializable;
import java.sql.SQLException;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which PostgreSQL failures are worth another try: a lost or refused connection (SQLSTATE class
 * 08), a server shutting down or starting up (57P01..57P03), too many connections (53300), a
 * serialization failure (40001) and a deadlock (40P01). Everything else (a constraint, a type, a
 * missing table) would fail the same way again, so it fails the write at once.
 */
public final class TransientErrors implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(TransientErrors.class);
  private static final Set<String> RETRYABLE =
      Set.of("40001", "40P01", "57P01", "57P02", "57P03", "53300");

  private final String table;

  public TransientErrors(String table) {
    this.table = table;
  }

  /** Whether {@code error} is worth another try; says so in the log when it is. */
  public boolean apply(SQLException error) {
    String state = stateOf(error);
    boolean retry = isTransient(state);
    if (retry) {
      LOG.warn(
          "PostgreSQL write to {} failed (SQLSTATE {}: {}); retrying with backoff",
          table,
          state,
          error.getMessage());
    }
    return retry;
  }

  /** True for the SQLSTATEs that another attempt may get past. */
  public static boolean isTransient(String sqlState) {
    return sqlState != null && (sqlState.startsWith("08") || RETRYABLE.contains(sqlState));
  }

  /**
   * The SQLSTATE that says why: a batch failure's own state, else the first one among its next
   * exceptions and causes (pgjdbc puts the server's reason on the next exception of a batch).
   */
  public static String stateOf(Throwable error) {
    for (Throwable e = error; e != null; e = e.getCause()) {
      if (e instanceof SQLException sql) {
        for (SQLException next = sql; next != null; next = next.getNextException()) {
          if (next.getSQLState() != null) {
            return next.getSQLState();
          }
        }
      }
      if (e.getCause() == e) {
        break;
      }
    }
    return null;
  }
}

package io.coinbeam.io.jdbc;

import io.coinbeam.schema.TableDefinition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.util.BackOff;
import org.apache.beam.sdk.util.FluentBackoff;
import org.apache.beam.sdk.util.Sleeper;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;

/**
 * Writes the rows of each bundle as {@link UpsertStatement} batches, each batch one transaction.
 *
 * <p>Why not JdbcIO's writer: for unbounded input it batches with {@code GroupIntoBatches}, a
 * stateful DoFn with timers that Spark's classic streaming runner cannot run ("onWindowExpiration
 * is not supported"), and it sends every row through a single key. Batching by bundle needs no
 * state or timers, so the same writer serves batch and streaming on every runner, in parallel, and
 * a bundle's rows are committed when it finishes (at each Flink checkpoint, each Spark
 * micro-batch).
 *
 * <p>A batch that fails for a transient reason ({@link TransientErrors}) is rolled back and sent
 * again after a growing pause, until the target's retry timeout; the connection under it is
 * replaced if it was lost ({@link ReconnectingDataSource}). Any other failure fails the bundle with
 * the table, the batch size and the server's reason. Every statement is an idempotent upsert, so
 * sending a batch twice, or a runner retrying the bundle, changes nothing.
 */
final class UpsertBatchesFn extends DoFn<Row, Void> {
  private static final long serialVersionUID = 1L;
  private static final Duration FIRST_RETRY_DELAY = Duration.millis(500);
  private static final Duration MAX_RETRY_DELAY = Duration.standardSeconds(10);

  /**
   * When a writer of this JVM last gave up on a database (by URL). A runner that goes on with other
   * bundles after one failed (the Direct runner does) would otherwise have each of them wait out
   * the retry timeout again, so a stopped server failed a run only after many timeouts; within two
   * timeouts of a give-up the others give up at their first transient failure.
   */
  private static final Map<String, Long> GAVE_UP_AT = new ConcurrentHashMap<>();

  private final PostgresTarget target;
  private final TableDefinition table;
  private final boolean rewriteBatchedInserts;
  private final Counter rowsWritten;

  private transient DataSource dataSource;
  private transient Connection connection;
  private transient String sql;
  private transient RowStatementSetter setter;
  private transient TransientErrors transientErrors;
  private transient List<Row> batch;

  /**
   * @param rewriteBatchedInserts lets the driver send a batch as multi-row INSERTs; only where each
   *     key comes once per batch, because PostgreSQL refuses a multi-row upsert that touches a row
   *     twice (two panes of one window can share a streaming batch)
   */
  UpsertBatchesFn(PostgresTarget target, TableDefinition table, boolean rewriteBatchedInserts) {
    this.target = target;
    this.table = table;
    this.rewriteBatchedInserts = rewriteBatchedInserts;
    this.rowsWritten = Metrics.counter("postgres", table.name() + "_rows_written");
  }

  @Setup
  public void setup() {
    dataSource = target.writerDataSource(rewriteBatchedInserts);
    sql = UpsertStatement.sql(table);
    setter = new RowStatementSetter(table);
    transientErrors = new TransientErrors(table.name());
  }

  @StartBundle
  public void startBundle() {
    batch = new ArrayList<>();
  }

  @ProcessElement
  public void processElement(@Element Row row) throws Exception {
    batch.add(row);
    if (batch.size() >= target.batchSize()) {
      flush();
    }
  }

  @FinishBundle
  public void finishBundle() throws Exception {
    flush();
  }

  @Teardown
  public void teardown() {
    closeConnection();
  }

  private void flush() throws Exception {
    if (batch.isEmpty()) {
      return;
    }
    // The timeout bounds the whole effort, attempts included: an attempt on a stopped server
    // already spends its own time reconnecting.
    long deadline = System.currentTimeMillis() + target.retryTimeout().getMillis();
    BackOff pauses =
        FluentBackoff.DEFAULT
            .withInitialBackoff(FIRST_RETRY_DELAY)
            .withMaxBackoff(MAX_RETRY_DELAY)
            .backoff();
    while (true) {
      try {
        writeBatch();
        rowsWritten.inc(batch.size());
        batch.clear();
        GAVE_UP_AT.remove(target.url());
        return;
      } catch (SQLException e) {
        rollback();
        long now = System.currentTimeMillis();
        long left = deadline - now;
        boolean transientError = transientErrors.apply(e);
        if (!transientError || left <= 0 || othersGaveUp(now)) {
          if (transientError) {
            GAVE_UP_AT.put(target.url(), now);
          }
          closeConnection();
          throw new SQLException(
              "PostgreSQL refused a batch of "
                  + batch.size()
                  + " rows for "
                  + table.name()
                  + ": "
                  + e.getMessage(),
              e.getSQLState(),
              e);
        }
        Sleeper.DEFAULT.sleep(Math.min(pauses.nextBackOffMillis(), left));
      }
    }
  }

  private boolean othersGaveUp(long now) {
    Long gaveUpAt = GAVE_UP_AT.get(target.url());
    return gaveUpAt != null && now - gaveUpAt < 2 * target.retryTimeout().getMillis();
  }

  private void writeBatch() throws SQLException {
    if (connection == null) {
      connection = dataSource.getConnection();
      connection.setAutoCommit(false);
    }
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (Row row : batch) {
        setter.setParameters(row, statement);
        statement.addBatch();
      }
      statement.executeBatch();
    }
    connection.commit();
  }

  private void rollback() {
    if (connection != null) {
      try {
        connection.rollback();
      } catch (SQLException ignored) {
        // the connection is replaced or closed next; the transaction died with it
      }
    }
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // closing a broken connection: nothing left to release
      }
      connection = null;
    }
  }
}

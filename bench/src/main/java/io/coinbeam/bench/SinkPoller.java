package io.coinbeam.bench;

import io.coinbeam.bench.FreshnessLedger.RowState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Reads {@code trade_candles} every {@value #INTERVAL_MILLIS} ms while the streaming benchmark runs
 * and hands each snapshot to the ledgers that watch it: the poll's time is when a trade counts as
 * visible, so the interval is the freshness measurement's resolution. The whole table is read each
 * time (a few hundred rows: 60 pairs, one row per minute); a poll's time is taken just before the
 * query, when its snapshot starts.
 */
final class SinkPoller implements AutoCloseable {
  static final long INTERVAL_MILLIS = 100;

  private static final String QUERY =
      "SELECT exchange, base, quote, window_start, trade_count, written_at FROM trade_candles";

  private final BenchPostgres.Database database;
  private final List<FreshnessLedger> watchers = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile String lastError = "";
  private Connection connection;

  SinkPoller(BenchPostgres.Database database) {
    this.database = database;
    this.thread = new Thread(this::loop, "bench-sink-poller");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  void watch(FreshnessLedger ledger) {
    watchers.add(ledger);
  }

  void unwatch(FreshnessLedger ledger) {
    watchers.remove(ledger);
  }

  /** Why the last poll failed (the table does not exist until the pipeline has started), or "". */
  String lastError() {
    return lastError;
  }

  private void loop() {
    while (running) {
      long next = System.currentTimeMillis() + INTERVAL_MILLIS;
      try {
        long at = System.currentTimeMillis();
        Map<CandleKey, RowState> rows = read();
        for (FreshnessLedger ledger : watchers) {
          ledger.observe(rows, at);
        }
        lastError = "";
      } catch (SQLException e) {
        lastError = e.getMessage();
        closeConnection();
      }
      long wait = next - System.currentTimeMillis();
      if (wait > 0) {
        try {
          Thread.sleep(wait);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** One read of the table now (also what the final output check reads). */
  synchronized Map<CandleKey, RowState> read() throws SQLException {
    if (connection == null) {
      connection = database.connect();
    }
    Map<CandleKey, RowState> rows = new HashMap<>();
    try (PreparedStatement statement = connection.prepareStatement(QUERY);
        ResultSet result = statement.executeQuery()) {
      while (result.next()) {
        rows.put(
            new CandleKey(
                result.getString(1),
                result.getString(2),
                result.getString(3),
                result.getTimestamp(4).getTime()),
            new RowState(result.getLong(5), result.getTimestamp(6).getTime()));
      }
    }
    return rows;
  }

  private synchronized void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        // gone already
      }
      connection = null;
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(5000);
    closeConnection();
  }
}

package io.coinbeam.metrics;

import org.apache.beam.sdk.metrics.Counter;

/**
 * The counters that account for every record: each stream reports what it read, parsed and
 * dead-lettered, and each table the rows it emitted. Named {@code <stream or table>.<counter>} in
 * the {@code coinbeam} namespace, so any runner's metrics UI shows them side by side.
 */
public final class PipelineMetrics {
  public static final String NAMESPACE = "coinbeam";
  public static final String RECORDS_READ = "records_read";
  public static final String ROWS_PARSED = "rows_parsed";
  public static final String DEAD_LETTERS = "dead_letters";

  /**
   * Records recognised as exchange-feed frames that carry no trade to take (acknowledgements,
   * heartbeats, tickers, snapshots of past trades, the feed's error reports): counted, neither rows
   * nor dead letters, so records read = rows parsed + dead letters + skipped.
   */
  public static final String SKIPPED = "records_skipped";

  public static final String ROWS_OUT = "rows_out";

  /** Streaming: rows of windows' final panes handed to a table's Parquet files. */
  public static final String PARQUET_ROWS = "parquet_rows";

  /**
   * Rows of a table that BigQuery refused (or that coinbeam knew it would); each is a dead letter.
   */
  public static final String BIGQUERY_REJECTED = "bigquery_rejected";

  private PipelineMetrics() {}

  /** A counter reported to the runner and counted in this process too ({@link InProcessTally}). */
  public static Counter counter(String scope, String name) {
    return new TalliedCounter(NAMESPACE, scope + "." + name);
  }
}

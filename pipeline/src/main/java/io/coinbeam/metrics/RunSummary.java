package io.coinbeam.metrics;

import io.coinbeam.catalog.CoinCapStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * The table printed at the end of a batch run: per stream, the records read, rows parsed, dead
 * letters, and rows emitted into its table. The numbers come from the runner's metrics.
 */
public final class RunSummary {
  private final List<CoinCapStream> streams;

  public RunSummary(List<CoinCapStream> streams) {
    this.streams = streams;
  }

  /** Every coinbeam counter of a finished run, by name ({@code trades.records_read}, ...). */
  public static Map<String, Long> counters(PipelineResult result) {
    Map<String, Long> values = new TreeMap<>();
    MetricQueryResults metrics =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(
                        org.apache.beam.sdk.metrics.MetricNameFilter.inNamespace(
                            PipelineMetrics.NAMESPACE))
                    .build());
    for (MetricResult<Long> counter : metrics.getCounters()) {
      values.merge(counter.getName().getName(), valueOf(counter), Long::sum);
    }
    return values;
  }

  /**
   * Elements that arrived after their window closed (end + allowed lateness) and were dropped. Each
   * runner counts them under its own namespace; the counter's name is the same everywhere.
   */
  public static long droppedAsLate(PipelineResult result) {
    long dropped = 0;
    for (MetricResult<Long> counter : result.metrics().allMetrics().getCounters()) {
      if (counter.getName().getName().equalsIgnoreCase("droppedDueToLateness")) {
        dropped += valueOf(counter);
      }
    }
    return dropped;
  }

  private static long valueOf(MetricResult<Long> counter) {
    try {
      Long committed = counter.getCommitted();
      if (committed != null) {
        return committed;
      }
    } catch (UnsupportedOperationException e) {
      // Some runners only report attempted values.
    }
    Long attempted = counter.getAttempted();
    return attempted == null ? 0 : attempted;
  }

  /**
   * Prints the table and the accounting check; returns the streams whose records do not add up
   * (records read differs from rows parsed + dead letters + skipped control frames), empty when
   * nothing was lost.
   */
  public List<String> print(PipelineResult result, PrintStream out) {
    return print(counters(result), out);
  }

  /** {@link #print(PipelineResult, PrintStream)} from counters already queried. */
  public List<String> print(Map<String, Long> values, PrintStream out) {
    String format = "%-10s %13s %12s %13s  %-15s %9s%n";
    out.printf(format, "stream", "records read", "rows parsed", "dead letters", "table", "rows");
    long totalDead = 0;
    List<String> unbalanced = new ArrayList<>();
    List<String> skippedLines = new ArrayList<>();
    for (CoinCapStream stream : streams) {
      long read = get(values, stream.id(), PipelineMetrics.RECORDS_READ);
      long parsed = get(values, stream.id(), PipelineMetrics.ROWS_PARSED);
      long deadLetters = get(values, stream.id(), PipelineMetrics.DEAD_LETTERS);
      long skipped = get(values, stream.id(), PipelineMetrics.SKIPPED);
      if (read != parsed + deadLetters + skipped) {
        unbalanced.add(
            String.format(
                "%s: %,d records read, but %,d rows parsed + %,d dead letters + %,d skipped",
                stream.id(), read, parsed, deadLetters, skipped));
      }
      if (skipped > 0) {
        skippedLines.add(
            String.format(
                "%s: %,d exchange-feed frames without trades (acknowledgements, heartbeats,"
                    + " tickers, snapshots of past trades, feed errors) were counted and skipped.",
                stream.id(), skipped));
      }
    }
    for (CoinCapStream stream : streams) {
      String table = stream.tableName();
      long dead = get(values, stream.id(), PipelineMetrics.DEAD_LETTERS);
      totalDead += dead;
      out.printf(
          format,
          stream.id(),
          String.format("%,d", get(values, stream.id(), PipelineMetrics.RECORDS_READ)),
          String.format("%,d", get(values, stream.id(), PipelineMetrics.ROWS_PARSED)),
          String.format("%,d", dead),
          table,
          String.format("%,d", get(values, table, PipelineMetrics.ROWS_OUT)));
    }
    if (totalDead > 0) {
      out.printf("%,d records could not be used; see dead_letters for each reason.%n", totalDead);
    }
    skippedLines.forEach(out::println);
    if (unbalanced.isEmpty() && !skippedLines.isEmpty()) {
      out.println(
          "Every record is accounted for: records read = rows parsed + dead letters + skipped"
              + " frames (a snapshot envelope, or an exchange frame, counts as its rows).");
    } else if (unbalanced.isEmpty()) {
      out.println(
          "Every record is accounted for: records read = rows parsed + dead letters (a snapshot"
              + " envelope counts as its rows).");
    } else {
      unbalanced.forEach(line -> out.println("coinbeam: records unaccounted for in " + line));
    }
    long refusedRows = 0;
    for (CoinCapStream stream : streams) {
      refusedRows += get(values, stream.tableName(), PipelineMetrics.BIGQUERY_REJECTED);
    }
    if (refusedRows > 0) {
      out.printf(
          "%,d rows were not written to BigQuery; they are in dead_letters with source"
              + " bigquery:<table> and the reason.%n",
          refusedRows);
    }
    long refusedLetters = get(values, "dead_letters", PipelineMetrics.BIGQUERY_REJECTED);
    if (refusedLetters > 0) {
      out.printf(
          "%,d dead letters were not written to BigQuery; the log above has each one.%n",
          refusedLetters);
    }
    return unbalanced;
  }

  private static long get(Map<String, Long> values, String scope, String name) {
    return values.getOrDefault(scope + "." + name, 0L);
  }
}

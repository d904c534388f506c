package io.coinbeam.report;

import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.metrics.PipelineMetrics;
import io.coinbeam.rows.DeadLetters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The run's own counts per stream (records read, rows parsed, dead letters, rows written), from the
 * runner's metrics. Only the pipeline knows them; a report written later from the files alone has
 * none, and says so.
 */
public record RunCounts(List<StreamCounts> streams) {

  /** One line of the run summary. */
  public record StreamCounts(
      String stream,
      String table,
      long recordsRead,
      long rowsParsed,
      long deadLetters,
      long rows) {}

  /** From {@link io.coinbeam.metrics.RunSummary#counters}' map of counter name to value. */
  public static RunCounts from(List<CoinCapStream> streams, Map<String, Long> counters) {
    List<StreamCounts> lines = new ArrayList<>();
    for (CoinCapStream stream : streams) {
      String table = stream.tableName();
      lines.add(
          new StreamCounts(
              stream.id(),
              table,
              get(counters, stream.id(), PipelineMetrics.RECORDS_READ),
              get(counters, stream.id(), PipelineMetrics.ROWS_PARSED),
              get(counters, stream.id(), PipelineMetrics.DEAD_LETTERS),
              get(counters, table, PipelineMetrics.ROWS_OUT)));
    }
    return new RunCounts(List.copyOf(lines));
  }

  /** Whether this run wrote the table (a one-stream run leaves earlier tables as they were). */
  boolean wrote(String table) {
    return table.equals(DeadLetters.table().name())
        || streams.stream().anyMatch(s -> s.table().equals(table));
  }

  private static long get(Map<String, Long> counters, String scope, String name) {
    return counters.getOrDefault(scope + "." + name, 0L);
  }
}

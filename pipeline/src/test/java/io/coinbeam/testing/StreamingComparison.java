package io.coinbeam.testing;

import io.coinbeam.CoinbeamPipeline;
import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.io.jdbc.PostgresPreflight;
import io.coinbeam.options.CoinbeamOptions;
import io.coinbeam.rows.DeadLetters;
import io.coinbeam.schema.TableDefinition;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;

/**
 * What a streaming run's final panes must equal: the batch rows of the same captures. Compares
 * PostgreSQL (which keeps the latest pane per key) with a batch run's Parquet output: same keys and
 * every column but the pane's in the five tables, and the same (stream, payload, error) multiset in
 * dead_letters (their sources differ: file:line against topic/partition/offset).
 */
public final class StreamingComparison {
  private static final List<String> PANE_COLUMNS = List.of("pane_timing", "pane_index");
  private static final List<String> DEAD_LETTER_COLUMNS = List.of("stream", "payload", "error");

  private StreamingComparison() {}

  /**
   * Starts the streaming graph on the DirectRunner, from Kafka at {@code bootstrap} into {@code db}
   * (its tables prepared first), and returns without waiting: event time moves only with the
   * records' times and watermark heartbeats (5 s out of order, an idle rule of an hour), early
   * panes every second, 2 minutes of allowed lateness.
   *
   * @param more further flags, e.g. {@code --streams=trades}
   */
  public static PipelineResult startIntoPostgres(
      String bootstrap, TestPostgres.Database db, String groupId, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--runner=DirectRunner",
                "--blockOnRun=false",
                "--mode=STREAMING",
                "--sinks=postgres",
                "--kafkaBootstrapServers=" + bootstrap,
                "--kafkaGroupId=" + groupId,
                "--kafkaMaxOutOfOrder=5000ms",
                "--kafkaIdleAfter=1h",
                "--earlyFiringInterval=1s",
                "--allowedLateness=2m"));
    args.addAll(List.of(more));
    args.addAll(List.of(db.flags()));
    // As a run reads them: streaming settings included (the graph itself changes no option).
    CoinbeamOptions options = CoinbeamPipeline.parseOptions(args.toArray(String[]::new));
    List<TableDefinition> written = new ArrayList<>(aggregateTables());
    written.add(DeadLetters.table());
    if (!PostgresPreflight.prepare(db.target(), written, true, System.out, System.err)) {
      throw new AssertionError("PostgreSQL preflight failed");
    }
    Pipeline pipeline = Pipeline.create(options);
    CoinbeamPipeline.build(pipeline, options);
    return pipeline.run();
  }

  /** The five aggregate tables. */
  public static List<TableDefinition> aggregateTables() {
    List<TableDefinition> tables = new ArrayList<>();
    for (CoinCapStream stream : CoinCapStream.values()) {
      tables.add(stream.table());
    }
    return tables;
  }

  /** The rows as compared: pane columns dropped, sorted by key. */
  public static List<Map<String, Object>> withoutPanes(
      List<Map<String, Object>> rows, TableDefinition table) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      Map<String, Object> copy = new LinkedHashMap<>(row);
      PANE_COLUMNS.forEach(copy::remove);
      out.add(copy);
    }
    return PostgresTables.sortedByKey(out, table);
  }

  /** Dead letters as a multiset of (stream, payload, error). */
  public static Map<List<Object>, Integer> deadLetterMultiset(List<Map<String, Object>> rows) {
    Map<List<Object>, Integer> counts = new HashMap<>();
    for (Map<String, Object> row : rows) {
      List<Object> key = new ArrayList<>();
      DEAD_LETTER_COLUMNS.forEach(c -> key.add(row.get(c)));
      counts.merge(key, 1, Integer::sum);
    }
    return counts;
  }

  /** Every table of the database, as the comparison reads it (dead_letters last). */
  public static Map<String, List<Map<String, Object>>> readPostgres(Connection connection)
      throws SQLException {
    Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();
    for (TableDefinition table : aggregateTables()) {
      tables.put(table.name(), PostgresTables.read(connection, table));
    }
    tables.put(DeadLetters.table().name(), PostgresTables.read(connection, DeadLetters.table()));
    return tables;
  }

  /**
   * The differences between streamed and batch rows, one line per table that differs (empty when
   * they agree), with the first differing row.
   */
  public static List<String> differences(
      Map<String, List<Map<String, Object>>> streamed,
      Map<String, List<Map<String, Object>>> batch) {
    List<String> problems = new ArrayList<>();
    for (TableDefinition table : aggregateTables()) {
      List<Map<String, Object>> got = withoutPanes(streamed.get(table.name()), table);
      List<Map<String, Object>> want = withoutPanes(batch.get(table.name()), table);
      if (!got.equals(want)) {
        String first = "";
        for (int i = 0; i < Math.max(got.size(), want.size()); i++) {
          Object g = i < got.size() ? got.get(i) : null;
          Object w = i < want.size() ? want.get(i) : null;
          if (!java.util.Objects.equals(g, w)) {
            first = "; first difference at row " + i + ": streamed " + g + ", batch " + w;
            break;
          }
        }
        problems.add(
            table.name() + ": " + got.size() + " streamed rows, " + want.size() + " batch" + first);
      }
    }
    String dead = DeadLetters.table().name();
    Map<List<Object>, Integer> got = deadLetterMultiset(streamed.get(dead));
    Map<List<Object>, Integer> want = deadLetterMultiset(batch.get(dead));
    if (!got.equals(want)) {
      problems.add(dead + ": streamed " + got + ", batch " + want);
    }
    return problems;
  }

  /**
   * Reads {@code db} every second until its tables equal {@code expected} or {@code patience}
   * passes; returns the last differences (empty when they converged). Streaming sinks keep
   * upserting until the final panes are in, so a streamed database is compared this way.
   */
  public static List<String> awaitNoDifferences(
      TestPostgres.Database db,
      Map<String, List<Map<String, Object>>> expected,
      java.time.Duration patience)
      throws Exception {
    return awaitNone(
        () -> {
          try (Connection connection = db.connect()) {
            return differences(readPostgres(connection), expected);
          }
        },
        patience);
  }

  /**
   * Runs {@code check} every second until it finds no differences or {@code patience} passes;
   * returns its last differences (empty when they converged).
   */
  public static List<String> awaitNone(
      java.util.concurrent.Callable<List<String>> check, java.time.Duration patience)
      throws Exception {
    long deadline = System.nanoTime() + patience.toNanos();
    List<String> differences;
    do {
      differences = check.call();
      if (differences.isEmpty()) {
        return differences;
      }
      Thread.sleep(1000);
    } while (System.nanoTime() < deadline);
    return differences;
  }

  /** The five tables and dead_letters under a Parquet output folder; absent folders are empty. */
  public static Map<String, List<Map<String, Object>>> readParquet(java.nio.file.Path root)
      throws java.io.IOException {
    Map<String, List<Map<String, Object>>> tables = new java.util.LinkedHashMap<>();
    List<TableDefinition> all = new java.util.ArrayList<>(aggregateTables());
    all.add(io.coinbeam.rows.DeadLetters.table());
    for (TableDefinition table : all) {
      java.nio.file.Path folder = root.resolve(table.name());
      tables.put(
          table.name(),
          java.nio.file.Files.isDirectory(folder)
              ? ParquetFiles.readRows(folder, table)
              : List.of());
    }
    return tables;
  }
}

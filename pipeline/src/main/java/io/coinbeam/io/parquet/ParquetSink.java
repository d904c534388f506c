package io.coinbeam.io.parquet;

import io.coinbeam.io.StagedOutput;
import io.coinbeam.io.TableSink;
import io.coinbeam.rows.DeadLetters;
import io.coinbeam.schema.TableDefinition;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * Parquet files, one folder per table under {@code --output}. A batch run into a local folder
 * writes out of sight and swaps its tables in at the end ({@link StagedTables}); elsewhere
 * (gs://...) it deletes its own earlier files just before it runs, and streaming writes in place.
 */
public final class ParquetSink implements TableSink {
  private final String output;
  private final int streamingShards;
  private final boolean batch;
  private final List<String> deadLetterPrefixes;
  private List<TableDefinition> aggregates = List.of();
  private StagedTables staged;

  /**
   * @param output the {@code --output} root
   * @param streamingShards files per window and table in streaming ({@code --parquetShards})
   * @param batch whether the run is a batch run (which replaces its tables whole)
   * @param deadLetterPrefixes the names the run's dead-letter files start with: the files under
   *     {@code dead_letters/} that a batch run replaces
   */
  public ParquetSink(
      String output, int streamingShards, boolean batch, List<String> deadLetterPrefixes) {
    this.output = output;
    this.streamingShards = streamingShards;
    this.batch = batch;
    this.deadLetterPrefixes = List.copyOf(deadLetterPrefixes);
  }

  @Override
  public String title() {
    return "Parquet";
  }

  /**
   * A batch run into a local folder starts its staging folder here; a folder it cannot write stops
   * it.
   */
  @Override
  public boolean prepare(List<TableDefinition> tables, PrintStream out, PrintStream err) {
    aggregates = tables.stream().filter(t -> !t.name().equals(DeadLetters.table().name())).toList();
    if (!batch || !local()) {
      return true;
    }
    try {
      staged =
          StagedTables.begin(
              Path.of(output),
              aggregates.stream().map(TableDefinition::name).toList(),
              deadLetterPrefixes,
              out);
      return true;
    } catch (StagedTables.OutputProblem e) {
      err.println("coinbeam: " + e.getMessage());
      return false;
    }
  }

  @Override
  public Optional<PCollection<Row>> write(
      String step, PCollection<Row> rows, TableDefinition table, String part) {
    String root = staged == null ? output : staged.root().toString();
    WriteParquet write = WriteParquet.to(root, table, streamingShards);
    rows.apply(step, part == null ? write : write.withFilePart(part));
    return Optional.empty();
  }

  /**
   * Output that is not a local folder cannot be swapped in whole: a batch run deletes its own
   * earlier files there first, and the folder is incomplete while it runs.
   */
  @Override
  public void beforeRun() throws IOException {
    if (!batch || local()) {
      return;
    }
    for (TableDefinition table : aggregates) {
      WriteParquet.deletePreviousFiles(output, table, table.name() + "-");
    }
    for (String prefix : deadLetterPrefixes) {
      WriteParquet.deletePreviousFiles(output, DeadLetters.table(), prefix);
    }
  }

  @Override
  public Optional<StagedOutput> staged() {
    return Optional.ofNullable(staged);
  }

  @Override
  public String describe() {
    return "Parquet tables in "
        + output
        + "/<table>/, rejected input in "
        + output
        + "/dead_letters/";
  }

  private boolean local() {
    return !output.contains("://");
  }
}

package io.coinbeam.io;

import io.coinbeam.schema.TableDefinition;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * A place a run's tables go (Parquet files, PostgreSQL, BigQuery). The launcher asks every sink of
 * a run the same questions in the same order: {@link #check} and {@link #prepare} before the graph
 * is built, {@link #write} for every table and dead-letter part while it is built, {@link
 * #beforeRun} once it is built, then {@link #describe} after a batch run that worked or {@link
 * #adviceAfterFailure} after one that failed. So a new sink is one class of this type and one line
 * where sinks are made ({@code Sinks}), not a case in every step of the run.
 */
public interface TableSink {
  /**
   * "Parquet", "BigQuery", "Postgres": the end of step names such as WriteTradeCandlesToParquet.
   */
  String title();

  /**
   * Before anything runs: whether this sink can take {@code tables} (the flags make sense, the
   * tables exist with the right columns). False when the run should not start, with the reason
   * already on {@code err}; notes go to {@code out}.
   */
  default boolean check(List<TableDefinition> tables, PrintStream out, PrintStream err) {
    return true;
  }

  /**
   * After every sink passed its check: makes the sink ready for this run's rows (migrations, a
   * staging folder). False when the run should not start, with the reason on {@code err}.
   */
  default boolean prepare(List<TableDefinition> tables, PrintStream out, PrintStream err) {
    return true;
  }

  /**
   * Writes {@code rows} of {@code table} under the step name {@code step}.
   *
   * @param part which share of {@code dead_letters} the rows are (its file name part), or null for
   *     an aggregate table
   * @return the rows the sink refused, as {@code dead_letters} rows; empty when it refuses none
   */
  Optional<PCollection<Row>> write(
      String step, PCollection<Row> rows, TableDefinition table, String part);

  /** Once the graph is built and just before it runs (the last moment to clear old output). */
  default void beforeRun() throws IOException {}

  /**
   * The new tables a batch run leaves out of sight until it has worked, if this sink stages them:
   * the run puts them in place at its end, or leaves the earlier ones untouched.
   */
  default Optional<StagedOutput> staged() {
    return Optional.empty();
  }

  /** Where the rows of a batch run that worked are, in one line for the run's end. */
  String describe();

  /**
   * What to tell the user after a run that failed with {@code failure}, when this sink caused it.
   */
  default Optional<String> adviceAfterFailure(Throwable failure) {
    return Optional.empty();
  }
}

package io.coinbeam.io.jdbc;

import io.coinbeam.io.TableSink;
import io.coinbeam.options.PostgresSinkOptions;
import io.coinbeam.schema.TableDefinition;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * PostgreSQL tables, upserted. Before a run it applies the migrations (unless told not to) and
 * checks the tables against the schema files; every write is an idempotent upsert, so after a
 * failed run the same command converges.
 */
public final class PostgresSink implements TableSink {
  private final PostgresTarget target;
  private final boolean migrate;
  private final int batchSize;
  private List<TableDefinition> tables = List.of();

  private PostgresSink(PostgresTarget target, boolean migrate, int batchSize) {
    this.target = target;
    this.migrate = migrate;
    this.batchSize = batchSize;
  }

  /** The sink the flags (and PG_* environment) describe. */
  public static PostgresSink from(PostgresSinkOptions options) {
    return new PostgresSink(
        PostgresTarget.from(options), options.getPostgresMigrate(), options.getPostgresBatchSize());
  }

  @Override
  public String title() {
    return "Postgres";
  }

  /** Connects, migrates (unless --postgresMigrate=false) and checks the tables. */
  @Override
  public boolean prepare(List<TableDefinition> tables, PrintStream out, PrintStream err) {
    this.tables = List.copyOf(tables);
    return PostgresPreflight.prepare(target, tables, migrate, out, err);
  }

  @Override
  public Optional<PCollection<Row>> write(
      String step, PCollection<Row> rows, TableDefinition table, String part) {
    rows.apply(step, WritePostgres.to(target, table));
    return Optional.empty();
  }

  @Override
  public String describe() {
    return "PostgreSQL tables at " + target.url() + ", rejected input in its dead_letters table";
  }

  /**
   * After a failure from the database: which tables may lack rows, and that a rerun converges
   * because every write is an upsert.
   */
  @Override
  public Optional<String> adviceAfterFailure(Throwable failure) {
    if (!causedBySql(failure)) {
      return Optional.empty();
    }
    List<String> names = tables.stream().map(TableDefinition::name).toList();
    return Optional.of(
        "coinbeam: PostgreSQL at "
            + target.url()
            + " did not take every row. Not written: the batch named above (up to "
            + batchSize
            + " rows) and every batch not yet reached, in "
            + String.join(", ", names)
            + ". Every write is an idempotent upsert: run the same command again once the"
            + " database is back, and the tables converge to the full result.");
  }

  private static boolean causedBySql(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException) {
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }
}

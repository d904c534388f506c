package io.coinbeam.io.jdbc;

import io.coinbeam.options.PostgresSinkOptions;
import io.coinbeam.schema.TableDefinition;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * What happens before a run writes to PostgreSQL, and all that {@code make db-migrate} does:
 * connect once (a clear message and exit code 2 when the database cannot be reached, rather than a
 * run that retries for minutes), apply the migrations the database lacks, and compare the tables
 * with the schema files.
 */
public final class PostgresPreflight {
  private PostgresPreflight() {}

  /** {@code make db-migrate}: applies the migrations and checks all six tables; exit 0, 1 or 2. */
  public static void main(String[] args) {
    PipelineOptionsFactory.register(PostgresSinkOptions.class);
    PostgresSinkOptions options;
    try {
      options =
          PipelineOptionsFactory.fromArgs(args).withValidation().as(PostgresSinkOptions.class);
    } catch (IllegalArgumentException e) {
      System.err.println("coinbeam db-migrate: " + e.getMessage());
      System.exit(2);
      return;
    }
    List<TableDefinition> tables =
        TableDefinition.allNames().stream().map(TableDefinition::named).toList();
    System.exit(
        prepare(PostgresTarget.from(options), tables, true, System.out, System.err) ? 0 : 2);
  }

  /**
   * Connects, migrates (when asked) and checks {@code tables}; true when writing can start. What
   * went wrong goes to {@code err} with what to do about it.
   */
  public static boolean prepare(
      PostgresTarget target,
      List<TableDefinition> tables,
      boolean migrate,
      PrintStream out,
      PrintStream err) {
    try (Connection connection = connect(target, err)) {
      if (connection == null) {
        return false;
      }
      if (migrate) {
        List<PostgresMigrations.Migration> applied = PostgresMigrations.migrate(connection);
        for (PostgresMigrations.Migration migration : applied) {
          out.println("PostgreSQL " + target.url() + ": applied migration " + migration.file());
        }
      }
      List<String> problems = PostgresSchemaCheck.problems(connection, tables);
      if (!problems.isEmpty()) {
        err.println(
            "coinbeam: the PostgreSQL tables at "
                + target.url()
                + " do not match the schema files:");
        problems.forEach(problem -> err.println("  " + problem));
        err.println(
            migrate
                ? "  A migration that brings them in line is missing from db/migration."
                : "  Run `make db-migrate` (or drop --postgresMigrate=false) to apply the"
                    + " migrations.");
        return false;
      }
      return true;
    } catch (SQLException e) {
      err.println("coinbeam: PostgreSQL at " + target.url() + ": " + e.getMessage());
      return false;
    }
  }

  private static Connection connect(PostgresTarget target, PrintStream err) {
    try {
      return target.connectOnce();
    } catch (SQLException e) {
      err.println(
          "coinbeam: cannot connect to PostgreSQL at "
              + target
              + ": "
              + e.getMessage()
              + "\n  To fix: "
              + target.unreachableAdvice()
              + ".");
      return null;
    }
  }
}

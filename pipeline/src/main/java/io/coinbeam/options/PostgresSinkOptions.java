package io.coinbeam.options;

import com.fasterxml.jackson.annotation.JsonIgnore;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The PostgreSQL sink's flags ({@code --sinks=postgres}). Each connection setting falls back to an
 * environment variable ({@code PG_URL}, {@code PG_USER}, {@code PG_PASSWORD}) and then to the
 * docker compose database, so the password normally never appears on a command line.
 */
public interface PostgresSinkOptions extends PipelineOptions {
  @Description(
      "JDBC URL of the PostgreSQL database; else $PG_URL, else"
          + " jdbc:postgresql://localhost:5432/coinbeam (the docker compose database).")
  String getPostgresUrl();

  void setPostgresUrl(String value);

  @Description("PostgreSQL user; else $PG_USER, else coinbeam.")
  String getPostgresUser();

  void setPostgresUser(String value);

  /** Ignored by JSON so that it never shows in a runner's UI or logs of the pipeline options. */
  @JsonIgnore
  @Description("PostgreSQL password; prefer $PG_PASSWORD, which is read when this is not given.")
  String getPostgresPassword();

  void setPostgresPassword(String value);

  @Description("Rows per JDBC batch (one round trip and one transaction per batch).")
  @Default.Integer(1000)
  int getPostgresBatchSize();

  void setPostgresBatchSize(int value);

  @Description(
      "How long a write keeps retrying transient failures (lost connection, server restarting,"
          + " serialization failure, deadlock) before the run fails, e.g. 2m or 30s.")
  @Default.String("2m")
  String getPostgresRetryTimeout();

  void setPostgresRetryTimeout(String value);

  @Description(
      "Apply the schema migrations (db/migration) before writing; with false the tables must"
          + " already match (make db-migrate applies them on its own).")
  @Default.Boolean(true)
  boolean getPostgresMigrate();

  void setPostgresMigrate(boolean value);
}

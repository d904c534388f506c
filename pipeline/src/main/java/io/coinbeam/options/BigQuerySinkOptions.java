package io.coinbeam.options;

import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO.Write.CreateDisposition;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The BigQuery sink's flags ({@code --sinks=bigquery}). They hold names and places only: the
 * credentials come from Application Default Credentials ({@code gcloud auth application-default
 * login}) or {@code GOOGLE_APPLICATION_CREDENTIALS}, never from a flag or the repository.
 */
public interface BigQuerySinkOptions extends PipelineOptions {
  /**
   * The same property as Beam's own {@code BigQueryOptions#getBigQueryProject}, so BigQueryIO and
   * coinbeam agree on the project; declared here (without a default) to document it with the rest.
   */
  @Description(
      "GCP project of the BigQuery dataset; load jobs run there too. Defaults to --project, then"
          + " $GOOGLE_CLOUD_PROJECT. make passes GCP_PROJECT= or the project_id Terraform output.")
  String getBigQueryProject();

  void setBigQueryProject(String value);

  @Description("BigQuery dataset that holds the six tables (Terraform's dataset_id).")
  @Default.String("coinbeam")
  String getBigQueryDataset();

  void setBigQueryDataset(String value);

  @Description(
      "gs:// folder for the files that batch load jobs read (FILE_LOADS), e.g. Terraform's"
          + " temp_location output gs://<bucket>/temp; defaults to --tempLocation.")
  String getBigQueryTempLocation();

  void setBigQueryTempLocation(String value);

  @Description(
      "How rows reach BigQuery. AUTO: FILE_LOADS when the input is bounded (batch),"
          + " STORAGE_API_AT_LEAST_ONCE when unbounded (streaming). STORAGE_WRITE_API is the"
          + " exactly-once Storage Write API. Legacy streaming inserts are never used.")
  @Default.Enum("AUTO")
  BigQueryWriteMethod getBigQueryWriteMethod();

  void setBigQueryWriteMethod(BigQueryWriteMethod value);

  @Description(
      "CREATE_NEVER (default): the tables must exist (make tf-apply creates them). CREATE_IF_NEEDED"
          + " creates missing tables with the same schema, partitioning and clustering.")
  @Default.Enum("CREATE_NEVER")
  CreateDisposition getBigQueryCreateDisposition();

  void setBigQueryCreateDisposition(CreateDisposition value);

  @Description(
      "Streaming with STORAGE_WRITE_API (exactly-once): how often rows are committed, e.g. 5s.")
  @Default.String("5s")
  String getBigQueryTriggeringFrequency();

  void setBigQueryTriggeringFrequency(String value);

  @Description(
      "Streaming with STORAGE_WRITE_API (exactly-once): write streams per table; 0 lets the"
          + " runner shard automatically.")
  @Default.Integer(0)
  int getBigQueryWriteStreams();

  void setBigQueryWriteStreams(int value);

  @Description(
      "Check, before the run, that the dataset and tables exist with the pipeline's schemas"
          + " (as make bq-check does). Turn off only when the check cannot reach BigQuery.")
  @Default.Boolean(true)
  boolean getBigQueryPreflight();

  void setBigQueryPreflight(boolean value);

  /**
   * The ways coinbeam writes to BigQuery; Beam's legacy STREAMING_INSERTS is left out on purpose.
   */
  enum BigQueryWriteMethod {
    AUTO,
    FILE_LOADS,
    STORAGE_API_AT_LEAST_ONCE,
    STORAGE_WRITE_API
  }
}

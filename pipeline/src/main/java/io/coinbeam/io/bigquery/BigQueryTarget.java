package io.coinbeam.io.bigquery;

import com.google.api.services.bigquery.model.TableReference;
import io.coinbeam.options.BigQuerySinkOptions;
import io.coinbeam.options.BigQuerySinkOptions.BigQueryWriteMethod;
import io.coinbeam.options.JodaDurations;
import java.io.Serializable;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.beam.sdk.extensions.gcp.options.GcpOptions;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO.Write.CreateDisposition;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO.Write.Method;
import org.joda.time.Duration;

/**
 * Where and how the BigQuery sink writes: project, dataset, temp folder for load jobs, write method
 * and create disposition. {@link #from} reads and checks the flags once, with messages that name
 * the flag, so the transform itself never has to interpret options.
 *
 * @param tempLocation folder for FILE_LOADS files; {@code gs://} in real runs (tests use a local
 *     folder with Beam's fake services); null when no load job will run
 */
public record BigQueryTarget(
    String project,
    String dataset,
    String tempLocation,
    BigQueryWriteMethod method,
    CreateDisposition createDisposition,
    Duration triggeringFrequency,
    int writeStreams)
    implements Serializable {
  // BigQuery's own rules: https://cloud.google.com/bigquery/docs/datasets#dataset-naming
  private static final Pattern DATASET = Pattern.compile("[A-Za-z0-9_]{1,1024}");
  private static final Pattern PROJECT = Pattern.compile("[a-z][a-z0-9:.-]{4,62}[a-z0-9]");

  /** A target with the defaults a batch test needs: AUTO method, CREATE_NEVER. */
  public static BigQueryTarget of(String project, String dataset, String tempLocation) {
    return new BigQueryTarget(
        project,
        dataset,
        tempLocation,
        BigQueryWriteMethod.AUTO,
        CreateDisposition.CREATE_NEVER,
        Duration.standardSeconds(5),
        0);
  }

  public BigQueryTarget withMethod(BigQueryWriteMethod value) {
    return new BigQueryTarget(
        project,
        dataset,
        tempLocation,
        value,
        createDisposition,
        triggeringFrequency,
        writeStreams);
  }

  public BigQueryTarget withCreateDisposition(CreateDisposition value) {
    return new BigQueryTarget(
        project, dataset, tempLocation, method, value, triggeringFrequency, writeStreams);
  }

  /**
   * The target the flags describe. The project falls back from {@code --bigQueryProject} to {@code
   * --project} (which Beam reads from gcloud's configuration) to {@code $GOOGLE_CLOUD_PROJECT}.
   *
   * @throws IllegalArgumentException naming the flag to fix
   */
  public static BigQueryTarget from(BigQuerySinkOptions options) {
    return from(options, System.getenv());
  }

  /** {@link #from(BigQuerySinkOptions)} with the environment given, for tests. */
  static BigQueryTarget from(BigQuerySinkOptions options, Map<String, String> environment) {
    String project = firstNonBlank(options.getBigQueryProject(), gcpProject(options));
    project = firstNonBlank(project, environment.get("GOOGLE_CLOUD_PROJECT"));
    if (project == null) {
      throw new IllegalArgumentException(
          "--sinks=bigquery needs a GCP project: pass --bigQueryProject=<project id> (make:"
              + " GCP_PROJECT=...), or set GOOGLE_CLOUD_PROJECT");
    }
    if (!PROJECT.matcher(project).matches()) {
      throw new IllegalArgumentException(
          "--bigQueryProject=" + project + " is not a GCP project id (e.g. my-project-123)");
    }
    String dataset = options.getBigQueryDataset();
    if (dataset == null || !DATASET.matcher(dataset).matches()) {
      throw new IllegalArgumentException(
          "--bigQueryDataset="
              + dataset
              + " is not a BigQuery dataset id (letters, digits and underscores)");
    }
    String temp = firstNonBlank(options.getBigQueryTempLocation(), options.getTempLocation());
    if (temp != null && !temp.startsWith("gs://")) {
      throw new IllegalArgumentException(
          "--bigQueryTempLocation="
              + temp
              + " must be a gs:// folder: BigQuery load jobs read their files from Cloud Storage"
              + " (Terraform's temp_location output)");
    }
    if (options.getBigQueryWriteStreams() < 0) {
      throw new IllegalArgumentException("--bigQueryWriteStreams must be 0 (automatic) or more");
    }
    Duration frequency =
        JodaDurations.parse(
            "bigQueryTriggeringFrequency", options.getBigQueryTriggeringFrequency());
    if (frequency.getMillis() < 1000) {
      throw new IllegalArgumentException("--bigQueryTriggeringFrequency must be at least 1s");
    }
    return new BigQueryTarget(
        project,
        dataset,
        temp,
        options.getBigQueryWriteMethod(),
        options.getBigQueryCreateDisposition(),
        frequency,
        options.getBigQueryWriteStreams());
  }

  /**
   * The BigQueryIO method for bounded or unbounded input. AUTO means file loads in batch (free, and
   * all-or-nothing per load) and the at-least-once Storage Write API in streaming (cheaper than the
   * exactly-once mode and no commit delay; tables are read through the key, so a duplicate pane is
   * harmless). Legacy streaming inserts are never chosen.
   *
   * @throws IllegalArgumentException for FILE_LOADS on unbounded input, or a temp folder missing
   */
  public Method writeMethod(boolean unbounded) {
    Method chosen =
        switch (method) {
          case AUTO -> unbounded ? Method.STORAGE_API_AT_LEAST_ONCE : Method.FILE_LOADS;
          case FILE_LOADS -> {
            if (unbounded) {
              throw new IllegalArgumentException(
                  "--bigQueryWriteMethod=FILE_LOADS is for batch; streaming writes through the"
                      + " Storage Write API (STORAGE_API_AT_LEAST_ONCE or STORAGE_WRITE_API)");
            }
            yield Method.FILE_LOADS;
          }
          case STORAGE_API_AT_LEAST_ONCE -> Method.STORAGE_API_AT_LEAST_ONCE;
          case STORAGE_WRITE_API -> Method.STORAGE_WRITE_API;
        };
    if (chosen == Method.FILE_LOADS && (tempLocation == null || tempLocation.isBlank())) {
      throw new IllegalArgumentException(
          "batch writes to BigQuery are load jobs, which read files from Cloud Storage: pass"
              + " --bigQueryTempLocation=gs://<bucket>/temp (make: BQ_TEMP_LOCATION=..., or"
              + " Terraform's temp_location output)");
    }
    return chosen;
  }

  public TableReference tableReference(String table) {
    return new TableReference().setProjectId(project).setDatasetId(dataset).setTableId(table);
  }

  /** {@code project.dataset.table}, as the console and {@code bq} show it. */
  public String qualifiedName(String table) {
    return project + "." + dataset + "." + table;
  }

  private static String gcpProject(BigQuerySinkOptions options) {
    try {
      return options.as(GcpOptions.class).getProject();
    } catch (RuntimeException e) {
      return null; // no gcloud configuration to read: not an error, just no default
    }
  }

  private static String firstNonBlank(String first, String second) {
    if (first != null && !first.isBlank()) {
      return first.trim();
    }
    return second == null || second.isBlank() ? null : second.trim();
  }
}

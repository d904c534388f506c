package io.coinbeam.io.bigquery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.options.BigQuerySinkOptions.BigQueryWriteMethod;
import io.coinbeam.options.CoinbeamOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO.Write.CreateDisposition;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO.Write.Method;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

/** The BigQuery flags as users type them: defaults, fallbacks, and messages that name the flag. */
class BigQueryTargetTest {
  private static CoinbeamOptions options(String... args) {
    PipelineOptionsFactory.register(CoinbeamOptions.class);
    // --project= blank: the machine's gcloud configuration must not leak into these tests.
    List<String> all = new ArrayList<>(List.of(args));
    if (all.stream().noneMatch(a -> a.startsWith("--project="))) {
      all.add("--project=");
    }
    return PipelineOptionsFactory.fromArgs(all.toArray(String[]::new))
        .withValidation()
        .as(CoinbeamOptions.class);
  }

  private static BigQueryTarget target(Map<String, String> env, String... args) {
    return BigQueryTarget.from(options(args), env);
  }

  private static String error(Map<String, String> env, String... args) {
    return assertThrows(IllegalArgumentException.class, () -> target(env, args)).getMessage();
  }

  @Test
  void defaults() {
    BigQueryTarget target =
        target(Map.of(), "--bigQueryProject=my-project-1", "--bigQueryTempLocation=gs://b/temp");
    assertEquals("my-project-1", target.project());
    assertEquals("coinbeam", target.dataset());
    assertEquals("gs://b/temp", target.tempLocation());
    assertEquals(BigQueryWriteMethod.AUTO, target.method());
    assertEquals(CreateDisposition.CREATE_NEVER, target.createDisposition());
    assertEquals(Duration.standardSeconds(5), target.triggeringFrequency());
    assertEquals(Method.FILE_LOADS, target.writeMethod(false));
    assertEquals(Method.STORAGE_API_AT_LEAST_ONCE, target.writeMethod(true));
    assertEquals("my-project-1.coinbeam.trade_candles", target.qualifiedName("trade_candles"));
  }

  @Test
  void projectAndTempLocationFallBack() {
    BigQueryTarget target =
        target(Map.of("GOOGLE_CLOUD_PROJECT", "env-project"), "--tempLocation=gs://t/tmp");
    assertEquals("env-project", target.project());
    assertEquals("gs://t/tmp", target.tempLocation());
    assertEquals("flag-project", target(Map.of(), "--project=flag-project").project());
  }

  @Test
  void exactlyOnceAndCreateIfNeededOnRequest() {
    BigQueryTarget target =
        target(
            Map.of(),
            "--bigQueryProject=my-project-1",
            "--bigQueryWriteMethod=STORAGE_WRITE_API",
            "--bigQueryCreateDisposition=CREATE_IF_NEEDED",
            "--bigQueryTriggeringFrequency=30s",
            "--bigQueryWriteStreams=4");
    assertEquals(Method.STORAGE_WRITE_API, target.writeMethod(true));
    assertEquals(Method.STORAGE_WRITE_API, target.writeMethod(false));
    assertEquals(CreateDisposition.CREATE_IF_NEEDED, target.createDisposition());
    assertEquals(Duration.standardSeconds(30), target.triggeringFrequency());
    assertEquals(4, target.writeStreams());
  }

  @Test
  void messagesNameTheFlag() {
    assertTrue(error(Map.of()).contains("needs a GCP project"), error(Map.of()));
    assertTrue(error(Map.of(), "--bigQueryProject=My Project").contains("is not a GCP project id"));
    assertTrue(
        error(Map.of(), "--bigQueryProject=my-project-1", "--bigQueryDataset=coin-beam")
            .contains("--bigQueryDataset=coin-beam is not a BigQuery dataset id"));
    assertTrue(
        error(Map.of(), "--bigQueryProject=my-project-1", "--bigQueryTempLocation=/tmp/x")
            .contains("must be a gs:// folder"));
    assertTrue(
        error(Map.of(), "--bigQueryProject=my-project-1", "--bigQueryTriggeringFrequency=soon")
            .contains("--bigQueryTriggeringFrequency=soon is not a duration"));
    // Legacy streaming inserts are not a method coinbeam offers.
    assertThrows(
        IllegalArgumentException.class,
        () -> options("--bigQueryWriteMethod=STREAMING_INSERTS").getBigQueryWriteMethod());
  }
}

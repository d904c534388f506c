package io.coinbeam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.api.services.bigquery.model.TableRow;
import io.coinbeam.io.bigquery.BigQueryTarget;
import io.coinbeam.io.bigquery.WriteBigQuery;
import io.coinbeam.options.CoinbeamOptions;
import io.coinbeam.schema.Column;
import io.coinbeam.schema.TableDefinition;
import io.coinbeam.testing.FakeBigQuery;
import io.coinbeam.testing.ParquetFiles;
import io.coinbeam.testing.ProjectFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.joda.time.format.DateTimeFormat;
import org.joda.time.format.DateTimeFormatter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code make run}'s graph with {@code --sinks=parquet,bigquery} over the bundled sample, BigQuery
 * being Beam's fake with the tables Terraform would make: every table, dead_letters included, holds
 * in BigQuery exactly the rows of its Parquet files. One graph, one schema source, two sinks that
 * agree.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BigQuerySinkEndToEndTest {
  private static final DateTimeFormatter BIGQUERY_TIMESTAMP =
      DateTimeFormat.forPattern("yyyy-MM-dd HH:mm:ss.SSS 'UTC'").withZoneUTC();

  @TempDir static Path out;
  @TempDir static Path loadFiles;
  private FakeBigQuery bigQuery;

  @BeforeAll
  void runOnTheSample() {
    bigQuery = FakeBigQuery.create().createTablesAsTerraformDoes();
    Path sample = ProjectFiles.root().resolve("data/sample");
    PipelineOptionsFactory.register(CoinbeamOptions.class);
    CoinbeamOptions options =
        PipelineOptionsFactory.fromArgs(
                "--input=" + sample + "/{stream}/*", "--output=" + out, "--sinks=parquet,bigquery")
            .as(CoinbeamOptions.class);
    BigQueryTarget target =
        BigQueryTarget.of(FakeBigQuery.PROJECT, FakeBigQuery.DATASET, loadFiles.toString());
    Pipeline pipeline = Pipeline.create(options);
    CoinbeamPipeline.build(
        pipeline,
        options,
        table -> WriteBigQuery.to(target, table).withTestServices(bigQuery.services()));
    assertEquals(PipelineResult.State.DONE, pipeline.run().waitUntilFinish());
  }

  static List<String> tables() {
    return TableDefinition.allNames();
  }

  @ParameterizedTest
  @MethodSource("tables")
  void bigQueryHoldsWhatParquetHolds(String name) throws Exception {
    TableDefinition table = TableDefinition.named(name);
    List<String> fromParquet = new ArrayList<>();
    for (GenericRecord record : ParquetFiles.readTable(out.resolve(name))) {
      Map<String, Object> values = new TreeMap<>();
      for (Column column : table.columns()) {
        values.put(column.name(), normalise(column, record.get(column.name())));
      }
      fromParquet.add(values.toString());
    }
    List<String> fromBigQuery = new ArrayList<>();
    for (TableRow row : bigQuery.rows(name)) {
      Map<String, Object> values = new TreeMap<>();
      for (Column column : table.columns()) {
        values.put(column.name(), normalise(column, row.get(column.name())));
      }
      fromBigQuery.add(values.toString());
    }
    fromParquet.sort(String::compareTo);
    fromBigQuery.sort(String::compareTo);
    assertFalse(fromParquet.isEmpty(), name + " has no rows to compare");
    assertEquals(fromParquet.size(), fromBigQuery.size(), name + " row count");
    assertEquals(fromParquet, fromBigQuery, name);
  }

  /** Either side's value in one form: timestamps as epoch millis, numbers as Long or Double. */
  private static Object normalise(Column column, Object value) {
    if (value == null) {
      return null;
    }
    String text = value.toString();
    return switch (column.type()) {
      case TIMESTAMP ->
          value instanceof Number n ? n.longValue() : BIGQUERY_TIMESTAMP.parseMillis(text);
      case INTEGER -> Long.parseLong(text);
      case FLOAT -> Double.parseDouble(text);
      case BOOLEAN -> Boolean.parseBoolean(text);
      case STRING -> text;
    };
  }
}

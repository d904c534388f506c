package io.coinbeam.io.parquet;

import io.coinbeam.metrics.PipelineMetrics;
import io.coinbeam.rows.BeamSchemas;
import io.coinbeam.schema.TableDefinition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.coders.AvroGenericCoder;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.joda.time.Duration;
import org.joda.time.format.DateTimeFormat;
import org.joda.time.format.DateTimeFormatter;

/**
 * A table's rows into Parquet files under {@code <output>/<table>/}, with the table's column types
 * (timestamps as Parquet TIMESTAMP(MILLIS, UTC), Snappy-compressed). Bounded input lets the runner
 * choose the number of files; unbounded input is written per window into a fixed number of shards,
 * as FileIO requires, once the window has closed: only its final pane, so the files hold the rows a
 * batch run writes.
 */
public final class WriteParquet extends PTransform<PCollection<Row>, WriteFilesResult<Void>> {
  private static final long serialVersionUID = 1L;

  /** How often unbounded input in the global window (dead letters) is written out. */
  static final Duration FLUSH_EVERY = Duration.standardSeconds(10);

  private final TableDefinition table;
  private final String outputDirectory;
  private final String filePrefix;
  private final int streamingShards;

  private WriteParquet(
      TableDefinition table, String outputDirectory, String filePrefix, int streamingShards) {
    this.table = table;
    this.outputDirectory = outputDirectory;
    this.filePrefix = filePrefix;
    this.streamingShards = streamingShards;
  }

  public static WriteParquet to(String outputRoot, TableDefinition table, int streamingShards) {
    String root = outputRoot.endsWith("/") ? outputRoot : outputRoot + "/";
    return new WriteParquet(table, root + table.name(), table.name(), streamingShards);
  }

  /**
   * The same table folder, with files named {@code <table>-<part>-*}: lets several inputs fill one
   * table without flattening them first. (The Spark runner loses files when a FileIO write reads a
   * Flatten of several branches: measured here, Beam 2.62, Spark 3.5.)
   */
  public WriteParquet withFilePart(String part) {
    return new WriteParquet(table, outputDirectory, table.name() + "-" + part, streamingShards);
  }

  /**
   * Deletes the Parquet files an earlier run left in this table's folder whose names start with
   * {@code filePrefix}, so a batch run's output is exactly its own (the runner may choose a
   * different number of files each time). Only for output that cannot be staged ({@code gs://});
   * local output is swapped in whole ({@link StagedTables}).
   */
  public static int deletePreviousFiles(String outputRoot, TableDefinition table, String filePrefix)
      throws IOException {
    String root = outputRoot.endsWith("/") ? outputRoot : outputRoot + "/";
    MatchResult match =
        FileSystems.match(
            root + table.name() + "/" + filePrefix + "*.parquet", EmptyMatchTreatment.ALLOW);
    List<ResourceId> previous = new ArrayList<>();
    if (match.status() == MatchResult.Status.OK) {
      match.metadata().forEach(m -> previous.add(m.resourceId()));
    }
    FileSystems.delete(previous, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    return previous.size();
  }

  @Override
  public WriteFilesResult<Void> expand(PCollection<Row> rows) {
    Schema avro = BeamSchemas.avro(table);
    PCollection<GenericRecord> records =
        rows.apply("ToAvroRecords", MapElements.via(new ToGenericRecord(table)))
            .setCoder(AvroGenericCoder.of(avro));
    FileIO.Write<Void, GenericRecord> write =
        FileIO.<GenericRecord>write()
            .via(ParquetIO.sink(avro).withCompressionCodec(CompressionCodecName.SNAPPY))
            .to(outputDirectory);
    boolean windowed = !(rows.getWindowingStrategy().getWindowFn() instanceof GlobalWindows);
    if (rows.isBounded() == PCollection.IsBounded.UNBOUNDED && windowed) {
      write = write.withNaming(new WindowFileNaming(filePrefix));
    } else {
      write = write.withPrefix(filePrefix).withSuffix(".parquet");
    }
    if (rows.isBounded() == PCollection.IsBounded.UNBOUNDED) {
      write = write.withNumShards(streamingShards);
      if (!windowed) {
        // Dead letters: the global window with its default trigger would never fire, so no file
        // would ever be written. Every FLUSH_EVERY, what arrived since goes into new files.
        records =
            records.apply(
                "FlushEvery" + FLUSH_EVERY.getStandardSeconds() + "s",
                Window.<GenericRecord>into(new GlobalWindows())
                    .triggering(
                        Repeatedly.forever(
                            AfterProcessingTime.pastFirstElementInPane().plusDelayOf(FLUSH_EVERY)))
                    .withAllowedLateness(Duration.ZERO)
                    .discardingFiredPanes());
      } else {
        // Files are append-only, so they keep what is settled: each window's final pane (every
        // window has one, see Windowing), one row per key, the same row batch writes. Early and
        // on-time panes are for the sinks that upsert (PostgreSQL, BigQuery).
        records =
            records
                .apply("KeepFinalPanes", ParDo.of(new KeepFinalPanes(table.name())))
                .setCoder(records.getCoder())
                .apply("EachPaneOnce", Window.<GenericRecord>configure().discardingFiredPanes());
      }
    } else {
      // In batch every window is complete: one set of files per table, not one per window.
      records = records.apply("IntoOneFileSet", Window.<GenericRecord>into(new GlobalWindows()));
    }
    return records.apply("WriteParquetFiles", write);
  }

  /**
   * {@code <table>-20240507T120000Z-20240507T120100Z-<firing>-00000-of-00002.parquet}: FileIO's
   * default names carry the window's bounds in ISO form, and the colons in them make the files
   * unreadable by Hadoop-based readers (Spark among them: "Relative path in absolute URI").
   */
  private static final class WindowFileNaming implements FileIO.Write.FileNaming {
    private static final long serialVersionUID = 1L;
    private static final DateTimeFormatter BOUND =
        DateTimeFormat.forPattern("yyyyMMdd'T'HHmmss'Z'").withZoneUTC();
    private final String prefix;

    WindowFileNaming(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public String getFilename(
        BoundedWindow window,
        PaneInfo pane,
        int numShards,
        int shardIndex,
        Compression compression) {
      String bounds = "";
      if (window instanceof IntervalWindow interval) {
        bounds = "-" + BOUND.print(interval.start()) + "-" + BOUND.print(interval.end());
      }
      // A window's rows can reach the files in several firings (its keys close at different
      // moments): each firing gets its own files.
      return String.format(
          "%s%s-%d-%05d-of-%05d.parquet", prefix, bounds, pane.getIndex(), shardIndex, numShards);
    }
  }

  /** Passes the elements of a window's final pane (the one fired when the window closes). */
  private static final class KeepFinalPanes extends DoFn<GenericRecord, GenericRecord> {
    private static final long serialVersionUID = 1L;
    private final Counter kept;

    KeepFinalPanes(String table) {
      this.kept = PipelineMetrics.counter(table, PipelineMetrics.PARQUET_ROWS);
    }

    @ProcessElement
    public void processElement(
        @Element GenericRecord record, PaneInfo pane, OutputReceiver<GenericRecord> out) {
      if (pane.isLast()) {
        kept.inc();
        out.output(record);
      }
    }
  }

  private static final class ToGenericRecord extends SimpleFunction<Row, GenericRecord> {
    private static final long serialVersionUID = 1L;
    private final AvroRecords records;

    ToGenericRecord(TableDefinition table) {
      this.records = AvroRecords.of(table);
    }

    @Override
    public GenericRecord apply(Row row) {
      return records.toRecord(row);
    }
  }
}

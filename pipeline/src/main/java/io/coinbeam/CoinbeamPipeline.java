package io.coinbeam;

import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.io.bigquery.BigQueryCatalog;
import io.coinbeam.io.bigquery.BigQueryCatalog.CatalogException;
import io.coinbeam.io.bigquery.BigQueryPreflight;
import io.coinbeam.io.bigquery.BigQueryTarget;
import io.coinbeam.io.bigquery.CloudBigQueryCatalog;
import io.coinbeam.io.bigquery.WriteBigQuery;
import io.coinbeam.io.files.ReadCaptureFiles;
import io.coinbeam.io.jdbc.PostgresPreflight;
import io.coinbeam.io.jdbc.PostgresTarget;
import io.coinbeam.io.jdbc.WritePostgres;
import io.coinbeam.io.kafka.ReadFromKafka;
import io.coinbeam.io.parquet.StagedTables;
import io.coinbeam.io.parquet.WriteParquet;
import io.coinbeam.metrics.RunSummary;
import io.coinbeam.metrics.WatchPanes;
import io.coinbeam.model.RawRecord;
import io.coinbeam.model.Timestamped;
import io.coinbeam.options.CoinbeamOptions;
import io.coinbeam.options.FlagChecks;
import io.coinbeam.options.JodaDurations;
import io.coinbeam.options.Sink;
import io.coinbeam.options.WindowOptions.Mode;
import io.coinbeam.report.ReportWriter;
import io.coinbeam.rows.DeadLetters;
import io.coinbeam.schema.TableDefinition;
import io.coinbeam.transforms.ComputeAggregates;
import io.coinbeam.transforms.ParseRecords;
import io.coinbeam.transforms.StreamSpec;
import io.coinbeam.transforms.Windowing;
import io.coinbeam.transforms.aggregate.StreamSpecs;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.gcp.options.GcpOptions;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.ExperimentalOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coinbeam pipeline: CoinCap captures into the five aggregate tables and {@code dead_letters}.
 * {@link #main} only parses flags and reports; {@link #build} makes the graph, so tests can build
 * it without running it.
 */
public final class CoinbeamPipeline {
  /** Exit codes: the run worked, the run failed, or the flags or inputs were wrong. */
  public static final int EXIT_OK = 0;

  public static final int EXIT_FAILED = 1;
  public static final int EXIT_USAGE = 2;

  private CoinbeamPipeline() {}

  /** What {@link #build} made: each stream's table rows and every stream's dead letters. */
  public record Outputs(
      Map<CoinCapStream, PCollection<Row>> tables, PCollection<Row> deadLetters) {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the pipeline and returns the process exit code. */
  public static int run(String[] args) {
    return run(args, CloudBigQueryCatalog::connect);
  }

  /** {@link #run(String[])} with the preflight's BigQuery lookups given, for tests. */
  static int run(String[] args, BigQueryCatalog.Factory bigQueryCatalogs) {
    PipelineOptionsFactory.register(CoinbeamOptions.class);
    CoinbeamOptions options;
    List<CoinCapStream> streams;
    try {
      options = parseOptions(FlagChecks.normalized(args));
      streams = CoinCapStream.parseList(options.getStreams());
      FlagChecks.checkDurations(options);
      if (options.getMode() == Mode.BATCH) {
        checkInputs(options);
      }
      if (Sink.parseList(options.getSinks()).contains(Sink.BIGQUERY)) {
        // The flags first (a batch load needs a gs:// temp folder), then the tables themselves.
        BigQueryTarget.from(options).writeMethod(options.getMode() == Mode.STREAMING);
        if (!bigQueryReady(options, streams, bigQueryCatalogs)) {
          return EXIT_USAGE;
        }
      }
      if (Sink.parseList(options.getSinks()).contains(Sink.POSTGRES)
          && !PostgresPreflight.prepare(
              PostgresTarget.from(options),
              tablesWritten(streams),
              options.getPostgresMigrate(),
              System.out,
              System.err)) {
        return EXIT_USAGE;
      }
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("coinbeam: " + e.getMessage());
      return EXIT_USAGE;
    }
    RunSummary summary = new RunSummary(streams);
    if (options.getMode() == Mode.STREAMING) {
      Pipeline pipeline = Pipeline.create(options);
      try {
        build(pipeline, options);
      } catch (IllegalArgumentException | IllegalStateException e) {
        System.err.println("coinbeam: " + e.getMessage());
        return EXIT_USAGE;
      }
      return StreamingRun.run(pipeline, options, streams, summary);
    }
    return runBatch(options, streams, summary);
  }

  /**
   * Batch: the Parquet tables are written out of sight and swapped in at the end ({@link
   * StagedTables}); an output folder that cannot be written stops the run before it reads.
   */
  private static int runBatch(
      CoinbeamOptions options, List<CoinCapStream> streams, RunSummary summary) {
    boolean parquet = Sink.parseList(options.getSinks()).contains(Sink.PARQUET);
    boolean local = !options.getOutput().contains("://");
    StagedTables staged = null;
    if (parquet && local) {
      try {
        staged =
            StagedTables.begin(
                java.nio.file.Path.of(options.getOutput()),
                streams.stream().map(s -> s.tableName()).toList(),
                deadLetterFilePrefixes(streams),
                System.out);
      } catch (StagedTables.OutputProblem e) {
        System.err.println("coinbeam: " + e.getMessage());
        return EXIT_USAGE;
      }
    }
    Pipeline pipeline = Pipeline.create(options);
    try {
      build(pipeline, options, staged == null ? options.getOutput() : staged.root().toString());
    } catch (IllegalArgumentException | IllegalStateException e) {
      if (staged != null) {
        staged.abandon();
      }
      System.err.println("coinbeam: " + e.getMessage());
      return EXIT_USAGE;
    }
    if (parquet && !local) {
      try {
        replacePreviousOutput(options, streams);
      } catch (IOException e) {
        System.err.println(
            "coinbeam: cannot clear earlier output in " + options.getOutput() + ": " + e);
        return EXIT_FAILED;
      }
    }
    BatchRun.Outcome outcome =
        BatchRun.run(
            pipeline,
            summary,
            staged,
            e -> {
              if (Sink.parseList(options.getSinks()).contains(Sink.POSTGRES) && causedBySql(e)) {
                System.err.println(postgresFailureAdvice(options, streams));
              }
            },
            System.out,
            System.err);
    if (outcome.exitCode() != EXIT_OK) {
      return outcome.exitCode();
    }
    for (Sink sink : Sink.parseList(options.getSinks())) {
      switch (sink) {
        case PARQUET ->
            System.out.println(
                "Parquet tables in "
                    + options.getOutput()
                    + "/<table>/, rejected input in "
                    + options.getOutput()
                    + "/dead_letters/");
        case BIGQUERY ->
            System.out.println(
                "BigQuery tables in "
                    + BigQueryTarget.from(options).qualifiedName("<table>")
                    + ", rejected input and refused rows in its dead_letters table");
        case POSTGRES ->
            System.out.println(
                "PostgreSQL tables at "
                    + PostgresTarget.from(options).url()
                    + ", rejected input in its dead_letters table");
      }
    }
    // Last: the chart report from the Parquet files just put in place (a failure is a warning).
    if (parquet) {
      ReportWriter.afterBatchRun(
          options.getOutput(), streams, outcome.counters(), System.out, System.err);
    }
    return EXIT_OK;
  }

  /**
   * The options, with the runner flags coinbeam sets where the user did not ({@link
   * RunnerDefaults}).
   */
  private static CoinbeamOptions parseOptions(String[] args) {
    CoinbeamOptions options =
        PipelineOptionsFactory.fromArgs(args).withValidation().as(CoinbeamOptions.class);
    String[] withDefaults =
        RunnerDefaults.withDefaults(args, runnerName(options), options.getMode() == Mode.STREAMING);
    return withDefaults.length == args.length
        ? options
        : PipelineOptionsFactory.fromArgs(withDefaults).withValidation().as(CoinbeamOptions.class);
  }

  /** The names the dead-letter files of these streams start with, in dead_letters/. */
  static List<String> deadLetterFilePrefixes(List<CoinCapStream> streams) {
    List<String> prefixes = new ArrayList<>();
    for (CoinCapStream stream : streams) {
      for (String part : deadLetterFileParts(stream)) {
        prefixes.add(DeadLetters.table().name() + "-" + part + "-");
      }
    }
    return prefixes;
  }

  /** The file name parts of a stream's dead letters: its own, and its table's refused rows. */
  private static List<String> deadLetterFileParts(CoinCapStream stream) {
    return List.of(stream.id(), bigQueryRefusedPart(stream.table()));
  }

  private static String bigQueryRefusedPart(TableDefinition table) {
    return table.name() + "-bigquery-refused";
  }

  /**
   * Before a run that writes to BigQuery: points Beam's own GCP settings at the same project, and
   * runs the preflight on the tables this run writes (unless --bigQueryPreflight=false). False,
   * with the report on stderr, when the run should not start.
   */
  private static boolean bigQueryReady(
      CoinbeamOptions options, List<CoinCapStream> streams, BigQueryCatalog.Factory catalogs) {
    BigQueryTarget target = BigQueryTarget.from(options);
    GcpOptions gcp = options.as(GcpOptions.class);
    if (gcp.getProject() == null || gcp.getProject().isBlank()) {
      gcp.setProject(target.project());
    }
    if (!options.getBigQueryPreflight()) {
      return true;
    }
    try {
      BigQueryPreflight.Report report =
          BigQueryPreflight.check(
              catalogs.connect(target.project()), target, tablesWritten(streams));
      if (!report.ok()) {
        System.err.print(report.render());
        return false;
      }
      if (!report.notes().isEmpty()) {
        System.out.print(report.render());
      }
      return true;
    } catch (CatalogException e) {
      System.err.println(
          "coinbeam: BigQuery preflight could not run: "
              + e.getMessage()
              + " (--bigQueryPreflight=false skips it)");
      return false;
    }
  }

  /** The tables a run of these streams writes: theirs and dead_letters. */
  private static List<TableDefinition> tablesWritten(List<CoinCapStream> streams) {
    List<TableDefinition> written = new ArrayList<>();
    streams.forEach(stream -> written.add(stream.table()));
    written.add(DeadLetters.table());
    return written;
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

  /**
   * What a failed PostgreSQL write leaves behind and how to recover: which tables may lack rows,
   * and that a rerun converges because every write is an upsert.
   */
  private static String postgresFailureAdvice(
      CoinbeamOptions options, List<CoinCapStream> streams) {
    List<String> names = tablesWritten(streams).stream().map(TableDefinition::name).toList();
    return "coinbeam: PostgreSQL at "
        + PostgresTarget.from(options).url()
        + " did not take every row. Not written: the batch named above (up to "
        + options.getPostgresBatchSize()
        + " rows) and every batch not yet reached, in "
        + String.join(", ", names)
        + ". Every write is an idempotent upsert: run the same command again once the database"
        + " is back, and the tables converge to the full result.";
  }

  /** Builds the graph for the streams, source, windowing and sinks that {@code options} choose. */
  public static Outputs build(Pipeline pipeline, CoinbeamOptions options) {
    return build(pipeline, options, options.getOutput());
  }

  /**
   * {@link #build(Pipeline, CoinbeamOptions)} with the Parquet tables written under {@code
   * parquetRoot} instead of {@code --output} (a batch run's hidden folder).
   */
  public static Outputs build(Pipeline pipeline, CoinbeamOptions options, String parquetRoot) {
    List<Sink> sinks = Sink.parseList(options.getSinks());
    BigQueryTarget bigQuery = sinks.contains(Sink.BIGQUERY) ? BigQueryTarget.from(options) : null;
    return build(pipeline, options, parquetRoot, table -> WriteBigQuery.to(bigQuery, table));
  }

  /**
   * {@link #build(Pipeline, CoinbeamOptions)} with the BigQuery sink for each table given, so tests
   * can point it at Beam's fake BigQuery.
   */
  static Outputs build(
      Pipeline pipeline,
      CoinbeamOptions options,
      Function<TableDefinition, WriteBigQuery> bigQuerySink) {
    return build(pipeline, options, options.getOutput(), bigQuerySink);
  }

  private static Outputs build(
      Pipeline pipeline,
      CoinbeamOptions options,
      String parquetRoot,
      Function<TableDefinition, WriteBigQuery> bigQuerySink) {
    boolean streaming = options.getMode() == Mode.STREAMING;
    if (streaming) {
      prepareStreaming(options);
    }
    List<Sink> sinks = Sink.parseList(options.getSinks());
    PostgresTarget postgres = sinks.contains(Sink.POSTGRES) ? PostgresTarget.from(options) : null;
    // Batch and streaming differ in the source and in when windows fire; the rest is one graph.
    Windowing windowing =
        streaming
            ? Windowing.streaming(
                JodaDurations.parse("earlyFiringInterval", options.getEarlyFiringInterval()),
                JodaDurations.parse("allowedLateness", options.getAllowedLateness()))
            : Windowing.batch();
    Duration window =
        options.getWindow() == null ? null : JodaDurations.parse("window", options.getWindow());

    Map<CoinCapStream, PCollection<Row>> tables = new LinkedHashMap<>();
    Map<CoinCapStream, PCollection<Row>> deadLetters = new LinkedHashMap<>();
    for (CoinCapStream stream : CoinCapStream.parseList(options.getStreams())) {
      PCollection<RawRecord> raw =
          streaming
              ? pipeline.apply(
                  "Read" + stream.title() + "FromKafka", ReadFromKafka.of(stream, options))
              : pipeline.apply(
                  "Read" + stream.title() + "FromFiles",
                  ReadCaptureFiles.from(inputPattern(options, stream)));
      // Kafka records hold one row each (a trade message, or a snapshot row timed by its record).
      ParseRecords.Shape shape =
          streaming ? ParseRecords.Shape.ROW : ParseRecords.fileShape(StreamSpecs.of(stream));
      StreamOutputs outputs =
          addStream(stream, StreamSpecs.of(stream), raw, shape, windowing, window);
      if (streaming) {
        String table = stream.tableName();
        outputs
            .table()
            .apply(
                "Watch" + title(table) + "Panes",
                ParDo.of(
                    new WatchPanes(
                        table, options.getPrintPanes() && stream == CoinCapStream.TRADES)));
      }
      tables.put(stream, outputs.table());
      deadLetters.put(stream, outputs.deadLetters());
    }
    // Tables first: rows a sink refuses become dead letters too, as parts of their own.
    Map<DeadLetterPart, PCollection<Row>> deadLetterParts = new LinkedHashMap<>();
    deadLetters.forEach(
        (stream, rows) ->
            deadLetterParts.put(
                new DeadLetterPart(stream.title() + "DeadLetters", stream.id()), rows));
    for (Sink sink : sinks) {
      tables.forEach(
          (stream, rows) -> {
            TableDefinition table = stream.table();
            String step = "Write" + title(table.name()) + "To" + sink.title();
            switch (sink) {
              case PARQUET ->
                  rows.apply(step, WriteParquet.to(parquetRoot, table, options.getParquetShards()));
              case BIGQUERY ->
                  deadLetterParts.put(
                      new DeadLetterPart(
                          title(table.name()) + "BigQueryRefusals", bigQueryRefusedPart(table)),
                      rows.apply(step, bigQuerySink.apply(table)));
              case POSTGRES -> rows.apply(step, WritePostgres.to(postgres, table));
            }
          });
    }
    // Each part is written on its own, never flattened before a sink: the Spark runner loses
    // files when a FileIO write (Parquet files, BigQuery load files) reads a Flatten of branches.
    for (Sink sink : sinks) {
      deadLetterParts.forEach(
          (part, rows) -> {
            String step = "Write" + part.title() + "To" + sink.title();
            switch (sink) {
              case PARQUET ->
                  rows.apply(
                      step,
                      WriteParquet.to(parquetRoot, DeadLetters.table(), options.getParquetShards())
                          .withFilePart(part.fileId()));
              case BIGQUERY ->
                  rows.apply(step, bigQuerySink.apply(DeadLetters.table()))
                      // Dead letters BigQuery refuses cannot become dead letters again: logged.
                      .apply("LogUnwritten" + part.title(), ParDo.of(new LogRefusedDeadLetterFn()));
              case POSTGRES -> rows.apply(step, WritePostgres.to(postgres, DeadLetters.table()));
            }
          });
    }
    PCollection<Row> allDeadLetters =
        PCollectionList.of(List.copyOf(deadLetterParts.values()))
            .apply("CollectDeadLetters", Flatten.pCollections())
            .setRowSchema(DeadLetters.schema());
    return new Outputs(tables, allDeadLetters);
  }

  /**
   * Streaming settings every runner needs: streaming mode, and KafkaIO's legacy unbounded reader
   * (the one Flink, Spark and Direct all run). Refuses runners that cannot stream this graph.
   */
  private static void prepareStreaming(CoinbeamOptions options) {
    String refusal = StreamingRun.refusal(runnerName(options));
    if (refusal != null) {
      throw new IllegalArgumentException(refusal);
    }
    options.as(StreamingOptions.class).setStreaming(true);
    ExperimentalOptions experiments = options.as(ExperimentalOptions.class);
    if (!ExperimentalOptions.hasExperiment(experiments, "use_deprecated_read")) {
      ExperimentalOptions.addExperiment(experiments, "use_deprecated_read");
    }
  }

  static String runnerName(CoinbeamOptions options) {
    return options.getRunner() == null ? "" : options.getRunner().getSimpleName();
  }

  /** Logs a dead letter that the BigQuery sink could not write; it is counted there too. */
  private static final class LogRefusedDeadLetterFn extends DoFn<Row, Void> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CoinbeamPipeline.class);

    @ProcessElement
    public void process(@Element Row refused) {
      LOG.warn("dead letter not written to BigQuery: {}: {}", refused.getString("error"), refused);
    }
  }

  /** A share of dead_letters written by itself: its step name part and its file name part. */
  private record DeadLetterPart(String title, String fileId) {}

  /** One stream's two results: its table's rows and its dead letters. */
  private record StreamOutputs(PCollection<Row> table, PCollection<Row> deadLetters) {}

  private static <T extends Record & Timestamped> StreamOutputs addStream(
      CoinCapStream stream,
      StreamSpec<T> spec,
      PCollection<RawRecord> raw,
      ParseRecords.Shape shape,
      Windowing windowing,
      Duration window) {
    ParseRecords<T> parse = new ParseRecords<>(spec, shape);
    PCollectionTuple parsed = raw.apply("Parse" + stream.title(), parse);
    PCollection<Row> table =
        parsed
            .get(parse.rows())
            .apply(
                "Compute" + title(spec.table().name()),
                new ComputeAggregates<>(spec, windowing, window));
    return new StreamOutputs(table, parsed.get(ParseRecords.DEAD_LETTERS));
  }

  /**
   * Output that is not a local folder (gs://...) cannot be swapped in whole: there a batch run
   * deletes its own streams' earlier files first, as before, and the folder is incomplete while it
   * runs.
   */
  private static void replacePreviousOutput(CoinbeamOptions options, List<CoinCapStream> streams)
      throws IOException {
    for (CoinCapStream stream : streams) {
      TableDefinition table = stream.table();
      WriteParquet.deletePreviousFiles(options.getOutput(), table, table.name() + "-");
    }
    for (String prefix : deadLetterFilePrefixes(streams)) {
      WriteParquet.deletePreviousFiles(options.getOutput(), DeadLetters.table(), prefix);
    }
  }

  /** The --input pattern for one stream: {stream} replaced by its name. */
  static String inputPattern(CoinbeamOptions options, CoinCapStream stream) {
    return options.getInput().replace("{stream}", stream.id());
  }

  /** Fails early, with the pattern in the message, when a stream has no input files. */
  private static void checkInputs(CoinbeamOptions options) {
    List<CoinCapStream> streams = CoinCapStream.parseList(options.getStreams());
    if (streams.size() > 1 && !options.getInput().contains("{stream}")) {
      throw new IllegalArgumentException(
          "--input="
              + options.getInput()
              + " would feed the same files to "
              + streams.size()
              + " streams; put {stream} in the pattern or choose one with --streams");
    }
    for (CoinCapStream stream : streams) {
      String pattern = inputPattern(options, stream);
      if (!pattern.contains("://")
          && java.nio.file.Files.isDirectory(java.nio.file.Path.of(pattern))) {
        throw new IllegalArgumentException(
            "--input="
                + pattern
                + " is a folder: name its files, e.g. --input='"
                + pattern.replaceAll("/+$", "")
                + "/*'");
      }
      try {
        MatchResult match = FileSystems.match(pattern);
        List<MatchResult.Metadata> files =
            match.status() == MatchResult.Status.OK
                ? match.metadata().stream().filter(m -> !m.resourceId().isDirectory()).toList()
                : List.of();
        if (files.isEmpty()) {
          throw new IllegalArgumentException(
              "no input files for " + stream.id() + " match " + pattern + " (--input)");
        }
        for (MatchResult.Metadata file : files) {
          String name = file.resourceId().toString();
          if (!name.contains("://")
              && !java.nio.file.Files.isReadable(java.nio.file.Path.of(name))) {
            throw new IllegalArgumentException(
                "cannot read input file " + name + " (" + stream.id() + "): check its permissions");
          }
        }
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "cannot list input files for "
                + stream.id()
                + " at "
                + pattern
                + ": "
                + e.getMessage());
      }
    }
  }

  /** trade_candles -> TradeCandles, for step names. */
  static String title(String snakeCase) {
    StringBuilder out = new StringBuilder();
    for (String part : snakeCase.split("_")) {
      out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return out.toString();
  }

  private static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }
}

package io.coinbeam;

import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.io.RecordChunks;
import io.coinbeam.io.RecordSource;
import io.coinbeam.io.TableSink;
import io.coinbeam.io.bigquery.BigQueryCatalog;
import io.coinbeam.io.bigquery.BigQuerySink;
import io.coinbeam.io.bigquery.CloudBigQueryCatalog;
import io.coinbeam.io.bigquery.WriteBigQuery;
import io.coinbeam.io.files.FileSource;
import io.coinbeam.io.jdbc.PostgresSink;
import io.coinbeam.io.kafka.KafkaSource;
import io.coinbeam.io.parquet.ParquetSink;
import io.coinbeam.metrics.WatchPanes;
import io.coinbeam.model.RawRecord;
import io.coinbeam.model.Timestamped;
import io.coinbeam.options.CoinbeamOptions;
import io.coinbeam.options.FlagChecks;
import io.coinbeam.options.JodaDurations;
import io.coinbeam.options.Sink;
import io.coinbeam.options.WindowOptions.Mode;
import io.coinbeam.rows.DeadLetters;
import io.coinbeam.schema.TableDefinition;
import io.coinbeam.transforms.ComputeAggregates;
import io.coinbeam.transforms.ParseRecords;
import io.coinbeam.transforms.StreamSpec;
import io.coinbeam.transforms.Windowing;
import io.coinbeam.transforms.aggregate.StreamSpecs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.beam.sdk.Pipeline;
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
 * {@link #main} parses the flags and hands them to the {@link Launcher}, which runs the lifecycle;
 * {@link #build} makes the graph, so tests can build it without running it. The graph reads from a
 * {@link RecordSource} and writes to {@link TableSink}s: which ones, {@link #source} and {@link
 * #sinks} decide from the flags, in one place each.
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
    CoinbeamOptions options;
    try {
      options = parseOptions(args);
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("coinbeam: " + e.getMessage());
      return EXIT_USAGE;
    }
    return new Launcher(options, bigQueryCatalogs, System.out, System.err).run();
  }

  /**
   * The flags as a run uses them: checked, with the runner flags coinbeam sets where the user did
   * not ({@link RunnerDefaults}), and the settings every runner needs to stream this graph. Throws
   * IllegalArgumentException with what is wrong.
   */
  public static CoinbeamOptions parseOptions(String... args) {
    PipelineOptionsFactory.register(CoinbeamOptions.class);
    String[] flags = FlagChecks.normalized(args);
    CoinbeamOptions options =
        PipelineOptionsFactory.fromArgs(flags).withValidation().as(CoinbeamOptions.class);
    boolean streaming = options.getMode() == Mode.STREAMING;
    String[] withDefaults = RunnerDefaults.withDefaults(flags, runnerName(options), streaming);
    if (withDefaults.length != flags.length) {
      options =
          PipelineOptionsFactory.fromArgs(withDefaults).withValidation().as(CoinbeamOptions.class);
    }
    CoinCapStream.parseList(options.getStreams());
    Sink.parseList(options.getSinks());
    FlagChecks.checkDurations(options);
    if (streaming) {
      prepareStreaming(options);
    }
    return options;
  }

  /** Where the flags say records come from: capture files in batch, Kafka in streaming. */
  static RecordSource source(CoinbeamOptions options) {
    return options.getMode() == Mode.STREAMING
        ? new KafkaSource(options)
        : new FileSource(options.getInput());
  }

  /** The sinks the flags name, in their order: the one place that makes a sink from its name. */
  static List<TableSink> sinks(CoinbeamOptions options, BigQueryCatalog.Factory catalogs) {
    boolean streaming = options.getMode() == Mode.STREAMING;
    List<TableSink> sinks = new ArrayList<>();
    for (Sink sink : Sink.parseList(options.getSinks())) {
      sinks.add(
          switch (sink) {
            case PARQUET ->
                new ParquetSink(
                    options.getOutput(),
                    options.getParquetShards(),
                    !streaming,
                    deadLetterFilePrefixes(CoinCapStream.parseList(options.getStreams())));
            case BIGQUERY -> BigQuerySink.from(options, streaming, catalogs);
            case POSTGRES -> PostgresSink.from(options);
          });
    }
    return sinks;
  }

  /**
   * The names the dead-letter files of these streams start with, in dead_letters/: each stream's
   * own, and its table's rows refused by any sink that refuses rows (whether or not this run writes
   * to it, so that a run replaces what an earlier run with that sink left).
   */
  static List<String> deadLetterFilePrefixes(List<CoinCapStream> streams) {
    List<String> prefixes = new ArrayList<>();
    for (CoinCapStream stream : streams) {
      prefixes.add(DeadLetters.table().name() + "-" + stream.id() + "-");
      for (Sink sink : Sink.values()) {
        if (sink.refusesRows()) {
          prefixes.add(
              DeadLetters.table().name()
                  + "-"
                  + DeadLetters.refusedPart(stream.tableName(), sink.title())
                  + "-");
        }
      }
    }
    return prefixes;
  }

  /** Builds the graph for the streams, source, windowing and sinks that {@code options} choose. */
  public static Outputs build(Pipeline pipeline, CoinbeamOptions options) {
    return build(pipeline, options, source(options), sinks(options, CloudBigQueryCatalog::connect));
  }

  /**
   * {@link #build(Pipeline, CoinbeamOptions)} with the BigQuery sink writing each table with {@code
   * bigQueryWrites}, so tests can point it at Beam's fake BigQuery.
   */
  static Outputs build(
      Pipeline pipeline,
      CoinbeamOptions options,
      Function<TableDefinition, WriteBigQuery> bigQueryWrites) {
    List<TableSink> sinks = new ArrayList<>();
    for (TableSink sink : sinks(options, CloudBigQueryCatalog::connect)) {
      sinks.add(sink instanceof BigQuerySink bigQuery ? bigQuery.withWrites(bigQueryWrites) : sink);
    }
    return build(pipeline, options, source(options), sinks);
  }

  /**
   * The graph: each stream read from {@code source}, parsed, summarised into its table, and every
   * table and dead-letter part written to each of {@code sinks}. It reads the options and changes
   * none of them.
   */
  static Outputs build(
      Pipeline pipeline, CoinbeamOptions options, RecordSource source, List<TableSink> sinks) {
    boolean streaming = options.getMode() == Mode.STREAMING;
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
      StreamSpec<?> spec = StreamSpecs.of(stream);
      // A Kafka record holds one row (a trade message, or a snapshot row timed by its record).
      ParseRecords.Shape shape =
          source.recordsAreRows() ? ParseRecords.Shape.ROW : ParseRecords.fileShape(spec);
      StreamOutputs outputs =
          streaming
              ? addStream(stream, spec, source.read(pipeline, stream), shape, windowing, window)
              : addBatchStream(
                  stream, spec, source.readChunks(pipeline, stream), shape, windowing, window);
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
    for (TableSink sink : sinks) {
      tables.forEach(
          (stream, rows) -> {
            TableDefinition table = stream.table();
            String tableTitle = title(table.name());
            sink.write("Write" + tableTitle + "To" + sink.title(), rows, table, null)
                .ifPresent(
                    refused ->
                        deadLetterParts.put(
                            new DeadLetterPart(
                                tableTitle + sink.title() + "Refusals",
                                DeadLetters.refusedPart(table.name(), sink.title())),
                            refused));
          });
    }
    // Each part is written on its own, never flattened before a sink: the Spark runner loses
    // files when a FileIO write (Parquet files, BigQuery load files) reads a Flatten of branches.
    for (TableSink sink : sinks) {
      deadLetterParts.forEach(
          (part, rows) ->
              sink.write(
                      "Write" + part.title() + "To" + sink.title(),
                      rows,
                      DeadLetters.table(),
                      part.fileId())
                  // Dead letters a sink refuses cannot become dead letters again: logged.
                  .ifPresent(
                      refused ->
                          refused.apply(
                              "LogUnwritten" + part.title(),
                              ParDo.of(new LogRefusedDeadLetterFn(sink.title())))));
    }
    PCollection<Row> allDeadLetters =
        PCollectionList.of(List.copyOf(deadLetterParts.values()))
            .apply("CollectDeadLetters", Flatten.pCollections())
            .setRowSchema(DeadLetters.schema());
    return new Outputs(tables, allDeadLetters);
  }

  /**
   * Streaming settings every runner needs: streaming mode, and KafkaIO's legacy unbounded reader
   * (the one Flink, Spark and Direct all run). Refuses runners that cannot stream this graph. Set
   * while the flags are read, never while the graph is built.
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

  /** Logs a dead letter that a sink could not write; the sink counts it too. */
  private static final class LogRefusedDeadLetterFn extends DoFn<Row, Void> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CoinbeamPipeline.class);
    private final String sink;

    LogRefusedDeadLetterFn(String sink) {
      this.sink = sink;
    }

    @ProcessElement
    public void process(@Element Row refused) {
      LOG.warn("dead letter not written to {}: {}: {}", sink, refused.getString("error"), refused);
    }
  }

  /** A share of dead_letters written by itself: its step name part and its file name part. */
  private record DeadLetterPart(String title, String fileId) {}

  /** One stream's two results: its table's rows and its dead letters. */
  private record StreamOutputs(PCollection<Row> table, PCollection<Row> deadLetters) {}

  /** Streaming: each record parsed, then every row windowed and summarised under the trigger. */
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
   * Batch: the same parse and summary, with each unit of input read, parsed and folded into partial
   * summaries in one step, so no record or row is handed on (see ComputeAggregates).
   */
  private static <T extends Record & Timestamped, C> StreamOutputs addBatchStream(
      CoinCapStream stream,
      StreamSpec<T> spec,
      RecordChunks<C> input,
      ParseRecords.Shape shape,
      Windowing windowing,
      Duration window) {
    PCollectionTuple out =
        new ComputeAggregates<>(spec, windowing, window)
            .parseAndCompute(
                input.chunks(),
                input.reader(),
                shape,
                "Parse" + stream.title(),
                "Compute" + title(spec.table().name()));
    return new StreamOutputs(out.get(ComputeAggregates.TABLE), out.get(ParseRecords.DEAD_LETTERS));
  }

  /** trade_candles -> TradeCandles, for step names. */
  static String title(String snakeCase) {
    StringBuilder out = new StringBuilder();
    for (String part : snakeCase.split("_")) {
      out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return out.toString();
  }
}

package io.coinbeam;

import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.io.RecordSource;
import io.coinbeam.io.StagedOutput;
import io.coinbeam.io.TableSink;
import io.coinbeam.io.bigquery.BigQueryCatalog;
import io.coinbeam.metrics.RunSummary;
import io.coinbeam.options.CoinbeamOptions;
import io.coinbeam.options.Sink;
import io.coinbeam.options.WindowOptions.Mode;
import io.coinbeam.report.ReportWriter;
import io.coinbeam.rows.DeadLetters;
import io.coinbeam.schema.TableDefinition;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;

/**
 * One run from parsed flags to exit code: the source's and sinks' checks, the sinks' preparation
 * (migrations, a staging folder), building the graph, running it (batch or streaming, with its
 * progress, summary and stop), the sinks' last word and the report. Every step that differs per
 * sink is asked of the sink ({@link TableSink}), so this class names none of them.
 */
final class Launcher {
  private final CoinbeamOptions options;
  private final BigQueryCatalog.Factory bigQueryCatalogs;
  private final PrintStream out;
  private final PrintStream err;

  Launcher(
      CoinbeamOptions options,
      BigQueryCatalog.Factory bigQueryCatalogs,
      PrintStream out,
      PrintStream err) {
    this.options = options;
    this.bigQueryCatalogs = bigQueryCatalogs;
    this.out = out;
    this.err = err;
  }

  /** Runs and returns the process exit code ({@link CoinbeamPipeline#EXIT_OK} and the others). */
  int run() {
    List<CoinCapStream> streams = CoinCapStream.parseList(options.getStreams());
    List<TableDefinition> tables = tablesWritten(streams);
    RecordSource source = CoinbeamPipeline.source(options);
    List<TableSink> sinks;
    try {
      sinks = CoinbeamPipeline.sinks(options, bigQueryCatalogs);
      source.check(streams);
      for (TableSink sink : sinks) {
        if (!sink.check(tables, out, err)) {
          return CoinbeamPipeline.EXIT_USAGE;
        }
      }
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println("coinbeam: " + e.getMessage());
      return CoinbeamPipeline.EXIT_USAGE;
    }
    for (TableSink sink : sinks) {
      if (!sink.prepare(tables, out, err)) {
        abandonStaged(sinks);
        return CoinbeamPipeline.EXIT_USAGE;
      }
    }
    RunSummary summary = new RunSummary(streams);
    Pipeline pipeline = Pipeline.create(options);
    try {
      CoinbeamPipeline.build(pipeline, options, source, sinks);
    } catch (IllegalArgumentException | IllegalStateException e) {
      abandonStaged(sinks);
      err.println("coinbeam: " + e.getMessage());
      return CoinbeamPipeline.EXIT_USAGE;
    }
    if (options.getMode() == Mode.STREAMING) {
      return StreamingRun.run(pipeline, options, streams, summary);
    }
    return runBatch(pipeline, streams, sinks, summary);
  }

  /**
   * Batch: runs to the end, then the sinks say where the rows are and the report is written from
   * the Parquet files just put in place (a report that fails is a warning).
   */
  private int runBatch(
      Pipeline pipeline, List<CoinCapStream> streams, List<TableSink> sinks, RunSummary summary) {
    try {
      for (TableSink sink : sinks) {
        sink.beforeRun();
      }
    } catch (IOException e) {
      err.println("coinbeam: cannot clear earlier output in " + options.getOutput() + ": " + e);
      return CoinbeamPipeline.EXIT_FAILED;
    }
    StagedOutput staged =
        sinks.stream().flatMap(sink -> sink.staged().stream()).findFirst().orElse(null);
    BatchRun.Outcome outcome =
        BatchRun.run(
            pipeline,
            summary,
            staged,
            failure ->
                sinks.forEach(sink -> sink.adviceAfterFailure(failure).ifPresent(err::println)),
            out,
            err);
    if (outcome.exitCode() != CoinbeamPipeline.EXIT_OK) {
      return outcome.exitCode();
    }
    sinks.forEach(sink -> out.println(sink.describe()));
    if (Sink.parseList(options.getSinks()).contains(Sink.PARQUET)) {
      ReportWriter.afterBatchRun(options.getOutput(), streams, outcome.counters(), out, err);
    }
    return CoinbeamPipeline.EXIT_OK;
  }

  private static void abandonStaged(List<TableSink> sinks) {
    sinks.forEach(sink -> sink.staged().ifPresent(StagedOutput::abandon));
  }

  /** The tables a run of these streams writes: theirs and dead_letters. */
  private static List<TableDefinition> tablesWritten(List<CoinCapStream> streams) {
    List<TableDefinition> written = new ArrayList<>();
    streams.forEach(stream -> written.add(stream.table()));
    written.add(DeadLetters.table());
    return written;
  }
}

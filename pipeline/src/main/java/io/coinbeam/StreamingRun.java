package io.coinbeam;

import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.metrics.InProcessTally;
import io.coinbeam.metrics.PipelineMetrics;
import io.coinbeam.metrics.RunSummary;
import io.coinbeam.metrics.WatchPanes;
import io.coinbeam.options.CoinbeamOptions;
import io.coinbeam.options.JodaDurations;
import io.coinbeam.options.Sink;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.GaugeResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * A streaming run from start to stop: starts the pipeline, prints progress every {@code
 * --progressInterval}, stops it after {@code --runFor} (or on Ctrl-C), and prints the summary. A
 * streaming run that was stopped on purpose exits 0; one that failed exits 1.
 */
final class StreamingRun {
  private StreamingRun() {}

  /** Why {@code runner} cannot run this graph in streaming, or null when it can. */
  static String refusal(String runner) {
    return switch (runner) {
      case "SparkStructuredStreamingRunner" ->
          "--mode=STREAMING cannot run on the SparkStructuredStreamingRunner (batch only in Beam"
              + " 2.62); use --runner=SparkRunner, FlinkRunner or DirectRunner";
      default -> null;
    };
  }

  static int run(
      Pipeline pipeline, CoinbeamOptions options, List<CoinCapStream> streams, RunSummary summary) {
    Duration runFor =
        options.getRunFor() == null || options.getRunFor().isBlank()
            ? null
            : JodaDurations.parse("runFor", options.getRunFor());
    Duration every = JodaDurations.parse("progressInterval", options.getProgressInterval());
    PrintStream out = System.out;
    boolean parquet = Sink.parseList(options.getSinks()).contains(Sink.PARQUET);
    InProcessTally.reset();
    PipelineResult result;
    try {
      result = pipeline.run();
    } catch (RuntimeException e) {
      System.err.println("coinbeam: the streaming pipeline did not start: " + rootMessage(e));
      return CoinbeamPipeline.EXIT_FAILED;
    }
    Instant started = Instant.now();
    out.println(
        "coinbeam: streaming from Kafka"
            + (runFor == null
                ? " until stopped (Ctrl-C)"
                : " for " + runFor.getStandardSeconds() + " s")
            + "; progress every "
            + every.getStandardSeconds()
            + " s");
    AtomicBoolean stopped = new AtomicBoolean();
    ScheduledExecutorService progress =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "coinbeam-progress");
              t.setDaemon(true);
              return t;
            });
    progress.scheduleAtFixedRate(
        () -> printProgress(result, streams, started, out),
        every.getMillis(),
        every.getMillis(),
        TimeUnit.MILLISECONDS);
    Thread onCtrlC =
        new Thread(
            () -> {
              if (stopped.compareAndSet(false, true)) {
                out.println("coinbeam: stopping the streaming pipeline (interrupted)");
                progress.shutdownNow();
                cancel(result);
                finish(result, streams, summary, parquet, started, out)
                    .forEach(p -> System.err.println("coinbeam: " + p));
              }
            },
            "coinbeam-stop");
    Runtime.getRuntime().addShutdownHook(onCtrlC);
    try {
      PipelineResult.State state =
          runFor == null ? result.waitUntilFinish() : result.waitUntilFinish(runFor);
      if (!stopped.compareAndSet(false, true)) {
        return CoinbeamPipeline.EXIT_OK; // the shutdown hook is stopping it
      }
      progress.shutdownNow();
      if (state == null || !state.isTerminal()) {
        out.println("coinbeam: --runFor=" + options.getRunFor() + " is over; stopping");
        cancel(result);
        return exitCode(finish(result, streams, summary, parquet, started, out));
      }
      List<String> problems = finish(result, streams, summary, parquet, started, out);
      if (state == PipelineResult.State.FAILED) {
        System.err.println("coinbeam: the streaming pipeline failed");
        return CoinbeamPipeline.EXIT_FAILED;
      }
      return exitCode(problems);
    } catch (RuntimeException e) {
      stopped.set(true);
      progress.shutdownNow();
      cancel(result);
      System.err.println("coinbeam: the streaming pipeline failed: " + rootMessage(e));
      return CoinbeamPipeline.EXIT_FAILED;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(onCtrlC);
      } catch (IllegalStateException e) {
        // The JVM is already shutting down: the hook is running.
      }
    }
  }

  /** 0, or 1 with each problem said, when a table with input got no row. */
  private static int exitCode(List<String> problems) {
    problems.forEach(p -> System.err.println("coinbeam: " + p));
    return problems.isEmpty() ? CoinbeamPipeline.EXIT_OK : CoinbeamPipeline.EXIT_FAILED;
  }

  private static void cancel(PipelineResult result) {
    try {
      result.cancel();
    } catch (IOException | RuntimeException e) {
      // Already finished, or the runner cannot cancel: the summary still prints.
    }
  }

  /**
   * Prints the summary; returns what went wrong that the summary shows: tables that had input and
   * got no row, empty when every table with input got rows.
   */
  private static List<String> finish(
      PipelineResult result,
      List<CoinCapStream> streams,
      RunSummary summary,
      boolean parquet,
      Instant started,
      PrintStream out) {
    Map<String, Long> counters = counters(result, out);
    summary.print(counters, out);
    long late;
    try {
      late = RunSummary.droppedAsLate(result);
      out.printf(
          "%,d records arrived after their window closed (end + allowed lateness) and were"
              + " dropped, counted only.%n",
          late);
    } catch (RuntimeException e) {
      out.println("coinbeam: the runner did not report late records: " + rootMessage(e));
    }
    out.flush();
    return unwritten(streams, counters, parquet);
  }

  /**
   * Tables that had parsed rows but emitted none, or (with Parquet) handed no final pane to the
   * Parquet files: their windows never closed while the run lasted.
   */
  static List<String> unwritten(
      List<CoinCapStream> streams, Map<String, Long> counters, boolean parquet) {
    List<String> problems = new ArrayList<>();
    for (CoinCapStream stream : streams) {
      String table = stream.tableName();
      long parsed = counters.getOrDefault(stream.id() + "." + PipelineMetrics.ROWS_PARSED, 0L);
      if (parsed == 0) {
        continue;
      }
      long rows = counters.getOrDefault(table + "." + PipelineMetrics.ROWS_OUT, 0L);
      long parquetRows = counters.getOrDefault(table + "." + PipelineMetrics.PARQUET_ROWS, 0L);
      if (rows == 0) {
        problems.add(
            String.format(
                "%s: %,d rows parsed, but no window of %s fired before the run stopped",
                stream.id(), parsed, table));
      } else if (parquet && parquetRows == 0) {
        problems.add(
            String.format(
                "%s: %,d rows parsed and %,d panes emitted, but no window of %s closed (end +"
                    + " allowed lateness passed by the watermark), so none reached Parquet",
                stream.id(), parsed, rows, table));
      }
    }
    return problems;
  }

  /** The runner's counters where it reports them, and what this process counted, the larger. */
  private static Map<String, Long> counters(PipelineResult result, PrintStream out) {
    Map<String, Long> reported = Map.of();
    try {
      reported = RunSummary.counters(result);
    } catch (RuntimeException e) {
      out.println("coinbeam: the runner did not report metrics (" + rootMessage(e) + ")");
    }
    return InProcessTally.mergedWith(reported, InProcessTally.counters());
  }

  /**
   * One progress block: per stream what was read, parsed, dead-lettered and emitted, and how far
   * its windows are closed. "closed until" is the newest window end of an on-time or late pane: an
   * on-time pane fires when the watermark passes the window's end, so it trails the watermark by
   * less than one window; the lag is the clock minus that time (for replayed old data it is large).
   */
  static void printProgress(
      PipelineResult result, List<CoinCapStream> streams, Instant started, PrintStream out) {
    Map<String, Long> counters = InProcessTally.counters();
    Map<String, Long> gauges = InProcessTally.gauges();
    long late = 0;
    try {
      counters = InProcessTally.mergedWith(RunSummary.counters(result), counters);
      gauges = InProcessTally.mergedWith(gauges(result), gauges);
      late = RunSummary.droppedAsLate(result);
    } catch (RuntimeException e) {
      // The runner reports nothing yet: what this process counted is shown.
    }
    Instant now = Instant.now();
    out.printf(
        "coinbeam progress after %s: dropped as late %,d%n",
        duration(now.getMillis() - started.getMillis()), late);
    for (CoinCapStream stream : streams) {
      String table = stream.tableName();
      Long closed = gauges.get(table + "." + WatchPanes.CLOSED_UNTIL);
      out.printf(
          "  %-10s read %,9d  parsed %,9d  dead %,6d  %-15s rows %,9d  closed until %s%n",
          stream.id(),
          counters.getOrDefault(stream.id() + "." + PipelineMetrics.RECORDS_READ, 0L),
          counters.getOrDefault(stream.id() + "." + PipelineMetrics.ROWS_PARSED, 0L),
          counters.getOrDefault(stream.id() + "." + PipelineMetrics.DEAD_LETTERS, 0L),
          table,
          counters.getOrDefault(table + "." + PipelineMetrics.ROWS_OUT, 0L),
          closed == null
              ? "- (no window closed yet)"
              : new Instant(closed) + " (lag " + duration(now.getMillis() - closed) + ")");
    }
    out.flush();
  }

  private static Map<String, Long> gauges(PipelineResult result) {
    Map<String, Long> values = new TreeMap<>();
    for (MetricResult<GaugeResult> gauge :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.inNamespace(PipelineMetrics.NAMESPACE))
                    .build())
            .getGauges()) {
      GaugeResult value = gauge.getAttempted();
      if (value != null) {
        values.merge(gauge.getName().getName(), value.getValue(), Math::max);
      }
    }
    return values;
  }

  /** 95000 -> 1m35s; days for large lags. */
  static String duration(long millis) {
    long seconds = Math.max(0, millis) / 1000;
    long days = seconds / 86_400;
    long hours = seconds % 86_400 / 3600;
    long minutes = seconds % 3600 / 60;
    long rest = seconds % 60;
    if (days > 0) {
      return String.format(Locale.ROOT, "%dd%02dh", days, hours);
    }
    if (hours > 0) {
      return String.format(Locale.ROOT, "%dh%02dm", hours, minutes);
    }
    return minutes > 0
        ? String.format(Locale.ROOT, "%dm%02ds", minutes, rest)
        : String.format(Locale.ROOT, "%ds", rest);
  }

  private static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }
}

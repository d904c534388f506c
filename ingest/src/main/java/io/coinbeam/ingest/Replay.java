package io.coinbeam.ingest;

import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.catalog.KafkaTopics;
import io.coinbeam.kafka.KafkaUnavailableException;
import io.coinbeam.kafka.TopicCreator;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * {@code make replay}: capture files into Kafka, as if the ingester were producing them now, at
 * their original pace, faster, or as fast as possible. All streams are merged in event-time order.
 *
 * <p>Flags (each also from the environment where noted): {@code --input=} path or glob with {@code
 * {stream}} (default {@code data/sample/{stream}/*}), {@code --streams=} (default all), {@code
 * --speed=} (1 original pace, 10 ten times faster, 0 or {@code max} as fast as possible; default
 * max), {@code --bootstrap=} (KAFKA_BOOTSTRAP_SERVERS, default localhost:9092), {@code
 * --partitions=} for topics it creates (default {@link KafkaTopics#DEFAULT_PARTITIONS}), {@code
 * --heartbeats=} (default true: watermark heartbeats to every partition each replayed second and
 * one an hour past the end, see {@link io.coinbeam.kafka.WatermarkHeartbeats}). Exit codes: 0 done,
 * 1 Kafka failed, 2 bad flags or no input.
 */
public final class Replay {
  public static final int EXIT_OK = 0;
  public static final int EXIT_KAFKA = 1;
  public static final int EXIT_USAGE = 2;

  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

  /** The parsed flags. */
  record Options(
      String input,
      List<CoinCapStream> streams,
      double speed,
      String bootstrap,
      int partitions,
      boolean heartbeats) {}

  /** How far past the last event the closing heartbeat is: past every window and its lateness. */
  public static final Duration FINAL_HEARTBEAT_AFTER = Duration.ofHours(1);

  private Replay() {}

  public static void main(String[] args) {
    System.exit(
        run(
            args,
            System.getenv(),
            Clock.systemUTC(),
            Sleeper.SYSTEM,
            System.out,
            System.err,
            Duration.ofSeconds(30)));
  }

  /** Runs a replay and returns the exit code. */
  public static int run(
      String[] args,
      Map<String, String> env,
      Clock clock,
      Sleeper sleeper,
      PrintStream out,
      PrintStream err,
      Duration kafkaTimeout) {
    Options options;
    try {
      options = parse(args, env);
    } catch (IllegalArgumentException e) {
      err.println("coinbeam replay: " + e.getMessage());
      err.println(
          "usage: make replay INPUT='data/sample/{stream}/*' SPEED=1|10|max STREAMS=all"
              + " (or java -cp coinbeam-ingest.jar io.coinbeam.ingest.Replay --input= --speed="
              + " --streams= --bootstrap=)");
      return EXIT_USAGE;
    }
    ReplayPlan plan;
    try {
      plan = ReplayPlan.load(options.streams(), options.input());
    } catch (UncheckedIOException | IllegalArgumentException e) {
      err.println("coinbeam replay: " + e.getMessage());
      return EXIT_USAGE;
    }
    if (plan.files().isEmpty()) {
      err.println(
          "coinbeam replay: no files match --input=" + options.input() + " for " + names(options));
      return EXIT_USAGE;
    }
    int unreadable = plan.files().stream().mapToInt(ReplayPlan.FileCount::unreadable).sum();
    if (unreadable > 0) {
      err.printf(
          "coinbeam replay: warning: %,d records are not UTF-8 text or lie past a file's damage;"
              + " they are not published (a batch run over the files lists them in dead_letters)%n",
          unreadable);
    }
    out.printf(
        "coinbeam replay: %,d records from %d files (%s) to Kafka at %s, %s%n",
        plan.entries().size(),
        plan.files().size(),
        plan.rowsPerTopic(),
        options.bootstrap(),
        options.speed() == Pacer.AS_FAST_AS_POSSIBLE
            ? "as fast as possible"
            : "speed " + options.speed() + "x the original pace");
    try {
      List<String> topics = new ArrayList<>();
      options.streams().forEach(s -> topics.add(KafkaTopics.of(s)));
      TopicCreator.ensure(options.bootstrap(), topics, options.partitions(), kafkaTimeout);
      try (KafkaPublisher publisher = new KafkaPublisher(options.bootstrap(), kafkaTimeout)) {
        LongConsumer heartbeat =
            options.heartbeats() ? time -> publisher.heartbeat(topics, time) : null;
        replay(plan, publisher, new Pacer(options.speed(), clock, sleeper), clock, out, heartbeat);
        if (heartbeat != null && !plan.entries().isEmpty()) {
          long last = plan.entries().get(plan.entries().size() - 1).row().timestampMillis();
          heartbeat.accept(last + FINAL_HEARTBEAT_AFTER.toMillis());
          publisher.flush();
          out.println(
              "coinbeam replay: closing watermark heartbeat at "
                  + Instant.ofEpochMilli(last + FINAL_HEARTBEAT_AFTER.toMillis())
                  + " sent to every partition");
        }
        Map<String, Long> acked = publisher.acknowledged();
        out.println("coinbeam replay: done; acknowledged by Kafka: " + acked);
        if (!acked.equals(plan.rowsPerTopic())) {
          err.println(
              "coinbeam replay: Kafka acknowledged " + acked + " of " + plan.rowsPerTopic());
          return EXIT_KAFKA;
        }
      }
    } catch (KafkaUnavailableException e) {
      err.println(
          "coinbeam replay: "
              + e.getMessage()
              + ". Start Kafka (make kafka-local, or make up) or set KAFKA_BOOTSTRAP_SERVERS.");
      return EXIT_KAFKA;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("coinbeam replay: interrupted");
      return EXIT_KAFKA;
    }
    return EXIT_OK;
  }

  /**
   * Publishes the plan in order, paced, printing progress every few seconds and a summary per topic
   * at the end; waits for Kafka to acknowledge everything.
   */
  public static void replay(
      ReplayPlan plan, RowPublisher publisher, Pacer pacer, Clock clock, PrintStream out)
      throws InterruptedException {
    replay(plan, publisher, pacer, clock, out, null);
  }

  /**
   * As above, and with {@code heartbeat} (when not null) called with the replayed event time after
   * each second of it: watermark heartbeats, so the pipeline's windows close as the replay moves
   * on.
   */
  public static void replay(
      ReplayPlan plan,
      RowPublisher publisher,
      Pacer pacer,
      Clock clock,
      PrintStream out,
      LongConsumer heartbeat)
      throws InterruptedException {
    long nextHeartbeat = Long.MIN_VALUE;
    Instant start = clock.instant();
    Instant nextReport = start.plus(PROGRESS_EVERY);
    Map<String, Long> published = new TreeMap<>();
    long malformed = 0;
    long done = 0;
    for (ReplayPlan.Entry entry : plan.entries()) {
      pacer.awaitTurn(entry.row().timestampMillis());
      publisher.publish(entry.row());
      published.merge(entry.row().topic(), 1L, Long::sum);
      done++;
      long eventTime = entry.row().timestampMillis();
      if (heartbeat != null && eventTime >= nextHeartbeat) {
        heartbeat.accept(eventTime); // entries are in event-time order: none older follows
        nextHeartbeat = Math.floorDiv(eventTime, 1000L) * 1000L + 1000L;
      }
      if (!entry.wellFormed()) {
        malformed++;
      }
      Instant now = clock.instant();
      if (!now.isBefore(nextReport)) {
        out.printf(
            "  %,d of %,d (%s), %s/s, event time %s%n",
            done,
            plan.entries().size(),
            published,
            rate(done, start, now),
            Instant.ofEpochMilli(entry.row().timestampMillis()));
        nextReport = now.plus(PROGRESS_EVERY);
      }
    }
    publisher.flush();
    Instant end = clock.instant();
    out.println("coinbeam replay summary");
    out.printf("  %-20s %12s%n", "topic", "records");
    published.forEach((topic, n) -> out.printf("  %-20s %,12d%n", topic, n));
    out.printf(
        "  %,d records (%,d published as they were: unreadable, for the pipeline's dead letters)"
            + " in %.1f s, %s/s%n",
        done, malformed, Duration.between(start, end).toMillis() / 1000.0, rate(done, start, end));
  }

  private static String rate(long n, Instant start, Instant now) {
    long millis = Duration.between(start, now).toMillis();
    return millis <= 0 ? "-" : String.format(Locale.ROOT, "%,.0f", n * 1000.0 / millis);
  }

  private static String names(Options options) {
    List<String> names = new ArrayList<>();
    options.streams().forEach(s -> names.add(s.id()));
    return String.join(",", names);
  }

  static Options parse(String[] args, Map<String, String> env) {
    String input = "data/sample/{stream}/*";
    String streams = "all";
    String speed = "max";
    String bootstrap = env.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "");
    if (bootstrap.isBlank()) {
      bootstrap = "localhost:9092";
    }
    int partitions = KafkaTopics.DEFAULT_PARTITIONS;
    boolean heartbeats = true;
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (!arg.startsWith("--") || eq < 0) {
        throw new IllegalArgumentException("expected --flag=value, got " + arg);
      }
      String name = arg.substring(2, eq);
      String value = arg.substring(eq + 1).trim();
      switch (name) {
        case "input" -> input = value;
        case "streams" -> streams = value;
        case "speed" -> speed = value;
        case "bootstrap" -> bootstrap = value;
        case "partitions" -> {
          try {
            partitions = Integer.parseInt(value);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--partitions=" + value + " is not a number");
          }
          if (partitions < 1) {
            throw new IllegalArgumentException("--partitions must be at least 1");
          }
        }
        case "heartbeats" -> {
          if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException("--heartbeats must be true or false");
          }
          heartbeats = value.equals("true");
        }
        default -> throw new IllegalArgumentException("unknown flag --" + name);
      }
    }
    if (input.isBlank()) {
      throw new IllegalArgumentException("--input is empty");
    }
    if (bootstrap.isBlank()) {
      throw new IllegalArgumentException("--bootstrap is empty");
    }
    return new Options(
        input,
        CoinCapStream.parseList(streams),
        parseSpeed(speed),
        bootstrap,
        partitions,
        heartbeats);
  }

  /** "max" or 0: as fast as possible; otherwise a positive factor (1 = original pace). */
  static double parseSpeed(String text) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    if (value.isEmpty() || value.equals("max")) {
      return Pacer.AS_FAST_AS_POSSIBLE;
    }
    if (value.endsWith("x")) {
      value = value.substring(0, value.length() - 1);
    }
    double speed;
    try {
      speed = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--speed="
              + text
              + " is not a speed; use 1 (original pace), 10 (ten times faster) or max");
    }
    if (speed < 0 || Double.isNaN(speed) || Double.isInfinite(speed)) {
      throw new IllegalArgumentException("--speed must be 0, max or a positive number");
    }
    return speed;
  }
}

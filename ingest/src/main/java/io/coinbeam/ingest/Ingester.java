package io.coinbeam.ingest;

import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.catalog.KafkaTopics;
import io.coinbeam.ingest.feeds.Feed;
import io.coinbeam.ingest.feeds.FeedConfig;
import io.coinbeam.ingest.feeds.FeedSockets;
import io.coinbeam.kafka.KafkaUnavailableException;
import io.coinbeam.kafka.TopicCreator;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code make ingest}: CoinCap into Kafka. Polls the REST endpoints on their intervals, keeps one
 * trades socket per exchange and the prices socket open, produces one record per row to {@code
 * coincap.<stream>}, and archives every capture in the batch input format. Beside CoinCap, or
 * instead of it when there is no API key, it reads trades from exchange feeds that need no key
 * (Binance, Coinbase: {@code INGEST_FEEDS}, {@link FeedConfig}) into {@code coincap.trades}.
 *
 * <p>Settings come from the environment ({@link IngestConfig}). Flags: {@code --once} polls each
 * endpoint once and exits (no sockets). Exit codes: 0 stopped (Ctrl-C, SIGTERM) or done, 1 Kafka
 * unreachable or refusing records, 2 bad settings, 3 CoinCap refused us (API key, v2 URL).
 */
public final class Ingester {
  private static final Logger LOG = LoggerFactory.getLogger(Ingester.class);

  public static final int EXIT_OK = 0;
  public static final int EXIT_KAFKA = 1;
  public static final int EXIT_USAGE = 2;
  public static final int EXIT_COINCAP_REFUSED = 3;

  private static final Duration STATUS_EVERY = Duration.ofSeconds(60);

  private Ingester() {}

  public static void main(String[] args) {
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "ingest-stop"));
    System.exit(run(System.getenv(), args, stop, Duration.ofSeconds(30)));
  }

  /**
   * Runs until {@code stop} is released (or once, with {@code --once}).
   *
   * @param kafkaTimeout how long Kafka may take to answer at start and to accept a record
   * @return the exit code
   */
  public static int run(
      Map<String, String> env, String[] args, CountDownLatch stop, Duration kafkaTimeout) {
    boolean once = false;
    for (String arg : args) {
      if (arg.equals("--once")) {
        once = true;
      } else if (arg.equals("--help") || arg.equals("-h")) {
        System.out.println(
            "usage: java -jar coinbeam-ingest.jar [--once]\n"
                + "Settings come from the environment; see docs/INGEST.md.");
        return EXIT_OK;
      } else {
        System.err.println("coinbeam ingest: unknown flag " + arg + " (only --once and --help)");
        return EXIT_USAGE;
      }
    }
    IngestConfig config;
    FeedConfig feeds;
    try {
      config = IngestConfig.fromEnvironment(env);
      feeds = FeedConfig.fromEnvironment(env);
    } catch (IllegalArgumentException e) {
      System.err.println("coinbeam ingest: " + e.getMessage());
      return EXIT_USAGE;
    }
    // Exchange feeds need no key: with feeds and no key, CoinCap (which would refuse us) is left
    // out, so live trades flow on the first day without a paid account.
    boolean coinCap = config.hasApiKey() || !feeds.any();
    if (!coinCap) {
      LOG.info(
          "{} is not set: reading only the exchange feeds {}", IngestConfig.API_KEY, feeds.pairs());
    } else if (!config.hasApiKey()) {
      LOG.warn(
          "{} is not set: CoinCap v3 answers 401 without a key (https://pro.coincap.io/dashboard)",
          IngestConfig.API_KEY);
    }
    if (config.restUrlLooksLikeV2()) {
      LOG.warn(
          "{}={} is CoinCap's v2 API, shut down on 2025-03-31; use https://rest.coincap.io/v3",
          IngestConfig.REST_URL,
          config.restBase());
    }
    try {
      List<String> created =
          TopicCreator.ensure(
              config.bootstrapServers(),
              KafkaTopics.all(),
              KafkaTopics.DEFAULT_PARTITIONS,
              kafkaTimeout);
      if (!created.isEmpty()) {
        LOG.info("created topics {}", created);
      }
    } catch (KafkaUnavailableException e) {
      System.err.println(
          "coinbeam ingest: "
              + e.getMessage()
              + ". Start Kafka (make up, or make kafka-local) or set KAFKA_BOOTSTRAP_SERVERS.");
      return EXIT_KAFKA;
    }

    Clock clock = Clock.systemUTC();
    IngestStats stats = new IngestStats();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    Random random = new Random();
    try (KafkaPublisher publisher = new KafkaPublisher(config.bootstrapServers(), kafkaTimeout);
        CaptureArchive archive = new CaptureArchive(config.archiveDir(), clock)) {
      RestPoller poller =
          new RestPoller(
              config,
              http,
              Duration.ofSeconds(20),
              5,
              new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), random),
              Sleeper.SYSTEM,
              clock,
              publisher,
              archive,
              stats);
      Session session = new Session(stop);
      // The first round of polls runs now: a refused key or a v2 URL stops us before anything else.
      try {
        for (CoinCapStream stream : coinCap ? polled(config) : List.<CoinCapStream>of()) {
          poller.poll(stream);
        }
        publisher.flush();
      } catch (CoinCapRefusedException e) {
        System.err.println("coinbeam ingest: " + e.getMessage());
        return EXIT_COINCAP_REFUSED;
      } catch (KafkaUnavailableException e) {
        System.err.println("coinbeam ingest: " + e.getMessage());
        return EXIT_KAFKA;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return EXIT_OK;
      }
      if (once) {
        System.out.println("coinbeam ingest: polled once; " + stats);
        return EXIT_OK;
      }
      return session.runUntilStopped(
          config, coinCap, feeds, poller, publisher, archive, stats, http, random, clock);
    } catch (KafkaUnavailableException e) {
      System.err.println("coinbeam ingest: " + e.getMessage());
      return EXIT_KAFKA;
    }
  }

  /** The REST streams with a polling interval above zero. */
  private static List<CoinCapStream> polled(IngestConfig config) {
    List<CoinCapStream> streams = new ArrayList<>();
    for (CoinCapStream stream : CoinCapStream.values()) {
      Duration interval = config.pollIntervals().get(stream);
      if (interval != null && !interval.isZero()) {
        streams.add(stream);
      }
    }
    return streams;
  }

  /** The long-running part: scheduled polls, sockets, status lines, and how it ends. */
  private static final class Session {
    private final CountDownLatch stop;
    private final AtomicInteger exitCode = new AtomicInteger(EXIT_OK);
    private final AtomicReference<String> fatal = new AtomicReference<>();

    Session(CountDownLatch stop) {
      this.stop = stop;
    }

    /** A failure that retrying will not fix: remember the first, and stop. */
    private void fail(int code, String message) {
      if (fatal.compareAndSet(null, message)) {
        exitCode.set(code);
        stop.countDown();
      }
    }

    int runUntilStopped(
        IngestConfig config,
        boolean coinCap,
        FeedConfig feeds,
        RestPoller poller,
        KafkaPublisher publisher,
        CaptureArchive archive,
        IngestStats stats,
        HttpClient http,
        Random random,
        Clock clock) {
      ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
      RowPublisher guarded =
          new RowPublisher() {
            @Override
            public void publish(KafkaRow row) {
              try {
                publisher.publish(row);
              } catch (KafkaUnavailableException e) {
                fail(EXIT_KAFKA, e.getMessage());
                throw e;
              }
            }

            @Override
            public void flush() {
              publisher.flush();
            }
          };
      SocketContext context =
          new SocketContext(
              http,
              guarded,
              archive,
              stats,
              new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), random),
              Sleeper.SYSTEM,
              clock,
              Duration.ofMinutes(5));
      CoinCapSockets sockets = new CoinCapSockets(config, context);
      // The feeds send heartbeats (Coinbase) or pings (Binance, every 20 s): 2 silent minutes
      // mean a dead connection.
      FeedSockets feedSockets =
          new FeedSockets(feeds, context.withIdleTimeout(Duration.ofMinutes(2)));
      List<ReconnectingSocket> open = new ArrayList<>();
      try {
        for (CoinCapStream stream : coinCap ? polled(config) : List.<CoinCapStream>of()) {
          long every = config.pollIntervals().get(stream).toMillis();
          scheduler.scheduleWithFixedDelay(
              () -> {
                try {
                  poller.poll(stream);
                } catch (CoinCapRefusedException e) {
                  fail(EXIT_COINCAP_REFUSED, e.getMessage());
                } catch (KafkaUnavailableException e) {
                  fail(EXIT_KAFKA, e.getMessage());
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                  LOG.error("polling {} failed; the next poll tries again", stream.id(), e);
                }
              },
              every,
              every,
              TimeUnit.MILLISECONDS);
        }
        if (coinCap) {
          for (String exchange : config.exchanges()) {
            open.add(sockets.trades(exchange));
          }
          if (!config.assets().isEmpty()) {
            open.add(sockets.prices());
          }
        }
        for (Feed feed : feeds.pairs().keySet()) {
          open.add(feedSockets.socket(feed));
        }
        if (feeds.any()) {
          long every = Math.max(1_000, feeds.silentAfter().toMillis() / 2);
          scheduler.scheduleAtFixedRate(
              feedSockets::reportSilentPairs, every, every, TimeUnit.MILLISECONDS);
        }
        open.forEach(ReconnectingSocket::start);
        scheduler.scheduleAtFixedRate(
            () -> LOG.info("status: {}; in Kafka: {}", stats, publisher.acknowledged()),
            STATUS_EVERY.toMillis(),
            STATUS_EVERY.toMillis(),
            TimeUnit.MILLISECONDS);
        LOG.info(
            "ingesting: polls {}, trades sockets {}, prices {}, exchange feeds {}; Kafka {};"
                + " archive {}",
            coinCap ? config.pollIntervals() : "none",
            coinCap ? config.exchanges() : "none",
            coinCap ? config.assets() : "none",
            feeds.pairs(),
            config.bootstrapServers(),
            config.archiveDir().toAbsolutePath());
        stop.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        open.forEach(ReconnectingSocket::close);
        scheduler.shutdownNow();
        try {
          scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      try {
        publisher.flush();
      } catch (KafkaUnavailableException e) {
        fail(EXIT_KAFKA, e.getMessage());
      }
      if (fatal.get() != null) {
        System.err.println("coinbeam ingest: " + fatal.get());
      }
      System.out.println(
          "coinbeam ingest: stopped; " + stats + "; in Kafka: " + publisher.acknowledged());
      return exitCode.get();
    }
  }
}

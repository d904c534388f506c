package io.coinbeam.broker;

import io.coinbeam.catalog.KafkaTopics;
import io.coinbeam.kafka.TopicCreator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real Kafka broker (KRaft, combined broker and controller, no ZooKeeper) inside this JVM, on
 * loopback, with its log in a temporary folder. Tests and {@code make stream-demo} use it where no
 * Docker engine can run one; {@code make kafka-local} runs it as a process of its own.
 *
 * <p>Its classes (Kafka's Scala 2.13 core) are in the direct jar and on the test classpath only.
 */
public final class LocalKafkaBroker implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final int port;
  private final Path logDir;
  private final boolean deleteLogDirOnClose;
  private final KafkaRaftServer server;
  private boolean closed;

  private LocalKafkaBroker(int port, Path logDir, boolean deleteLogDirOnClose) {
    this.port = port;
    this.logDir = logDir;
    this.deleteLogDirOnClose = deleteLogDirOnClose;
    int controllerPort = freePort();
    int nodeId = 1;
    writeMetaProperties(logDir, nodeId);
    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", Integer.toString(nodeId));
    props.put("controller.quorum.voters", nodeId + "@127.0.0.1:" + controllerPort);
    props.put(
        "listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    props.put("controller.listener.names", "CONTROLLER");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("log.dirs", logDir.toString());
    // Without a bootstrap file (kafka-storage.sh format writes one; its classes are not on our
    // compile classpath) the metadata version comes from here, else the oldest KRaft one. Kafka
    // logs a deprecation warning for it, which is harmless for a fresh single-node cluster.
    props.put("inter.broker.protocol.version", "3.7");
    // One broker: every internal topic has a single replica.
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "1");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("num.partitions", String.valueOf(KafkaTopics.DEFAULT_PARTITIONS));
    props.put("auto.create.topics.enable", "false");
    props.put("log.flush.interval.messages", "1000");
    props.put("num.network.threads", "2");
    props.put("num.io.threads", "2");
    props.put("log.cleaner.enable", "false");
    props.put(
        "log.retention.hours", "-1"); // a demo replays old captures: keep them, whatever their time
    props.put("log.retention.bytes", "-1");
    this.server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
  }

  /** Starts a broker on a free loopback port with a temporary log folder (deleted on close). */
  public static LocalKafkaBroker start() {
    return start(0);
  }

  /** Starts a broker on {@code port} (0: any free port) with a temporary log folder. */
  public static LocalKafkaBroker start(int port) {
    try {
      return start(port, Files.createTempDirectory("coinbeam-kafka-"), true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts a broker on {@code port} (0: any free port) writing its log to {@code logDir}, and waits
   * until it answers.
   */
  public static LocalKafkaBroker start(int port, Path logDir, boolean deleteLogDirOnClose) {
    LocalKafkaBroker broker =
        new LocalKafkaBroker(port == 0 ? freePort() : port, logDir, deleteLogDirOnClose);
    try {
      broker.server.startup();
      // A broker that has joined its own quorum lists topics; until then the admin call times out.
      TopicCreator.ensure(broker.bootstrapServers(), List.of(), 1, READY_TIMEOUT);
    } catch (RuntimeException e) {
      broker.close();
      throw e;
    }
    return broker;
  }

  /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** Creates the topics that do not exist yet, each with {@code partitions} partitions. */
  public List<String> createTopics(Collection<String> topics, int partitions) {
    return TopicCreator.ensure(bootstrapServers(), topics, partitions, READY_TIMEOUT);
  }

  /** Creates the topics that do not exist yet, with one partition each. */
  public List<String> createTopics(String... topics) {
    return createTopics(List.of(topics), 1);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      server.shutdown();
      server.awaitShutdown();
    } finally {
      if (deleteLogDirOnClose) {
        deleteRecursively(logDir);
      }
    }
  }

  /**
   * The folder a formatted KRaft node needs: {@code meta.properties} naming the cluster and node
   * (what {@code kafka-storage.sh format} writes).
   */
  private static void writeMetaProperties(Path logDir, int nodeId) {
    try {
      Files.createDirectories(logDir);
      Path meta = logDir.resolve("meta.properties");
      if (Files.exists(meta)) {
        return; // a kept log folder: start from what it holds
      }
      String text =
          "version=1\n"
              + "cluster.id="
              + Uuid.randomUuid()
              + "\n"
              + "node.id="
              + nodeId
              + "\n"
              + "directory.id="
              + Uuid.randomUuid()
              + "\n";
      Files.writeString(meta, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temp folder is not worth failing a run for.
    }
  }

  /**
   * Runs a broker until SIGTERM or Ctrl-C: {@code --port=9092} (default 9092), {@code
   * --log-dir=PATH} (default a temporary folder, deleted at exit), {@code --partitions=N} for the
   * coincap.* topics it creates (default 1).
   */
  public static void main(String[] args) throws InterruptedException {
    int port = 9092;
    Path logDir = null;
    int partitions = KafkaTopics.DEFAULT_PARTITIONS;
    for (String arg : args) {
      try {
        if (arg.startsWith("--port=")) {
          port = Integer.parseInt(arg.substring("--port=".length()));
        } else if (arg.startsWith("--log-dir=")) {
          logDir = Path.of(arg.substring("--log-dir=".length()));
        } else if (arg.startsWith("--partitions=")) {
          partitions = Integer.parseInt(arg.substring("--partitions=".length()));
        } else {
          usage("unknown flag " + arg);
        }
      } catch (NumberFormatException e) {
        usage("not a number in " + arg);
      }
    }
    if (port < 0 || port > 65535 || partitions < 1) {
      usage("--port must be 0..65535 and --partitions at least 1");
    }
    LocalKafkaBroker broker;
    try {
      broker = logDir == null ? start(port) : start(port, logDir.toAbsolutePath(), false);
      broker.createTopics(KafkaTopics.all(), partitions);
    } catch (RuntimeException e) {
      System.err.println("coinbeam: the local Kafka broker did not start: " + e);
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    LocalKafkaBroker running = broker;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("coinbeam: stopping the local Kafka broker");
                  running.close();
                  stopped.countDown();
                },
                "kafka-local-stop"));
    System.out.println(
        "coinbeam: local Kafka broker ready at "
            + broker.bootstrapServers()
            + " with topics "
            + String.join(", ", KafkaTopics.all())
            + " (Ctrl-C stops it)");
    System.out.flush();
    stopped.await();
  }

  private static void usage(String problem) {
    System.err.println(
        "coinbeam: "
            + problem
            + "\nusage: java -cp ingest/target/coinbeam-ingest.jar"
            + " io.coinbeam.broker.LocalKafkaBroker [--port=9092] [--log-dir=PATH] [--partitions="
            + KafkaTopics.DEFAULT_PARTITIONS
            + "]");
    System.exit(2);
  }
}

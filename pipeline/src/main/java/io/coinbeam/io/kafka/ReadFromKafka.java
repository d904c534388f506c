package io.coinbeam.io.kafka;

import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.catalog.KafkaTopics;
import io.coinbeam.kafka.WatermarkHeartbeats;
import io.coinbeam.metrics.PipelineMetrics;
import io.coinbeam.model.RawRecord;
import io.coinbeam.options.JodaDurations;
import io.coinbeam.options.KafkaSourceOptions;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.options.ExperimentalOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.joda.time.Duration;

/**
 * The streaming source of one stream: its {@code coincap.<stream>} topic read with KafkaIO into the
 * same {@link RawRecord}s the file reader makes, so everything after the source is the batch graph.
 * Event time and the watermark come from {@link EventTimePolicy}; watermark heartbeats are dropped
 * here, after they moved the watermark. Offsets are committed under the consumer group when a
 * checkpoint finalizes (auto commit is off), so a restarted job resumes where it stopped.
 *
 * <p>It uses KafkaIO's legacy unbounded reader (the pipeline sets {@code use_deprecated_read}):
 * Spark's streaming runner cannot run the splittable one, and options like {@code withStopReadTime}
 * would force it, so they are not used. On the Direct runner the reader's records travel in batches
 * ({@link BatchedUnboundedSource}) and are unpacked here, each at its own timestamp.
 */
public final class ReadFromKafka extends PTransform<PBegin, PCollection<RawRecord>> {
  private static final long serialVersionUID = 1L;

  /** Where the bootstrap servers come from when no flag names them. */
  public static final String BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP_SERVERS";

  public static final String DEFAULT_BOOTSTRAP = "localhost:9092";

  private final CoinCapStream stream;
  private final String bootstrapServers;
  private final String groupId;
  private final String startFrom;
  private final Duration maxOutOfOrder;
  private final Duration idleAfter;
  private final int batchSize;

  private ReadFromKafka(
      CoinCapStream stream,
      String bootstrapServers,
      String groupId,
      String startFrom,
      Duration maxOutOfOrder,
      Duration idleAfter,
      int batchSize) {
    this.stream = stream;
    this.bootstrapServers = bootstrapServers;
    this.groupId = groupId;
    this.startFrom = startFrom;
    this.maxOutOfOrder = maxOutOfOrder;
    this.idleAfter = idleAfter;
    this.batchSize = batchSize;
  }

  /**
   * The source of {@code stream} as the flags describe it; bad flags throw with the flag's name.
   */
  public static ReadFromKafka of(CoinCapStream stream, KafkaSourceOptions options) {
    String startFrom = options.getKafkaStartFrom() == null ? "" : options.getKafkaStartFrom();
    if (!startFrom.equals("earliest") && !startFrom.equals("latest")) {
      throw new IllegalArgumentException(
          "--kafkaStartFrom=" + startFrom + " is not earliest or latest");
    }
    if (options.getKafkaGroupId() == null || options.getKafkaGroupId().isBlank()) {
      throw new IllegalArgumentException("--kafkaGroupId is empty");
    }
    return new ReadFromKafka(
        stream,
        bootstrapServers(options, System.getenv()),
        options.getKafkaGroupId(),
        startFrom,
        JodaDurations.parse("kafkaMaxOutOfOrder", options.getKafkaMaxOutOfOrder()),
        JodaDurations.parse("kafkaIdleAfter", options.getKafkaIdleAfter()),
        batchSizeFor(options.getRunner() == null ? "" : options.getRunner().getSimpleName()));
  }

  /**
   * Records per element on {@code runner}: batches of up to {@value #DIRECT_BATCH} on the Direct
   * runner, which reads ten elements per bundle (see {@link BatchedUnboundedSource}); one record
   * per element elsewhere (Flink and Spark read many records per bundle or micro-batch already).
   */
  static int batchSizeFor(String runner) {
    return runner.equals("DirectRunner") ? DIRECT_BATCH : 1;
  }

  static final int DIRECT_BATCH = 2_000;

  /**
   * How long a Direct batch gathers records: the Direct runner takes ten batches per bundle, so a
   * record waits at most about ten times this before its bundle moves on.
   */
  static final java.time.Duration DIRECT_BATCH_WAIT = java.time.Duration.ofMillis(20);

  /** --kafkaBootstrapServers, else $KAFKA_BOOTSTRAP_SERVERS, else localhost:9092. */
  public static String bootstrapServers(KafkaSourceOptions options, Map<String, String> env) {
    String flag = options.getKafkaBootstrapServers();
    if (flag != null && !flag.isBlank()) {
      return flag.trim();
    }
    String fromEnv = env.get(BOOTSTRAP_ENV);
    return fromEnv != null && !fromEnv.isBlank() ? fromEnv.trim() : DEFAULT_BOOTSTRAP;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public PCollection<RawRecord> expand(PBegin begin) {
    KafkaIO.Read<String, byte[]> read =
        KafkaIO.<String, byte[]>read()
            .withBootstrapServers(bootstrapServers)
            .withTopic(KafkaTopics.of(stream))
            .withKeyDeserializer(StringDeserializer.class)
            .withValueDeserializer(ByteArrayDeserializer.class)
            .withConsumerConfigUpdates(
                Map.of(
                    ConsumerConfig.GROUP_ID_CONFIG, groupId,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, startFrom,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false))
            .commitOffsetsInFinalize()
            .withTimestampPolicyFactory(EventTimePolicy.factory(maxOutOfOrder, idleAfter));
    if (batchSize > 1) {
      return begin
          .apply(
              "ReadKafka",
              Read.from(
                  BatchedUnboundedSource.of(legacySourceOf(read), batchSize, DIRECT_BATCH_WAIT)))
          .apply("ToRawRecords", ParDo.of(new BatchToRawRecordsFn(stream.id())));
    }
    return begin
        .apply("ReadKafka", read)
        .apply("ToRawRecords", ParDo.of(new ToRawRecordFn(stream.id())));
  }

  /**
   * The legacy unbounded source behind {@code read}. KafkaIO keeps its source to itself, so it is
   * taken from a scratch pipeline where {@code read} expands to a {@link Read.Unbounded} of it.
   */
  static <T> UnboundedSource<T, ?> legacySourceOf(PTransform<PBegin, PCollection<T>> read) {
    ExperimentalOptions options = PipelineOptionsFactory.as(ExperimentalOptions.class);
    ExperimentalOptions.addExperiment(options, "use_deprecated_read");
    Pipeline scratch = Pipeline.create(options);
    scratch.apply(read);
    List<UnboundedSource<T, ?>> found = new ArrayList<>();
    scratch.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            return take(node)
                ? CompositeBehavior.DO_NOT_ENTER_TRANSFORM
                : super.enterCompositeTransform(node);
          }

          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            take(node);
          }

          @SuppressWarnings("unchecked")
          private boolean take(TransformHierarchy.Node node) {
            if (node.getTransform() instanceof Read.Unbounded<?> unbounded) {
              found.add((UnboundedSource<T, ?>) unbounded.getSource());
              return true;
            }
            return false;
          }
        });
    if (found.size() != 1) {
      throw new IllegalStateException(
          read + " expanded to " + found.size() + " unbounded reads, not one");
    }
    return found.get(0);
  }

  /**
   * One Kafka record as the parser's input: source {@code <topic>/<partition>/<offset>}, the value
   * as payload (empty for a record without one) and the record time; null for a heartbeat. The
   * value is decoded as UTF-8 strictly (Kafka's string deserializer would swap bad bytes for U+FFFD
   * without a word): a value that is not UTF-8 is an unreadable record, a dead letter saying so.
   */
  public static RawRecord toRawRecord(KafkaRecord<String, byte[]> record) {
    if (WatermarkHeartbeats.isHeartbeat(record.getHeaders())) {
      return null;
    }
    String source = record.getTopic() + "/" + record.getPartition() + "/" + record.getOffset();
    byte[] value = record.getKV().getValue();
    if (value == null) {
      return new RawRecord(source, "", record.getTimestamp());
    }
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(value))
              .toString();
      return new RawRecord(source, text, record.getTimestamp());
    } catch (CharacterCodingException e) {
      return RawRecord.unreadable(
          source,
          new String(value, StandardCharsets.UTF_8),
          record.getTimestamp(),
          "the record's value is not valid UTF-8 text");
    }
  }

  /**
   * {@code record} as a RawRecord to {@code out}, or a heartbeat counted and dropped (it carries no
   * data). records_read is counted by the parser, for files and Kafka alike.
   */
  private static void handOn(
      KafkaRecord<String, byte[]> record,
      Counter heartbeats,
      java.util.function.Consumer<RawRecord> out) {
    RawRecord raw = toRawRecord(record);
    if (raw == null) {
      heartbeats.inc();
    } else {
      out.accept(raw);
    }
  }

  /** Batches of records into RawRecords, each at its record's timestamp (see ToRawRecordFn). */
  static final class BatchToRawRecordsFn
      extends DoFn<List<TimestampedValue<KafkaRecord<String, byte[]>>>, RawRecord> {
    private static final long serialVersionUID = 1L;
    private final Counter heartbeats;

    BatchToRawRecordsFn(String streamId) {
      this.heartbeats = PipelineMetrics.counter(streamId, "heartbeats");
    }

    @ProcessElement
    public void process(
        @Element List<TimestampedValue<KafkaRecord<String, byte[]>>> batch,
        OutputReceiver<RawRecord> out) {
      for (TimestampedValue<KafkaRecord<String, byte[]>> record : batch) {
        handOn(
            record.getValue(),
            heartbeats,
            raw -> out.outputWithTimestamp(raw, record.getTimestamp()));
      }
    }
  }

  /** Records into RawRecords; heartbeats are counted and dropped (they carry no data). */
  static final class ToRawRecordFn extends DoFn<KafkaRecord<String, byte[]>, RawRecord> {
    private static final long serialVersionUID = 1L;
    private final Counter heartbeats;

    ToRawRecordFn(String streamId) {
      this.heartbeats = PipelineMetrics.counter(streamId, "heartbeats");
    }

    @ProcessElement
    public void process(
        @Element KafkaRecord<String, byte[]> record, OutputReceiver<RawRecord> out) {
      handOn(record, heartbeats, out::output);
    }
  }
}

package io.coinbeam.io.kafka;

import java.io.Serializable;
import java.util.Optional;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Event time and the watermark of one Kafka partition, for the pipeline's Kafka source.
 *
 * <ul>
 *   <li>A record's timestamp is its Kafka record timestamp: the producers (ingester, replay) set it
 *       to the observation time, and the parser later re-stamps each row from its payload.
 *   <li>The watermark trails the newest event time seen in the partition by {@code maxOutOfOrder},
 *       and never goes back.
 *   <li>Idle rule: when nothing has arrived for {@code idleAfter} of processing time and a backlog
 *       check made since then found none, its watermark moves on with the processing clock from
 *       where it stood, so a quiet partition does not hold the other partitions (and every window)
 *       back forever. A partition that never had a record follows the processing clock once idle.
 *       The check must be that recent: a reader the runner leaves unpolled for a while (Spark
 *       between micro-batches, a starved task) still holds its last, stale zero backlog, and taking
 *       it for idleness moved the watermark past data that was waiting (measured: make stream-demo
 *       on Spark lost half of exchange_stats' windows as late).
 *   <li>Watermark heartbeats ({@link WatermarkHeartbeats}) are records like any other here: their
 *       timestamp advances the partition's event time. The source drops them afterwards.
 * </ul>
 */
public final class EventTimePolicy extends TimestampPolicy<String, byte[]> {
  /** The processing clock, replaceable in tests. */
  public interface Clock extends Serializable {
    Instant now();

    Clock SYSTEM = Instant::now;
  }

  private final Duration maxOutOfOrder;
  private final Duration idleAfter;
  private final Clock clock;
  private Instant maxEventTime;
  private Instant lastArrival;
  private Instant watermark;

  /** The watermark this partition restarted from (a restored checkpoint), else the minimum. */
  private final Instant restored;

  public EventTimePolicy(
      Duration maxOutOfOrder, Duration idleAfter, Clock clock, Optional<Instant> previous) {
    this.maxOutOfOrder = maxOutOfOrder;
    this.idleAfter = idleAfter;
    this.clock = clock;
    this.restored = previous.orElse(BoundedWindow.TIMESTAMP_MIN_VALUE);
    this.watermark = restored;
    this.lastArrival = clock.now();
  }

  /** The factory KafkaIO asks for one policy per partition (restored with its last watermark). */
  public static TimestampPolicyFactory<String, byte[]> factory(
      Duration maxOutOfOrder, Duration idleAfter) {
    return factory(maxOutOfOrder, idleAfter, Clock.SYSTEM);
  }

  static TimestampPolicyFactory<String, byte[]> factory(
      Duration maxOutOfOrder, Duration idleAfter, Clock clock) {
    return new Factory(maxOutOfOrder, idleAfter, clock);
  }

  private static final class Factory implements TimestampPolicyFactory<String, byte[]> {
    private static final long serialVersionUID = 1L;
    private final Duration maxOutOfOrder;
    private final Duration idleAfter;
    private final Clock clock;

    Factory(Duration maxOutOfOrder, Duration idleAfter, Clock clock) {
      this.maxOutOfOrder = maxOutOfOrder;
      this.idleAfter = idleAfter;
      this.clock = clock;
    }

    @Override
    public TimestampPolicy<String, byte[]> createTimestampPolicy(
        TopicPartition partition, Optional<Instant> previousWatermark) {
      return new EventTimePolicy(maxOutOfOrder, idleAfter, clock, previousWatermark);
    }
  }

  @Override
  public Instant getTimestampForRecord(
      PartitionContext context, KafkaRecord<String, byte[]> record) {
    Instant eventTime = new Instant(record.getTimestamp());
    if (eventTime.isBefore(BoundedWindow.TIMESTAMP_MIN_VALUE)) {
      eventTime = BoundedWindow.TIMESTAMP_MIN_VALUE;
    }
    if (maxEventTime == null || eventTime.isAfter(maxEventTime)) {
      maxEventTime = eventTime;
    }
    lastArrival = clock.now();
    return eventTime;
  }

  @Override
  public Instant getWatermark(PartitionContext context) {
    Instant candidate =
        maxEventTime == null
            ? BoundedWindow.TIMESTAMP_MIN_VALUE
            : maxEventTime.minus(maxOutOfOrder);
    Instant now = clock.now();
    Instant idleSince = lastArrival.plus(idleAfter);
    if (context.getMessageBacklog() == 0
        && !now.isBefore(idleSince)
        && !context.getBacklogCheckTime().isBefore(idleSince)) {
      // From where the partition stood when it went quiet, on at the pace of the clock.
      Instant idle =
          maxEventTime == null && restored.equals(BoundedWindow.TIMESTAMP_MIN_VALUE)
              ? now.minus(maxOutOfOrder) // nothing ever arrived: follow the processing clock
              : later(candidate, restored).plus(new Duration(idleSince, now));
      candidate = later(candidate, idle);
    }
    if (candidate.isAfter(BoundedWindow.TIMESTAMP_MAX_VALUE)) {
      candidate = BoundedWindow.TIMESTAMP_MAX_VALUE;
    }
    watermark = later(watermark, candidate);
    return watermark;
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}

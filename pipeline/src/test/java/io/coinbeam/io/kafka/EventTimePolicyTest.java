package io.coinbeam.io.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.coinbeam.kafka.WatermarkHeartbeats;
import java.util.Optional;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaTimestampType;
import org.apache.beam.sdk.io.kafka.TimestampPolicy.PartitionContext;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The watermark of one partition, on a hand-moved clock: event time from record timestamps, five
 * seconds of out-of-order slack, heartbeats like records, the idle rule, and never backwards.
 */
class EventTimePolicyTest {
  private static final Instant T0 = Instant.parse("2024-05-07T12:00:00Z");
  private static final Duration SLACK = Duration.standardSeconds(5);
  private static final Duration IDLE_AFTER = Duration.standardSeconds(10);

  /** A clock the test moves. */
  private static final class TestClock implements EventTimePolicy.Clock {
    private static final long serialVersionUID = 1L;
    Instant now = Instant.parse("2030-01-01T00:00:00Z");

    @Override
    public Instant now() {
      return now;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }
  }

  private static PartitionContext backlog(long records, Instant checkedAt) {
    return new PartitionContext() {
      @Override
      public long getMessageBacklog() {
        return records;
      }

      @Override
      public Instant getBacklogCheckTime() {
        return checkedAt;
      }
    };
  }

  private static KafkaRecord<String, byte[]> record(Instant time, boolean heartbeat) {
    return new KafkaRecord<>(
        "coincap.trades",
        0,
        7,
        time.getMillis(),
        KafkaTimestampType.CREATE_TIME,
        heartbeat ? WatermarkHeartbeats.headers(time.getMillis()) : new RecordHeaders(),
        "k",
        (heartbeat ? "" : "{}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private final TestClock clock = new TestClock();
  private final EventTimePolicy policy =
      new EventTimePolicy(SLACK, IDLE_AFTER, clock, Optional.empty());

  private PartitionContext busy() {
    return backlog(100, clock.now());
  }

  private PartitionContext caughtUp() {
    return backlog(0, clock.now());
  }

  @Test
  void recordsAreStampedWithTheirKafkaTimeAndTheWatermarkTrailsTheNewestBySlack() {
    assertEquals(BoundedWindow.TIMESTAMP_MIN_VALUE, policy.getWatermark(busy()));
    assertEquals(T0, policy.getTimestampForRecord(busy(), record(T0, false)));
    assertEquals(T0.minus(SLACK), policy.getWatermark(busy()));
    Instant later = T0.plus(Duration.standardSeconds(30));
    policy.getTimestampForRecord(busy(), record(later, false));
    // An older record is stamped with its own time but does not move the watermark back.
    assertEquals(T0, policy.getTimestampForRecord(busy(), record(T0, false)));
    assertEquals(later.minus(SLACK), policy.getWatermark(busy()));
  }

  @Test
  void aHeartbeatAdvancesTheWatermarkLikeARecord() {
    policy.getTimestampForRecord(busy(), record(T0, false));
    Instant beat = T0.plus(Duration.standardHours(1));
    assertEquals(beat, policy.getTimestampForRecord(busy(), record(beat, true)));
    assertEquals(beat.minus(SLACK), policy.getWatermark(busy()));
  }

  @Test
  void anIdlePartitionMovesOnWithTheClockFromWhereItStood() {
    policy.getTimestampForRecord(caughtUp(), record(T0, false));
    clock.advance(Duration.standardSeconds(9));
    assertEquals(T0.minus(SLACK), policy.getWatermark(caughtUp()), "not idle yet");
    clock.advance(Duration.standardSeconds(1));
    assertEquals(T0.minus(SLACK), policy.getWatermark(caughtUp()), "idle from now on");
    clock.advance(Duration.standardSeconds(20));
    assertEquals(
        T0.minus(SLACK).plus(Duration.standardSeconds(20)), policy.getWatermark(caughtUp()));
    // Asking again without the clock moving changes nothing (no compounding).
    assertEquals(
        T0.minus(SLACK).plus(Duration.standardSeconds(20)), policy.getWatermark(caughtUp()));
  }

  @Test
  void aPartitionWithBacklogIsNotIdleHoweverLongItWaits() {
    policy.getTimestampForRecord(busy(), record(T0, false));
    clock.advance(Duration.standardMinutes(10));
    assertEquals(T0.minus(SLACK), policy.getWatermark(busy()));
  }

  @Test
  void theWatermarkNeverGoesBackWhenARecordEndsTheIdleSpell() {
    policy.getTimestampForRecord(caughtUp(), record(T0, false));
    clock.advance(Duration.standardSeconds(70));
    Instant idle = T0.minus(SLACK).plus(Duration.standardSeconds(60));
    assertEquals(idle, policy.getWatermark(caughtUp()));
    // A record older than the idle watermark arrives: it is late, the watermark stays.
    policy.getTimestampForRecord(caughtUp(), record(T0.plus(Duration.standardSeconds(1)), false));
    assertEquals(idle, policy.getWatermark(caughtUp()));
  }

  @Test
  void aZeroBacklogCheckedBeforeTheQuietSpellIsNotIdleness() {
    // The runner stopped polling (Spark between micro-batches): the last backlog check, zero, was
    // made when the record arrived. Records may be waiting since; the partition is not idle.
    Instant checkedAtArrival = clock.now();
    policy.getTimestampForRecord(backlog(0, checkedAtArrival), record(T0, false));
    clock.advance(Duration.standardMinutes(5));
    assertEquals(T0.minus(SLACK), policy.getWatermark(backlog(0, checkedAtArrival)));
    // A check made after the quiet spell began that still finds nothing: now it is idle.
    assertEquals(
        T0.minus(SLACK).plus(Duration.standardMinutes(5)).minus(IDLE_AFTER),
        policy.getWatermark(caughtUp()));
  }

  @Test
  void anEmptyPartitionFollowsTheClockOnceIdle() {
    assertEquals(BoundedWindow.TIMESTAMP_MIN_VALUE, policy.getWatermark(caughtUp()));
    clock.advance(IDLE_AFTER);
    assertEquals(clock.now().minus(SLACK), policy.getWatermark(caughtUp()));
  }

  @Test
  void aRestoredPartitionStartsFromItsCheckpointedWatermark() {
    Instant restored = T0.plus(Duration.standardMinutes(3));
    EventTimePolicy resumed = new EventTimePolicy(SLACK, IDLE_AFTER, clock, Optional.of(restored));
    assertEquals(restored, resumed.getWatermark(busy()));
    resumed.getTimestampForRecord(busy(), record(T0, false));
    assertEquals(restored, resumed.getWatermark(busy()), "an older record does not move it back");
    clock.advance(Duration.standardSeconds(15));
    assertEquals(restored.plus(Duration.standardSeconds(5)), resumed.getWatermark(caughtUp()));
  }
}

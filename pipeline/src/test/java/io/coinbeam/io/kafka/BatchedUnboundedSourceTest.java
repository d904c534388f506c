package io.coinbeam.io.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.testing.BeamPipelineExtension;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Batches hold what the wrapped reader has without waiting, at most the limit, each record at its
 * own timestamp; watermark and checkpoints stay the wrapped reader's, and the Direct runner reads
 * every record exactly once through it.
 */
class BatchedUnboundedSourceTest {
  @RegisterExtension final BeamPipelineExtension beam = new BeamPipelineExtension();

  private static final PipelineOptions OPTIONS = PipelineOptionsFactory.create();

  /** A time limit no test reaches: only the count ends a batch. */
  private static final Duration NO_WAIT_LIMIT = Duration.ofMinutes(5);

  /**
   * "a@5" is record a at 5 ms; "|" is a moment where the reader has nothing to hand over; "~a@5" is
   * a record the reader takes 60 ms to hand over.
   */
  private static final List<String> SCRIPT =
      List.of("a@5", "b@3", "c@9", "d@1", "e@4", "|", "|", "f@7");

  @Test
  void aBatchIsWhatTheReaderHoldsUpToTheLimitAtItsEarliestTimestamp() throws Exception {
    UnboundedSource.UnboundedReader<List<TimestampedValue<String>>> reader =
        BatchedUnboundedSource.of(new ScriptedSource(SCRIPT), 3, NO_WAIT_LIMIT)
            .createReader(OPTIONS, null);

    assertTrue(reader.start());
    assertEquals(records("a@5", "b@3", "c@9"), reader.getCurrent());
    assertEquals(new Instant(3), reader.getCurrentTimestamp());
    // The wrapped reader's own watermark and position: three records consumed.
    assertEquals(new Instant(3), reader.getWatermark());
    assertEquals(3, ((Position) reader.getCheckpointMark()).next());

    // The reader runs dry after e: a shorter batch, then nothing (current is gone), then f.
    assertTrue(reader.advance());
    assertEquals(records("d@1", "e@4"), reader.getCurrent());
    assertEquals(new Instant(1), reader.getCurrentTimestamp());
    assertFalse(reader.advance());
    assertThrows(NoSuchElementException.class, reader::getCurrent);
    assertThrows(NoSuchElementException.class, reader::getCurrentTimestamp);
    assertTrue(reader.advance());
    assertEquals(records("f@7"), reader.getCurrent());
    assertEquals(new Instant(7), reader.getCurrentTimestamp());
    assertFalse(reader.advance());
    assertEquals(BoundedWindow.TIMESTAMP_MAX_VALUE, reader.getWatermark());
  }

  @Test
  void aBatchTakesNoMoreRecordsOnceItsTimeIsUp() throws Exception {
    // "~" makes the reader take 60 ms to hand that record over: a steady trickle of records.
    UnboundedSource.UnboundedReader<List<TimestampedValue<String>>> reader =
        BatchedUnboundedSource.of(
                new ScriptedSource(List.of("a@1", "b@2", "~c@3", "d@4", "e@5")),
                100,
                Duration.ofMillis(30))
            .createReader(OPTIONS, null);
    assertTrue(reader.start());
    // c was already handed over when the time ran out: it ends this batch, d starts the next.
    assertEquals(records("a@1", "b@2", "c@3"), reader.getCurrent());
    assertTrue(reader.advance());
    assertEquals(records("d@4", "e@5"), reader.getCurrent());
    assertThrows(
        IllegalArgumentException.class,
        () -> BatchedUnboundedSource.of(new ScriptedSource(SCRIPT), 3, Duration.ofMillis(-1)));
  }

  @Test
  void aReaderRestoredFromACheckpointGoesOnAfterTheLastBatch() throws Exception {
    BatchedUnboundedSource<String, Position> source =
        BatchedUnboundedSource.of(new ScriptedSource(SCRIPT), 3, NO_WAIT_LIMIT);
    UnboundedSource.UnboundedReader<List<TimestampedValue<String>>> first =
        source.createReader(OPTIONS, null);
    first.start();
    Position mark =
        CoderUtils.clone(source.getCheckpointMarkCoder(), (Position) first.getCheckpointMark());

    UnboundedSource.UnboundedReader<List<TimestampedValue<String>>> restored =
        source.createReader(OPTIONS, mark);
    assertTrue(restored.start());
    assertEquals(records("d@1", "e@4"), restored.getCurrent());
  }

  @Test
  void aLimitOfOneIsOneRecordPerBatch() throws Exception {
    UnboundedSource.UnboundedReader<List<TimestampedValue<String>>> reader =
        BatchedUnboundedSource.of(new ScriptedSource(List.of("x@2", "y@1")), 1, NO_WAIT_LIMIT)
            .createReader(OPTIONS, null);
    assertTrue(reader.start());
    assertEquals(records("x@2"), reader.getCurrent());
    assertTrue(reader.advance());
    assertEquals(records("y@1"), reader.getCurrent());
    assertFalse(reader.advance());
  }

  @Test
  void splitsAreTheWrappedSourcesSplitsEachBatched() throws Exception {
    ScriptedSource whole =
        new ScriptedSource(List.of("a@1", "b@2"), List.of(List.of("a@1"), List.of("b@2")));
    List<BatchedUnboundedSource<String, Position>> splits =
        BatchedUnboundedSource.of(whole, 10, NO_WAIT_LIMIT).split(2, OPTIONS);
    assertEquals(2, splits.size());
    List<List<TimestampedValue<String>>> read = new ArrayList<>();
    for (BatchedUnboundedSource<String, Position> split : splits) {
      UnboundedSource.UnboundedReader<List<TimestampedValue<String>>> reader =
          split.createReader(OPTIONS, null);
      assertTrue(reader.start());
      read.add(reader.getCurrent());
      assertEquals(split, reader.getCurrentSource());
    }
    assertEquals(List.of(records("a@1"), records("b@2")), read);
  }

  @Test
  void batchesSurviveTheirCoder() throws Exception {
    Coder<List<TimestampedValue<String>>> coder =
        BatchedUnboundedSource.of(new ScriptedSource(SCRIPT), 3, NO_WAIT_LIMIT).getOutputCoder();
    List<TimestampedValue<String>> batch = records("a@5", "b@3");
    assertEquals(batch, CoderUtils.clone(coder, batch));
  }

  @Test
  void sourcesThatDeduplicateByRecordIdAndEmptyBatchesAreRefused() {
    ScriptedSource deduping =
        new ScriptedSource(SCRIPT, List.of()) {
          @Override
          public boolean requiresDeduping() {
            return true;
          }
        };
    assertThrows(
        IllegalArgumentException.class,
        () -> BatchedUnboundedSource.of(deduping, 3, NO_WAIT_LIMIT));
    assertThrows(
        IllegalArgumentException.class,
        () -> BatchedUnboundedSource.of(new ScriptedSource(SCRIPT), 0, NO_WAIT_LIMIT));
  }

  @Test
  void theDirectRunnerReadsEveryRecordOnceAtItsOwnTimestamp() {
    List<String> script = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      long millis = 1_000L + (i * 7919L) % 500; // out of order on purpose
      script.add("r" + i + "@" + millis);
      expected.add("r" + i + "@" + millis);
      if (i % 13 == 0) {
        script.add("|");
      }
    }
    PCollection<String> read =
        beam.pipeline()
            .apply(
                Read.from(BatchedUnboundedSource.of(new ScriptedSource(script), 4, NO_WAIT_LIMIT)))
            .apply(ParDo.of(new UnpackFn()));
    PAssert.that(read).containsInAnyOrder(expected);
    beam.pipeline().run().waitUntilFinish();
  }

  /** Each record of a batch as "name@timestamp", with the timestamp it travels at. */
  private static final class UnpackFn extends DoFn<List<TimestampedValue<String>>, String> {
    @ProcessElement
    public void process(@Element List<TimestampedValue<String>> batch, OutputReceiver<String> out) {
      for (TimestampedValue<String> record : batch) {
        out.outputWithTimestamp(
            record.getValue().split("@")[0] + "@" + record.getTimestamp().getMillis(),
            record.getTimestamp());
      }
    }
  }

  private static List<TimestampedValue<String>> records(String... script) {
    List<TimestampedValue<String>> records = new ArrayList<>();
    for (String entry : script) {
      records.add(TimestampedValue.of(entry, timestampOf(entry)));
    }
    return records;
  }

  private static Instant timestampOf(String entry) {
    return new Instant(Long.parseLong(entry.substring(entry.indexOf('@') + 1)));
  }

  /** How far a scripted reader has gone: the script position of its next step. */
  record Position(int next) implements UnboundedSource.CheckpointMark, Serializable {
    @Override
    public void finalizeCheckpoint() {}
  }

  /**
   * A source reading a script: a record per entry, {@code advance()} false once per "|". Its
   * watermark is the number of records consumed (in ms), the maximum once the script is done.
   */
  private static class ScriptedSource extends UnboundedSource<String, Position> {
    private static final long serialVersionUID = 1L;
    private final List<String> script;
    private final List<List<String>> splits;

    ScriptedSource(List<String> script) {
      this(script, List.of());
    }

    ScriptedSource(List<String> script, List<List<String>> splits) {
      this.script = List.copyOf(script);
      this.splits = List.copyOf(splits);
    }

    @Override
    public List<ScriptedSource> split(int desiredNumSplits, PipelineOptions options) {
      if (splits.isEmpty()) {
        return List.of(this);
      }
      return splits.stream().map(ScriptedSource::new).toList();
    }

    @Override
    public UnboundedReader<String> createReader(PipelineOptions options, Position mark) {
      return new ScriptedReader(this, mark == null ? 0 : mark.next());
    }

    @Override
    public Coder<Position> getCheckpointMarkCoder() {
      return SerializableCoder.of(Position.class);
    }

    @Override
    public Coder<String> getOutputCoder() {
      return StringUtf8Coder.of();
    }
  }

  private static final class ScriptedReader extends UnboundedSource.UnboundedReader<String> {
    private final ScriptedSource source;
    private int next;
    private String current;

    ScriptedReader(ScriptedSource source, int next) {
      this.source = source;
      this.next = next;
    }

    @Override
    public boolean start() {
      return advance();
    }

    @Override
    public boolean advance() {
      current = next < source.script.size() ? source.script.get(next++) : null;
      if ("|".equals(current)) {
        current = null;
      } else if (current != null && current.startsWith("~")) {
        current = current.substring(1);
        try {
          Thread.sleep(60);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      return current != null;
    }

    @Override
    public String getCurrent() {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return current;
    }

    @Override
    public Instant getCurrentTimestamp() {
      return timestampOf(getCurrent());
    }

    @Override
    public Instant getWatermark() {
      if (next >= source.script.size()) {
        return BoundedWindow.TIMESTAMP_MAX_VALUE;
      }
      long consumed = source.script.subList(0, next).stream().filter(s -> !s.equals("|")).count();
      return new Instant(consumed);
    }

    @Override
    public UnboundedSource.CheckpointMark getCheckpointMark() {
      return new Position(next);
    }

    @Override
    public UnboundedSource<String, ?> getCurrentSource() {
      return source;
    }

    @Override
    public void close() {}
  }
}

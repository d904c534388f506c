package io.coinbeam.io.files;

import io.coinbeam.capture.CaptureRecords;
import io.coinbeam.capture.ChunkReader;
import io.coinbeam.capture.LimitedInputStream;
import io.coinbeam.coders.RecordCoder;
import io.coinbeam.model.RawRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Capture files into raw records, split as {@link CaptureRecords} splits them (NDJSON or whole JSON
 * documents); {@code .gz} and other compressions are recognised by their extension. Large NDJSON
 * files are read in ranges of whole lines, spread over the workers.
 */
public final class ReadCaptureFiles extends PTransform<PBegin, PCollection<RawRecord>> {
  private static final long serialVersionUID = 1L;

  /** About how much of a large NDJSON file one worker reads at a time ({@link PlanRangesFn}). */
  static final long RANGE_BYTES = 32L << 20;

  private final String filePattern;
  private final long rangeBytes;

  private ReadCaptureFiles(String filePattern, long rangeBytes) {
    this.filePattern = filePattern;
    this.rangeBytes = rangeBytes;
  }

  /** Reads every file matching {@code filePattern} (a path or a glob). */
  public static ReadCaptureFiles from(String filePattern) {
    return new ReadCaptureFiles(filePattern, RANGE_BYTES);
  }

  /** This transform with another range size, for tests that cut small files into pieces. */
  ReadCaptureFiles withRangeBytes(long bytes) {
    return new ReadCaptureFiles(filePattern, bytes);
  }

  @Override
  public PCollection<RawRecord> expand(PBegin input) {
    return input
        .apply("Ranges", ranges())
        .apply("SplitIntoRecords", ParDo.of(new SplitRecordsFn()))
        .setCoder(RecordCoder.of(RawRecord.class));
  }

  /**
   * The files as ranges of whole lines spread over the workers, for steps that read each range
   * where they consume its records ({@link #reader()}).
   */
  public PTransform<PBegin, PCollection<FileRange>> ranges() {
    String pattern = filePattern;
    long bytes = rangeBytes;
    return new PTransform<>() {
      @Override
      public PCollection<FileRange> expand(PBegin input) {
        return plan(input, pattern, bytes);
      }
    };
  }

  private static PCollection<FileRange> plan(PBegin input, String filePattern, long rangeBytes) {
    return input
        .apply(
            "MatchFiles",
            FileIO.match()
                .filepattern(filePattern)
                .withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW_IF_WILDCARD))
        .apply("OpenFiles", FileIO.readMatches().withCompression(Compression.AUTO))
        .apply("PlanRanges", ParDo.of(new PlanRangesFn(rangeBytes)))
        .setCoder(RecordCoder.of(FileRange.class))
        // Pieces of one big file go to every worker, not only to the one that planned them.
        .apply("SpreadRanges", Reshuffle.viaRandomKey());
  }

  /** The records of each range, for steps that read them where they consume them. */
  public static ChunkReader<FileRange> reader() {
    return new RangeReader();
  }

  /**
   * Cuts each large uncompressed NDJSON file into ranges of whole lines of about {@code
   * rangeBytes}, counting lines on the way so that every range knows its first line's number.
   * Everything else (compressed files, which cannot be entered in the middle; documents; files that
   * do not start with a whole JSON value on their first line; small files) is one range.
   *
   * <p>Why: a worker reads a range in one call, and the Spark runner holds all the records of one
   * call in memory, as the Direct runner holds a whole bundle; reading whole files made memory grow
   * with the size of the largest file (the Spark runner ran out of a 2 GB heap on 1e7 trades in
   * four files; the Direct runner, which keeps every bundle, still does). Ranges also let every
   * core read and parse when there are fewer files than cores.
   */
  static final class PlanRangesFn extends DoFn<FileIO.ReadableFile, FileRange> {
    private static final long serialVersionUID = 1L;
    private final long rangeBytes;

    PlanRangesFn(long rangeBytes) {
      this.rangeBytes = rangeBytes;
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, OutputReceiver<FileRange> out) {
      String path = file.getMetadata().resourceId().toString();
      long modified;
      try {
        modified = RangeReader.modifiedMillis(file);
      } catch (IOException e) {
        modified = System.currentTimeMillis(); // the reader meets the problem again and says so
      }
      long size = file.getMetadata().sizeBytes();
      if (file.getCompression() != Compression.UNCOMPRESSED || size < 2 * rangeBytes) {
        out.output(FileRange.whole(path, modified));
        return;
      }
      try (InputStream in =
          Channels.newInputStream(FileSystems.open(file.getMetadata().resourceId()))) {
        plan(in, path, modified, evenRangeBytes(size, rangeBytes)).forEach(out::output);
      } catch (IOException e) {
        out.output(FileRange.whole(path, modified));
      }
    }

    /**
     * About {@code rangeBytes}, adjusted so that a file of {@code size} bytes cuts into ranges of
     * (nearly) equal size: a last range of half again the size kept one worker busy while the
     * others waited.
     */
    static long evenRangeBytes(long size, long rangeBytes) {
      long pieces = Math.max(1, Math.round((double) size / rangeBytes));
      return (size + pieces - 1) / pieces;
    }

    /** The ranges of one file's bytes; one whole range unless its first line is a JSON value. */
    static java.util.List<FileRange> plan(
        InputStream in, String path, long modified, long rangeBytes) throws IOException {
      java.util.List<FileRange> ranges = new java.util.ArrayList<>();
      java.io.ByteArrayOutputStream firstLine = new java.io.ByteArrayOutputStream();
      boolean firstLineDone = false;
      byte[] buffer = new byte[1 << 20];
      long position = 0;
      long rangeStart = 0;
      int lines = 0;
      int rangeFirstLine = 1;
      int n;
      while ((n = in.read(buffer)) > 0) {
        if (!firstLineDone) {
          int end = indexOfLineBreak(buffer, 0, n);
          if (end >= 0) {
            // A first line longer than the buffer is no NDJSON anyone writes: left empty, whole.
            if (position == 0) {
              firstLine.write(buffer, 0, end);
            }
            firstLineDone = true;
          }
        }
        int i = 0;
        while (i < n) {
          // The first line break at or after this offset ends the range; the ones before it are
          // only counted, eight bytes at a time (a whole pass over every large file is planned).
          long cutFrom = rangeStart + rangeBytes - 1;
          int countTo = (int) Math.min(n, Math.max(i, cutFrom - position));
          lines += countLineBreaks(buffer, i, countTo);
          int cut = indexOfLineBreak(buffer, countTo, n);
          if (cut < 0) {
            break;
          }
          lines++;
          long next = position + cut + 1;
          ranges.add(new FileRange(path, rangeStart, next, rangeFirstLine, modified));
          rangeStart = next;
          rangeFirstLine = lines + 1;
          i = cut + 1;
        }
        position += n;
      }
      if (!firstLineDone || !startsWithAValue(firstLine.toByteArray())) {
        return java.util.List.of(FileRange.whole(path, modified));
      }
      if (rangeStart < position || ranges.isEmpty()) {
        ranges.add(new FileRange(path, rangeStart, -1, rangeFirstLine, modified));
      }
      return ranges;
    }

    private static final java.lang.invoke.VarHandle LONGS =
        java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long LOW_SEVEN = 0x7F7F7F7F7F7F7F7FL;

    /** The number of {@code '\n'} in {@code bytes[from, to)}. */
    static int countLineBreaks(byte[] bytes, int from, int to) {
      int count = 0;
      int i = from;
      for (; i + Long.BYTES <= to; i += Long.BYTES) {
        // Bytes equal to '\n' become zero; each zero byte then gets its high bit set, exactly
        // (no borrow from one byte into the next, unlike the shorter subtract-one test).
        long x = (long) LONGS.get(bytes, i) ^ ('\n' * ONES);
        long zeros = ~(((x & LOW_SEVEN) + LOW_SEVEN) | x | LOW_SEVEN);
        count += Long.bitCount(zeros);
      }
      for (; i < to; i++) {
        if (bytes[i] == '\n') {
          count++;
        }
      }
      return count;
    }

    private static int indexOfLineBreak(byte[] bytes, int from, int to) {
      for (int i = from; i < to; i++) {
        if (bytes[i] == '\n') {
          return i;
        }
      }
      return -1;
    }

    private static boolean startsWithAValue(byte[] line) {
      try {
        String text =
            java.nio.charset.StandardCharsets.UTF_8
                .newDecoder()
                .decode(java.nio.ByteBuffer.wrap(line))
                .toString();
        text = text.startsWith("\uFEFF") ? text.substring(1) : text;
        return !text.isBlank() && CaptureRecords.classify(text) == CaptureRecords.LineKind.COMPLETE;
      } catch (java.nio.charset.CharacterCodingException e) {
        return false;
      }
    }
  }

  /** Splits each range into records, as a step of its own. */
  static final class SplitRecordsFn extends DoFn<FileRange, RawRecord> {
    private static final long serialVersionUID = 1L;
    private final RangeReader reader = new RangeReader();

    @ProcessElement
    public void process(@Element FileRange range, OutputReceiver<RawRecord> out) {
      reader.read(range, out::output);
    }
  }

  /** Reads one range of a file, streaming NDJSON line by line and documents value by value. */
  static final class RangeReader implements ChunkReader<FileRange> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ReadCaptureFiles.class);
    private static final long PROGRESS_EVERY = 1_000_000;

    @Override
    public void read(FileRange range, java.util.function.Consumer<RawRecord> out) {
      String path = range.path();
      InputStream bytes;
      try {
        bytes = open(range);
      } catch (IOException e) {
        out.accept(
            RawRecord.unreadable(
                path, "", System.currentTimeMillis(), "the file could not be opened: " + e));
        return;
      }
      long[] count = {0};
      java.util.function.Consumer<RawRecord> emit =
          record -> {
            out.accept(record);
            if (++count[0] % PROGRESS_EVERY == 0) {
              LOG.info("{}: {} records so far", path, String.format("%,d", count[0]));
            }
          };
      try (InputStream in = bytes) {
        if (range.atStart()) {
          CaptureRecords.split(in, path, range.modifiedMillis(), emit);
        } else {
          CaptureRecords.splitLines(in, path, range.firstLine(), range.modifiedMillis(), emit);
        }
      } catch (IOException e) {
        LOG.warn("{}: could not be closed: {}", path, e.toString());
      }
      if (count[0] >= PROGRESS_EVERY) {
        LOG.info("{}: {} records, done", path, String.format("%,d", count[0]));
      }
    }

    /** The range's bytes: decompressed for a whole file, from its start to its end otherwise. */
    static InputStream open(FileRange range) throws IOException {
      ResourceId file = FileSystems.matchNewResource(range.path(), false);
      ReadableByteChannel channel = FileSystems.open(file);
      if (range.atStart() && range.end() < 0) {
        return Channels.newInputStream(Compression.detect(range.path()).readDecompressed(channel));
      }
      boolean seekable = channel instanceof SeekableByteChannel;
      if (seekable) {
        ((SeekableByteChannel) channel).position(range.start());
      }
      InputStream in = Channels.newInputStream(channel);
      if (!seekable) {
        in.skipNBytes(range.start());
      }
      return range.end() < 0 ? in : new LimitedInputStream(in, range.end() - range.start());
    }

    /**
     * The file's modification time. FileIO's metadata coder drops it on its way between steps, so
     * it is asked of the file system again here; a file system that does not know gives "now".
     */
    private static long modifiedMillis(FileIO.ReadableFile file) throws IOException {
      long modified = file.getMetadata().lastModifiedMillis();
      if (modified <= 0) {
        modified =
            FileSystems.matchSingleFileSpec(file.getMetadata().resourceId().toString())
                .lastModifiedMillis();
      }
      return modified > 0 ? modified : System.currentTimeMillis();
    }
  }
}

package io.coinbeam.io.files;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coinbeam.coders.RecordCoder;
import io.coinbeam.model.RawRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
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
 * Capture files into raw records, whichever way they were saved: NDJSON (one record per line, as
 * the ingester archives and the trades socket sends) or whole JSON documents (a REST response as
 * {@code curl} saves it, pretty or compact). {@code .gz} and other compressions are recognised by
 * their extension. Each record remembers its file and line for dead letters.
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

  /**
   * Splits one capture file's text into records exactly as this transform does, for tools that read
   * captures outside a pipeline (the replay tool publishes them to Kafka).
   *
   * @param source the file's name, the prefix of each record's {@code file:line} source
   */
  public static void splitRecords(
      BufferedReader reader,
      String source,
      long modifiedMillis,
      java.util.function.Consumer<RawRecord> out)
      throws IOException {
    SplitRecordsFn.split(CaptureLines.of(reader), source, modifiedMillis, out);
  }

  /**
   * {@link #splitRecords(BufferedReader, String, long, java.util.function.Consumer)} over the
   * file's bytes, as the pipeline reads them: a line that is not UTF-8 and a file that breaks off
   * become unreadable records ({@link RawRecord#readError()}), never an exception.
   */
  public static void splitRecords(
      InputStream bytes,
      String source,
      long modifiedMillis,
      java.util.function.Consumer<RawRecord> out) {
    SplitRecordsFn.splitBytes(bytes, source, modifiedMillis, out);
  }

  /** This transform with another range size, for tests that cut small files into pieces. */
  ReadCaptureFiles withRangeBytes(long bytes) {
    return new ReadCaptureFiles(filePattern, bytes);
  }

  @Override
  public PCollection<RawRecord> expand(PBegin input) {
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
        .apply("SpreadRanges", Reshuffle.viaRandomKey())
        .apply("SplitIntoRecords", ParDo.of(new SplitRecordsFn()))
        .setCoder(RecordCoder.of(RawRecord.class));
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
        modified = SplitRecordsFn.modifiedMillis(file);
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
        plan(in, path, modified, rangeBytes).forEach(out::output);
      } catch (IOException e) {
        out.output(FileRange.whole(path, modified));
      }
    }

    /** The ranges of one file's bytes; one whole range unless its first line is a JSON value. */
    static java.util.List<FileRange> plan(
        InputStream in, String path, long modified, long rangeBytes) throws IOException {
      java.util.List<FileRange> ranges = new java.util.ArrayList<>();
      java.io.ByteArrayOutputStream firstLine = new java.io.ByteArrayOutputStream();
      boolean firstLineDone = false;
      byte[] buffer = new byte[1 << 16];
      long position = 0;
      long rangeStart = 0;
      int lines = 0;
      int rangeFirstLine = 1;
      int n;
      while ((n = in.read(buffer)) > 0) {
        for (int i = 0; i < n; i++) {
          if (buffer[i] != '\n') {
            continue;
          }
          lines++;
          long next = position + i + 1;
          if (!firstLineDone) {
            // A first line longer than the buffer is no NDJSON anyone writes: left empty, whole.
            if (position == 0) {
              firstLine.write(buffer, 0, i);
            }
            firstLineDone = true;
          }
          if (next - rangeStart >= rangeBytes) {
            ranges.add(new FileRange(path, rangeStart, next, rangeFirstLine, modified));
            rangeStart = next;
            rangeFirstLine = lines + 1;
          }
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

    private static boolean startsWithAValue(byte[] line) {
      try {
        String text =
            java.nio.charset.StandardCharsets.UTF_8
                .newDecoder()
                .decode(java.nio.ByteBuffer.wrap(line))
                .toString();
        text = text.startsWith("\uFEFF") ? text.substring(1) : text;
        return !text.isBlank() && SplitRecordsFn.classify(text) == SplitRecordsFn.LineKind.COMPLETE;
      } catch (java.nio.charset.CharacterCodingException e) {
        return false;
      }
    }
  }

  /** Reads one range of a file, streaming NDJSON line by line and documents value by value. */
  static final class SplitRecordsFn extends DoFn<FileRange, RawRecord> {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(ReadCaptureFiles.class);
    private static final long PROGRESS_EVERY = 1_000_000;

    @ProcessElement
    public void process(@Element FileRange range, OutputReceiver<RawRecord> out) {
      String path = range.path();
      InputStream bytes;
      try {
        bytes = open(range);
      } catch (IOException e) {
        out.output(
            RawRecord.unreadable(
                path, "", System.currentTimeMillis(), "the file could not be opened: " + e));
        return;
      }
      long[] count = {0};
      java.util.function.Consumer<RawRecord> emit =
          record -> {
            out.output(record);
            if (++count[0] % PROGRESS_EVERY == 0) {
              LOG.info("{}: {} records so far", path, String.format("%,d", count[0]));
            }
          };
      try (InputStream in = bytes) {
        if (range.atStart()) {
          splitBytes(in, path, range.modifiedMillis(), emit);
        } else {
          splitLines(in, path, range.firstLine(), range.modifiedMillis(), emit);
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
     * The lines of a range that starts after the file's first line, numbered from {@code
     * firstLine}; a range that breaks off ends as a whole file does.
     */
    static void splitLines(
        InputStream bytes,
        String path,
        int firstLine,
        long modified,
        java.util.function.Consumer<RawRecord> out) {
      CaptureLines lines = CaptureLines.of(bytes);
      try {
        emitLines(lines, path, firstLine - 1, modified, out);
      } catch (IOException e) {
        out.accept(breaksOff(lines, firstLine - 1, path, modified, e));
      }
    }

    private static RawRecord breaksOff(
        CaptureLines lines, int before, String path, long modified, IOException e) {
      int whole = before + lines.linesRead();
      return RawRecord.unreadable(
          path + ":" + (whole + 1),
          lines.unfinished(),
          modified,
          "the file breaks off after line "
              + whole
              + " ("
              + e
              + "): damaged or truncated; what came before was read, the rest is lost");
    }

    /**
     * Splits a file's bytes; a file that breaks off (a truncated or damaged {@code .gz}, a read
     * error) ends with one unreadable record that names the place: the records before it stand.
     */
    static void splitBytes(
        InputStream bytes, String path, long modified, java.util.function.Consumer<RawRecord> out) {
      CaptureLines lines = CaptureLines.of(bytes);
      try {
        split(lines, path, modified, out);
      } catch (IOException e) {
        out.accept(breaksOff(lines, 0, path, modified, e));
      }
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

    /**
     * Emits the records of one file; package-private so tests can feed it text directly.
     *
     * <p>The file is NDJSON unless its first non-blank line is an unfinished JSON value (such as
     * {@code {} or {@code {"timestamp": 1,}) that the next non-blank line does not stand beside as
     * a value of its own: then it is a document spread over lines. So a pretty-printed response is
     * read whole, and an NDJSON file whose first line was cut off still yields its other lines. A
     * line that is not UTF-8 is an unreadable record of its own in NDJSON; in a document it makes
     * the document unreadable.
     */
    /** {@link #split(CaptureLines, String, long, java.util.function.Consumer)} of decoded text. */
    static void split(
        BufferedReader reader,
        String path,
        long modified,
        java.util.function.Consumer<RawRecord> out)
        throws IOException {
      split(CaptureLines.of(reader), path, modified, out);
    }

    static void split(
        CaptureLines lines, String path, long modified, java.util.function.Consumer<RawRecord> out)
        throws IOException {
      int lineNumber = 0;
      String first = null;
      int firstNumber = 0;
      StringBuilder pending = new StringBuilder();
      CaptureLines.Line line;
      while ((line = lines.next()) != null) {
        lineNumber++;
        String text = line.text();
        text = lineNumber == 1 && text.startsWith("\uFEFF") ? text.substring(1) : text; // BOM
        if (line.decodeError() != null) {
          if (first == null) {
            out.accept(
                RawRecord.unreadable(path + ":" + lineNumber, text, modified, line.decodeError()));
            continue;
          }
          emitDocument(
              first + "\n" + pending + text,
              lines,
              path,
              firstNumber,
              modified,
              out,
              "line " + lineNumber + " is " + line.decodeError());
          return;
        }
        if (text.isBlank()) {
          if (first != null) {
            pending.append('\n');
          }
          continue;
        }
        if (first == null) {
          LineKind kind = classify(text);
          if (kind == LineKind.SEVERAL) {
            // Values written back to back ({...}{...}): read the file as a sequence of documents.
            emitDocument(text, lines, path, lineNumber, modified, out, null);
            return;
          }
          if (kind != LineKind.UNFINISHED) {
            out.accept(new RawRecord(path + ":" + lineNumber, text, modified));
            emitLines(lines, path, lineNumber, modified, out);
            return;
          }
          first = text;
          firstNumber = lineNumber;
          continue;
        }
        if (classify(text) == LineKind.COMPLETE) {
          // The first line was a value cut short, not the start of a document.
          out.accept(new RawRecord(path + ":" + firstNumber, first, modified));
          out.accept(new RawRecord(path + ":" + lineNumber, text, modified));
          emitLines(lines, path, lineNumber, modified, out);
          return;
        }
        emitDocument(first + "\n" + pending + text, lines, path, firstNumber, modified, out, null);
        return;
      }
      if (first != null) {
        out.accept(new RawRecord(path + ":" + firstNumber, first, modified)); // a lone broken line
      }
    }

    /**
     * {@code head}, a line break and the rest of the file, read as a sequence of documents; one
     * unreadable record when the text is not UTF-8 ({@code headError} or in the rest).
     */
    private static void emitDocument(
        String head,
        CaptureLines lines,
        String path,
        int firstLine,
        long modified,
        java.util.function.Consumer<RawRecord> out,
        String headError)
        throws IOException {
      CaptureLines.Line rest = lines.rest();
      String text = head + "\n" + rest.text();
      String error = headError != null ? headError : rest.decodeError();
      if (error != null) {
        out.accept(
            RawRecord.unreadable(
                path + ":" + firstLine, text, modified, "a document that is not UTF-8: " + error));
        return;
      }
      splitDocuments(text, path, firstLine, modified, out);
    }

    /** NDJSON: every further non-blank line is a record of its own. */
    private static void emitLines(
        CaptureLines lines,
        String path,
        int lineNumber,
        long modified,
        java.util.function.Consumer<RawRecord> out)
        throws IOException {
      CaptureLines.Line line;
      while ((line = lines.next()) != null) {
        lineNumber++;
        if (line.decodeError() != null) {
          out.accept(
              RawRecord.unreadable(
                  path + ":" + lineNumber, line.text(), modified, line.decodeError()));
        } else if (!line.text().isBlank()) {
          out.accept(new RawRecord(path + ":" + lineNumber, line.text(), modified));
        }
      }
    }

    enum LineKind {
      /** One whole JSON value. */
      COMPLETE,
      /** Several whole values back to back. */
      SEVERAL,
      /** A value that the end of the line cuts short. */
      UNFINISHED,
      /** Not JSON. */
      INVALID
    }

    static LineKind classify(String line) {
      try (JsonParser parser = JSON.getFactory().createParser(line)) {
        if (parser.nextToken() == null) {
          return LineKind.INVALID;
        }
        parser.skipChildren();
        if (parser.nextToken() == null) {
          return LineKind.COMPLETE;
        }
        parser.skipChildren();
        return LineKind.SEVERAL;
      } catch (JsonEOFException e) {
        return LineKind.UNFINISHED;
      } catch (IOException e) {
        // Jackson reports some ends of input (after a comma or colon) as plain parse errors.
        String message = String.valueOf(e.getMessage());
        return message.contains("end-of-input") ? LineKind.UNFINISHED : LineKind.INVALID;
      }
    }

    private static void splitDocuments(
        String text,
        String path,
        int firstLine,
        long modified,
        java.util.function.Consumer<RawRecord> out) {
      JsonFactory factory = JSON.getFactory();
      java.util.List<RawRecord> records = new java.util.ArrayList<>();
      try (Reader reader = new java.io.StringReader(text);
          JsonParser parser = factory.createParser(reader)) {
        while (parser.nextToken() != null) {
          int line = firstLine + parser.currentTokenLocation().getLineNr() - 1;
          JsonNode node = JSON.readTree(parser);
          records.add(new RawRecord(path + ":" + line, node.toString(), modified));
        }
      } catch (IOException e) {
        // Not valid JSON as a whole: one record, which the parse step dead-letters with the reason.
        out.accept(new RawRecord(path + ":" + firstLine, text, modified));
        return;
      }
      records.forEach(out);
    }
  }
}

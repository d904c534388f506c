package io.coinbeam.capture;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coinbeam.model.RawRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.util.function.Consumer;

/**
 * Splits a capture file's text into raw records, whichever way it was saved: NDJSON (one record per
 * line, as the ingester archives and the trades socket sends) or whole JSON documents (a REST
 * response as {@code curl} saves it, pretty or compact). Each record remembers its file and line
 * for dead letters. The pipeline's file source and the replay tool both read captures with it, so a
 * file replayed to Kafka yields the records a batch run reads.
 */
public final class CaptureRecords {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CaptureRecords() {}

  /**
   * The lines of a range that starts after the file's first line, numbered from {@code firstLine};
   * a range that breaks off ends as a whole file does.
   */
  public static void splitLines(
      InputStream bytes, String path, int firstLine, long modified, Consumer<RawRecord> out) {
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
  public static void split(InputStream bytes, String path, long modified, Consumer<RawRecord> out) {
    CaptureLines lines = CaptureLines.of(bytes);
    try {
      split(lines, path, modified, out);
    } catch (IOException e) {
      out.accept(breaksOff(lines, 0, path, modified, e));
    }
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
  public static void split(
      BufferedReader reader, String path, long modified, Consumer<RawRecord> out)
      throws IOException {
    split(CaptureLines.of(reader), path, modified, out);
  }

  static void split(CaptureLines lines, String path, long modified, Consumer<RawRecord> out)
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
      Consumer<RawRecord> out,
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
      CaptureLines lines, String path, int lineNumber, long modified, Consumer<RawRecord> out)
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

  public enum LineKind {
    /** One whole JSON value. */
    COMPLETE,
    /** Several whole values back to back. */
    SEVERAL,
    /** A value that the end of the line cuts short. */
    UNFINISHED,
    /** Not JSON. */
    INVALID
  }

  public static LineKind classify(String line) {
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
      String text, String path, int firstLine, long modified, Consumer<RawRecord> out) {
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

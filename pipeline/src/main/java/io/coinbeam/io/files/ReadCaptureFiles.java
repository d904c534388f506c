package io.coinbeam.io.files;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coinbeam.coders.RecordCoder;
import io.coinbeam.model.RawRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
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
  private final String filePattern;

  private ReadCaptureFiles(String filePattern) {
    this.filePattern = filePattern;
  }

  /** Reads every file matching {@code filePattern} (a path or a glob). */
  public static ReadCaptureFiles from(String filePattern) {
    return new ReadCaptureFiles(filePattern);
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
        .apply("SplitIntoRecords", ParDo.of(new SplitRecordsFn()))
        .setCoder(RecordCoder.of(RawRecord.class));
  }

  /** Reads one file, streaming NDJSON line by line and documents value by value. */
  static final class SplitRecordsFn extends DoFn<FileIO.ReadableFile, RawRecord> {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(ReadCaptureFiles.class);
    private static final long PROGRESS_EVERY = 1_000_000;

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, OutputReceiver<RawRecord> out)
        throws IOException {
      String path = file.getMetadata().resourceId().toString();
      long modified = file.getMetadata().lastModifiedMillis();
      long[] count = {0};
      try (BufferedReader reader =
          new BufferedReader(Channels.newReader(file.open(), StandardCharsets.UTF_8), 1 << 16)) {
        split(
            reader,
            path,
            modified,
            record -> {
              out.output(record);
              if (++count[0] % PROGRESS_EVERY == 0) {
                LOG.info("{}: {} records so far", path, String.format("%,d", count[0]));
              }
            });
      }
      LOG.info("{}: {} records", path, String.format("%,d", count[0]));
    }

    /** Emits the records of one file; package-private so tests can feed it text directly. */
    static void split(
        BufferedReader reader,
        String path,
        long modified,
        java.util.function.Consumer<RawRecord> out)
        throws IOException {
      int lineNumber = 0;
      String line;
      while ((line = reader.readLine()) != null) {
        lineNumber++;
        line = lineNumber == 1 && line.startsWith("\uFEFF") ? line.substring(1) : line; // UTF-8 BOM
        if (line.isBlank()) {
          continue;
        }
        if (isCompleteValue(line)) {
          // NDJSON: this line and every following one is a record of its own.
          out.accept(new RawRecord(path + ":" + lineNumber, line, modified));
          while ((line = reader.readLine()) != null) {
            lineNumber++;
            if (!line.isBlank()) {
              out.accept(new RawRecord(path + ":" + lineNumber, line, modified));
            }
          }
          return;
        }
        // A document spread over lines: the rest of the file, split into top-level values.
        StringBuilder text = new StringBuilder(line).append('\n');
        char[] buffer = new char[1 << 16];
        int n;
        while ((n = reader.read(buffer)) > 0) {
          text.append(buffer, 0, n);
        }
        splitDocuments(text.toString(), path, lineNumber, modified, out);
        return;
      }
    }

    private static boolean isCompleteValue(String line) {
      try (JsonParser parser = JSON.getFactory().createParser(line)) {
        if (parser.nextToken() == null) {
          return false;
        }
        parser.skipChildren();
        return parser.nextToken() == null;
      } catch (IOException e) {
        // Malformed, or the first line of a document: decided by whether it opens one.
        String trimmed = line.trim();
        return !(trimmed.equals("{")
            || trimmed.equals("[")
            || trimmed.endsWith("{")
            || trimmed.endsWith("["));
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
        JsonToken token;
        while ((token = parser.nextToken()) != null) {
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

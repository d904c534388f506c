package io.coinbeam.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;

/**
 * The raw captures, kept in the batch input format so that any stretch of history can be
 * reprocessed in batch ({@code make run INPUT='captures/{stream}/*'}): one folder per stream, one
 * file per hour ({@code <dir>/<stream>/<stream>-20261121T13.ndjson}, UTC), one record per line. A
 * snapshot line is a whole REST envelope; a trades line is one socket message as it came. Bodies
 * that could not be used go to {@code <dir>/rejects/<stream>-<hour>.ndjson} instead (one JSON
 * object per line with the reason), outside the folders batch reads.
 *
 * <p>Every line is flushed as it is written: a crash loses nothing that Kafka got.
 */
public final class CaptureArchive implements AutoCloseable {
  /** The folder of rejected bodies, beside the stream folders. */
  public static final String REJECTS = "rejects";

  private static final DateTimeFormatter HOUR =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HH").withZone(ZoneOffset.UTC);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path root;
  private final Clock clock;
  private final Map<String, OpenFile> open = new HashMap<>();

  private record OpenFile(Path path, BufferedWriter writer) {}

  public CaptureArchive(Path root, Clock clock) {
    this.root = root;
    this.clock = clock;
  }

  public Path root() {
    return root;
  }

  /** Appends one record (an envelope or a socket message, on one line) to the stream's file. */
  public synchronized void append(String stream, String line) {
    write(stream, root.resolve(stream).resolve(stream + "-" + hour() + ".ndjson"), line);
  }

  /** Keeps a body that could not be used, with where it came from and why. */
  public synchronized void reject(String stream, String source, String error, String body) {
    ObjectNode entry = JSON.createObjectNode();
    entry.put("receivedAt", clock.millis());
    entry.put("stream", stream);
    entry.put("source", source);
    entry.put("error", error);
    entry.put("body", body);
    write(
        REJECTS + "/" + stream,
        root.resolve(REJECTS).resolve(stream + "-" + hour() + ".ndjson"),
        entry.toString());
  }

  private String hour() {
    return HOUR.format(clock.instant());
  }

  private void write(String slot, Path path, String line) {
    try {
      OpenFile file = open.get(slot);
      if (file == null || !file.path().equals(path)) {
        if (file != null) {
          file.writer().close(); // the hour rolled over
        }
        Files.createDirectories(path.getParent());
        file =
            new OpenFile(
                path,
                Files.newBufferedWriter(
                    path,
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND));
        open.put(slot, file);
      }
      // One record per line: a line break inside (a pretty body) would split it in two.
      file.writer().write(line.replace("\r", "").replace("\n", " "));
      file.writer().newLine();
      file.writer().flush();
    } catch (IOException e) {
      throw new UncheckedIOException("could not archive to " + path, e);
    }
  }

  @Override
  public synchronized void close() {
    for (OpenFile file : open.values()) {
      try {
        file.writer().close();
      } catch (IOException e) {
        // closing after a flush: nothing is lost
      }
    }
    open.clear();
  }
}

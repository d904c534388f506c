package io.coinbeam.ingest;

import io.coinbeam.capture.CaptureFiles;
import io.coinbeam.capture.CaptureFiles.CaptureFile;
import io.coinbeam.capture.CaptureRecords;
import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.catalog.KafkaTopics;
import io.coinbeam.model.MalformedRecordException;
import io.coinbeam.model.RawRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a replay publishes, in order: every record of the capture files, exploded into Kafka rows as
 * the ingester would have produced them, all streams merged and sorted by event time (ties keep
 * file order). Files are read with the batch reader's own splitter, so a replay accounts for
 * exactly the records a batch run reads.
 *
 * <p>A record that is not usable (cut JSON, an envelope without data, the v2 shutdown body) is
 * published as it is, keyed null and timed at the last good time of its file, so that the streaming
 * pipeline dead-letters exactly what batch dead-letters. The whole plan is held in memory.
 */
public final class ReplayPlan {
  /**
   * One record to publish.
   *
   * @param source file:line (and {@code #data[i]} for a snapshot row) it came from
   * @param wellFormed false for a record published as it was because it could not be read
   */
  public record Entry(CoinCapStream stream, KafkaRow row, String source, boolean wellFormed) {}

  /** Files per stream, and records per stream and topic. */
  public record FileCount(
      CoinCapStream stream, String file, int records, int rows, int unreadable) {}

  private final List<Entry> entries;
  private final List<FileCount> files;

  private ReplayPlan(List<Entry> entries, List<FileCount> files) {
    this.entries = entries;
    this.files = files;
  }

  public List<Entry> entries() {
    return entries;
  }

  public List<FileCount> files() {
    return files;
  }

  /** Rows per topic, sorted by topic. */
  public Map<String, Long> rowsPerTopic() {
    Map<String, Long> counts = new TreeMap<>();
    for (Entry entry : entries) {
      counts.merge(entry.row().topic(), 1L, Long::sum);
    }
    return counts;
  }

  /**
   * Reads the files of each stream.
   *
   * @param inputPattern a path or glob; {@code {stream}} becomes each stream's name
   */
  public static ReplayPlan load(List<CoinCapStream> streams, String inputPattern) {
    List<Entry> entries = new ArrayList<>();
    List<FileCount> files = new ArrayList<>();
    for (CoinCapStream stream : streams) {
      String pattern = inputPattern.replace("{stream}", stream.id());
      for (CaptureFile file : match(pattern)) {
        files.add(readFile(stream, file, entries));
      }
    }
    // A stable sort: equal times keep stream, file and line order.
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong(e -> e.row().timestampMillis()));
    return new ReplayPlan(List.copyOf(sorted), List.copyOf(files));
  }

  private static List<CaptureFile> match(String pattern) {
    try {
      return CaptureFiles.match(pattern);
    } catch (IOException e) {
      throw new UncheckedIOException("could not list " + pattern, e);
    }
  }

  private static FileCount readFile(CoinCapStream stream, CaptureFile file, List<Entry> entries) {
    String path = file.path();
    List<RawRecord> records = new ArrayList<>();
    int[] unreadable = {0};
    try (InputStream bytes = CaptureFiles.open(path)) {
      // Text that is not UTF-8, or the end of a damaged file, cannot be published as it was (a
      // Kafka value is text): it is left out and counted; a batch run makes it a dead letter.
      CaptureRecords.split(
          bytes,
          path,
          file.modifiedMillis(),
          record -> {
            if (record.readable()) {
              records.add(record);
            } else {
              unreadable[0]++;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + path, e);
    }
    String topic = KafkaTopics.of(stream);
    List<Entry> fileEntries = new ArrayList<>();
    List<Integer> untimed = new ArrayList<>(); // bad records seen before the file's first good time
    Long lastGood = null;
    for (RawRecord record : records) {
      List<Entry> exploded = explode(stream, record);
      if (exploded != null) {
        fileEntries.addAll(exploded);
        if (!exploded.isEmpty()) {
          lastGood = exploded.get(exploded.size() - 1).row().timestampMillis();
          for (int i : untimed) {
            fileEntries.set(i, retimed(fileEntries.get(i), lastGood));
          }
          untimed.clear();
        }
        continue;
      }
      long time = lastGood != null ? lastGood : 0L;
      if (lastGood == null) {
        untimed.add(fileEntries.size());
      }
      fileEntries.add(
          new Entry(
              stream, new KafkaRow(topic, null, record.payload(), time), record.source(), false));
    }
    // A file with no good record at all: its bad records are timed by the file itself.
    for (int i : untimed) {
      fileEntries.set(i, retimed(fileEntries.get(i), Math.max(0, file.modifiedMillis())));
    }
    entries.addAll(fileEntries);
    return new FileCount(stream, path, records.size(), fileEntries.size(), unreadable[0]);
  }

  /** The rows of a good record; null when the record is unusable as a whole. */
  private static List<Entry> explode(CoinCapStream stream, RawRecord record) {
    try {
      if (stream == CoinCapStream.TRADES) {
        return List.of(
            new Entry(stream, CaptureRows.fromTrade(record.payload()), record.source(), true));
      }
      CaptureRows.EnvelopeRows envelope = CaptureRows.fromEnvelope(stream, record.payload());
      List<Entry> rows = new ArrayList<>(envelope.rows().size());
      for (int i = 0; i < envelope.rows().size(); i++) {
        rows.add(
            new Entry(stream, envelope.rows().get(i), record.source() + "#data[" + i + "]", true));
      }
      return rows;
    } catch (MalformedRecordException e) {
      return null;
    }
  }

  private static Entry retimed(Entry entry, long time) {
    KafkaRow row = entry.row();
    return new Entry(
        entry.stream(),
        new KafkaRow(row.topic(), row.key(), row.value(), time),
        entry.source(),
        entry.wellFormed());
  }
}

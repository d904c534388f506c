package io.coinbeam.sample;

import io.coinbeam.catalog.CoinCapStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts one stream while it is written, so the manifest states what the bytes hold rather than
 * what was meant to be in them. The writers call it once per record and row they emit.
 */
final class StreamTally {
  private final CoinCapStream stream;
  private final List<Manifest.FileCounts> files = new ArrayList<>();
  private final List<Manifest.Reject> rejects = new ArrayList<>();
  private String filePath;
  private long fileRecords;
  private long fileRows;
  private long records;
  private long rows;
  private long badRecords;
  private long badRows;
  private long duplicates;
  private long duplicateRows;
  private long outOfOrder;
  private long late;
  private long firstEvent = Long.MAX_VALUE;
  private long lastEvent = Long.MIN_VALUE;

  StreamTally(CoinCapStream stream) {
    this.stream = stream;
  }

  void startFile(String path) {
    endFile();
    filePath = path;
    fileRecords = 0;
    fileRows = 0;
  }

  void endFile() {
    if (filePath != null) {
      files.add(new Manifest.FileCounts(filePath, fileRecords, fileRows));
      filePath = null;
    }
  }

  /** The source name of a line of the current file, as dead letters give it. */
  String source(long line) {
    return filePath + ":" + line;
  }

  void record() {
    records++;
    fileRecords++;
  }

  void rows(long count) {
    rows += count;
    fileRows += count;
  }

  void duplicate(long rowCount) {
    duplicates++;
    duplicateRows += rowCount;
  }

  void badRecord(String source, String kind) {
    badRecords++;
    rejects.add(new Manifest.Reject(source, Manifest.Level.RECORD, kind));
  }

  void badRow(String source, String kind) {
    badRows++;
    rejects.add(new Manifest.Reject(source, Manifest.Level.ROW, kind));
  }

  void outOfOrder(boolean isLate) {
    outOfOrder++;
    if (isLate) {
      late++;
    }
  }

  void event(long millis) {
    firstEvent = Math.min(firstEvent, millis);
    lastEvent = Math.max(lastEvent, millis);
  }

  long records() {
    return records;
  }

  Manifest.StreamCounts finish() {
    endFile();
    boolean none = firstEvent == Long.MAX_VALUE;
    return new Manifest.StreamCounts(
        stream.id(),
        files,
        records,
        rows,
        badRecords,
        badRows,
        duplicates,
        duplicateRows,
        outOfOrder,
        late,
        none ? 0 : firstEvent,
        none ? 0 : lastEvent,
        rejects);
  }
}

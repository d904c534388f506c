package io.coinbeam.io.files;

/**
 * A piece of one capture file that one worker reads: whole lines from byte {@code start} up to byte
 * {@code end} (exclusive; -1 for the end of the file), the first of them line {@code firstLine} of
 * the file, so that dead letters still name the file's own line numbers.
 *
 * @param path the file
 * @param start the byte where the first line starts (0: the file's beginning)
 * @param end the byte after the last line's break, or -1 for the end of the file
 * @param firstLine the file's number of the range's first line, from 1
 * @param modifiedMillis the file's modification time, the observation time of rows without one
 */
public record FileRange(String path, long start, long end, int firstLine, long modifiedMillis) {
  /** The whole file, read as one piece (compressed files, documents, small files). */
  public static FileRange whole(String path, long modifiedMillis) {
    return new FileRange(path, 0, -1, 1, modifiedMillis);
  }

  /** True for the range that starts at the file's first byte. */
  boolean atStart() {
    return start == 0;
  }
}

package io.coinbeam.sample;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Output files. Gzip goes through {@link GZIPOutputStream}, whose header carries no file name and
 * no modification time, so the same bytes in give the same file out (on one zlib).
 */
final class Outputs {
  private static final int BUFFER_BYTES = 1 << 16;

  private Outputs() {}

  /** A new file (replacing an old one), gzipped when {@code gzip} is set. */
  static OutputStream open(Path file, boolean gzip) throws IOException {
    OutputStream raw = Files.newOutputStream(file);
    if (!gzip) {
      return raw;
    }
    try {
      return new GZIPOutputStream(raw, BUFFER_BYTES);
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  /**
   * A plain byte buffer in front of a stream: cheaper per line than {@link
   * java.io.BufferedOutputStream}'s synchronised writes. Closing flushes but leaves the stream
   * open.
   */
  static final class Buffer implements AutoCloseable {
    private final OutputStream out;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int size;

    Buffer(OutputStream out) {
      this.out = out;
    }

    void write(byte[] bytes, int length) throws IOException {
      if (size + length > buffer.length) {
        flush();
      }
      if (length > buffer.length) {
        out.write(bytes, 0, length);
        return;
      }
      System.arraycopy(bytes, 0, buffer, size, length);
      size += length;
    }

    void flush() throws IOException {
      out.write(buffer, 0, size);
      size = 0;
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}

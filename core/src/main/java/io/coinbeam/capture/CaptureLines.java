package io.coinbeam.capture;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The lines of one capture file. Bytes are decoded as UTF-8 line by line, so a line that is not
 * UTF-8 costs only itself: it comes back with the reason instead of failing the whole file (as a
 * {@link java.io.Reader} over the file would, with no file or line named).
 */
abstract class CaptureLines {
  /**
   * One line without its line break.
   *
   * @param text the line; for an undecodable line, with U+FFFD where the bad bytes were
   * @param decodeError why the line is not text, or null
   */
  record Line(String text, String decodeError) {}

  /** The next line, or null at the end of the file. */
  abstract Line next() throws IOException;

  /** Everything after the lines returned so far, as one text (a document spread over lines). */
  abstract Line rest() throws IOException;

  /** What was read of a line the file broke off in (after an {@link IOException}), or "". */
  abstract String unfinished();

  /** How many whole lines were read so far (rest() counts the lines it read too). */
  abstract int linesRead();

  /** Lines of bytes, decoded strictly. */
  static CaptureLines of(InputStream in) {
    return new Utf8Lines(in);
  }

  /** Lines of text that is already decoded (tests, and tools that hold strings). */
  static CaptureLines of(BufferedReader reader) {
    return new TextLines(reader);
  }

  private static final class TextLines extends CaptureLines {
    private final BufferedReader reader;

    TextLines(BufferedReader reader) {
      this.reader = reader;
    }

    @Override
    Line next() throws IOException {
      String line = reader.readLine();
      return line == null ? null : new Line(line, null);
    }

    @Override
    Line rest() throws IOException {
      StringBuilder text = new StringBuilder();
      char[] buffer = new char[1 << 16];
      int n;
      while ((n = reader.read(buffer)) > 0) {
        text.append(buffer, 0, n);
      }
      return new Line(text.toString(), null);
    }

    @Override
    String unfinished() {
      return "";
    }

    @Override
    int linesRead() {
      return 0;
    }
  }

  /**
   * Splits at {@code \n} (a {@code \r} before it is dropped), over a buffer of its own. Lines of
   * ASCII, nearly all of them in CoinCap captures, skip the decoder.
   */
  private static final class Utf8Lines extends CaptureLines {
    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    private boolean ended;
    private byte[] line = new byte[1024];
    private int length;
    private boolean nonAscii;
    private int lines;
    private final CharsetDecoder strict =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    Utf8Lines(InputStream in) {
      this.in = in;
    }

    @Override
    Line next() throws IOException {
      length = 0;
      nonAscii = false;
      while (true) {
        if (position == limit && !fill()) {
          if (length == 0) {
            return null;
          }
          return decode(); // the last line, without a line break
        }
        int start = position;
        while (position < limit && buffer[position] != '\n') {
          nonAscii |= buffer[position] < 0;
          position++;
        }
        append(start, position);
        if (position < limit) {
          position++; // the line break
          lines++;
          if (length > 0 && line[length - 1] == '\r') {
            length--;
          }
          return decode();
        }
      }
    }

    @Override
    Line rest() throws IOException {
      int firstLine = lines + 1;
      length = 0;
      nonAscii = false;
      while (position < limit || fill()) {
        for (int i = position; i < limit; i++) {
          nonAscii |= buffer[i] < 0;
          lines += buffer[i] == '\n' ? 1 : 0;
        }
        append(position, limit);
        position = limit;
      }
      Line text = decode();
      if (text.decodeError() == null) {
        return text;
      }
      // Say which line of the file holds the first bad byte, not its offset in the rest.
      int at = firstBadByte(line, length);
      int lineNumber = firstLine;
      int lineStart = 0;
      for (int i = 0; i < at; i++) {
        if (line[i] == '\n') {
          lineNumber++;
          lineStart = i + 1;
        }
      }
      return new Line(
          text.text(), "line " + lineNumber + " is " + describe(line, at, lineStart, length));
    }

    @Override
    String unfinished() {
      return new String(line, 0, length, StandardCharsets.UTF_8);
    }

    @Override
    int linesRead() {
      return lines;
    }

    private boolean fill() throws IOException {
      if (ended) {
        return false;
      }
      int n = in.read(buffer);
      while (n == 0) {
        n = in.read(buffer);
      }
      if (n < 0) {
        ended = true;
        return false;
      }
      position = 0;
      limit = n;
      return true;
    }

    private void append(int from, int to) {
      int n = to - from;
      if (length + n > line.length) {
        line = Arrays.copyOf(line, Math.max(line.length * 2, length + n));
      }
      System.arraycopy(buffer, from, line, length, n);
      length += n;
    }

    private Line decode() {
      if (!nonAscii) {
        return new Line(new String(line, 0, length, StandardCharsets.ISO_8859_1), null);
      }
      ByteBuffer bytes = ByteBuffer.wrap(line, 0, length);
      try {
        return new Line(strict.reset().decode(bytes).toString(), null);
      } catch (CharacterCodingException e) {
        return new Line(
            new String(line, 0, length, StandardCharsets.UTF_8),
            describe(line, firstBadByte(line, length), 0, length));
      }
    }

    /** Where the strict decoder stops in {@code bytes[0, n)}, or {@code n}. */
    private int firstBadByte(byte[] bytes, int n) {
      ByteBuffer in = ByteBuffer.wrap(bytes, 0, n);
      CharBuffer out = CharBuffer.allocate(n);
      CoderResult result = strict.reset().decode(in, out, true);
      return result.isError() ? in.position() : n;
    }

    /** "not valid UTF-8 (byte 0xFF at byte 17)", counted from {@code lineStart}. */
    private static String describe(byte[] bytes, int at, int lineStart, int n) {
      String what =
          at < n
              ? String.format("byte 0x%02X at byte %d", bytes[at] & 0xFF, at - lineStart + 1)
              : "a character cut short at the end";
      return "not valid UTF-8 (" + what + ")";
    }
  }
}

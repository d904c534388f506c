package io.coinbeam.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.model.RawRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * A file's bytes into records when the bytes are not what they should be: lines that are not UTF-8,
 * compressed files cut short or damaged. Each costs only itself; the rest of the file is read as
 * usual.
 */
class SplitBytesTest {
  private static final long MODIFIED = 1_700_000_000_000L;

  private static List<RawRecord> split(InputStream bytes) {
    List<RawRecord> out = new ArrayList<>();
    CaptureRecords.split(bytes, "f.ndjson", MODIFIED, out::add);
    return out;
  }

  private static List<RawRecord> split(byte[] bytes) {
    return split(new ByteArrayInputStream(bytes));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static RawRecord good(int line, String payload) {
    return new RawRecord("f.ndjson:" + line, payload, MODIFIED);
  }

  @Test
  void aLineThatIsNotUtf8IsUnreadableAndTheOtherLinesAreRead() {
    // Line 2 holds 0xFF, which no UTF-8 text contains, as its 15th byte.
    byte[] bytes =
        concat(
            utf8("{\"exchange\":\"binance\"}\n"),
            utf8("{\"exchange\":\"b"),
            new byte[] {(byte) 0xFF},
            utf8("\"}\n"),
            utf8("{\"exchange\":\"kraken\"}\n"));
    List<RawRecord> records = split(bytes);
    assertEquals(3, records.size());
    assertEquals(good(1, "{\"exchange\":\"binance\"}"), records.get(0));
    assertEquals(good(3, "{\"exchange\":\"kraken\"}"), records.get(2));
    RawRecord bad = records.get(1);
    assertEquals("f.ndjson:2", bad.source());
    assertEquals("not valid UTF-8 (byte 0xFF at byte 15)", bad.readError());
    assertEquals("{\"exchange\":\"b\uFFFD\"}", bad.payload());
  }

  @Test
  void aBadFirstLineDoesNotDecideTheFileShapeAndATruncatedCharacterIsNamed() {
    // The first line ends inside a two-byte character (é is C3 A9; only C3 is there, 10th byte).
    byte[] bytes =
        concat(utf8("{\"a\":\"caf"), new byte[] {(byte) 0xC3}, utf8("\n{\"b\":\"café\"}\n"));
    List<RawRecord> records = split(bytes);
    assertEquals(2, records.size());
    assertEquals("f.ndjson:1", records.get(0).source());
    assertEquals("not valid UTF-8 (byte 0xC3 at byte 10)", records.get(0).readError());
    assertEquals(good(2, "{\"b\":\"café\"}"), records.get(1));
  }

  @Test
  void validUtf8CrLfABomAndALastLineWithoutBreakAreReadAsText() {
    byte[] bytes =
        concat(
            new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
            utf8("{\"name\":\"Ñandú ₿\"}\r\n\r\n{\"x\":1}"));
    assertEquals(List.of(good(1, "{\"name\":\"Ñandú ₿\"}"), good(3, "{\"x\":1}")), split(bytes));
  }

  @Test
  void aDocumentWithBytesThatAreNotUtf8IsOneUnreadableRecord() {
    byte[] bytes =
        concat(
            // Line 3 is four spaces and {"id": "bit (15 bytes), then 0x80.
            utf8("{\n  \"data\": [\n    {\"id\": \"bit"),
            new byte[] {(byte) 0x80},
            utf8("coin\"}\n  ],\n  \"timestamp\": 1\n}\n"));
    List<RawRecord> records = split(bytes);
    assertEquals(1, records.size());
    assertEquals("f.ndjson:1", records.get(0).source());
    assertTrue(
        records
            .get(0)
            .readError()
            .equals(
                "a document that is not UTF-8: line 3 is not valid UTF-8 (byte 0x80 at byte 16)"),
        records.get(0).readError());
  }

  @Test
  void aTruncatedGzipKeepsTheLinesBeforeTheDamageAndNamesWhereItBroke() throws IOException {
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= 5000; i++) {
      text.append("{\"n\":").append(i).append(",\"pad\":\"").append("x".repeat(40)).append("\"}\n");
    }
    byte[] whole = gzip(utf8(text.toString()));
    byte[] cut = Arrays.copyOf(whole, whole.length / 2);
    List<RawRecord> records = split(new GZIPInputStream(new ByteArrayInputStream(cut)));
    RawRecord last = records.get(records.size() - 1);
    List<RawRecord> read = records.subList(0, records.size() - 1);
    // Every record before the damage is a whole line, in order, with its own line number.
    for (int i = 0; i < read.size(); i++) {
      assertNull(read.get(i).readError());
      assertEquals("f.ndjson:" + (i + 1), read.get(i).source());
      assertTrue(read.get(i).payload().startsWith("{\"n\":" + (i + 1) + ","));
    }
    assertTrue(
        read.size() > 100 && read.size() < 5000, "lines read before the cut: " + read.size());
    assertEquals("f.ndjson:" + (read.size() + 1), last.source());
    assertTrue(
        last.readError().startsWith("the file breaks off after line " + read.size() + " ("),
        last.readError());
    assertTrue(last.readError().contains("EOFException"), last.readError());
    assertTrue(last.readError().endsWith("what came before was read, the rest is lost"));
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }
}

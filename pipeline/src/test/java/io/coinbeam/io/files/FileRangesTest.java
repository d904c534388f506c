package io.coinbeam.io.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.capture.CaptureRecords;
import io.coinbeam.model.RawRecord;
import io.coinbeam.testing.BeamPipelineExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large NDJSON files are read in ranges of whole lines by several workers: the records, their
 * {@code file:line} sources and their read errors must be exactly those of reading the file in one
 * go, wherever the cuts fall; files that cannot be entered in the middle stay whole.
 */
class FileRangesTest {
  private static final long MODIFIED = 1_700_000_000_000L;

  @RegisterExtension final BeamPipelineExtension beam = new BeamPipelineExtension();
  @TempDir Path dir;

  /** 40 lines: trades, a blank line, a CRLF line, a line that is not UTF-8, no final break. */
  private static byte[] ndjson() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 1; i <= 40; i++) {
      if (i == 7) {
        out.writeBytes("\n".getBytes(StandardCharsets.UTF_8));
      } else if (i == 13) {
        out.writeBytes(new byte[] {'{', '"', 'x', '"', ':', '"', (byte) 0xC3, '"', '}', '\n'});
      } else {
        String line = "{\"exchange\":\"binance\",\"price\":" + (100 + i) + ",\"n\":" + i + "}";
        String end = i == 40 ? "" : (i == 21 ? "\r\n" : "\n");
        out.writeBytes((line + end).getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toByteArray();
  }

  private static List<String> wholeFile(byte[] bytes) {
    List<String> out = new ArrayList<>();
    CaptureRecords.split(
        new ByteArrayInputStream(bytes), "f.ndjson", MODIFIED, r -> out.add(describe(r)));
    return out;
  }

  private static String describe(RawRecord r) {
    return r.source() + " " + r.payload() + " " + r.readError() + " " + r.capturedAtMillis();
  }

  private List<String> inRanges(byte[] bytes, long rangeBytes) throws IOException {
    Path file = dir.resolve("f.ndjson");
    Files.write(file, bytes);
    List<FileRange> ranges;
    try (InputStream in = Files.newInputStream(file)) {
      ranges = ReadCaptureFiles.PlanRangesFn.plan(in, "f.ndjson", MODIFIED, rangeBytes);
    }
    List<String> out = new ArrayList<>();
    for (FileRange range : ranges) {
      FileRange local =
          new FileRange(file.toString(), range.start(), range.end(), range.firstLine(), MODIFIED);
      try (InputStream in = ReadCaptureFiles.RangeReader.open(local)) {
        if (local.atStart()) {
          CaptureRecords.split(in, "f.ndjson", MODIFIED, r -> out.add(describe(r)));
        } else {
          CaptureRecords.splitLines(
              in, "f.ndjson", local.firstLine(), MODIFIED, r -> out.add(describe(r)));
        }
      }
    }
    return out;
  }

  @Test
  void rangesOfEverySizeGiveTheRecordsOfTheWholeFile() throws IOException {
    byte[] bytes = ndjson();
    List<String> whole = wholeFile(bytes);
    assertEquals(39, whole.size(), "40 lines, one blank");
    assertTrue(whole.get(11).startsWith("f.ndjson:13 "), whole.get(11));
    for (long size : new long[] {1, 2, 45, 46, 47, 100, 500, bytes.length, 10_000}) {
      assertEquals(whole, inRanges(bytes, size), "ranges of " + size + " bytes");
    }
  }

  @Test
  void theCutsFallAfterLineBreaksAndNumberTheLines() throws IOException {
    byte[] bytes = "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n{\"a\":4}\n".getBytes(StandardCharsets.UTF_8);
    List<FileRange> ranges =
        ReadCaptureFiles.PlanRangesFn.plan(new ByteArrayInputStream(bytes), "p", MODIFIED, 10);
    // Each line is 8 bytes: a range closes at the first break 10 bytes or more past its start.
    assertEquals(
        List.of(new FileRange("p", 0, 16, 1, MODIFIED), new FileRange("p", 16, 32, 3, MODIFIED)),
        ranges);
  }

  @Test
  void documentsAndFilesNotStartingWithAValueStayWhole() throws IOException {
    byte[] pretty =
        "{\n  \"data\": [],\n  \"timestamp\": 1\n}\n".repeat(20).getBytes(StandardCharsets.UTF_8);
    assertEquals(
        List.of(FileRange.whole("d", MODIFIED)),
        ReadCaptureFiles.PlanRangesFn.plan(new ByteArrayInputStream(pretty), "d", MODIFIED, 5));
    byte[] brokenFirst = "{\"a\":\n{\"a\":2}\n{\"a\":3}\n".getBytes(StandardCharsets.UTF_8);
    assertEquals(
        List.of(FileRange.whole("b", MODIFIED)),
        ReadCaptureFiles.PlanRangesFn.plan(
            new ByteArrayInputStream(brokenFirst), "b", MODIFIED, 5));
  }

  @Test
  void thePipelineReadsAFileInRangesAsItReadsItWhole() throws IOException {
    Path file = dir.resolve("trades.ndjson");
    Files.write(file, ndjson());
    List<RawRecord> expected = new ArrayList<>();
    CaptureRecords.split(
        Files.newInputStream(file),
        file.toString(),
        Files.getLastModifiedTime(file).toMillis(),
        expected::add);
    PCollection<RawRecord> read =
        beam.pipeline().apply(ReadCaptureFiles.from(file.toString()).withRangeBytes(50));
    PAssert.that(read).containsInAnyOrder(expected);
    beam.pipeline().run().waitUntilFinish();
  }

  @Test
  void aFileIsCutIntoRangesOfNearlyEqualSize() {
    long mb = 1L << 20;
    // 80 MB in ranges of about 32 MB: two and a half ranges make three equal ones, not 32 + 48
    // (the worker with the larger range finished last while the other waited).
    assertEquals((80 * mb + 2) / 3, ReadCaptureFiles.PlanRangesFn.evenRangeBytes(80 * mb, 32 * mb));
    // 100 MB: three ranges of a third, rounded up so three cover the file.
    assertEquals(
        (100 * mb + 2) / 3, ReadCaptureFiles.PlanRangesFn.evenRangeBytes(100 * mb, 32 * mb));
    // Less than half a range more than a whole number of ranges: that many ranges, a bit larger.
    assertEquals(32 * mb + mb / 2, ReadCaptureFiles.PlanRangesFn.evenRangeBytes(65 * mb, 32 * mb));
    // A file smaller than a range is one range.
    assertEquals(10, ReadCaptureFiles.PlanRangesFn.evenRangeBytes(10, 32 * mb));
  }

  @Test
  void lineBreaksAreCountedExactlyWhateverTheBytesAroundThem() {
    // Bytes next to '\n' in value (0x0B, 0x09, 0x8A, 0x00, 0xFF) must never count, wherever
    // they sit in an eight-byte word, and every range of the array must agree with a plain count.
    byte[] palette = {'\n', 0x0B, 0x09, (byte) 0x8A, 0x00, (byte) 0xFF, 'a', '{'};
    java.util.Random random = new java.util.Random(5);
    byte[] bytes = new byte[4_099];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = palette[random.nextInt(palette.length)];
    }
    for (int trial = 0; trial < 2_000; trial++) {
      int from = random.nextInt(bytes.length);
      int to = from + random.nextInt(bytes.length - from + 1);
      int plain = 0;
      for (int i = from; i < to; i++) {
        plain += bytes[i] == '\n' ? 1 : 0;
      }
      assertEquals(
          plain,
          ReadCaptureFiles.PlanRangesFn.countLineBreaks(bytes, from, to),
          "bytes " + from + " to " + to);
    }
  }
}

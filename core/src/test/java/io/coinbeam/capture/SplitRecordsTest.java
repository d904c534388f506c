package io.coinbeam.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.coinbeam.model.RawRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How one file's text becomes records: NDJSON lines or whole documents, with file:line. */
class SplitRecordsTest {
  private static final long MODIFIED = 1_700_000_000_000L;
  private static final ObjectMapper JSON = new ObjectMapper();

  static List<RawRecord> split(String text) throws IOException {
    List<RawRecord> out = new ArrayList<>();
    CaptureRecords.split(new BufferedReader(new StringReader(text)), "f.json", MODIFIED, out::add);
    return out;
  }

  private static RawRecord record(int line, String payload) {
    return new RawRecord("f.json:" + line, payload, MODIFIED);
  }

  /** Documents are re-serialised compactly: compare them as JSON. */
  private static String compact(String json) throws IOException {
    return JSON.readTree(json).toString();
  }

  @Test
  void ndjsonGivesOneRecordPerLineWithItsLineNumber() throws Exception {
    String a = "{\"exchange\":\"bitso\",\"price\":80.17}";
    String b = "{\"exchange\":\"gemini\",\"price\":4217.1}";
    String c = "[1,2]";
    assertEquals(
        List.of(record(1, a), record(2, b), record(3, c)), split(a + "\n" + b + "\n" + c + "\n"));
  }

  @Test
  void blankLinesAreSkippedButCountedAndCrLfIsAccepted() throws Exception {
    String a = "{\"a\":1}";
    String b = "{\"b\":2}";
    assertEquals(
        List.of(record(3, a), record(6, b)), split("\r\n  \r\n" + a + "\r\n\r\n\t\r\n" + b));
  }

  @Test
  void aBrokenLineInNdjsonStaysOneRecordAndTheRestFollow() throws Exception {
    // The parse step dead-letters line 1 with its reason; lines 2 and 3 are unaffected.
    assertEquals(
        List.of(record(1, "{broken"), record(2, "{\"a\":1}"), record(3, "{\"b\":2}")),
        split("{broken\n{\"a\":1}\n{\"b\":2}\n"));
  }

  @Test
  void aPrettyDocumentIsOneRecord() throws Exception {
    String document = "{\n  \"data\": [\n    {\"id\": \"bitcoin\"}\n  ],\n  \"timestamp\": 1\n}\n";
    List<RawRecord> records = split(document);
    assertEquals(1, records.size());
    assertEquals("f.json:1", records.get(0).source());
    assertEquals(compact(document), records.get(0).payload());
    assertEquals(MODIFIED, records.get(0).capturedAtMillis());
  }

  @Test
  void leadingAndTrailingBlankLinesAroundADocument() throws Exception {
    String document = "{\n  \"data\": [],\n  \"timestamp\": 1\n}";
    List<RawRecord> records = split("\n\n" + document + "\n\n\n");
    assertEquals(List.of(record(3, compact(document))), records);
  }

  @Test
  void severalPrettyDocumentsInOneFile() throws Exception {
    String first = "{\n \"data\": [],\n \"timestamp\": 1\n}";
    String second = "{\n \"data\": {},\n \"timestamp\": 2\n}";
    assertEquals(
        List.of(record(1, compact(first)), record(6, compact(second))),
        split(first + "\n\n" + second + "\n"));
  }

  @Test
  void severalCompactValuesOnOneLine() throws Exception {
    assertEquals(
        List.of(record(1, "{\"a\":1}"), record(1, "{\"b\":2}")), split("{\"a\":1} {\"b\":2}\n"));
  }

  @Test
  void aBrokenDocumentIsOneRecordHoldingAllOfIt() throws Exception {
    // Invalid as a whole: one record from the first non-blank line, which the parse step
    // dead-letters with the JSON error; nothing is dropped silently.
    String text = "{\n  \"data\": [\n    {\"id\": \"bitcoin\",}\n  ]\n";
    assertEquals(List.of(record(2, text)), split("\n" + text));
  }

  /**
   * NDJSON whose very first line was cut off: that line is unfinished like a document's first line,
   * but the next line is a whole value, so it is NDJSON and the good lines survive.
   */
  @Test
  void anNdjsonFileWhoseFirstLineIsCutShort() throws Exception {
    String cut = "{\"exchange\":\"kraken\",\"price\":";
    assertEquals(
        List.of(record(1, cut), record(3, "{\"a\":1}"), record(4, "{\"b\":2}")),
        split(cut + "\n\n{\"a\":1}\n{\"b\":2}\n"));
  }

  @Test
  void anEmptyFileHasNoRecords() throws Exception {
    assertEquals(List.of(), split(""));
    assertEquals(List.of(), split("\n \n\t\n"));
  }

  /**
   * A document whose first line opens it and already holds a member, e.g. {@code {"timestamp":
   * 1, } followed by {@code "data": [...]}: the first line is an incomplete value, not a
   * malformed one. Found failing: it is taken for NDJSON and every line becomes a broken record.
   */
  @Test
  void aDocumentWhoseFirstLineHoldsAMember() throws Exception {
    String document = "{\"timestamp\": 1763753634750,\n \"data\": [\"84739.05\", \"2770.14\"]\n}\n";
    assertEquals(List.of(record(1, compact(document))), split(document));
  }

  /**
   * Files saved by Windows tools start with a UTF-8 byte order mark. It used to be read as part of
   * the first value: the first NDJSON line, or the whole of a pretty document, was dead-lettered.
   */
  @Test
  void aByteOrderMarkIsIgnored() throws Exception {
    String a = "{\"a\":1}";
    assertEquals(
        List.of(record(1, a), record(2, "{\"b\":2}")), split("\uFEFF" + a + "\n{\"b\":2}\n"));
    String document = "{\n  \"data\": [],\n  \"timestamp\": 1\n}\n";
    assertEquals(List.of(record(1, compact(document))), split("\uFEFF" + document));
  }
}

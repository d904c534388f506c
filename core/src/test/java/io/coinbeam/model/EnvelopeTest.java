package io.coinbeam.model;

import static io.coinbeam.model.JsonFieldsTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvelopeTest {

  private static String failure(String document) {
    return assertThrows(MalformedRecordException.class, () -> Envelope.parse(json(document)))
        .getMessage();
  }

  @Test
  void arrayDataGivesOneRowEachWithTheEnvelopeTime() throws Exception {
    Envelope envelope =
        Envelope.parse(
            json("{\"data\":[{\"id\":\"a\"},{\"id\":\"b\"}],\"timestamp\":1627297413424}"));
    assertEquals(2, envelope.rows().size());
    assertEquals("a", envelope.rows().get(0).get("id").asText());
    assertEquals("b", envelope.rows().get(1).get("id").asText());
    assertEquals(1_627_297_413_424L, envelope.timestampMillis());
  }

  @Test
  void objectDataIsOneRow() throws Exception {
    Envelope envelope =
        Envelope.parse(json("{\"data\":{\"id\":\"polkadot\"},\"timestamp\":1627299055657}"));
    assertEquals(1, envelope.rows().size());
    assertEquals("polkadot", envelope.rows().get(0).get("id").asText());
  }

  @Test
  void emptyDataArrayIsAnEmptyEnvelopeNotAnError() throws Exception {
    Envelope envelope = Envelope.parse(json("{\"data\":[],\"timestamp\":1627297413424}"));
    assertEquals(List.of(), envelope.rows());
  }

  @Test
  void unknownTopLevelKeysAreIgnoredAndKeyOrderDoesNotMatter() throws Exception {
    Envelope envelope =
        Envelope.parse(
            json("{\"timestamp\":1763753634750,\"credits\":3,\"data\":[{\"id\":\"bitcoin\"}]}"));
    assertEquals(1, envelope.rows().size());
    assertEquals(1_763_753_634_750L, envelope.timestampMillis());
  }

  @Test
  void theV2ShutdownBodyExplainsItself() {
    String message =
        failure(
            "{\"data\":{\"message\":\"We are deprecating this version of the CoinCap API on March"
                + " 31, 2025.\"},\"timestamp\":1744796832910}");
    assertTrue(message.contains("v2 API was shut down on 2025-03-31"), message);
    assertTrue(message.contains("https://rest.coincap.io/v3"), message);
    assertTrue(message.contains("We are deprecating this version"), message);
  }

  @Test
  void anObjectWithAMessageAndOtherKeysIsARowNotTheShutdownBody() throws Exception {
    // Only a lone "message" is the shutdown body; a row may well have a message field.
    Envelope envelope =
        Envelope.parse(
            json("{\"data\":{\"id\":\"x\",\"message\":\"hi\"},\"timestamp\":1627299055657}"));
    assertEquals(1, envelope.rows().size());
  }

  @Test
  void anErrorBodyIsReportedWithItsText() {
    assertEquals(
        "CoinCap answered with an error: Too many requests",
        failure("{\"error\":\"Too many requests\",\"timestamp\":1744796832910}"));
  }

  @Test
  void aNullErrorIsNotAnError() throws Exception {
    Envelope envelope =
        Envelope.parse(json("{\"error\":null,\"data\":[],\"timestamp\":1744796832910}"));
    assertEquals(0, envelope.rows().size());
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "[{\"data\":[]}]", "\"data\"", "42", "null"})
  void nonObjectDocumentsAreRejected(String document) {
    assertTrue(failure(document).startsWith("expected a CoinCap envelope (a JSON object), got "));
  }

  @Test
  void missingOrNullDataIsRejected() {
    assertEquals("not a CoinCap envelope: no \"data\"", failure("{\"timestamp\":1744796832910}"));
    assertEquals(
        "not a CoinCap envelope: no \"data\"",
        failure("{\"data\":null,\"timestamp\":1744796832910}"));
    // a trade message fed to a snapshot stream by mistake
    assertEquals(
        "not a CoinCap envelope: no \"data\"",
        failure("{\"exchange\":\"bitso\",\"price\":1,\"timestamp\":1651686997237}"));
  }

  @Test
  void scalarDataIsRejected() {
    assertEquals(
        "\"data\" must be an array or an object, got STRING",
        failure("{\"data\":\"x\",\"timestamp\":1744796832910}"));
  }

  @Test
  void theTimestampIsRequiredAndChecked() {
    assertEquals("missing timestamp", failure("{\"data\":[]}"));
    String faked = failure("{\"data\":[],\"timestamp\":2130914394831867904}");
    assertTrue(faked.contains("2130914394831867904"), faked);
    assertTrue(faked.contains("between 2009 and 2100"), faked);
  }

  @Test
  void aSecondsTimestampIsScaled() throws Exception {
    assertEquals(
        1_744_796_832_000L,
        Envelope.parse(json("{\"data\":[],\"timestamp\":1744796832}")).timestampMillis());
  }
}

package io.coinbeam.rows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.coinbeam.schema.TableDefinition;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** RowBuilder makes the same rows as Beam's by-name builder, and refuses what it refuses. */
class RowBuilderTest {
  private final Schema deadLetters = BeamSchemas.of(TableDefinition.named("dead_letters"));

  @Test
  void sameRowAsBeamsBuilder() {
    Instant at = new Instant(1_715_076_000_123L);
    Row beams =
        Row.withSchema(deadLetters)
            .withFieldValues(
                Map.of(
                    "stream", "trades",
                    "source", "f.ndjson:3",
                    "payload", "{",
                    "error", "not valid JSON",
                    "observed_at", at))
            .build();
    Row ours =
        RowBuilder.of(deadLetters)
            .set("error", "not valid JSON")
            .set("observed_at", at)
            .set("payload", "{")
            .set("stream", "trades")
            .set("source", "f.ndjson:3")
            .build();
    assertEquals(beams, ours);
    assertEquals("f.ndjson:3", ours.getString("source"));
  }

  @Test
  void fieldsNotSetAreNull() {
    Schema schema =
        Schema.builder().addStringField("a").addNullableField("b", Schema.FieldType.DOUBLE).build();
    Row row = RowBuilder.of(schema).set("a", "x").build();
    assertNull(row.getDouble("b"));
  }

  @Test
  void anUnknownFieldIsRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> RowBuilder.of(deadLetters).set("no_such", 1));
  }

  @Test
  void aNullRequiredFieldOrAWrongTypeIsRefused() {
    Schema schema = Schema.builder().addStringField("a").addInt64Field("n").build();
    assertThrows(RuntimeException.class, () -> RowBuilder.of(schema).set("n", 1L).build());
    assertThrows(
        RuntimeException.class, () -> RowBuilder.of(schema).set("a", "x").set("n", "1").build());
  }
}

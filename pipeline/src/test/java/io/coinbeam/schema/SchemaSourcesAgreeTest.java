package io.coinbeam.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.io.bigquery.BigQuerySchemas;
import io.coinbeam.rows.BeamSchemas;
import io.coinbeam.rows.DeadLetters;
import io.coinbeam.testing.ProjectFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema.Type;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One schema source: {@code schemas/<table>.json} is read as it is by Terraform, and every schema
 * the pipeline derives from it (BigQuery TableSchema, Beam schema, Parquet's Avro schema) must say
 * the same thing. Each comparison below reads the JSON file itself, not through TableDefinition, so
 * a drift in either the files or the derivations fails here.
 */
class SchemaSourcesAgreeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> FIELD_KEYS = Set.of("name", "type", "mode", "description");
  private static final Path SCHEMAS =
      ProjectFiles.root().resolve("core/src/main/resources/schemas");

  static List<String> tables() {
    return TableDefinition.allNames();
  }

  private static JsonNode file(String name) throws IOException {
    return JSON.readTree(SCHEMAS.resolve(name + ".json").toFile());
  }

  /** The Beam type a BigQuery type name must become, spelled out here on purpose. */
  private static FieldType beamType(String bigQueryType) {
    return switch (bigQueryType) {
      case "STRING" -> FieldType.STRING;
      case "INTEGER", "INT64" -> FieldType.INT64;
      case "FLOAT", "FLOAT64" -> FieldType.DOUBLE;
      case "BOOLEAN", "BOOL" -> FieldType.BOOLEAN;
      case "TIMESTAMP" -> FieldType.DATETIME;
      default -> throw new AssertionError("type the pipeline cannot write: " + bigQueryType);
    };
  }

  @ParameterizedTest
  @MethodSource("tables")
  void fieldsUseOnlyWhatTheSinksUnderstand(String name) throws IOException {
    for (JsonNode field : file(name)) {
      Set<String> keys = new TreeSet<>();
      field.fieldNames().forEachRemaining(keys::add);
      assertEquals(
          new TreeSet<>(FIELD_KEYS), keys, name + ": every field has exactly " + FIELD_KEYS);
      assertTrue(Set.of("REQUIRED", "NULLABLE").contains(field.get("mode").asText()), name);
      beamType(field.get("type").asText());
      assertFalse(field.get("description").asText().isBlank(), name + " needs descriptions");
    }
  }

  @ParameterizedTest
  @MethodSource("tables")
  void bigQueryTableSchemaIsTheFile(String name) throws IOException {
    JsonNode built = JSON.valueToTree(BigQuerySchemas.tableSchema(TableDefinition.named(name)));
    assertEquals(file(name), built.get("fields"), name);
  }

  @ParameterizedTest
  @MethodSource("tables")
  void beamSchemaHasTheFilesNamesTypesAndModes(String name) throws IOException {
    Schema beam = BeamSchemas.of(TableDefinition.named(name));
    JsonNode fields = file(name);
    assertEquals(fields.size(), beam.getFieldCount(), name);
    for (int i = 0; i < fields.size(); i++) {
      JsonNode field = fields.get(i);
      Schema.Field column = beam.getField(i);
      assertEquals(field.get("name").asText(), column.getName(), name);
      assertEquals(
          beamType(field.get("type").asText()), column.getType().withNullable(false), name);
      assertEquals(
          "NULLABLE".equals(field.get("mode").asText()),
          column.getType().getNullable(),
          name + "." + column.getName());
      assertEquals(field.get("description").asText(), column.getDescription(), name);
    }
  }

  @ParameterizedTest
  @MethodSource("tables")
  void parquetSchemaHasTheFilesNamesTypesAndModes(String name) throws IOException {
    org.apache.avro.Schema avro = BeamSchemas.avro(TableDefinition.named(name));
    JsonNode fields = file(name);
    assertEquals(fields.size(), avro.getFields().size(), name);
    for (int i = 0; i < fields.size(); i++) {
      JsonNode field = fields.get(i);
      org.apache.avro.Schema.Field column = avro.getFields().get(i);
      String where = name + "." + column.name();
      assertEquals(field.get("name").asText(), column.name(), name);
      org.apache.avro.Schema type = column.schema();
      boolean nullable = "NULLABLE".equals(field.get("mode").asText());
      if (nullable) {
        assertEquals(Type.UNION, type.getType(), where + " is NULLABLE: a union with null");
        assertEquals(Type.NULL, type.getTypes().get(0).getType(), where);
        type = type.getTypes().get(1);
      } else {
        assertFalse(type.getType() == Type.UNION, where + " is REQUIRED: no null");
      }
      switch (field.get("type").asText()) {
        case "STRING" -> assertEquals(Type.STRING, type.getType(), where);
        case "INTEGER", "INT64" -> assertEquals(Type.LONG, type.getType(), where);
        case "FLOAT", "FLOAT64" -> assertEquals(Type.DOUBLE, type.getType(), where);
        case "BOOLEAN", "BOOL" -> assertEquals(Type.BOOLEAN, type.getType(), where);
        case "TIMESTAMP" -> {
          assertEquals(Type.LONG, type.getType(), where);
          assertEquals(LogicalTypes.timestampMillis(), type.getLogicalType(), where);
        }
        default -> throw new AssertionError(where);
      }
    }
  }

  /** tables.json names exactly the schema files, and its columns are usable by BigQuery. */
  @Test
  void tablesJsonDescribesEverySchemaFile() throws IOException {
    JsonNode manifest = JSON.readTree(SCHEMAS.resolve("tables.json").toFile());
    Set<String> files = new TreeSet<>();
    try (Stream<Path> listing = Files.list(SCHEMAS)) {
      listing
          .map(p -> p.getFileName().toString())
          .filter(f -> f.endsWith(".json") && !f.equals("tables.json"))
          .forEach(f -> files.add(f.substring(0, f.length() - ".json".length())));
    }
    Set<String> declared = new TreeSet<>();
    manifest.fieldNames().forEachRemaining(declared::add);
    assertEquals(files, declared);

    for (Map.Entry<String, JsonNode> entry : iterable(manifest)) {
      String name = entry.getKey();
      Map<String, JsonNode> columns = new java.util.HashMap<>();
      file(name).forEach(f -> columns.put(f.get("name").asText(), f));
      for (JsonNode key : entry.getValue().get("key")) {
        assertTrue(columns.containsKey(key.asText()), name + " key " + key);
      }
      JsonNode partition = columns.get(entry.getValue().get("partition").asText());
      assertEquals("TIMESTAMP", partition.get("type").asText(), name + ": day partitions");
      assertEquals("REQUIRED", partition.get("mode").asText(), name + ": no NULL partition");
      JsonNode clustering = entry.getValue().get("clustering");
      assertTrue(clustering.size() >= 1 && clustering.size() <= 4, name + ": 1-4 columns");
      for (JsonNode c : clustering) {
        JsonNode column = columns.get(c.asText());
        assertTrue(column != null, name + " clustering " + c);
        // BigQuery does not cluster on FLOAT.
        assertFalse(column.get("type").asText().startsWith("FLOAT"), name + " clustering " + c);
      }
    }
  }

  /** Every table the pipeline writes is in tables.json, and nothing else is. */
  @Test
  void pipelineWritesExactlyTheDeclaredTables() {
    Set<String> written = new TreeSet<>();
    for (CoinCapStream stream : CoinCapStream.values()) {
      written.add(stream.tableName());
    }
    written.add(DeadLetters.table().name());
    assertEquals(written, new TreeSet<>(TableDefinition.allNames()));
  }

  private static List<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
    List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
    node.fields().forEachRemaining(entries::add);
    return entries;
  }
}

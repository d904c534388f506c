package io.coinbeam.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A table the pipeline writes, read from the one schema source: {@code schemas/<table>.json} (a
 * BigQuery JSON schema, also read by Terraform) and {@code schemas/tables.json} (keys, partition
 * and clustering columns). Beam, Parquet, PostgreSQL and BigQuery schemas are all derived from
 * this.
 */
public final class TableDefinition implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final String SCHEMA_DIR = "/schemas/";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, TableDefinition> CACHE = new ConcurrentHashMap<>();

  private final String name;
  private final List<Column> columns;
  private final List<String> key;
  private final String partitionColumn;
  private final List<String> clusteringColumns;

  private TableDefinition(
      String name,
      List<Column> columns,
      List<String> key,
      String partitionColumn,
      List<String> clusteringColumns) {
    this.name = name;
    this.columns = List.copyOf(columns);
    this.key = List.copyOf(key);
    this.partitionColumn = partitionColumn;
    this.clusteringColumns = List.copyOf(clusteringColumns);
    for (String k : key) {
      if (columns.stream().noneMatch(c -> c.name().equals(k))) {
        throw new IllegalStateException(name + ": key column " + k + " is not in its schema");
      }
    }
  }

  /** The table of that name, from the schema files on the classpath. */
  public static TableDefinition named(String name) {
    return CACHE.computeIfAbsent(name, TableDefinition::load);
  }

  /** The names of every table in {@code schemas/tables.json}, in file order. */
  public static List<String> allNames() {
    List<String> names = new ArrayList<>();
    manifest().fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static TableDefinition load(String name) {
    JsonNode entry = manifest().get(name);
    if (entry == null) {
      throw new IllegalArgumentException("no table " + name + " in schemas/tables.json");
    }
    JsonNode fields = readJson(name + ".json");
    List<Column> columns = new ArrayList<>();
    for (JsonNode field : fields) {
      columns.add(
          new Column(
              field.get("name").asText(),
              ColumnType.parse(field.get("type").asText()),
              !"REQUIRED".equals(field.path("mode").asText("NULLABLE")),
              field.path("description").asText("")));
    }
    return new TableDefinition(
        name,
        columns,
        texts(entry.get("key")),
        entry.get("partition").asText(),
        texts(entry.get("clustering")));
  }

  private static JsonNode manifest() {
    return readJson("tables.json");
  }

  private static JsonNode readJson(String file) {
    try (InputStream in = TableDefinition.class.getResourceAsStream(SCHEMA_DIR + file)) {
      if (in == null) {
        throw new IllegalStateException("schema file missing from the classpath: " + file);
      }
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read schema file " + file, e);
    }
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  public String name() {
    return name;
  }

  public List<Column> columns() {
    return columns;
  }

  /** The primary key: natural id columns and, for aggregates, {@code window_start}. */
  public List<String> key() {
    return key;
  }

  public String partitionColumn() {
    return partitionColumn;
  }

  public List<String> clusteringColumns() {
    return clusteringColumns;
  }

  @Override
  public String toString() {
    return name;
  }
}

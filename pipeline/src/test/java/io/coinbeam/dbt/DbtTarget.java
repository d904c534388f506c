package io.coinbeam.dbt;

import java.util.Map;

/**
 * The dbt target a render is for: its adapter type ({@code postgres} or {@code bigquery}) and the
 * schema models are built in (the pipeline's tables are where the sources YAML says).
 */
record DbtTarget(String type, String schema) {
  /** The {@code target} variable as models see it. */
  Map<String, Object> asJinja() {
    return Map.of("type", type, "name", type, "schema", schema, "database", "coinbeam");
  }

  /** A relation name in this target's dialect. */
  String relation(String schemaName, String name) {
    if (type.equals("bigquery")) {
      return "`" + schemaName + "`.`" + name + "`";
    }
    return "\"" + schemaName + "\".\"" + name + "\"";
  }
}

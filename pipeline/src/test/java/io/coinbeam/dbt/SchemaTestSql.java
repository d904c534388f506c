package io.coinbeam.dbt;

import java.util.List;
import java.util.stream.Collectors;

/**
 * dbt's four generic tests as SQL that selects the failing rows, as dbt compiles them: unique,
 * not_null, accepted_values (nulls pass) and relationships (a null child passes). Other tests are
 * refused, so a YAML file cannot ask for a test the harness would skip.
 */
final class SchemaTestSql {
  private SchemaTestSql() {}

  static String compile(DbtProject.SchemaTest test, DbtRunner runner) {
    String model = runner.relation(test.model());
    String column = DbtRunner.quote(test.column());
    return switch (test.kind()) {
      case "not_null" -> "SELECT * FROM " + model + " WHERE " + column + " IS NULL";
      case "unique" ->
          "SELECT "
              + column
              + ", count(*) FROM "
              + model
              + " WHERE "
              + column
              + " IS NOT NULL GROUP BY "
              + column
              + " HAVING count(*) > 1";
      case "accepted_values" -> {
        Object values = test.arguments().get("values");
        if (!(values instanceof List<?> list) || list.isEmpty()) {
          throw new IllegalArgumentException(test.name() + ": accepted_values needs values");
        }
        String literals =
            list.stream()
                .map(v -> "'" + String.valueOf(v).replace("'", "''") + "'")
                .collect(Collectors.joining(", "));
        yield "SELECT "
            + column
            + " FROM "
            + model
            + " WHERE "
            + column
            + " IS NOT NULL AND "
            + column
            + " NOT IN ("
            + literals
            + ")";
      }
      case "relationships" -> {
        Object to = test.arguments().get("to");
        Object field = test.arguments().get("field");
        if (to == null || field == null) {
          throw new IllegalArgumentException(test.name() + ": relationships needs to and field");
        }
        String parent = runner.renderExpression(String.valueOf(to));
        String parentField = DbtRunner.quote(String.valueOf(field));
        yield "SELECT child."
            + column
            + " FROM "
            + model
            + " AS child LEFT JOIN "
            + parent
            + " AS parent ON child."
            + column
            + " = parent."
            + parentField
            + " WHERE child."
            + column
            + " IS NOT NULL AND parent."
            + parentField
            + " IS NULL";
      }
      default ->
          throw new IllegalArgumentException(
              test.name() + ": test '" + test.kind() + "' is not supported by the harness");
    };
  }
}

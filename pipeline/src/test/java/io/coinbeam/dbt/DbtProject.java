package io.coinbeam.dbt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/**
 * The dbt project in {@code dbt/} as the harness reads it: models (one {@code .sql} file each under
 * models/, with the folder's materialization from dbt_project.yml), the macros, vars, the sources
 * and schema tests of the YAML files, and the singular tests in tests/.
 */
final class DbtProject {
  /** One model file. */
  record Model(String name, Path path, String folder, String sql, String defaultMaterialized) {}

  /** One test of a column: its kind (unique, not_null, accepted_values, relationships) and args. */
  record SchemaTest(String model, String column, String kind, Map<String, Object> arguments) {
    String name() {
      return kind + "_" + model + "_" + column;
    }
  }

  private final Path dir;
  private final Map<String, Model> models = new TreeMap<>();
  private final Map<String, String> sources = new TreeMap<>();
  private final List<SchemaTest> schemaTests = new ArrayList<>();
  private final Map<String, String> singularTests = new TreeMap<>();
  private final Map<String, Object> vars = new LinkedHashMap<>();
  private String macros = "";

  private DbtProject(Path dir) {
    this.dir = dir;
  }

  /** Reads the project for target; the YAML files are rendered (env_var, target) before parsing. */
  static DbtProject load(Path dir, DbtTarget target, JinjaRenderer renderer) {
    DbtProject project = new DbtProject(dir);
    try {
      project.read(target, renderer);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return project;
  }

  @SuppressWarnings("unchecked")
  private void read(DbtTarget target, JinjaRenderer renderer) throws IOException {
    Map<String, Object> projectYml =
        new Yaml().load(Files.readString(dir.resolve("dbt_project.yml")));
    String projectName = (String) projectYml.get("name");
    Object projectVars = projectYml.get("vars");
    if (projectVars instanceof Map<?, ?> map) {
      vars.putAll((Map<String, Object>) map);
    }
    Map<String, Object> folderConfig =
        (Map<String, Object>)
            ((Map<String, Object>) projectYml.getOrDefault("models", Map.of()))
                .getOrDefault(projectName, Map.of());

    StringBuilder macroText = new StringBuilder();
    for (Path file : sorted(dir.resolve("macros"), ".sql")) {
      macroText.append(Files.readString(file)).append('\n');
    }
    macros = macroText.toString();

    Path modelsDir = dir.resolve("models");
    for (Path file : sorted(modelsDir, ".sql")) {
      String name = file.getFileName().toString().replaceFirst("\\.sql$", "");
      String folder = modelsDir.relativize(file.getParent()).toString();
      Object folderSettings = folderConfig.get(folder);
      String materialized = "view"; // dbt's default
      if (folderSettings instanceof Map<?, ?> settings && settings.get("+materialized") != null) {
        materialized = String.valueOf(settings.get("+materialized"));
      }
      if (models.put(name, new Model(name, file, folder, Files.readString(file), materialized))
          != null) {
        throw new IllegalArgumentException("two models are named " + name);
      }
    }

    // YAML first without sources (a render needs the project), then with them.
    for (Path file : sorted(modelsDir, ".yml")) {
      String text =
          renderer.render(Files.readString(file), new RenderScope(this, target, false), "", null);
      Map<String, Object> yml = new Yaml().load(text);
      for (Map<String, Object> source :
          (List<Map<String, Object>>) yml.getOrDefault("sources", List.of())) {
        String schema = String.valueOf(source.getOrDefault("schema", source.get("name")));
        for (Map<String, Object> table : (List<Map<String, Object>>) source.get("tables")) {
          if (table.containsKey("columns")) {
            throw new IllegalArgumentException(
                file + ": tests on source columns are not supported by the harness");
          }
          sources.put(source.get("name") + "." + table.get("name"), schema);
        }
      }
      for (Map<String, Object> model :
          (List<Map<String, Object>>) yml.getOrDefault("models", List.of())) {
        String modelName = (String) model.get("name");
        if (!models.containsKey(modelName)) {
          throw new IllegalArgumentException(file + " describes " + modelName + ", not a model");
        }
        if (model.containsKey("data_tests") || model.containsKey("tests")) {
          throw new IllegalArgumentException(
              file + ": model-level tests are not supported by the harness; test columns");
        }
        for (Map<String, Object> column :
            (List<Map<String, Object>>) model.getOrDefault("columns", List.of())) {
          Object tests = column.getOrDefault("data_tests", column.get("tests"));
          for (Object test : tests == null ? List.of() : (List<Object>) tests) {
            String columnName = (String) column.get("name");
            if (test instanceof String kind) {
              schemaTests.add(new SchemaTest(modelName, columnName, kind, Map.of()));
            } else {
              Map<String, Object> one = (Map<String, Object>) test;
              if (one.size() != 1) {
                throw new IllegalArgumentException(file + ": a test is one name, got " + one);
              }
              Map.Entry<String, Object> entry = one.entrySet().iterator().next();
              schemaTests.add(
                  new SchemaTest(
                      modelName,
                      columnName,
                      entry.getKey(),
                      (Map<String, Object>) entry.getValue()));
            }
          }
        }
      }
    }

    Path testsDir = dir.resolve("tests");
    for (Path file : sorted(testsDir, ".sql")) {
      singularTests.put(
          file.getFileName().toString().replaceFirst("\\.sql$", ""), Files.readString(file));
    }
  }

  private static List<Path> sorted(Path root, String suffix) throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    }
  }

  Path dir() {
    return dir;
  }

  Map<String, Model> models() {
    return models;
  }

  /** "source.table" to the schema that holds it. */
  Map<String, String> sources() {
    return sources;
  }

  List<SchemaTest> schemaTests() {
    return schemaTests;
  }

  Map<String, String> singularTests() {
    return singularTests;
  }

  Map<String, Object> vars() {
    return vars;
  }

  String macros() {
    return macros;
  }
}

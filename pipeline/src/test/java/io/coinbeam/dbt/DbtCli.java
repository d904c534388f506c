package io.coinbeam.dbt;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coinbeam.testing.ProjectFiles;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Real dbt, run as a subprocess on the project's {@code dbt/} folder, so that tests prove what
 * users run: dbt's own reading of the project, its materializations, tests and freshness. It uses
 * the shipped {@code profiles.example.yml} as the profile (everything in it comes from the
 * environment a run is given) and keeps each run's artifacts ({@code run_results.json}, {@code
 * sources.json}, {@code manifest.json}) in a folder of the test's own, never in {@code dbt/target}.
 *
 * <p>Which dbt: {@code -Dcoinbeam.dbt} (what {@code make test} passes: dbt/.venv's, or the user's
 * {@code DBT=}), else {@code dbt/.venv/bin/dbt}. A test that needs dbt and finds none fails when
 * {@code make test} or CI ({@code CI=true}) runs it, and is skipped with a message only in a plain
 * {@code mvn test} outside CI, where the venv may simply not have been made yet.
 */
final class DbtCli {
  static final Path PROJECT = ProjectFiles.root().resolve("dbt");
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final long TIMEOUT_MINUTES = 5;

  private final String executable;
  private final Path work;
  private final Path profiles;

  /** The output of one dbt command and the artifacts it wrote. */
  record Result(String label, List<String> command, int exitCode, String output, Path targetPath) {
    JsonNode artifact(String name) {
      Path file = targetPath.resolve(name);
      if (!Files.isRegularFile(file)) {
        fail(label + ": dbt wrote no " + name + "; its output:\n" + output);
      }
      try {
        return JSON.readTree(file.toFile());
      } catch (IOException e) {
        throw new IllegalStateException(file + ": " + e.getMessage(), e);
      }
    }

    /** unique_id -> status of every node in run_results.json (success, pass, fail, error...). */
    Map<String, String> statuses() {
      Map<String, String> statuses = new LinkedHashMap<>();
      for (JsonNode result : artifact("run_results.json").path("results")) {
        statuses.put(result.path("unique_id").asText(), result.path("status").asText());
      }
      return statuses;
    }

    /** The run_results.json entry of one node. */
    JsonNode result(String uniqueId) {
      for (JsonNode result : artifact("run_results.json").path("results")) {
        if (result.path("unique_id").asText().equals(uniqueId)) {
          return result;
        }
      }
      return fail(label + ": no result for " + uniqueId + " in run_results.json");
    }

    @Override
    public String toString() {
      return label + " (" + String.join(" ", command) + ", exit " + exitCode + ")";
    }
  }

  private DbtCli(String executable, Path work) throws IOException {
    this.executable = executable;
    this.work = work;
    this.profiles = Files.createDirectories(work.resolve("profiles"));
    Files.copy(PROJECT.resolve("profiles.example.yml"), profiles.resolve("profiles.yml"));
  }

  /** dbt as described above, with its artifacts under work; fails or skips when there is none. */
  static DbtCli locate(Path work) throws IOException {
    String given = System.getProperty("coinbeam.dbt", "");
    if (!given.isBlank()) {
      String found = resolve(given);
      if (found == null) {
        fail(
            "coinbeam.dbt="
                + given
                + " is not an executable dbt (make test passes dbt/.venv/bin/dbt: make"
                + " dbt-install makes it; DBT= names your own)");
      }
      return new DbtCli(found, work);
    }
    Path venv = PROJECT.resolve(".venv/bin/dbt");
    if (Files.isExecutable(venv)) {
      return new DbtCli(venv.toString(), work);
    }
    String message =
        "dbt is not installed in "
            + venv
            + ": run make dbt-install (make test does it first), or pass -Dcoinbeam.dbt=<your dbt>";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(message);
    }
    Assumptions.abort(message);
    return null;
  }

  private static String resolve(String command) {
    if (command.contains("/")) {
      return Files.isExecutable(Path.of(command)) ? command : null;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, command);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }

  /**
   * The Python beside dbt (a virtual environment's), which has the duckdb module dbt-duckdb uses.
   */
  Path python() {
    Path python = Path.of(executable).toAbsolutePath().getParent().resolve("python");
    if (!Files.isExecutable(python)) {
      fail(python + " is missing: the DuckDB check reads the marts with the python of dbt's venv");
    }
    return python;
  }

  /**
   * Runs {@code dbt <args> --project-dir dbt --profiles-dir <copy of profiles.example.yml>} with
   * env added to this JVM's environment; label names the run's artifact folder.
   */
  Result run(String label, Map<String, String> env, String... args) throws Exception {
    Path targetPath = work.resolve("target-" + label);
    List<String> command = new ArrayList<>();
    command.add(executable);
    command.addAll(List.of(args));
    command.addAll(
        List.of(
            "--project-dir",
            PROJECT.toString(),
            "--profiles-dir",
            profiles.toString(),
            "--target-path",
            targetPath.toString(),
            "--log-path",
            work.resolve("logs-" + label).toString()));
    return exec(label, command, env, targetPath);
  }

  /** Runs any command (the venv's python, say) the same way: output captured, a time limit. */
  Result exec(String label, List<String> command, Map<String, String> env, Path targetPath)
      throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.directory(work.toFile());
    builder.environment().putAll(env);
    // dbt asks the network for its newest version and sends usage events unless told not to.
    builder.environment().put("DBT_VERSION_CHECK", "false");
    builder.environment().put("DBT_SEND_ANONYMOUS_USAGE_STATS", "false");
    builder.environment().put("DBT_USE_COLORS", "false");
    Path log = Files.createTempFile(work, label + "-", ".out");
    builder.redirectOutput(log.toFile());
    Process process = builder.start();
    if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      fail(label + ": " + command + " did not finish in " + TIMEOUT_MINUTES + " minutes");
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    return new Result(label, command, process.exitValue(), output, targetPath);
  }
}

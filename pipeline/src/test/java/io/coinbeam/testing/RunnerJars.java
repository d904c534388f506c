package io.coinbeam.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.RunnerJvmFlags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The runner fat jars {@code make test} builds and passes in as {@code coinbeam.runner.jars}, and
 * the command that runs one as a user would: for tests that start a runner in a process of its own.
 */
public final class RunnerJars {
  private RunnerJars() {}

  /** {@code coinbeam-<runner>.jar}, failing the test when it was not built. */
  public static Path jar(String runner) {
    Path jar = Path.of(System.getProperty("coinbeam.runner.jars"), "coinbeam-" + runner + ".jar");
    assertTrue(Files.isRegularFile(jar), jar + " is missing: build it with make jars");
    return jar;
  }

  /**
   * The ingest tools' jar (broker, replay, ingester) that {@code make test} builds beside the
   * runner jars and passes in as {@code coinbeam.ingest.jar}, failing the test when it is missing.
   */
  public static Path ingestJar() {
    String given = System.getProperty("coinbeam.ingest.jar");
    Path jar =
        given != null && !given.isBlank()
            ? Path.of(given)
            : ProjectFiles.root().resolve("ingest/target/coinbeam-ingest.jar");
    assertTrue(Files.isRegularFile(jar), jar + " is missing: build it with make tools");
    return jar;
  }

  /** {@code java -Xmx2g <add-opens> -jar coinbeam-<runner>.jar}; the caller appends the flags. */
  public static List<String> javaCommand(String runner) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx2g");
    command.addAll(RunnerJvmFlags.ADD_OPENS);
    command.add("-jar");
    command.add(jar(runner).toString());
    return command;
  }
}

package io.coinbeam;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The JVM flags an in-process Flink ({@code [local]}) or Spark ({@code local[*]}) run needs on Java
 * 17. Both engines then run inside the launching JVM and reach into JDK internals by reflection
 * (serialisers, closure cleaning, memory management), which Java 17's strong encapsulation refuses
 * unless those {@code java.base} packages are opened to the class path ({@code ALL-UNNAMED}). The
 * Direct runner needs none of them.
 *
 * <p>The packages are typed once, in the resource {@code io/coinbeam/add-opens.txt} (one a line,
 * {@code #} comments): this class reads it for what the project starts itself (the benchmark, the
 * runner-jar tests), and the Makefile reads the same file for ADD_OPENS, what users run.
 */
public final class RunnerJvmFlags {
  /** The resource beside this class that lists the packages. */
  static final String PACKAGES_FILE = "add-opens.txt";

  /** The java.base packages to open, in the file's order. */
  public static final List<String> PACKAGES = readPackages();

  /** One {@code --add-opens=java.base/<package>=ALL-UNNAMED} per package, in the file's order. */
  public static final List<String> ADD_OPENS =
      PACKAGES.stream().map(p -> "--add-opens=java.base/" + p + "=ALL-UNNAMED").toList();

  private RunnerJvmFlags() {}

  private static List<String> readPackages() {
    try (InputStream in = RunnerJvmFlags.class.getResourceAsStream(PACKAGES_FILE)) {
      if (in == null) {
        throw new IllegalStateException(
            "io/coinbeam/" + PACKAGES_FILE + " is missing from the classpath");
      }
      List<String> packages =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))
              .lines()
              .map(String::strip)
              .filter(line -> !line.isEmpty() && !line.startsWith("#"))
              .toList();
      if (packages.isEmpty()) {
        throw new IllegalStateException("io/coinbeam/" + PACKAGES_FILE + " lists no packages");
      }
      return packages;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read io/coinbeam/" + PACKAGES_FILE, e);
    }
  }
}

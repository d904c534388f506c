package io.coinbeam.testing;

import java.nio.file.Path;

/** The repository root, which surefire passes in, for tests that read the bundled sample. */
public final class ProjectFiles {
  private ProjectFiles() {}

  public static Path root() {
    return Path.of(System.getProperty("coinbeam.project.dir", "..")).toAbsolutePath().normalize();
  }
}

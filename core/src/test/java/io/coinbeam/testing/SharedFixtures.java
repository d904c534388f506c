package io.coinbeam.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the real captures in {@code ../shared/fixtures}. They are not part of the project; a test
 * that needs them is skipped, saying so, where the folder is absent.
 */
public final class SharedFixtures {
  private SharedFixtures() {}

  public static Path dir() {
    String configured = System.getProperty("coinbeam.shared.dir", "../shared");
    return Path.of(configured, "fixtures").toAbsolutePath().normalize();
  }

  /** The fixture file, or a skipped test with the reason when ../shared/fixtures is missing. */
  public static Path require(String relativePath) {
    Path file = dir().resolve(relativePath);
    assumeTrue(
        Files.isRegularFile(file),
        "skipped: real capture "
            + file
            + " is absent (../shared/fixtures is not beside the checkout)");
    return file;
  }
}

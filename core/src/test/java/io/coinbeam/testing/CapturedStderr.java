package io.coinbeam.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a test's code printed to {@code System.err}: the entry points report bad flags and failures
 * there, and tests assert on the message a person would read.
 *
 * <pre>
 * {@code @RegisterExtension final CapturedStderr stderr = new CapturedStderr(); ... stderr.text()}
 * </pre>
 */
public final class CapturedStderr implements BeforeEachCallback, AfterEachCallback {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private PrintStream original;

  @Override
  public void beforeEach(ExtensionContext context) {
    original = System.err;
    System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    System.setErr(original);
  }

  /** Everything printed to stderr since the test began. */
  public String text() {
    return bytes.toString(StandardCharsets.UTF_8);
  }
}

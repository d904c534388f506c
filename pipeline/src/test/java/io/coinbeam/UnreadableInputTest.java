package io.coinbeam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.testing.NeedsRunnerJars;
import io.coinbeam.testing.RunnerJars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An input file the user may not read stops the run before it starts, with exit code 2 and the file
 * named. Root reads every file, so where the tests run as root (CI) the Direct jar runs as the
 * unprivileged user {@code nobody}, as a user's own account would.
 */
@NeedsRunnerJars
class UnreadableInputTest {
  @TempDir Path dir;

  @Test
  void anUnreadableInputFileIsRefusedWithExitTwoAndItsName() throws Exception {
    Path trades = Files.createDirectories(dir.resolve("in/trades"));
    Files.writeString(trades.resolve("ok.ndjson"), "{}\n");
    Path secret = Files.writeString(trades.resolve("secret.ndjson"), "{}\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
    Path out = dir.resolve("out");
    // nobody must reach the folders, the jar and the output root.
    for (Path p : List.of(dir, dir.resolve("in"), trades)) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx"));
    }
    List<String> command = new ArrayList<>();
    if ("root".equals(System.getProperty("user.name"))) {
      command.addAll(List.of("runuser", "-u", "nobody", "--"));
    }
    command.addAll(RunnerJars.javaCommand("direct"));
    command.addAll(List.of("--streams=trades", "--input=" + trades + "/*", "--output=" + out));
    Path log = dir.resolve("run.log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertTrue(process.waitFor(2, TimeUnit.MINUTES));
    String output = Files.readString(log);
    assertEquals(CoinbeamPipeline.EXIT_USAGE, process.exitValue(), output);
    assertTrue(
        output.contains("cannot read input file " + secret + " (trades): check its permissions"),
        output);
    assertFalse(Files.exists(out), "nothing was written before the refusal");
  }
}

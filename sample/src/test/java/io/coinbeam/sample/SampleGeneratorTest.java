package io.coinbeam.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.testing.ProjectFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Determinism, the committed sample, and the command line. */
class SampleGeneratorTest {
  @TempDir Path dir;

  private static final Config SMALL =
      Config.defaults().withMinutes(12).withTrades(2_500).withFiles(2);

  @Test
  void sameSeedGivesIdenticalBytes() throws IOException {
    for (Config config : List.of(SMALL, SMALL.withGzip(true))) {
      Path a = dir.resolve("a" + config.gzip());
      Path b = dir.resolve("b" + config.gzip());
      SampleGenerator.generate(config, a);
      SampleGenerator.generate(config, b);
      Map<String, byte[]> first = files(a, false);
      Map<String, byte[]> second = files(b, false);
      assertEquals(first.keySet(), second.keySet());
      first.forEach((name, bytes) -> assertArrayEquals(bytes, second.get(name), name + " differs"));
    }
  }

  @Test
  void differentSeedGivesDifferentData() throws IOException {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    SampleGenerator.generate(SMALL, a);
    SampleGenerator.generate(SMALL.withSeed(43), b);
    Map<String, byte[]> first = files(a, true);
    Map<String, byte[]> second = files(b, true);
    // Same layout, different content in every data file.
    assertEquals(first.keySet(), second.keySet());
    for (String name : first.keySet()) {
      assertFalse(
          java.util.Arrays.equals(first.get(name), second.get(name)), name + " did not change");
    }
  }

  /**
   * {@code data/sample/} is exactly what {@link SampleGenerator#BUNDLED_SAMPLE} makes, and its
   * README quotes the flags that make it. Gzip files are compared by content: another zlib may
   * compress the same bytes differently.
   */
  @Test
  void bundledSampleIsWhatTheGeneratorMakes() throws IOException {
    Path committed = ProjectFiles.root().resolve("data/sample");
    assertTrue(Files.isDirectory(committed), committed + " is missing");
    SampleGenerator.generate(SampleGenerator.BUNDLED_SAMPLE, dir);
    Map<String, byte[]> expected = files(dir, true);
    Map<String, byte[]> actual = files(committed, true);
    // What people wrote about the data, not data.
    actual.remove("README.md");
    actual.remove(".gitattributes");
    assertEquals(
        expected.keySet(),
        actual.keySet(),
        "regenerate data/sample with the command in data/sample/README.md");
    expected.forEach(
        (name, bytes) ->
            assertArrayEquals(
                bytes,
                actual.get(name),
                name + " is stale: regenerate with the command in data/sample/README.md"));

    String readme = Files.readString(committed.resolve("README.md"));
    String flags = String.join(" ", SampleGenerator.BUNDLED_SAMPLE.toArgs());
    assertTrue(readme.contains(flags), "README.md must quote: " + flags);

    long bytes = 0;
    for (Path file : list(committed)) {
      bytes += Files.size(file);
    }
    assertTrue(bytes < 1_000_000, "the bundled sample should stay under 1 MB, is " + bytes);
  }

  @Test
  void commandLineWritesWhatTheApiWrites() throws IOException {
    Path api = dir.resolve("api");
    Path cli = dir.resolve("cli");
    SampleGenerator.generate(SMALL.withGzip(true), api);
    List<String> args = new ArrayList<>(SMALL.withGzip(true).toArgs());
    args.add("--out=" + cli);
    assertEquals(0, run(args.toArray(String[]::new)));
    Map<String, byte[]> fromApi = files(api, false);
    Map<String, byte[]> fromCli = files(cli, false);
    assertEquals(fromApi.keySet(), fromCli.keySet());
    fromApi.forEach((name, bytes) -> assertArrayEquals(bytes, fromCli.get(name), name));
  }

  @Test
  void commandLineDefaultsAndStreamSelection() throws IOException {
    assertEquals(0, run("--out", dir.toString(), "--minutes", "6", "--streams", "rates,trades"));
    Manifest manifest = Manifest.read(dir);
    assertEquals(List.of(CoinCapStream.TRADES, CoinCapStream.RATES), manifest.config().streams());
    assertEquals(600, manifest.config().trades(), "100 trades per minute by default");
    assertEquals(42, manifest.config().seed());
    assertFalse(Files.exists(dir.resolve("assets")));
    assertThrows(IllegalArgumentException.class, () -> manifest.stream(CoinCapStream.ASSETS));
  }

  @Test
  void commandLineRefusesToMixRunsUnlessToldToClean() throws IOException {
    assertEquals(0, run("--out", dir.toString(), "--minutes", "6", "--files", "3"));
    assertEquals(1, run("--out", dir.toString(), "--minutes", "6"));
    assertEquals(0, run("--out", dir.toString(), "--minutes", "6", "--clean"));
    try (Stream<Path> trades = Files.list(dir.resolve("trades"))) {
      assertEquals(1, trades.count(), "--clean removed the three old trade files");
    }
  }

  @Test
  void commandLineRejectsBadFlags() {
    assertEquals(2, run("--minutes", "5"));
    assertEquals(2, run("--out", dir.toString(), "--minutes", "many"));
    assertEquals(2, run("--out", dir.toString(), "--streams", "candles"));
    assertEquals(2, run("--out", dir.toString(), "--start", "yesterday"));
    assertEquals(2, run("--out", dir.toString(), "--trades", "3", "--files", "4"));
    assertEquals(2, run("--out", dir.toString(), "--colour"));
    assertEquals(0, run("--help"));
  }

  @Test
  void configRejectsNonsense() {
    assertThrows(IllegalArgumentException.class, () -> Config.defaults().withMinutes(0));
    assertThrows(IllegalArgumentException.class, () -> Config.defaults().withFiles(0));
    assertThrows(IllegalArgumentException.class, () -> Config.defaults().withTrades(0));
    assertThrows(IllegalArgumentException.class, () -> Config.defaults().withStreams(List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> Config.defaults().withStart(java.time.Instant.parse("2024-05-07T12:00:00.5Z")));
    // No trades stream: the trade count does not matter.
    Config.defaults().withStreams(List.of(CoinCapStream.ASSETS)).withTrades(0);
    assertNotEquals(SMALL, SMALL.withSeed(1));
  }

  private static int run(String... args) {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    PrintStream quiet = new PrintStream(sink, true, StandardCharsets.UTF_8);
    return SampleGenerator.run(args, quiet, quiet);
  }

  /** Every file under {@code root} by relative path; gzip files unzipped when asked. */
  static Map<String, byte[]> files(Path root, boolean gunzip) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    for (Path file : list(root)) {
      String name = root.relativize(file).toString().replace('\\', '/');
      byte[] bytes = Files.readAllBytes(file);
      if (gunzip && name.endsWith(".gz")) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
          bytes = in.readAllBytes();
        }
      }
      files.put(name, bytes);
    }
    return files;
  }

  private static List<Path> list(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }
}

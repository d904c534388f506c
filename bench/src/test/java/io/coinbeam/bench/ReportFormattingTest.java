package io.coinbeam.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's arithmetic and formatting: medians, tables, counts, ratios, flags. */
class ReportFormattingTest {

  @Test
  void medianOfAnOddCountIsTheMiddleValue() {
    assertEquals(new Spread(3, 5.0, 1.0, 9.0), Spread.of(List.of(9.0, 1.0, 5.0)));
  }

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertEquals(new Spread(4, 3.5, 1.0, 10.0), Spread.of(List.of(10.0, 3.0, 1.0, 4.0)));
  }

  @Test
  void oneMeasurementIsItsOwnSpread() {
    assertEquals(new Spread(1, 2.5, 2.5, 2.5), Spread.of(List.of(2.5)));
    assertThrows(IllegalArgumentException.class, () -> Spread.of(List.of()));
  }

  @Test
  void markdownTablePadsAlignsAndEscapes() {
    String table =
        new MarkdownTable("contender", "s")
            .alignRight(1)
            .row("Beam on Flink", "12.5")
            .row("a|b", "3")
            .render();
    assertEquals(
        "| contender     |    s |\n"
            + "| ------------- | ---: |\n"
            + "| Beam on Flink | 12.5 |\n"
            + "| a\\|b          |    3 |\n",
        table);
  }

  @Test
  void markdownTableRefusesARowOfTheWrongWidth() {
    assertThrows(IllegalArgumentException.class, () -> new MarkdownTable("a", "b").row("1"));
  }

  @Test
  void countsRatesAndRatiosReadWell() {
    assertEquals("1e5", BatchThroughput.count(100_000));
    assertEquals("1e7", BatchThroughput.count(10_000_000));
    assertEquals("3e5", BatchThroughput.count(300_000));
    assertEquals("3e7", BatchThroughput.count(30_000_000));
    assertEquals("2e6", BatchThroughput.count(2_000_000));
    assertEquals("2,500,000", BatchThroughput.count(2_500_000));
    assertEquals("999", BatchThroughput.count(999));
    assertEquals("8,765", BatchThroughput.rate(8765.4));
    assertEquals("1.25 M", BatchThroughput.rate(1_250_000));
    assertEquals("481 k", BatchThroughput.rate(480_600));
    assertEquals("3.14x", BatchThroughput.ratio(3.14159));
    assertEquals("12.3x", BatchThroughput.ratio(12.34));
    assertEquals("9.50", BatchThroughput.seconds(9.5));
    assertEquals("95.0", BatchThroughput.seconds(95.04));
    assertEquals("2 MB", BatchThroughput.megabytes(2 * 1048576L));
    assertEquals("-", BatchThroughput.megabytes(0));
  }

  @Test
  void sizesAcceptScientificNotationAndAreSorted() {
    assertEquals(List.of(1000L, 100_000L, 2_500_000L), BenchSettings.parseSizes("1e5, 2.5e6,1000"));
    assertThrows(IllegalArgumentException.class, () -> BenchSettings.parseSizes("1.5"));
    assertThrows(IllegalArgumentException.class, () -> BenchSettings.parseSizes("lots"));
  }

  @Test
  void quickRunsAreSmallAndUnprofiled() {
    BenchSettings quick = BenchSettings.parse(new String[] {"--quick"});
    assertEquals(List.of(100_000L, 300_000L), quick.sizes());
    assertEquals(1, quick.repetitions());
    assertEquals(false, quick.profile());
    BenchSettings full = BenchSettings.parse(new String[] {"--repetitions-largest=2"});
    assertEquals(List.of(100_000L, 1_000_000L, 10_000_000L), full.sizes());
    assertEquals(3, full.repetitionsAt(1_000_000L));
    assertEquals(2, full.repetitionsAt(10_000_000L));
    BenchSettings defaults = BenchSettings.parse(new String[0]);
    assertEquals(3, defaults.repetitionsAt(100_000L));
    assertEquals(1, defaults.repetitionsAt(10_000_000L));
    assertThrows(
        IllegalArgumentException.class, () -> BenchSettings.parse(new String[] {"--contenders=x"}));
  }

  @Test
  void versionsComeFromThePomProperties() {
    String pom =
        "<properties><beam.version>2.62.0</beam.version><flink.version> 1.19.0 </flink.version>";
    assertEquals("2.62.0", MachineInfo.property(pom, "beam.version"));
    assertEquals("1.19.0", MachineInfo.property(pom, "flink.version"));
    assertEquals("unknown", MachineInfo.property(pom, "spark.version"));
  }

  @Test
  void profileSamplesAreChargedToComponentsByPackage() {
    assertEquals(
        "JSON parsing (Jackson)",
        JfrProfile.component("com.fasterxml.jackson.core.json.ReaderBasedJsonParser"));
    assertEquals(
        "coders: encode/decode between steps",
        JfrProfile.component("org.apache.beam.sdk.coders.StringUtf8Coder"));
    assertEquals(
        "coders: encode/decode between steps",
        JfrProfile.component("io.coinbeam.coders.RecordCoder"));
    assertEquals(
        "candle math (exact sums)",
        JfrProfile.component("io.coinbeam.transforms.aggregate.ExactSum"));
    assertEquals(
        "Beam Direct runner", JfrProfile.component("org.apache.beam.runners.direct.DirectRunner"));
    assertEquals("other (com.example)", JfrProfile.component("com.example.Thing"));
  }

  @Test
  void everyContenderGetsAtMostTwoGigabytesAndTheLargeSizeGoesToTheFewest() {
    BenchSettings full = BenchSettings.parse(new String[0]);
    assertEquals(List.of("-Xmx2g", "-XX:+UseParallelGC"), full.jvmOptions());
    assertEquals(List.of(30_000_000L), full.largeSizes());
    assertEquals(List.of("baseline", "spark-native", "duckdb", "best"), full.largeContenders());
    assertEquals("auto", full.bestRunner());
    assertTrue(full.contenders().contains("duckdb"));
    assertEquals(
        List.of(100_000L, 1_000_000L, 10_000_000L, 30_000_000L), full.shapes().get(0).allSizes());
    // 1e7 and 3e7 are the long runs: one repetition each unless asked.
    assertEquals(1, full.repetitionsAt(30_000_000L));
    assertEquals(3, full.repetitionsAt(1_000_000L));
    // The sparse shape's 2e6 is a short run: repeated like the small dense sizes.
    assertEquals(3, full.repetitionsAt(full.shapes().get(1).headlineSize()));
    BenchSettings quick = BenchSettings.parse(new String[] {"--quick"});
    assertEquals(List.of(600_000L), quick.largeSizes());
    assertEquals(List.of(200_000L), quick.sparse().sizes());
    BenchSettings named =
        BenchSettings.parse(
            new String[] {"--best-runner=spark", "--large-sizes=none", "--large-contenders=best"});
    assertEquals("spark", named.bestRunner());
    assertEquals(List.of(), named.largeSizes());
    assertThrows(
        IllegalArgumentException.class,
        () -> BenchSettings.parse(new String[] {"--best-runner=spark-native"}));
    assertThrows(
        IllegalArgumentException.class,
        () -> BenchSettings.parse(new String[] {"--large-sizes=1e6"}));
    assertThrows(
        IllegalArgumentException.class,
        () -> BenchSettings.parse(new String[] {"--large-contenders=flink,nobody"}));
  }

  @Test
  void theStreamingRampGoesTo128kAndIncludesSpark() {
    BenchSettings.Streaming full = BenchSettings.parse(new String[0]).streaming();
    assertEquals(List.of(500, 2000, 8000, 32000, 64000, 128000), full.rates());
    assertEquals(List.of("direct", "flink", "spark"), full.runners());
    assertEquals(
        List.of("--streaming=true", "--batchIntervalMillis=1000"),
        StreamingFreshness.runnerStreamingFlags("spark"));
    assertEquals("Beam on Spark local[*]", StreamingReport.label("spark"));
    assertEquals(
        List.of("spark"),
        BenchSettings.parse(new String[] {"--streaming-runners=spark"}).streaming().runners());
  }

  @Test
  void pathsInTheReportAreRelativeToTheProject() {
    Path project = Path.of("/srv/checkout");
    assertEquals(
        "target/bench/logs/dense-spark-10000000-1.log",
        BatchThroughput.relative(
            project, project.resolve("target/bench/logs/dense-spark-10000000-1.log")));
    assertEquals(
        "/elsewhere/x.log", BatchThroughput.relative(project, Path.of("/elsewhere/x.log")));
    // The report shows commands as run from the project: DuckDB from the benchmark's own jar.
    Contender duckdb =
        Contender.all(Path.of(""), Path.of("pipeline/target")).stream()
            .filter(c -> c.id().equals("duckdb"))
            .findFirst()
            .orElseThrow();
    assertEquals(
        List.of(
            "java",
            "-Xmx2g",
            "-cp",
            "bench/target/coinbeam-bench.jar",
            "io.coinbeam.bench.DuckDbCandles",
            "--input=<in>",
            "--output=<out>"),
        duckdb.command(Path.of("java"), List.of("-Xmx2g"), "<in>", Path.of("<out>")));
    assertFalse(Contender.Kind.REFERENCE.writesDeadLetters());
    assertFalse(Contender.Kind.PEER.writesDeadLetters());
    assertTrue(Contender.Kind.BASELINE.writesDeadLetters());
    assertTrue(Contender.Kind.BEAM.writesDeadLetters());
  }

  @Test
  void aRunThatRanOutOfHeapSaysSo(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("spark.log");
    Files.writeString(
        log,
        "INFO starting\n"
            + "ERROR Executor: Exception in task 3.0\n"
            + "java.lang.OutOfMemoryError: GC overhead limit exceeded\n"
            + "\tat org.apache.spark.storage.MemoryStore.putIterator\n"
            + "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space\n");
    assertEquals(
        Optional.of("java.lang.OutOfMemoryError: GC overhead limit exceeded"),
        BatchThroughput.outOfMemory(log));
    Files.writeString(log, "INFO done\nexit 1\n");
    assertEquals(Optional.empty(), BatchThroughput.outOfMemory(log));
    assertEquals(Optional.empty(), BatchThroughput.outOfMemory(dir.resolve("absent.log")));
  }
}

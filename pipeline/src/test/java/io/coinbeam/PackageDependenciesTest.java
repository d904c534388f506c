package io.coinbeam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.testing.ProjectFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Dependencies run one way: the Beam-free core (its own module, so Maven already keeps Beam out),
 * then the pipeline's building blocks, then the shared transforms, the per-stream specs, the
 * sources and sinks, the report, and the launcher on top. Read from the source files' imports, so a
 * new import against the grain fails here with the file that made it.
 */
class PackageDependenciesTest {
  /** The core module's packages: anything in the pipeline may use them. */
  private static final Set<String> CORE =
      Set.of("catalog", "model", "model.exchange", "schema", "capture", "flags", "kafka");

  private static final Set<String> BLOCKS = Set.of("coders", "rows", "options", "metrics");

  /** What each pipeline package may import besides itself and the core. */
  private static final Map<String, Set<String>> ALLOWED =
      Map.ofEntries(
          Map.entry("coders", Set.of()),
          Map.entry("rows", Set.of()),
          Map.entry("options", Set.of()),
          Map.entry("metrics", Set.of()),
          Map.entry("transforms", BLOCKS),
          Map.entry("transforms.aggregate", union(BLOCKS, Set.of("transforms"))),
          // Sources and sinks stand beside the transforms, not on them, and not on each other.
          Map.entry("io", Set.of()),
          Map.entry("io.bigquery", union(BLOCKS, Set.of("io"))),
          Map.entry("io.files", union(BLOCKS, Set.of("io"))),
          Map.entry("io.jdbc", union(BLOCKS, Set.of("io"))),
          Map.entry("io.kafka", union(BLOCKS, Set.of("io"))),
          Map.entry("io.parquet", union(BLOCKS, Set.of("io"))),
          Map.entry("report", BLOCKS));

  private static final Pattern IMPORT =
      Pattern.compile("^import (?:static )?io\\.coinbeam\\.([a-z.]+?)\\.[A-Z]", Pattern.MULTILINE);

  @Test
  void everyPipelinePackageImportsOnlyWhatItsLayerMay() throws IOException {
    Path main = ProjectFiles.root().resolve("pipeline/src/main/java/io/coinbeam");
    List<String> against = new ArrayList<>();
    Set<String> seen = new TreeSet<>();
    try (Stream<Path> files = Files.walk(main)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String pkg = main.relativize(file.getParent()).toString().replace('/', '.');
        if (pkg.isEmpty()) {
          continue; // the launcher: on top of everything
        }
        seen.add(pkg);
        assertTrue(ALLOWED.containsKey(pkg), "a new package needs its place here: " + pkg);
        Matcher m = IMPORT.matcher(Files.readString(file));
        while (m.find()) {
          String used = m.group(1);
          if (!used.equals(pkg) && !CORE.contains(used) && !ALLOWED.get(pkg).contains(used)) {
            against.add(main.relativize(file) + " imports io.coinbeam." + used);
          }
        }
      }
    }
    assertEquals(List.of(), against, "imports against the layers");
    assertEquals(new TreeSet<>(ALLOWED.keySet()), seen, "every layer listed here exists");
  }

  @Test
  void theToolsModulesHoldNoBeamAndNoPipelineCode() throws IOException {
    List<String> found = new ArrayList<>();
    for (String module : List.of("core", "ingest", "sample")) {
      Path src = ProjectFiles.root().resolve(module + "/src/main/java");
      try (Stream<Path> files = Files.walk(src)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          String text = Files.readString(file);
          for (String forbidden :
              List.of(
                  "import org.apache.beam.",
                  "import io.coinbeam.transforms",
                  "import io.coinbeam.io.",
                  "import io.coinbeam.options.")) {
            if (text.contains(forbidden)) {
              found.add(module + ": " + src.relativize(file) + " has " + forbidden);
            }
          }
        }
      }
    }
    assertEquals(List.of(), found);
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new TreeSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }
}

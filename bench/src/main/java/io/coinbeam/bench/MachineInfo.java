package io.coinbeam.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The machine and software a benchmark ran on, for the report's header: numbers mean little without
 * the cores, memory, CPU, JVM and engine versions behind them, and the load at the time (read
 * separately, before and after: other work on a shared machine skews them).
 */
public record MachineInfo(
    int cores,
    String memory,
    String cpu,
    String os,
    String javaVersion,
    String beamVersion,
    String flinkVersion,
    String sparkVersion) {

  /** Looks at /proc, the JVM and the project's root pom.xml (where every version is pinned). */
  static MachineInfo probe(Path projectDir, Path java) {
    String pom = read(projectDir.resolve("pom.xml"));
    return new MachineInfo(
        Runtime.getRuntime().availableProcessors(),
        readMemory(),
        readCpu(),
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"),
        readJavaVersion(java),
        property(pom, "beam.version"),
        property(pom, "flink.version"),
        property(pom, "spark.version") + " (Scala " + property(pom, "scala.binary.version") + ")");
  }

  /** The 1, 5 and 15 minute load averages now, from /proc/loadavg. */
  static String loadAverage() {
    String text = read(Path.of("/proc/loadavg")).trim();
    String[] parts = text.split("\\s+");
    return parts.length >= 3 ? parts[0] + " " + parts[1] + " " + parts[2] : "unknown";
  }

  private static String readMemory() {
    Matcher m = Pattern.compile("MemTotal:\\s+(\\d+) kB").matcher(read(Path.of("/proc/meminfo")));
    return m.find() ? String.format("%.1f GiB", Long.parseLong(m.group(1)) / 1048576.0) : "unknown";
  }

  private static String readCpu() {
    Matcher m = Pattern.compile("model name\\s*:\\s*(.+)").matcher(read(Path.of("/proc/cpuinfo")));
    return m.find() ? m.group(1).trim() : "unknown";
  }

  private static String readJavaVersion(Path java) {
    try {
      Process process =
          new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
      String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor(30, TimeUnit.SECONDS);
      List<String> lines = new ArrayList<>(text.lines().filter(l -> !l.isBlank()).toList());
      // "openjdk version ..." and the VM line: enough to tell builds apart.
      return lines.isEmpty()
          ? "unknown"
          : lines.get(0) + (lines.size() > 1 ? "; " + lines.get(lines.size() - 1) : "");
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  static String property(String pom, String name) {
    Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
    return m.find() ? m.group(1).trim() : "unknown";
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }
}

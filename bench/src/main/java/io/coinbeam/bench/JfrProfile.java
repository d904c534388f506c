package io.coinbeam.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a profiled run spent its CPU: the execution samples of a JFR recording, each charged to the
 * code that was running, summed by component (JSON parsing, Beam coders, the runner, Parquet, ...)
 * and by method. A sample is charged to its top-most frame outside the JDK (a {@code HashMap} call
 * belongs to whoever made it), except that Java serialization is named as such, since Beam's {@code
 * SerializableCoder} uses it.
 */
public final class JfrProfile {
  /** Package prefixes to components, first match wins: the order puts specific before general. */
  static final List<String[]> COMPONENTS =
      List.of(
          new String[] {"com.fasterxml.jackson", "JSON parsing (Jackson)"},
          new String[] {"io.coinbeam.transforms.aggregate", "candle math (exact sums)"},
          new String[] {"io.coinbeam.model", "trade validation (coinbeam model)"},
          new String[] {"io.coinbeam.io.files", "file reading (coinbeam)"},
          new String[] {"io.coinbeam.io.parquet", "Parquet and Avro writing"},
          new String[] {"io.coinbeam.coders", "coders: encode/decode between steps"},
          new String[] {"io.coinbeam.transforms", "coinbeam transforms (parse, key, table rows)"},
          new String[] {"io.coinbeam.bench", "baseline / peer code"},
          new String[] {"io.coinbeam", "other coinbeam code"},
          new String[] {"org.apache.beam.sdk.coders", "coders: encode/decode between steps"},
          new String[] {"org.apache.beam.sdk.util", "coders: encode/decode between steps"},
          new String[] {"org.apache.beam.sdk.runners", "Beam graph construction and options"},
          new String[] {"org.apache.beam.sdk.options", "Beam graph construction and options"},
          new String[] {"org.apache.beam.sdk.Pipeline", "Beam graph construction and options"},
          new String[] {"org.apache.beam.sdk.schemas", "Beam rows and schemas"},
          new String[] {"org.apache.beam.sdk.values", "Beam rows and schemas"},
          new String[] {"org.apache.beam.sdk.io.parquet", "Parquet and Avro writing"},
          new String[] {"org.apache.beam.sdk.extensions.avro", "Parquet and Avro writing"},
          new String[] {"org.apache.parquet", "Parquet and Avro writing"},
          new String[] {"org.apache.avro", "Parquet and Avro writing"},
          new String[] {"org.xerial.snappy", "Parquet and Avro writing"},
          new String[] {"org.apache.beam.runners.direct", "Beam Direct runner"},
          new String[] {"org.apache.beam.runners.flink", "Beam Flink runner (translation)"},
          new String[] {"org.apache.beam.runners.spark", "Beam Spark runner (translation)"},
          new String[] {"org.apache.beam.runners.core", "Beam runner core (DoFn invocation)"},
          new String[] {"org.apache.beam.sdk.transforms", "Beam SDK transforms"},
          new String[] {"org.apache.beam.sdk.metrics", "Beam metrics (counters)"},
          new String[] {"org.apache.beam", "Beam SDK, other"},
          new String[] {"org.apache.flink", "Flink runtime"},
          new String[] {"org.apache.spark", "Spark engine"},
          new String[] {"scala.", "Spark engine"},
          new String[] {"com.esotericsoftware", "Kryo serialization"},
          new String[] {"org.apache.hadoop", "Hadoop file system"},
          new String[] {"io.netty", "network (Netty)"},
          new String[] {"org.joda", "Joda time"});

  private JfrProfile() {}

  /**
   * A share of the samples.
   *
   * @param name a component or a method
   * @param samples how many samples it took
   */
  public record Share(String name, long samples) {}

  /**
   * The summary of one profiled run.
   *
   * @param samples execution samples in total (all threads)
   * @param components samples by component, largest first
   * @param methods samples by method (top-most non-JDK frame), largest first, the top 12
   */
  public record Profile(
      String contender,
      String label,
      long trades,
      double wallSeconds,
      Path recording,
      long samples,
      List<Share> components,
      List<Share> methods) {

    /** The profile as Markdown: two tables. */
    public String markdown() {
      StringBuilder md = new StringBuilder();
      md.append(
          String.format(
              Locale.ROOT,
              "The slowest Beam runner at the largest N, %s at N = %s, run once more under Java"
                  + " Flight Recorder (`-XX:StartFlightRecording=settings=profile`, %.0f s"
                  + " under the recorder): %,d CPU samples over all threads. Each sample is"
                  + " charged to the code running, ignoring JDK frames (a HashMap call counts for"
                  + " its caller); Java serialization is shown on its own. GC and waiting do not"
                  + " appear in CPU samples.%n%n",
              label,
              BatchThroughput.count(trades),
              wallSeconds,
              samples));
      MarkdownTable byComponent =
          new MarkdownTable("component", "share of CPU samples").alignRight(1);
      for (Share share : components) {
        if (share.samples() * 100 >= samples) { // 1% and more
          byComponent.row(share.name(), percent(share.samples(), samples));
        }
      }
      md.append(byComponent.render()).append('\n');
      MarkdownTable byMethod =
          new MarkdownTable("method (top-most non-JDK frame)", "share").alignRight(1);
      for (Share share : methods) {
        byMethod.row("`" + share.name() + "`", percent(share.samples(), samples));
      }
      md.append(byMethod.render());
      return md.toString();
    }
  }

  /** Reads the execution samples of {@code recording} and sums them. */
  static Profile summarise(Contender contender, long trades, double wallSeconds, Path recording)
      throws IOException {
    Map<String, Long> components = new HashMap<>();
    Map<String, Long> methods = new HashMap<>();
    long samples = 0;
    try (RecordingFile file = new RecordingFile(recording)) {
      while (file.hasMoreEvents()) {
        RecordedEvent event = file.readEvent();
        if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
          continue;
        }
        RecordedStackTrace stack = event.getStackTrace();
        if (stack == null) {
          continue;
        }
        samples++;
        Charge charge = charge(stack.getFrames());
        components.merge(charge.component(), 1L, Long::sum);
        methods.merge(charge.method(), 1L, Long::sum);
      }
    }
    return new Profile(
        contender.id(),
        contender.label(),
        trades,
        wallSeconds,
        recording,
        samples,
        largestFirst(components, Integer.MAX_VALUE),
        largestFirst(methods, 12));
  }

  /** Where one sample is charged. */
  record Charge(String component, String method) {}

  static Charge charge(List<RecordedFrame> frames) {
    boolean serializing = false;
    for (RecordedFrame frame : frames) {
      if (!frame.isJavaFrame()) {
        continue;
      }
      String type = frame.getMethod().getType().getName();
      String method = simpleName(type) + "." + frame.getMethod().getName();
      if (isJdk(type)) {
        serializing |= type.startsWith("java.io.Object");
        continue;
      }
      String component = serializing ? "Java serialization (SerializableCoder)" : component(type);
      return new Charge(component, serializing ? "java.io serialization, via " + method : method);
    }
    String top = frames.isEmpty() ? "unknown" : frames.get(0).getMethod().getType().getName();
    return new Charge("JDK only (" + packageOf(top) + ")", simpleName(top));
  }

  static String component(String type) {
    for (String[] entry : COMPONENTS) {
      if (type.startsWith(entry[0])) {
        return entry[1];
      }
    }
    return "other (" + packageOf(type) + ")";
  }

  static boolean isJdk(String type) {
    return type.startsWith("java.")
        || type.startsWith("javax.")
        || type.startsWith("jdk.")
        || type.startsWith("sun.")
        || type.startsWith("com.sun.");
  }

  private static String packageOf(String type) {
    int dot = type.lastIndexOf('.');
    return dot < 0 ? type : type.substring(0, dot);
  }

  private static String simpleName(String type) {
    String name = type.substring(type.lastIndexOf('.') + 1);
    return packageOf(type).isEmpty() ? name : abbreviate(packageOf(type)) + "." + name;
  }

  /** org.apache.beam.sdk.coders into o.a.b.s.coders: enough to place it, short enough to read. */
  private static String abbreviate(String pkg) {
    String[] parts = pkg.split("\\.");
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      out.append(i < parts.length - 1 ? parts[i].substring(0, 1) : parts[i]);
      if (i < parts.length - 1) {
        out.append('.');
      }
    }
    return out.toString();
  }

  private static List<Share> largestFirst(Map<String, Long> counts, int limit) {
    Map<String, Long> ordered = new LinkedHashMap<>();
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(limit)
        .forEach(e -> ordered.put(e.getKey(), e.getValue()));
    return ordered.entrySet().stream().map(e -> new Share(e.getKey(), e.getValue())).toList();
  }

  private static String percent(long part, long whole) {
    return String.format(Locale.ROOT, "%.1f %%", 100.0 * part / Math.max(1, whole));
  }
}

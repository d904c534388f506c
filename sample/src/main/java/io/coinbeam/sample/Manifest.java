package io.coinbeam.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coinbeam.catalog.CoinCapStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the generator wrote, counted as it wrote it: the {@code MANIFEST.json} beside the data.
 * Tests of the pipeline compare their counters with these numbers, so each one is defined exactly,
 * per stream, over all of the stream's files:
 *
 * <ul>
 *   <li>{@code records}: input records as the pipeline's file reader splits them: every non-blank
 *       line of an NDJSON file ({@code .ndjson}, {@code .ndjson.gz}) plus one per top-level JSON
 *       value of a whole-document file ({@code .json}; the generator writes one per file). For
 *       trades it equals the pipeline's {@code <stream>.records_read}; the pipeline counts an
 *       envelope as its rows ({@link StreamCounts#recordsRead()}).
 *   <li>{@code rows}: rows that parse: for trades, lines that are a valid trade message; for
 *       snapshots, the {@code data[]} rows of well-formed envelopes that the stream's row parser
 *       accepts. Rows of duplicate records are included. Equals {@code <stream>.rows_parsed}.
 *   <li>{@code badRecords}: records that fail as a whole: text that is not valid JSON (a truncated
 *       line) and, for snapshots, envelopes without rows (the v2 shutdown body, whose {@code data}
 *       is a message). None of their rows count anywhere.
 *   <li>{@code badRows}: rows that are valid JSON but invalid data: a non-numeric price, a missing
 *       field, an unknown direction, a negative volume. For trades a bad row is a whole line.
 *   <li>{@code deadLetters()}: {@code badRecords + badRows}, the pipeline's {@code
 *       <stream>.dead_letters}. So {@code records == rows + deadLetters} for trades, while a
 *       snapshot record holds many rows.
 *   <li>{@code duplicates}: good records (valid trade lines, well-formed envelopes) that are
 *       byte-identical copies of an earlier good record of the stream: the trade messages and
 *       envelopes the generator re-sends on purpose. Separately made trades never coincide (the
 *       generator sees to it); bad records may (two truncated lines can be the same prefix) and are
 *       not counted here. {@code duplicateRows}: the rows in the duplicates. Both are already
 *       counted in {@code records} and {@code rows}: a reader that drops repeats keeps {@code rows
 *       - duplicateRows} rows.
 *   <li>{@code outOfOrder} (trades only): valid lines whose timestamp is below the greatest
 *       timestamp of the valid lines before them, reading files in name order; {@code late}: those
 *       of them more than 60 s below it (the generator delays a few trades 90 s to 6 min; the rest
 *       of {@code outOfOrder} are trades swapped by 1 to 5 s and whole-second exchanges rounding
 *       down). Snapshot polls are always in order, so both are 0 there.
 *   <li>{@code firstEventMillis}, {@code lastEventMillis}: the smallest and greatest event time of
 *       the valid rows (trade timestamps, envelope timestamps); 0 when there are none.
 *   <li>{@code rejects}: every bad record and bad row, with its source as the pipeline's dead
 *       letters name it relative to the output directory ({@code trades/trades-0000.ndjson:17},
 *       {@code assets/assets-20240507T1210.ndjson:6#data[3]}, lines counted from 1).
 * </ul>
 *
 * @param config what was generated
 * @param streams one entry per stream written, in {@link CoinCapStream} order
 */
public record Manifest(Config config, List<StreamCounts> streams) {

  /** The file name, in the output directory. */
  public static final String FILE_NAME = "MANIFEST.json";

  public Manifest {
    streams = List.copyOf(streams);
  }

  /** The counts of one stream; fails if it was not generated. */
  public StreamCounts stream(CoinCapStream stream) {
    for (StreamCounts counts : streams) {
      if (counts.stream().equals(stream.id())) {
        return counts;
      }
    }
    throw new IllegalArgumentException(stream.id() + " was not generated");
  }

  /** Whether a reject is a whole record or one row in it. */
  public enum Level {
    RECORD,
    ROW
  }

  /** One bad record or bad row: where it is and what is wrong with it. */
  public record Reject(String source, Level level, String kind) {}

  /** One file of a stream, with its share of {@code records} and {@code rows}. */
  public record FileCounts(String path, long records, long rows) {}

  /** What one stream's files hold; see {@link Manifest} for the definitions. */
  public record StreamCounts(
      String stream,
      List<FileCounts> files,
      long records,
      long rows,
      long badRecords,
      long badRows,
      long duplicates,
      long duplicateRows,
      long outOfOrder,
      long late,
      long firstEventMillis,
      long lastEventMillis,
      List<Reject> rejects) {

    public StreamCounts {
      files = List.copyOf(files);
      rejects = List.copyOf(rejects);
    }

    /** What the pipeline dead-letters: {@code badRecords + badRows}. */
    public long deadLetters() {
      return badRecords + badRows;
    }

    /**
     * What the pipeline counts as read ({@code <stream>.records_read}): each row of an envelope,
     * and each record unusable as a whole; so {@code rows + deadLetters()} for every stream.
     */
    public long recordsRead() {
      return rows + deadLetters();
    }
  }

  /** The manifest as JSON, keys in a fixed order, one reject or file per line. */
  public String toJson() {
    StringBuilder json = new StringBuilder(4096);
    json.append("{\n  \"generator\": \"").append(SampleGenerator.class.getName()).append("\",\n");
    json.append("  \"command\": ").append(quote(String.join(" ", config.toArgs()))).append(",\n");
    json.append("  \"config\": {")
        .append("\"seed\": ")
        .append(config.seed())
        .append(", \"start\": ")
        .append(quote(config.start().toString()))
        .append(", \"minutes\": ")
        .append(config.minutes())
        .append(", \"trades\": ")
        .append(config.trades())
        .append(", \"files\": ")
        .append(config.files())
        .append(", \"streams\": [");
    for (int i = 0; i < config.streams().size(); i++) {
      json.append(i == 0 ? "" : ", ").append(quote(config.streams().get(i).id()));
    }
    json.append("], \"gzip\": ").append(config.gzip());
    if (config.pairs() > 0) {
      // Only when set: manifests of the sample's own markets stay as they were.
      json.append(", \"pairs\": ").append(config.pairs());
    }
    json.append("},\n");
    json.append("  \"streams\": {");
    for (int s = 0; s < streams.size(); s++) {
      StreamCounts c = streams.get(s);
      json.append(s == 0 ? "\n" : ",\n");
      json.append("    ").append(quote(c.stream())).append(": {\n");
      field(json, "records", c.records());
      field(json, "rows", c.rows());
      field(json, "badRecords", c.badRecords());
      field(json, "badRows", c.badRows());
      field(json, "deadLetters", c.deadLetters());
      field(json, "duplicates", c.duplicates());
      field(json, "duplicateRows", c.duplicateRows());
      field(json, "outOfOrder", c.outOfOrder());
      field(json, "late", c.late());
      field(json, "firstEventMillis", c.firstEventMillis());
      field(json, "lastEventMillis", c.lastEventMillis());
      json.append("      \"files\": [");
      for (int i = 0; i < c.files().size(); i++) {
        FileCounts f = c.files().get(i);
        json.append(i == 0 ? "\n" : ",\n")
            .append("        {\"path\": ")
            .append(quote(f.path()))
            .append(", \"records\": ")
            .append(f.records())
            .append(", \"rows\": ")
            .append(f.rows())
            .append('}');
      }
      json.append(c.files().isEmpty() ? "],\n" : "\n      ],\n");
      json.append("      \"rejects\": [");
      for (int i = 0; i < c.rejects().size(); i++) {
        Reject r = c.rejects().get(i);
        json.append(i == 0 ? "\n" : ",\n")
            .append("        {\"source\": ")
            .append(quote(r.source()))
            .append(", \"level\": ")
            .append(quote(r.level().name().toLowerCase(java.util.Locale.ROOT)))
            .append(", \"kind\": ")
            .append(quote(r.kind()))
            .append('}');
      }
      json.append(c.rejects().isEmpty() ? "]\n" : "\n      ]\n");
      json.append("    }");
    }
    json.append("\n  }\n}\n");
    return json.toString();
  }

  /** Reads a {@code MANIFEST.json} (or the directory that holds one). */
  public static Manifest read(Path path) throws IOException {
    Path file = java.nio.file.Files.isDirectory(path) ? path.resolve(FILE_NAME) : path;
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    JsonNode c = root.path("config");
    List<CoinCapStream> streamList = new ArrayList<>();
    c.path("streams").forEach(s -> streamList.add(CoinCapStream.of(s.asText())));
    Config config =
        new Config(
            c.path("seed").asLong(),
            Instant.parse(c.path("start").asText()),
            c.path("minutes").asInt(),
            c.path("trades").asLong(),
            c.path("files").asInt(),
            streamList,
            c.path("gzip").asBoolean(),
            c.path("pairs").asInt(0));
    List<StreamCounts> streams = new ArrayList<>();
    var names = root.path("streams").fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      JsonNode s = root.path("streams").path(name);
      List<FileCounts> files = new ArrayList<>();
      s.path("files")
          .forEach(
              f ->
                  files.add(
                      new FileCounts(
                          f.path("path").asText(),
                          f.path("records").asLong(),
                          f.path("rows").asLong())));
      List<Reject> rejects = new ArrayList<>();
      s.path("rejects")
          .forEach(
              r ->
                  rejects.add(
                      new Reject(
                          r.path("source").asText(),
                          Level.valueOf(
                              r.path("level").asText().toUpperCase(java.util.Locale.ROOT)),
                          r.path("kind").asText())));
      streams.add(
          new StreamCounts(
              name,
              files,
              s.path("records").asLong(),
              s.path("rows").asLong(),
              s.path("badRecords").asLong(),
              s.path("badRows").asLong(),
              s.path("duplicates").asLong(),
              s.path("duplicateRows").asLong(),
              s.path("outOfOrder").asLong(),
              s.path("late").asLong(),
              s.path("firstEventMillis").asLong(),
              s.path("lastEventMillis").asLong(),
              rejects));
    }
    return new Manifest(config, streams);
  }

  private static void field(StringBuilder json, String name, long value) {
    json.append("      \"").append(name).append("\": ").append(value).append(",\n");
  }

  private static String quote(String text) {
    return JsonText.quote(text);
  }
}

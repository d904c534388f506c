package io.coinbeam.sample;

import io.coinbeam.catalog.CoinCapStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes one REST snapshot stream: one poll per minute, in every file shape the pipeline accepts.
 *
 * <ul>
 *   <li>the first poll as a whole pretty-printed JSON document, {@code <stream>-<yyyyMMdd'T'HHmm>
 *       .json}, as a manual {@code curl} saves it;
 *   <li>the other polls as NDJSON, one envelope per line, one file per ten minutes, named after the
 *       minute of its first poll; the last of them gzipped ({@code .ndjson.gz}) when there are
 *       several, or all of them with {@code --gzip}.
 * </ul>
 *
 * <p>With five or more polls, four distinct NDJSON polls carry one fault each: one is cut off
 * mid-line (lost), one has a row whose number field is {@code "n/a"}, one is sent twice, and after
 * one a stray v2 request's shutdown body is written. Their positions are drawn from the seed.
 */
final class SnapshotWriter {
  /** The body CoinCap v2 has answered with since it was shut down. */
  static final String V2_SHUTDOWN_MESSAGE =
      "We are deprecating this version of the CoinCap API on March 31, 2025. Sign up for our new V3"
          + " API at https://pro.coincap.io/dashboard";

  private static final int POLLS_PER_FILE = 10;
  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final CoinCapStream stream;
  private final Config config;
  private final RestRows source;
  private final SplittableRandom random;
  private int shutdownAfter = -1;
  private int truncated = -1;
  private int badRow = -1;
  private int duplicated = -1;

  SnapshotWriter(CoinCapStream stream, Config config, Universe universe) {
    this.stream = stream;
    this.config = config;
    this.source = RestRows.of(stream, config, universe);
    this.random = Randoms.forPart(config.seed(), "snapshots:" + stream.id());
    int polls = config.minutes();
    if (polls >= 5) {
      int[] chosen = new int[4];
      for (int k = 0; k < 4; k++) {
        int candidate;
        do {
          candidate = 1 + random.nextInt(polls - 1);
        } while (contains(chosen, k, candidate));
        chosen[k] = candidate;
      }
      shutdownAfter = chosen[0];
      truncated = chosen[1];
      badRow = chosen[2];
      duplicated = chosen[3];
    }
  }

  Manifest.StreamCounts write(Path dir) throws IOException {
    StreamTally tally = new StreamTally(stream);
    int polls = config.minutes();
    long start = config.start().toEpochMilli();
    long[] timestamps = new long[polls];
    for (int i = 0; i < polls; i++) {
      timestamps[i] = start + i * 60_000L + source.pollOffsetMillis() + random.nextInt(1_000);
    }

    String first = fileName(0, ".json");
    tally.startFile(stream.id() + "/" + first);
    try (Writer out = writer(dir.resolve(first), false)) {
      List<JsonRow> rows = source.poll(0, timestamps[0]);
      out.write(JsonRow.prettyEnvelope(rows, timestamps[0]));
      tally.record();
      tally.rows(rows.size());
      tally.event(timestamps[0]);
    }

    int groups = polls <= 1 ? 0 : (polls - 1) / POLLS_PER_FILE + 1;
    for (int g = 0; g < groups; g++) {
      int from = Math.max(1, g * POLLS_PER_FILE);
      int to = Math.min(polls, (g + 1) * POLLS_PER_FILE);
      boolean gzip = config.gzip() || (groups > 1 && g == groups - 1);
      String name = fileName(from, gzip ? ".ndjson.gz" : ".ndjson");
      tally.startFile(stream.id() + "/" + name);
      try (Writer out = writer(dir.resolve(name), gzip)) {
        long line = 0;
        for (int i = from; i < to; i++) {
          List<JsonRow> rows = source.poll(i, timestamps[i]);
          int good = rows.size();
          if (i == badRow) {
            int r = random.nextInt(rows.size());
            rows.get(r).replace(source.badField(), "\"n/a\"");
            tally.badRow(
                tally.source(line + 1) + "#data[" + r + "]", "non-numeric-" + source.badField());
            good--;
          }
          String envelope = JsonRow.compactEnvelope(rows, timestamps[i]);
          line++;
          tally.record();
          if (i == truncated) {
            // The capture was cut off inside a string value: invalid JSON, and never ending
            // in '{' or '[', which would make a reader take the file for a multi-line document.
            int at = envelope.indexOf("\":\"", envelope.length() / 2);
            if (at < 0) {
              at = envelope.indexOf("\":\"");
            }
            out.write(envelope, 0, at + 4);
            out.write('\n');
            tally.badRecord(tally.source(line), "truncated-json");
            continue;
          }
          out.write(envelope);
          out.write('\n');
          tally.rows(good);
          tally.event(timestamps[i]);
          if (i == duplicated) {
            out.write(envelope);
            out.write('\n');
            line++;
            tally.record();
            tally.rows(good);
            tally.duplicate(good);
          }
          if (i == shutdownAfter) {
            out.write(
                "{\"data\":{\"message\":"
                    + JsonText.quote(V2_SHUTDOWN_MESSAGE)
                    + "},\"timestamp\":"
                    + (timestamps[i] + 30_000)
                    + "}\n");
            line++;
            tally.record();
            tally.badRecord(tally.source(line), "v2-shutdown-body");
          }
        }
      }
    }
    return tally.finish();
  }

  private String fileName(int poll, String extension) {
    Instant minute = config.start().plusSeconds(60L * poll);
    return stream.id() + "-" + MINUTE.format(minute) + extension;
  }

  private static Writer writer(Path file, boolean gzip) throws IOException {
    OutputStream stream = Outputs.open(file, gzip);
    return new java.io.BufferedWriter(
        new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
  }

  private static boolean contains(int[] values, int count, int value) {
    for (int i = 0; i < count; i++) {
      if (values[i] == value) {
        return true;
      }
    }
    return false;
  }
}

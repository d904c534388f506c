package io.coinbeam.sample;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.model.AssetSnapshot;
import io.coinbeam.model.Envelope;
import io.coinbeam.model.ExchangeSnapshot;
import io.coinbeam.model.MalformedRecordException;
import io.coinbeam.model.MarketSnapshot;
import io.coinbeam.model.RateSnapshot;
import io.coinbeam.model.TradeMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Counts a generated stream's files from scratch, with the project's model parsers and none of the
 * generator's code, the way the manifest defines its numbers: the independent side of {@link
 * ManifestTest}.
 */
final class Recount {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One input record: its text and where it is ({@code trades/x.ndjson:12}). */
  record Item(String source, String text) {}

  final List<Manifest.FileCounts> files = new ArrayList<>();
  final List<Manifest.Reject> rejects = new ArrayList<>();
  final List<Item> goodTrades = new ArrayList<>();
  final List<Item> badTrades = new ArrayList<>();
  long records;
  long rows;
  long badRecords;
  long badRows;
  long duplicates;
  long duplicateRows;
  long outOfOrder;
  long late;
  long first = Long.MAX_VALUE;
  long last = Long.MIN_VALUE;

  /** Recounts {@code dir/<stream>/}, files in name order. */
  static Recount of(Path dir, CoinCapStream stream) throws IOException {
    Recount count = new Recount();
    List<Path> paths;
    try (Stream<Path> list = Files.list(dir.resolve(stream.id()))) {
      paths = list.sorted().toList();
    }
    Set<String> seen = new HashSet<>();
    long maxTimestamp = Long.MIN_VALUE;
    for (Path path : paths) {
      String relative = stream.id() + "/" + path.getFileName();
      long fileRecords = 0;
      long fileRows = 0;
      for (Item item : records(path, relative)) {
        fileRecords++;
        count.records++;
        boolean duplicate = !seen.add(item.text());
        JsonNode node;
        try {
          node = JSON.readTree(item.text());
        } catch (IOException e) {
          count.badRecord(item.source());
          if (stream == CoinCapStream.TRADES) {
            count.badTrades.add(item);
          }
          continue;
        }
        if (stream == CoinCapStream.TRADES) {
          TradeMessage trade;
          try {
            trade = TradeMessage.parse(node);
          } catch (MalformedRecordException e) {
            count.badRow(item.source());
            count.badTrades.add(item);
            continue;
          }
          count.goodTrades.add(item);
          fileRows++;
          count.rows++;
          if (duplicate) {
            count.duplicates++;
            count.duplicateRows++;
          }
          long t = trade.timestampMillis();
          count.event(t);
          if (t < maxTimestamp) {
            count.outOfOrder++;
            if (maxTimestamp - t > 60_000) {
              count.late++;
            }
          }
          maxTimestamp = Math.max(maxTimestamp, t);
          continue;
        }
        Envelope envelope;
        try {
          envelope = Envelope.parse(node);
        } catch (MalformedRecordException e) {
          count.badRecord(item.source());
          continue;
        }
        long good = 0;
        for (int i = 0; i < envelope.rows().size(); i++) {
          try {
            parseRow(stream, envelope.rows().get(i), envelope.timestampMillis());
            good++;
          } catch (MalformedRecordException e) {
            count.badRow(item.source() + "#data[" + i + "]");
          }
        }
        fileRows += good;
        count.rows += good;
        if (good > 0) {
          count.event(envelope.timestampMillis());
        }
        if (duplicate) {
          count.duplicates++;
          count.duplicateRows += good;
        }
      }
      count.files.add(new Manifest.FileCounts(relative, fileRecords, fileRows));
    }
    return count;
  }

  /**
   * The records of one file: each non-blank line of NDJSON, or each top-level value of a {@code
   * .json} document file.
   */
  static List<Item> records(Path path, String relative) throws IOException {
    List<Item> items = new ArrayList<>();
    String name = path.getFileName().toString();
    try (InputStream raw = Files.newInputStream(path);
        InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
      if (name.endsWith(".json")) {
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        try (JsonParser parser = JSON.getFactory().createParser(text)) {
          while (parser.nextToken() != null) {
            int line = parser.currentTokenLocation().getLineNr();
            JsonNode value = JSON.readTree(parser);
            items.add(new Item(relative + ":" + line, value.toString()));
          }
        }
        return items;
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (!line.isBlank()) {
          items.add(new Item(relative + ":" + number, line));
        }
      }
    }
    return items;
  }

  static void parseRow(CoinCapStream stream, JsonNode row, long observedAt)
      throws MalformedRecordException {
    if (!row.isObject()) {
      throw new MalformedRecordException("not an object");
    }
    switch (stream) {
      case ASSETS -> AssetSnapshot.parse(row, observedAt);
      case RATES -> RateSnapshot.parse(row, observedAt);
      case EXCHANGES -> ExchangeSnapshot.parse(row, observedAt);
      case MARKETS -> MarketSnapshot.parse(row, observedAt);
      default -> throw new IllegalArgumentException(stream.id());
    }
  }

  private void badRecord(String source) {
    badRecords++;
    rejects.add(new Manifest.Reject(source, Manifest.Level.RECORD, "?"));
  }

  private void badRow(String source) {
    badRows++;
    rejects.add(new Manifest.Reject(source, Manifest.Level.ROW, "?"));
  }

  private void event(long t) {
    first = Math.min(first, t);
    last = Math.max(last, t);
  }
}

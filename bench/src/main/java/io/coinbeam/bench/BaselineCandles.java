package io.coinbeam.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.coinbeam.io.parquet.AvroRecords;
import io.coinbeam.model.JsonFields;
import io.coinbeam.model.MalformedRecordException;
import io.coinbeam.model.Side;
import io.coinbeam.model.TradeMessage;
import io.coinbeam.rows.BeamSchemas;
import io.coinbeam.rows.DeadLetters;
import io.coinbeam.rows.RowBuilder;
import io.coinbeam.schema.TableDefinition;
import io.coinbeam.transforms.aggregate.TradeCandles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.values.Row;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.joda.time.Instant;

/**
 * The benchmark's baseline: {@code trade_candles} from trade files with a plain single-threaded
 * Java program, no Beam and no engine. A Jackson streaming parser per line, one {@link HashMap} of
 * candles, one Parquet file written with the same Avro schema, codec and writer library as the
 * pipeline's sink. What a runner costs beyond this is what the framework costs.
 *
 * <p>To produce the very same rows (checked by the benchmark), it applies the pipeline's own
 * validation rules (as {@link TradeMessage#parse} does) and the project's candle math: each candle
 * is the accumulator of {@link TradeCandles}'s combine function (exact sums, rounded once). Bad
 * lines become dead letters in {@code dead_letters/}, as in the pipeline.
 *
 * <pre>
 * java -cp coinbeam-direct.jar io.coinbeam.bench.BaselineCandles --input=DIR/trades/* --output=OUT
 * </pre>
 */
public final class BaselineCandles {
  private static final JsonFactory JSON = new JsonFactory();
  private static final long WINDOW_MILLIS = 60_000;

  private final TableDefinition table = new TradeCandles().table();
  private final CombineFn<TradeMessage, Object, Row> candleFn;
  private final Map<CandleKey, Object> candles = new HashMap<>();
  private final List<Row> deadLetters = new ArrayList<>();
  private long lines;
  private long trades;

  /** A candle's identity: the natural key and the start of its one-minute window. */
  private record CandleKey(String exchange, String base, String quote, long windowStart) {}

  /** What a run did, for its one summary line. */
  record Counts(long lines, long trades, long deadLetters, long candles) {}

  @SuppressWarnings("unchecked")
  BaselineCandles() {
    candleFn = (CombineFn<TradeMessage, Object, Row>) new TradeCandles().summarize(measures(table));
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    InputOutputFlags flags = InputOutputFlags.parse("BaselineCandles", "DIR/trades/*", args);
    if (flags == null) {
      return 2;
    }
    String input = flags.input();
    String output = flags.output();
    try {
      List<Path> files = matchFiles(input);
      if (files.isEmpty()) {
        System.err.println("BaselineCandles: no input files match " + input);
        return 2;
      }
      long started = System.nanoTime();
      Counts counts = new BaselineCandles().process(files, Path.of(output));
      System.out.printf(
          Locale.ROOT,
          "baseline: %,d lines, %,d trades, %,d dead letters, %,d candles in %.1f s%n",
          counts.lines(),
          counts.trades(),
          counts.deadLetters(),
          counts.candles(),
          (System.nanoTime() - started) / 1e9);
      return 0;
    } catch (IOException | RuntimeException e) {
      System.err.println("BaselineCandles: failed: " + e);
      return 1;
    }
  }

  /** Reads {@code files}, aggregates, and writes {@code trade_candles} and dead letters. */
  Counts process(List<Path> files, Path output) throws IOException {
    for (Path file : files) {
      readFile(file);
    }
    writeCandles(output.resolve(table.name()));
    writeDeadLetters(output.resolve(DeadLetters.table().name()));
    return new Counts(lines, trades, deadLetters.size(), candles.size());
  }

  private void readFile(Path file) throws IOException {
    String path = file.toString();
    // As in the pipeline: a file's dead letters were observed when the file was last written.
    long observedAt = Files.getLastModifiedTime(file).toMillis();
    InputStream in = Files.newInputStream(file);
    if (path.endsWith(".gz")) {
      in = new GZIPInputStream(in, 1 << 16);
    }
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
      String line;
      int lineNumber = 0;
      while ((line = reader.readLine()) != null) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        lines++;
        try {
          add(parse(line));
        } catch (MalformedRecordException e) {
          deadLetter(path + ":" + lineNumber, line, e.getMessage(), observedAt);
        } catch (JsonProcessingException e) {
          deadLetter(
              path + ":" + lineNumber,
              line,
              "not valid JSON: " + e.getOriginalMessage(),
              observedAt);
        }
      }
    }
  }

  private void add(TradeMessage trade) {
    trades++;
    long time = trade.timestampMillis();
    CandleKey key =
        new CandleKey(
            trade.exchange(),
            trade.base(),
            trade.quote(),
            time - Math.floorMod(time, WINDOW_MILLIS));
    Object accumulator = candles.get(key);
    if (accumulator == null) {
      accumulator = candleFn.createAccumulator();
      candles.put(key, accumulator);
    }
    candles.put(key, candleFn.addInput(accumulator, trade));
  }

  private void deadLetter(String source, String payload, String error, long observedAt) {
    deadLetters.add(DeadLetters.of("trades", source, payload, error, observedAt));
  }

  /**
   * One trades-socket message with a streaming parser, under the rules of {@link
   * TradeMessage#parse}: text fields present and not blank, numbers as JSON numbers or numeric
   * strings, the timestamp as whole epoch milliseconds (or seconds) between 2009 and 2100, a buy or
   * sell direction, a positive price and volume, nothing after the object.
   */
  static TradeMessage parse(String line) throws IOException, MalformedRecordException {
    String exchange = null;
    String base = null;
    String quote = null;
    String direction = null;
    Double price = null;
    Double volume = null;
    Double priceUsd = null;
    Long timestamp = null;
    try (JsonParser parser = JSON.createParser(line)) {
      JsonToken token = parser.nextToken();
      if (token != JsonToken.START_OBJECT) {
        throw new MalformedRecordException("expected a JSON object per row, got " + token);
      }
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        token = parser.nextToken();
        switch (name) {
          case "exchange" -> exchange = text(parser, token, name);
          case "base" -> base = text(parser, token, name);
          case "quote" -> quote = text(parser, token, name);
          case "direction" -> direction = text(parser, token, name);
          case "price" -> price = number(parser, token, name);
          case "volume" -> volume = number(parser, token, name);
          case "priceUsd" -> priceUsd = number(parser, token, name);
          case "timestamp" -> timestamp = epochMillis(parser, token, name);
          default -> parser.skipChildren();
        }
      }
      if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw new MalformedRecordException("not valid JSON: text after the object");
      }
    }
    TradeMessage trade =
        new TradeMessage(
            required(exchange, "exchange"),
            required(base, "base"),
            required(quote, "quote"),
            side(required(direction, "direction")),
            required(price, "price"),
            required(volume, "volume"),
            required(priceUsd, "priceUsd"),
            required(timestamp, "timestamp"));
    if (trade.price() <= 0) {
      throw new MalformedRecordException("price: must be positive, got " + trade.price());
    }
    if (trade.volume() <= 0) {
      throw new MalformedRecordException("volume: must be positive, got " + trade.volume());
    }
    if (trade.priceUsd() < 0) {
      throw new MalformedRecordException("priceUsd: must not be negative, got " + trade.priceUsd());
    }
    return trade;
  }

  private static String text(JsonParser parser, JsonToken token, String name)
      throws IOException, MalformedRecordException {
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    if (token.isStructStart()) {
      parser.skipChildren();
      throw new MalformedRecordException(name + ": expected text, got " + token);
    }
    String text = parser.getText();
    return text.isBlank() ? null : text;
  }

  private static Double number(JsonParser parser, JsonToken token, String name)
      throws IOException, MalformedRecordException {
    double value;
    if (token == JsonToken.VALUE_NULL) {
      return null;
    } else if (token.isNumeric()) {
      value = parser.getDoubleValue();
    } else if (token == JsonToken.VALUE_STRING) {
      String text = parser.getText().trim();
      if (text.isEmpty()) {
        return null;
      }
      try {
        value = new BigDecimal(text).doubleValue();
      } catch (NumberFormatException e) {
        throw new MalformedRecordException(name + ": not a number: \"" + text + "\"");
      }
    } else {
      parser.skipChildren();
      throw new MalformedRecordException(name + ": expected a number, got " + token);
    }
    if (!Double.isFinite(value)) {
      throw new MalformedRecordException(name + ": not a finite number: " + value);
    }
    return value;
  }

  private static Long epochMillis(JsonParser parser, JsonToken token, String name)
      throws IOException, MalformedRecordException {
    long raw;
    if (token == JsonToken.VALUE_NULL) {
      return null;
    } else if (token == JsonToken.VALUE_NUMBER_INT
        && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
      raw = parser.getLongValue();
    } else if (token == JsonToken.VALUE_STRING && parser.getText().matches("\\d{1,19}")) {
      try {
        raw = Long.parseLong(parser.getText());
      } catch (NumberFormatException e) {
        throw new MalformedRecordException(name + ": out of range: " + parser.getText());
      }
    } else {
      parser.skipChildren();
      throw new MalformedRecordException(name + ": expected epoch milliseconds, got " + token);
    }
    return JsonFields.checkedEpochMillis(name, raw);
  }

  private static <V> V required(V value, String name) throws MalformedRecordException {
    if (value == null) {
      throw new MalformedRecordException("missing " + name);
    }
    return value;
  }

  private static Side side(String direction) throws MalformedRecordException {
    return switch (direction.trim().toLowerCase(Locale.ROOT)) {
      case "buy" -> Side.BUY;
      case "sell" -> Side.SELL;
      default ->
          throw new MalformedRecordException(
              "direction: expected buy or sell, got \"" + direction + "\"");
    };
  }

  /** The columns the candle function fills: all but key, window and pane columns. */
  static Schema measures(TableDefinition table) {
    Schema.Builder builder = Schema.builder();
    for (Schema.Field field : BeamSchemas.of(table).getFields()) {
      String name = field.getName();
      if (!table.key().contains(name)
          && !List.of("window_start", "window_end", "pane_timing", "pane_index").contains(name)) {
        builder.addField(field);
      }
    }
    return builder.build();
  }

  private void writeCandles(Path folder) throws IOException {
    AvroRecords records = AvroRecords.of(table);
    try (ParquetWriter<GenericRecord> writer =
        open(folder, table.name() + "-baseline", records.schema())) {
      for (Map.Entry<CandleKey, Object> candle : candles.entrySet()) {
        CandleKey key = candle.getKey();
        Row measures = candleFn.extractOutput(candle.getValue());
        RowBuilder row =
            RowBuilder.of(BeamSchemas.of(table))
                .set("exchange", key.exchange())
                .set("base", key.base())
                .set("quote", key.quote())
                .set("window_start", new Instant(key.windowStart()))
                .set("window_end", new Instant(key.windowStart() + WINDOW_MILLIS));
        List<Schema.Field> fields = measures.getSchema().getFields();
        for (int i = 0; i < fields.size(); i++) {
          row.set(fields.get(i).getName(), measures.getValue(i));
        }
        writer.write(records.toRecord(row.build()));
      }
    }
  }

  private void writeDeadLetters(Path folder) throws IOException {
    TableDefinition deadLetterTable = DeadLetters.table();
    AvroRecords records = AvroRecords.of(deadLetterTable);
    try (ParquetWriter<GenericRecord> writer =
        open(folder, deadLetterTable.name() + "-trades-baseline", records.schema())) {
      for (Row row : deadLetters) {
        writer.write(records.toRecord(row));
      }
    }
  }

  /** A Snappy Parquet writer for {@code folder/<name>.parquet}, after clearing earlier files. */
  private static ParquetWriter<GenericRecord> open(
      Path folder, String name, org.apache.avro.Schema avro) throws IOException {
    Files.createDirectories(folder);
    String table = name.substring(0, name.indexOf('-'));
    try (DirectoryStream<Path> previous = Files.newDirectoryStream(folder, table + "-*.parquet")) {
      for (Path file : previous) {
        Files.delete(file);
      }
    }
    Configuration conf = new Configuration();
    Path file = folder.resolve(name + ".parquet");
    return AvroParquetWriter.<GenericRecord>builder(
            HadoopOutputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), conf))
        .withSchema(avro)
        .withConf(conf)
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .build();
  }

  /** The files a pattern names: a file, a folder's files, or a glob in the last path part. */
  static List<Path> matchFiles(String pattern) throws IOException {
    Path path = Path.of(pattern);
    if (Files.isRegularFile(path)) {
      return List.of(path);
    }
    Path dir = Files.isDirectory(path) ? path : path.getParent();
    String glob = Files.isDirectory(path) ? "*" : path.getFileName().toString();
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
    List<Path> files = new ArrayList<>();
    if (dir == null || !Files.isDirectory(dir)) {
      return files;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        if (Files.isRegularFile(entry) && matcher.matches(entry.getFileName())) {
          files.add(entry);
        }
      }
    }
    files.sort(null);
    return files;
  }
}

package io.coinbeam.bench;

import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.schema.Column;
import io.coinbeam.schema.TableDefinition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * A fingerprint of a {@code trade_candles} Parquet folder that every contender of the benchmark
 * must reproduce: the row count and an order-independent checksum over the key and every value
 * column. The Beam runners and the baseline compute exact sums, so their rows are bit-identical;
 * the native Spark peer sums doubles in its own order, so its last bits differ. Floating-point
 * values therefore enter the checksum rounded to {@link #SIGNIFICANT_BITS} significant bits (about
 * 10 significant digits), far coarser than summation noise (about 1e-15 relative) and far finer
 * than any real difference. A sum can still land on the other side of a rounding boundary (about
 * one double in 50,000 when the last bits differ): {@link OutputComparison} tells that apart.
 *
 * <p>Columns are read by name, so column order, nullability and file layout do not matter; whole
 * numbers and timestamps (as epoch milliseconds) must match exactly, text too.
 */
public final class OutputChecksum {
  /**
   * Floating-point values are compared at this many significant bits, about 10 significant decimal
   * digits (2^-33 is 1.2e-10). Binary rather than decimal: prices and volumes are short decimals,
   * so their sums often sit exactly on a decimal rounding boundary (123456.78905 at 10 digits),
   * where a last-bit difference flips the rounding; they never sit exactly on a binary one.
   */
  public static final int SIGNIFICANT_BITS = 33;

  /** The table every contender writes, as the schema files define it. */
  private static final TableDefinition CANDLES = CoinCapStream.TRADES.table();

  /** The key of a candle, in the order the checksum uses it: the table's primary key. */
  public static final List<String> KEY_COLUMNS = CANDLES.key();

  /** Every other column of trade_candles, in schema order; all of them enter the checksum. */
  public static final List<String> VALUE_COLUMNS =
      CANDLES.columns().stream()
          .map(Column::name)
          .filter(name -> !KEY_COLUMNS.contains(name))
          .toList();

  private OutputChecksum() {}

  /**
   * What a folder holds, in short.
   *
   * @param rows the number of candles
   * @param checksum 16 hex digits: the sum, modulo 2^64, of each row's hash
   * @param trades the sum of {@code trade_count}: every valid trade lands in exactly one candle
   */
  public record Fingerprint(long rows, String checksum, long trades) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%,d rows, checksum %s", rows, checksum);
    }
  }

  /** Reads every {@code .parquet} file directly in {@code tableDir} and fingerprints its rows. */
  public static Fingerprint of(Path tableDir) throws IOException {
    return of(readRows(tableDir));
  }

  /** Fingerprints rows given as column name to value (as {@link #readRows} returns them). */
  public static Fingerprint of(List<Map<String, Object>> rows) {
    long sum = 0;
    long trades = 0;
    for (Map<String, Object> row : rows) {
      sum += hash(canonical(row));
      Object count = row.get("trade_count");
      trades += count instanceof Number n ? n.longValue() : 0;
    }
    return new Fingerprint(rows.size(), String.format(Locale.ROOT, "%016x", sum), trades);
  }

  /**
   * One row as text, key first, every column by name, values in their canonical form: what the
   * checksum hashes.
   */
  static String canonical(Map<String, Object> row) {
    StringBuilder text = new StringBuilder(256);
    for (String column : KEY_COLUMNS) {
      text.append(column).append('=').append(canonicalValue(row.get(column))).append('|');
    }
    for (String column : VALUE_COLUMNS) {
      text.append(column).append('=').append(canonicalValue(row.get(column))).append('|');
    }
    return text.toString();
  }

  /**
   * A value as it enters the checksum: doubles rounded to {@link #SIGNIFICANT_BITS} significant
   * bits (half even), whole numbers and text as they are.
   */
  static String canonicalValue(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Double || value instanceof Float) {
      return roundedDouble(((Number) value).doubleValue());
    }
    return value.toString();
  }

  /** {@code d} rounded to {@link #SIGNIFICANT_BITS} significant bits, as canonical text. */
  static String roundedDouble(double d) {
    if (!Double.isFinite(d)) {
      return Double.toString(d);
    }
    if (d == 0.0) {
      return "0"; // -0.0 and 0.0 alike
    }
    return Double.toString(roundToBits(d));
  }

  /**
   * {@code d} rounded half-even to {@link #SIGNIFICANT_BITS} significant bits. Scaling by a power
   * of two is exact, so the only rounding is {@link Math#rint}'s.
   */
  static double roundToBits(double d) {
    int shift = SIGNIFICANT_BITS - 1 - Math.getExponent(d);
    double rounded = Math.scalb(Math.rint(Math.scalb(d, shift)), -shift);
    return rounded == 0.0 ? 0.0 : rounded;
  }

  /** The first 8 bytes of the SHA-256 of {@code text}, as a long. */
  static long hash(String text) {
    byte[] digest = sha256().digest(text.getBytes(StandardCharsets.UTF_8));
    long h = 0;
    for (int i = 0; i < 8; i++) {
      h = (h << 8) | (digest[i] & 0xff);
    }
    return h;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * Every row of every {@code .parquet} file directly in {@code tableDir}, as column name to value:
   * text as String, whole numbers as Long, floating point as Double, timestamps as epoch
   * milliseconds (Long), whichever writer and Parquet timestamp unit made them.
   */
  public static List<Map<String, Object>> readRows(Path tableDir) throws IOException {
    List<Map<String, Object>> rows = new ArrayList<>();
    List<Path> files = parquetFiles(tableDir);
    Configuration conf = new Configuration();
    for (Path file : files) {
      try (ParquetReader<GenericRecord> reader =
          AvroParquetReader.<GenericRecord>builder(
                  HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), conf))
              .withConf(conf)
              .build()) {
        GenericRecord record;
        while ((record = reader.read()) != null) {
          rows.add(toMap(record));
        }
      }
    }
    return rows;
  }

  /**
   * The number of rows in the {@code .parquet} files directly in {@code tableDir}, from footers.
   */
  public static long countRows(Path tableDir) throws IOException {
    long rows = 0;
    for (Path file : parquetFiles(tableDir)) {
      try (ParquetFileReader reader =
          ParquetFileReader.open(
              HadoopInputFile.fromPath(
                  new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
        rows += reader.getRecordCount();
      }
    }
    return rows;
  }

  private static List<Path> parquetFiles(Path tableDir) throws IOException {
    if (!Files.isDirectory(tableDir)) {
      throw new IOException(tableDir + " is not a folder");
    }
    try (Stream<Path> listing = Files.list(tableDir)) {
      return listing
          .filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted()
          .toList();
    }
  }

  private static Map<String, Object> toMap(GenericRecord record) {
    Map<String, Object> row = new LinkedHashMap<>();
    for (Schema.Field field : record.getSchema().getFields()) {
      row.put(field.name(), normalise(record.get(field.pos()), field.schema()));
    }
    return row;
  }

  private static Object normalise(Object value, Schema schema) {
    if (value == null) {
      return null;
    }
    Schema type = schema;
    if (type.getType() == Schema.Type.UNION) {
      for (Schema branch : type.getTypes()) {
        if (branch.getType() != Schema.Type.NULL) {
          type = branch;
          break;
        }
      }
    }
    LogicalType logical = type.getLogicalType();
    String logicalName = logical == null ? "" : logical.getName();
    if (value instanceof java.time.Instant instant) {
      return instant.toEpochMilli();
    }
    if (value instanceof org.joda.time.ReadableInstant instant) {
      return instant.getMillis();
    }
    if (value instanceof Number number) {
      return switch (logicalName) {
        case "timestamp-micros", "local-timestamp-micros" ->
            Math.floorDiv(number.longValue(), 1000L);
        case "timestamp-nanos" -> Math.floorDiv(number.longValue(), 1_000_000L);
        default ->
            value instanceof Double || value instanceof Float
                ? (Object) number.doubleValue()
                : (Object) number.longValue();
      };
    }
    return value.toString();
  }
}

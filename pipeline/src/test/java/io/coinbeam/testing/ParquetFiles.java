package io.coinbeam.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/** Reads back the Parquet files a run wrote, so tests assert on the files themselves. */
public final class ParquetFiles {
  private ParquetFiles() {}

  /** Every record of every {@code .parquet} file directly in {@code tableDir}. */
  public static List<GenericRecord> readTable(Path tableDir) throws IOException {
    List<GenericRecord> records = new ArrayList<>();
    if (!Files.isDirectory(tableDir)) {
      return records;
    }
    List<Path> files;
    try (Stream<Path> listing = Files.list(tableDir)) {
      files = listing.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
    }
    for (Path file : files) {
      try (ParquetReader<GenericRecord> reader =
          AvroParquetReader.<GenericRecord>builder(
                  HadoopInputFile.fromPath(
                      new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))
              .build()) {
        GenericRecord record;
        while ((record = reader.read()) != null) {
          records.add(record);
        }
      }
    }
    return records;
  }

  /**
   * Every row of a table's Parquet files as plain values (text, long, double, boolean, epoch
   * millis), schema columns only: the shape {@code PostgresTables} reads PostgreSQL rows in.
   */
  public static List<java.util.Map<String, Object>> readRows(
      Path tableDir, io.coinbeam.schema.TableDefinition table) throws IOException {
    List<java.util.Map<String, Object>> rows = new ArrayList<>();
    for (GenericRecord record : readTable(tableDir)) {
      java.util.Map<String, Object> row = new java.util.LinkedHashMap<>();
      for (io.coinbeam.schema.Column column : table.columns()) {
        Object value = record.get(column.name());
        row.put(column.name(), value instanceof CharSequence text ? text.toString() : value);
      }
      rows.add(row);
    }
    return rows;
  }

  /**
   * The five aggregate tables and dead_letters under a run's output folder, each as its records'
   * text (every column) sorted: what two runs that must agree exactly are compared by.
   */
  public static java.util.Map<String, List<String>> everyTableAsText(Path output)
      throws IOException {
    List<String> names = new ArrayList<>();
    for (io.coinbeam.catalog.CoinCapStream stream : io.coinbeam.catalog.CoinCapStream.values()) {
      names.add(stream.tableName());
    }
    names.add(io.coinbeam.rows.DeadLetters.table().name());
    java.util.Map<String, List<String>> tables = new java.util.LinkedHashMap<>();
    for (String name : names) {
      List<String> rows = new ArrayList<>();
      for (GenericRecord record : readTable(output.resolve(name))) {
        rows.add(record.toString());
      }
      rows.sort(null);
      tables.put(name, rows);
    }
    return tables;
  }

  /** The Parquet schema of the first file in {@code tableDir}, as text. */
  public static String parquetSchema(Path tableDir) throws IOException {
    try (Stream<Path> listing = Files.list(tableDir)) {
      Path file =
          listing.filter(p -> p.toString().endsWith(".parquet")).sorted().findFirst().orElseThrow();
      try (org.apache.parquet.hadoop.ParquetFileReader reader =
          org.apache.parquet.hadoop.ParquetFileReader.open(
              HadoopInputFile.fromPath(
                  new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
        return reader.getFooter().getFileMetaData().getSchema().toString();
      }
    }
  }
}

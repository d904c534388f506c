package io.coinbeam.report;

import io.coinbeam.rows.BeamSchemas;
import io.coinbeam.schema.TableDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * One table as a run left it on disk: the rows of {@code <output>/<table>/*.parquet}, with the
 * columns the report reads. The report reads the files rather than the pipeline's collections, so
 * it shows the same thing after any runner, and can be written again later from the files alone.
 */
record StoredTable(TableDefinition table, boolean folderExists, int files, List<StoredRow> rows) {

  /** Reads {@code columns} (names of the table's columns) of every row of the table's files. */
  static StoredTable read(Path outputRoot, TableDefinition table, Collection<String> columns)
      throws IOException {
    Path folder = outputRoot.resolve(table.name());
    if (!Files.isDirectory(folder)) {
      return new StoredTable(table, false, 0, List.of());
    }
    List<Path> files;
    try (Stream<Path> listing = Files.list(folder)) {
      files =
          listing
              .filter(p -> p.getFileName().toString().endsWith(".parquet"))
              .filter(Files::isRegularFile)
              .sorted()
              .toList();
    }
    Schema projection = projection(table, columns);
    Configuration conf = new Configuration();
    AvroReadSupport.setRequestedProjection(conf, projection);
    AvroReadSupport.setAvroReadSchema(conf, projection);
    List<StoredRow> rows = new ArrayList<>();
    for (Path file : files) {
      try (ParquetReader<GenericRecord> reader =
          AvroParquetReader.<GenericRecord>builder(
                  HadoopInputFile.fromPath(
                      new org.apache.hadoop.fs.Path(file.toAbsolutePath().toUri()), conf))
              .build()) {
        GenericRecord record;
        while ((record = reader.read()) != null) {
          rows.add(new StoredRow(record));
        }
      } catch (IOException | RuntimeException e) {
        throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }
    return new StoredTable(table, true, files.size(), List.copyOf(rows));
  }

  /**
   * The table's Avro schema cut down to {@code columns}, with strings read as {@link String}. Why
   * both: Parquet decodes only the columns asked for (the report reads about half of
   * trade_candles'), and its dictionary pages then hand every row the same String object for the
   * same value, its hash computed once, where Avro's default {@code Utf8} became a new String per
   * row and look-up (the report groups hundreds of thousands of candles by pair).
   */
  private static Schema projection(TableDefinition table, Collection<String> columns) {
    Schema all = BeamSchemas.avro(table);
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field field : all.getFields()) {
      if (columns.contains(field.name())) {
        fields.add(new Schema.Field(field, field.schema()));
      }
    }
    if (fields.size() != columns.size()) {
      throw new IllegalArgumentException(
          "the report asks " + table.name() + " for columns it does not have: " + columns);
    }
    Schema projection =
        Schema.createRecord(all.getName(), all.getDoc(), all.getNamespace(), false, fields);
    GenericData.setStringType(projection, GenericData.StringType.String);
    return projection;
  }

  String name() {
    return table.name();
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }
}

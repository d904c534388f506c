package io.coinbeam.report;

import io.coinbeam.schema.TableDefinition;
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

/**
 * One table as a run left it on disk: every row of {@code <output>/<table>/*.parquet}. The report
 * reads the files rather than the pipeline's collections, so it shows the same thing after any
 * runner, and can be written again later from the files alone.
 */
record StoredTable(TableDefinition table, boolean folderExists, int files, List<StoredRow> rows) {

  static StoredTable read(Path outputRoot, TableDefinition table) throws IOException {
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
    List<StoredRow> rows = new ArrayList<>();
    Configuration conf = new Configuration();
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

  String name() {
    return table.name();
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }
}

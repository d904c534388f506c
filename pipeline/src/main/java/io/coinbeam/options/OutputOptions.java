package io.coinbeam.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Which sinks receive the tables, and where Parquet goes. */
public interface OutputOptions extends PipelineOptions {
  @Description(
      "Sinks to write, comma-separated: parquet, bigquery, postgres. The bigquery sink's flags"
          + " start with --bigQuery, the postgres sink's with --postgres.")
  @Default.String("parquet")
  String getSinks();

  void setSinks(String value);

  @Description("Parquet output root: one folder per table (trade_candles/, ..., dead_letters/).")
  @Default.String("out")
  String getOutput();

  void setOutput(String value);

  @Description("Parquet shards per window when the input is unbounded (streaming).")
  @Default.Integer(1)
  int getParquetShards();

  void setParquetShards(int value);
}

package io.coinbeam.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where the pipeline reads from and which streams it runs. */
public interface InputOptions extends PipelineOptions {
  @Description(
      "Capture files to read in batch: a path or glob. {stream} is replaced by each stream's name,"
          + " so one pattern can serve several streams. NDJSON or whole JSON documents; .gz accepted.")
  @Default.String("data/sample/{stream}/*")
  String getInput();

  void setInput(String value);

  @Description(
      "Streams to run, comma-separated: trades, assets, rates, exchanges, markets, or all.")
  @Default.String("all")
  String getStreams();

  void setStreams(String value);
}

package io.coinbeam.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Window sizes and, in streaming, when windows fire. Durations read as 30s, 1m, 5m, 1h or PT5M. */
public interface WindowOptions extends PipelineOptions {
  @Description(
      "Event-time window size for every stream in the run; by default 1m for trades and 5m for"
          + " the snapshot streams.")
  String getWindow();

  void setWindow(String value);

  @Description("BATCH reads files to the end; STREAMING reads Kafka until stopped.")
  @Default.Enum("BATCH")
  Mode getMode();

  void setMode(Mode value);

  @Description(
      "Streaming: fire an early pane this long (processing time) after a window's first element.")
  @Default.String("10s")
  String getEarlyFiringInterval();

  void setEarlyFiringInterval(String value);

  @Description("Streaming: how long after a window's end late data still updates it.")
  @Default.String("2m")
  String getAllowedLateness();

  void setAllowedLateness(String value);

  /** Batch or streaming. */
  enum Mode {
    BATCH,
    STREAMING
  }
}

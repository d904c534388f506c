package io.coinbeam.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where {@code --mode=STREAMING} reads: the {@code coincap.<stream>} topics of a Kafka cluster. */
public interface KafkaSourceOptions extends PipelineOptions {
  @Description(
      "Kafka bootstrap servers for --mode=STREAMING; else $KAFKA_BOOTSTRAP_SERVERS, else"
          + " localhost:9092 (the docker compose broker).")
  String getKafkaBootstrapServers();

  void setKafkaBootstrapServers(String value);

  @Description(
      "Consumer group: offsets are committed under it when a checkpoint (Flink) or bundle"
          + " finalizes, so a restarted job resumes where it stopped.")
  @Default.String("coinbeam")
  String getKafkaGroupId();

  void setKafkaGroupId(String value);

  @Description(
      "Where a group without committed offsets starts: earliest (everything the topic holds) or"
          + " latest (only new records).")
  @Default.String("earliest")
  String getKafkaStartFrom();

  void setKafkaStartFrom(String value);

  @Description(
      "How far out of event-time order records may arrive and still be on time: the watermark"
          + " trails the newest event time by this much (e.g. 10s).")
  @Default.String("5s")
  String getKafkaMaxOutOfOrder();

  void setKafkaMaxOutOfOrder(String value);

  @Description(
      "A partition with nothing new for this long no longer holds the watermark back: its"
          + " watermark moves on with the clock from its last record.")
  @Default.String("10s")
  String getKafkaIdleAfter();

  void setKafkaIdleAfter(String value);

  @Description(
      "Streaming only: stop after this long (e.g. 60s) and print the summary; default: run until"
          + " stopped (Ctrl-C).")
  String getRunFor();

  void setRunFor(String value);

  @Description("Streaming only: how often to print what was read, emitted and dead-lettered.")
  @Default.String("10s")
  String getProgressInterval();

  void setProgressInterval(String value);

  @Description(
      "Streaming only: log every trade_candles pane in one line (exchange, pair, minute, OHLC,"
          + " volume, pane), at most 50 lines per 10 s; for demos.")
  @Default.Boolean(false)
  boolean getPrintPanes();

  void setPrintPanes(boolean value);
}

package io.coinbeam.catalog;

import java.util.ArrayList;
import java.util.List;

/**
 * The Kafka topic names, in one place: {@code coincap.<stream>} for the five streams and {@code
 * coincap.prices} for the v3 prices socket. The ingester, the replay tool, the local broker and the
 * pipeline's Kafka source all take their names from here.
 */
public final class KafkaTopics {
  /** The prefix of every topic. */
  public static final String PREFIX = "coincap.";

  /**
   * Partitions of the topics that coinbeam creates: as many as the Flink [local] parallelism the
   * Makefile sets ({@code PARALLELISM=2}). With fewer partitions than source subtasks, Beam 2.62's
   * Flink source can leave a subtask without a split and without the end-of-splits signal (when it
   * registers before the topic's partitions are listed); its watermark then never moves and no
   * window of that stream closes. Measured here with one partition: make stream-demo on Flink
   * closed no window of several streams.
   */
  public static final int DEFAULT_PARTITIONS = 2;

  /** The v3 prices socket: key asset id, value {"asset":..,"priceUsd":..,"timestamp":..}. */
  public static final String PRICES = PREFIX + "prices";

  private KafkaTopics() {}

  /** The topic of one stream, e.g. {@code coincap.trades}. */
  public static String of(CoinCapStream stream) {
    return PREFIX + stream.id();
  }

  /** The five stream topics and the prices topic. */
  public static List<String> all() {
    List<String> topics = new ArrayList<>();
    for (CoinCapStream stream : CoinCapStream.values()) {
      topics.add(of(stream));
    }
    topics.add(PRICES);
    return List.copyOf(topics);
  }
}

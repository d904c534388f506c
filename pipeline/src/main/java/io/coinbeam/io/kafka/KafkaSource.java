package io.coinbeam.io.kafka;

import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.io.RecordChunks;
import io.coinbeam.io.RecordSource;
import io.coinbeam.model.RawRecord;
import io.coinbeam.options.KafkaSourceOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.values.PCollection;

/**
 * Kafka topics, the streaming source: {@code coincap.<stream>} as the ingester and the replay tool
 * publish them, one row per record.
 */
public final class KafkaSource implements RecordSource {
  private final KafkaSourceOptions options;

  public KafkaSource(KafkaSourceOptions options) {
    this.options = options;
  }

  @Override
  public PCollection<RawRecord> read(Pipeline pipeline, CoinCapStream stream) {
    return pipeline.apply("Read" + stream.title() + "FromKafka", ReadFromKafka.of(stream, options));
  }

  /** Each Kafka record is already a record: its reader hands it on as it is. */
  @Override
  public RecordChunks<RawRecord> readChunks(Pipeline pipeline, CoinCapStream stream) {
    return new RecordChunks<>(read(pipeline, stream), (record, out) -> out.accept(record));
  }

  @Override
  public boolean recordsAreRows() {
    return true;
  }
}

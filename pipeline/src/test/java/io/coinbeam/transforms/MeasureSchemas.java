package io.coinbeam.transforms;

import org.apache.beam.sdk.schemas.Schema;

/** Test access to {@link ComputeAggregates#measureSchema}: the columns a stream's summary fills. */
public final class MeasureSchemas {
  private MeasureSchemas() {}

  public static Schema of(StreamSpec<?> spec) {
    return ComputeAggregates.measureSchema(spec.table());
  }
}

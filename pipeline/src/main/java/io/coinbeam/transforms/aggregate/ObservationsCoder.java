package io.coinbeam.transforms.aggregate;

import io.coinbeam.transforms.aggregate.SnapshotSpec.ObservationKey;
import io.coinbeam.transforms.aggregate.SnapshotSpec.Observations;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.util.VarInt;

/**
 * A snapshot window's observations as a count and, in key order, each observation's time,
 * discriminator and row (in the stream's own row coder). One coder serves the four snapshot
 * streams; it replaces Java serialization of the TreeMap, its keys and rows.
 */
final class ObservationsCoder<T> extends CustomCoder<Observations<T>> {
  private static final long serialVersionUID = 1L;
  private static final VarLongCoder TIME = VarLongCoder.of();
  private static final StringUtf8Coder TEXT = StringUtf8Coder.of();

  private final Coder<T> rowCoder;

  ObservationsCoder(Coder<T> rowCoder) {
    this.rowCoder = rowCoder;
  }

  @Override
  public void encode(Observations<T> observations, OutputStream out) throws IOException {
    if (observations == null) {
      throw new CoderException("cannot encode null observations");
    }
    VarInt.encode(observations.byKey.size(), out);
    for (Map.Entry<ObservationKey, T> entry : observations.byKey.entrySet()) {
      TIME.encode(entry.getKey().timeMillis(), out);
      TEXT.encode(entry.getKey().discriminator(), out);
      rowCoder.encode(entry.getValue(), out);
    }
  }

  @Override
  public Observations<T> decode(InputStream in) throws IOException {
    int size = VarInt.decodeInt(in);
    if (size < 0) {
      throw new CoderException("not a count of observations: " + size);
    }
    Observations<T> observations = new Observations<>();
    for (int i = 0; i < size; i++) {
      ObservationKey key = new ObservationKey(TIME.decode(in), TEXT.decode(in));
      observations.byKey.put(key, rowCoder.decode(in));
    }
    return observations;
  }

  @Override
  public List<? extends Coder<?>> getCoderArguments() {
    return List.of(rowCoder);
  }

  @Override
  public void verifyDeterministic() throws NonDeterministicException {
    verifyDeterministic(this, "observation rows must encode deterministically", rowCoder);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ObservationsCoder<?> that && that.rowCoder.equals(rowCoder);
  }

  @Override
  public int hashCode() {
    return Objects.hash(ObservationsCoder.class, rowCoder);
  }
}

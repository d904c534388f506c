package io.coinbeam.coders;

import io.coinbeam.model.NaturalKey;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.util.VarInt;

/**
 * A {@link NaturalKey} as its hash (4 bytes, big-endian), the number of parts, each part in UTF-8,
 * and the window start. Deterministic, as a grouping key's coder must be. The hash comes first
 * because Flink sorts records by a short prefix of the key's bytes and compares whole keys only
 * when prefixes tie: with {@code ListCoder} every prefix began with the list size and the exchange
 * name, so nearly every comparison of the sort fell back to decoding both keys.
 */
public final class NaturalKeyCoder extends AtomicCoder<NaturalKey> {
  private static final long serialVersionUID = 1L;
  private static final NaturalKeyCoder INSTANCE = new NaturalKeyCoder();
  private static final StringUtf8Coder PART = StringUtf8Coder.of();

  /** Far more parts than any table's key has; a larger count is corrupt input. */
  static final int MAX_PARTS = 64;

  private NaturalKeyCoder() {}

  public static NaturalKeyCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(NaturalKey key, OutputStream out) throws IOException {
    if (key == null) {
      throw new CoderException("cannot encode a null NaturalKey");
    }
    new DataOutputStream(out).writeInt(key.hashCode());
    VarInt.encode(key.size(), out);
    for (int i = 0; i < key.size(); i++) {
      PART.encode(key.get(i), out);
    }
    VarInt.encode(key.windowStartMillis(), out);
  }

  @Override
  public NaturalKey decode(InputStream in) throws IOException {
    int hash = new DataInputStream(in).readInt();
    int size = VarInt.decodeInt(in);
    if (size < 0 || size > MAX_PARTS) {
      throw new CoderException("not a NaturalKey: " + size + " parts");
    }
    List<String> parts = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      parts.add(PART.decode(in));
    }
    NaturalKey key = NaturalKey.of(parts, VarInt.decodeLong(in));
    if (key.hashCode() != hash) {
      throw new CoderException("not a NaturalKey: its hash does not match " + key);
    }
    return key;
  }

  @Override
  public void verifyDeterministic() {
    // The hash and the parts are functions of the key alone.
  }

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}

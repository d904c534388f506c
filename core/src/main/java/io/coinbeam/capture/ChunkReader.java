package io.coinbeam.capture;

import io.coinbeam.model.RawRecord;
import java.io.Serializable;
import java.util.function.Consumer;

/**
 * Turns one unit of a source's input (a range of a capture file, or a Kafka record that already is
 * a record) into raw records, inside whichever step consumes them. A batch graph hands its parse
 * step the units and this reader instead of a collection of records, so millions of records never
 * have to be stored or passed between steps: the Direct runner keeps every step's output in memory,
 * and every runner pays per element handed on.
 *
 * @param <C> the unit of input
 */
@FunctionalInterface
public interface ChunkReader<C> extends Serializable {
  /**
   * Every record of {@code chunk}, in order, to {@code out}; problems become unreadable records.
   */
  void read(C chunk, Consumer<RawRecord> out);
}

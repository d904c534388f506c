package io.coinbeam.io;

import io.coinbeam.capture.ChunkReader;
import org.apache.beam.sdk.values.PCollection;

/**
 * A source's input as units (ranges of files, or records) and the reader that turns each into raw
 * records where they are consumed.
 *
 * @param chunks the units
 * @param reader their records
 * @param <C> the unit
 */
public record RecordChunks<C>(PCollection<C> chunks, ChunkReader<C> reader) {}

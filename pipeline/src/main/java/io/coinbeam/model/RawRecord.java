package io.coinbeam.model;

/**
 * One input record before parsing: a line of an NDJSON file, one JSON document of a file, or one
 * Kafka record value. Where it came from travels with it, so a dead letter can point back to it.
 *
 * @param source file:line, or topic/partition@offset
 * @param payload the raw JSON text
 * @param capturedAtMillis when it was captured: the Kafka record time, or the file's modification
 *     time; the observation time of a row that carries none of its own
 */
public record RawRecord(String source, String payload, long capturedAtMillis)
    implements java.io.Serializable {}

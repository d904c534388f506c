package io.coinbeam.model;

/**
 * One input record before parsing: a line of an NDJSON file, one JSON document of a file, or one
 * Kafka record value. Where it came from travels with it, so a dead letter can point back to it.
 *
 * @param source file:line, or topic/partition/offset
 * @param payload the raw JSON text (for an unreadable record, what could be made of it)
 * @param capturedAtMillis when it was captured: the Kafka record time, or the file's modification
 *     time; the observation time of a row that carries none of its own
 * @param readError why the record could not be read as text (bytes that are not UTF-8, a file that
 *     ends early), or null: such a record becomes a dead letter without being parsed
 */
public record RawRecord(String source, String payload, long capturedAtMillis, String readError)
    implements java.io.Serializable {

  /** A record read as it should be. */
  public RawRecord(String source, String payload, long capturedAtMillis) {
    this(source, payload, capturedAtMillis, null);
  }

  /** A record that could not be read; the parse step makes it a dead letter with the reason. */
  public static RawRecord unreadable(
      String source, String payload, long capturedAtMillis, String readError) {
    return new RawRecord(source, payload, capturedAtMillis, readError);
  }

  /** True when the record's text is what the source held. */
  public boolean readable() {
    return readError == null;
  }
}

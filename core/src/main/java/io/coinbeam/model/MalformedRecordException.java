package io.coinbeam.model;

/**
 * Says why one input record or row cannot be used. Parsers throw it; the parse step turns it into a
 * dead letter carrying this message, so the reason a user reads is the one written here.
 */
public class MalformedRecordException extends Exception {
  private static final long serialVersionUID = 1L;

  public MalformedRecordException(String message) {
    super(message);
  }

  public MalformedRecordException(String message, Throwable cause) {
    super(message, cause);
  }
}

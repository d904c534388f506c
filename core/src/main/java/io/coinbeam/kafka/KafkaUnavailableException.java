package io.coinbeam.kafka;

/**
 * Kafka could not be reached or refused a write. Entry points turn it into exit code 1 with the
 * message, instead of a stack trace.
 */
public class KafkaUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public KafkaUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.coinbeam.ingest;

/**
 * CoinCap will not serve us as configured, and retrying cannot help: the API key was refused (401,
 * 403) or the URL points at the retired v2 API. The ingester stops at start with exit code 3 and
 * this message, which says what to change.
 */
public class CoinCapRefusedException extends Exception {
  private static final long serialVersionUID = 1L;

  public CoinCapRefusedException(String message) {
    super(message);
  }
}

package io.coinbeam.model.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import io.coinbeam.model.MalformedRecordException;

/**
 * Recognises a frame of a supported exchange feed among trades-stream records, so that an archive
 * or a Kafka topic may mix CoinCap trade messages with raw Binance and Coinbase frames, one per
 * line, with no flag saying which is which.
 *
 * <p>The feeds are told apart by keys a CoinCap trade message never has: Binance's {@code stream}
 * wrapper, event type {@code e}, request reply {@code result}/{@code id} or error {@code code}/
 * {@code msg}; Coinbase Exchange's {@code type}; Coinbase Advanced Trade's {@code channel}. A
 * CoinCap message has none of them and gets null here, so it goes on to the CoinCap reader.
 */
public final class ExchangeFrames {
  private ExchangeFrames() {}

  /**
   * The frame {@code document} is, or null when it is not an exchange frame (a CoinCap message, or
   * something else for the CoinCap reader to judge).
   *
   * @throws MalformedRecordException a frame of a known feed whose trade cannot be used (a missing
   *     price, an unreadable time, ...): a dead letter, as a bad CoinCap message is
   */
  public static ExchangeFrame read(JsonNode document) throws MalformedRecordException {
    if (document == null || !document.isObject()) {
      return null;
    }
    // "type" first: Advanced Trade's errors and subscribe requests have it beside "channel".
    if (document.has("type")) {
      return CoinbaseFrames.exchange(document);
    }
    if (document.has("channel")) {
      return CoinbaseFrames.advanced(document);
    }
    return BinanceFrames.read(document);
  }
}

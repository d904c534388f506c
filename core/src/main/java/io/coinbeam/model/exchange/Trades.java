package io.coinbeam.model.exchange;

import io.coinbeam.model.MalformedRecordException;
import io.coinbeam.model.Side;
import io.coinbeam.model.TradeMessage;

/** The checks every normalised exchange trade passes, the same ones a CoinCap message passes. */
final class Trades {
  private Trades() {}

  static TradeMessage checked(
      String exchange,
      String base,
      String quote,
      Side taker,
      double price,
      double volume,
      double priceUsd,
      long timestampMillis)
      throws MalformedRecordException {
    if (price <= 0) {
      throw new MalformedRecordException("price: must be positive, got " + price);
    }
    if (volume <= 0) {
      throw new MalformedRecordException("volume: must be positive, got " + volume);
    }
    return new TradeMessage(exchange, base, quote, taker, price, volume, priceUsd, timestampMillis);
  }
}

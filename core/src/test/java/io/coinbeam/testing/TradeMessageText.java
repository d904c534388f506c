package io.coinbeam.testing;

import io.coinbeam.model.TradeMessage;
import java.util.Locale;

/**
 * A trade as the CoinCap trades socket sends it, written out by hand: the text tests feed to the
 * readers, or expect from the writers, without going through the code under test.
 */
public final class TradeMessageText {
  private TradeMessageText() {}

  /** {@code trade} as one flat JSON object with the socket's field names. */
  public static String of(TradeMessage trade) {
    return String.format(
        Locale.ROOT,
        "{\"exchange\":\"%s\",\"base\":\"%s\",\"quote\":\"%s\",\"direction\":\"%s\","
            + "\"price\":%s,\"volume\":%s,\"timestamp\":%d,\"priceUsd\":%s}",
        trade.exchange(),
        trade.base(),
        trade.quote(),
        trade.side().name().toLowerCase(Locale.ROOT),
        trade.price(),
        trade.volume(),
        trade.timestampMillis(),
        trade.priceUsd());
  }
}

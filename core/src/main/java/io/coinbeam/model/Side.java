package io.coinbeam.model;

/** Which side of the book took liquidity in a trade, as the trades socket's {@code direction}. */
public enum Side {
  BUY,
  SELL;

  static Side parse(String direction) throws MalformedRecordException {
    switch (direction.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "buy":
        return BUY;
      case "sell":
        return SELL;
      default:
        throw new MalformedRecordException(
            "direction: expected buy or sell, got \"" + JsonFields.abbreviate(direction) + "\"");
    }
  }
}

package io.coinbeam.model.exchange;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Exchange tickers (BTC, USDT) as CoinCap asset ids (bitcoin, tether), so that a pair traded on an
 * exchange feed is named as CoinCap names it and its candles sit beside CoinCap's. The table is
 * data, in the resource {@code symbols.tsv} beside this class, taken from CoinCap's /assets and
 * /rates rows. A ticker missing from it is kept as the exchange's upper-case ticker: CoinCap ids
 * are lower case, so such a name is never mistaken for one.
 *
 * <p>It also knows which quotes give a trade's USD price: the US dollar itself, and the USD
 * stablecoins taken at par (a stated approximation). For any other quote the price in USD is not
 * known from the trade alone and is reported as 0, meaning unknown.
 */
public final class AssetSymbols {
  /**
   * Binance joins base and quote with no separator (BTCUSDT), so the quote is found as the longest
   * of these suffixes: Binance Spot's quote assets. A symbol ending in none of them cannot be
   * split.
   */
  static final List<String> BINANCE_QUOTES =
      List.of(
          "FDUSD", "USDT", "USDC", "BUSD", "TUSD", "USDP", "BTC", "ETH", "BNB", "EUR", "TRY", "BRL",
          "GBP", "AUD", "JPY", "DAI", "XRP", "TRX", "DOGE", "BIDR", "IDRT", "UAH", "ZAR", "PLN",
          "RON", "ARS", "MXN", "COP", "CZK");

  private static final Map<String, String> IDS = new HashMap<>();
  private static final Map<String, String> USD_RULE = new HashMap<>();

  static {
    String where = "io/coinbeam/model/exchange/symbols.tsv";
    try (InputStream in = AssetSymbols.class.getResourceAsStream("symbols.tsv")) {
      if (in == null) {
        throw new IllegalStateException(where + " is missing from the classpath");
      }
      new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))
          .lines()
          .map(String::strip)
          .filter(line -> !line.isEmpty() && !line.startsWith("#"))
          .forEach(
              line -> {
                String[] parts = line.split("\t");
                if (parts.length != 3) {
                  throw new IllegalStateException(where + ": bad line \"" + line + "\"");
                }
                IDS.put(parts[0], parts[1]);
                USD_RULE.put(parts[0], parts[2]);
              });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + where, e);
    }
  }

  private AssetSymbols() {}

  /** The CoinCap id of {@code ticker}, or the upper-case ticker itself when the table lacks it. */
  public static String assetId(String ticker) {
    String symbol = ticker.trim().toUpperCase(Locale.ROOT);
    return IDS.getOrDefault(symbol, symbol);
  }

  /**
   * The price in USD of a trade at {@code price} quoted in {@code quoteTicker}: the price itself
   * for USD and USD stablecoins, 0 (unknown) for anything else.
   */
  public static double priceUsd(String quoteTicker, double price) {
    String symbol = quoteTicker.trim().toUpperCase(Locale.ROOT);
    String rule = USD_RULE.get(symbol);
    boolean dollars = "usd".equals(rule) || "stable".equals(rule);
    return dollars ? price : 0;
  }

  /**
   * A Binance symbol (BTCUSDT) split into base and quote tickers by the longest known quote suffix,
   * or null when it ends in none (or is nothing but a quote).
   */
  public static String[] splitBinance(String symbol) {
    String upper = symbol.trim().toUpperCase(Locale.ROOT);
    String best = null;
    for (String quote : BINANCE_QUOTES) {
      if (upper.endsWith(quote)
          && upper.length() > quote.length()
          && (best == null || quote.length() > best.length())) {
        best = quote;
      }
    }
    return best == null
        ? null
        : new String[] {upper.substring(0, upper.length() - best.length()), best};
  }
}

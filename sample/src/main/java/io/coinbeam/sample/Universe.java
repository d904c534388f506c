package io.coinbeam.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The market the sample describes: the currencies (with their USD value at the start), the assets
 * {@code /assets} lists, the exchanges, and the trading pairs each exchange sends trades for. One
 * table for all five streams keeps them consistent with each other: a trade's {@code priceUsd}, the
 * asset's {@code priceUsd}, the rate and the market row all follow the same {@link PriceModel}.
 * Figures are of the order CoinCap showed in May 2024.
 */
final class Universe {

  /**
   * A currency with a USD value: a crypto asset, a stablecoin or a fiat currency.
   *
   * @param sign the {@code currencySymbol} of {@code /rates}, null where CoinCap has none
   * @param sigma the standard deviation of the log price per second
   * @param pegged held near its start value (stablecoins, fiat) instead of walking freely
   */
  record Currency(
      String id,
      String symbol,
      String name,
      String sign,
      String type,
      double startUsd,
      double sigma,
      boolean pegged) {}

  /** What {@code /assets} adds to a crypto currency; {@code maxSupply}, explorer may be null. */
  record Asset(
      int currency,
      int rank,
      double supply,
      double supplyPerMinute,
      Double maxSupply,
      String explorer,
      boolean vwapNull,
      double volumeUsd24Hr,
      double changePercent24Hr,
      int lotDecimals) {}

  /**
   * An exchange of {@code /exchanges}; {@code volumeUsd} null for one that reports none, {@code
   * tradeShare} its part of the trades stream (0: sends none), {@code wholeSeconds} for one whose
   * socket sends timestamps rounded down to the second (gemini does).
   */
  record Exchange(
      String id,
      String name,
      String url,
      boolean socket,
      int tradingPairs,
      Double volumeUsd,
      double tradeShare,
      boolean wholeSeconds) {}

  /**
   * A trading pair on one exchange. {@code weight} is its share of all trades, {@code premium} how
   * far its prices sit from the asset's mid price, {@code tickDecimals} and {@code lotDecimals} the
   * decimals of its prices and volumes; {@code listed} whether {@code /markets} polls carry it.
   */
  record Market(
      int exchange,
      int base,
      int quote,
      double weight,
      double premium,
      int tickDecimals,
      int lotDecimals,
      double volumeUsd24Hr,
      int rank,
      boolean listed) {}

  static final List<Currency> CURRENCIES =
      List.of(
          new Currency("bitcoin", "BTC", "Bitcoin", "₿", "crypto", 63150.0, 1.5e-4, false),
          new Currency("ethereum", "ETH", "Ethereum", null, "crypto", 3105.0, 1.8e-4, false),
          new Currency("tether", "USDT", "Tether", null, "crypto", 1.0004, 2e-5, true),
          new Currency("solana", "SOL", "Solana", null, "crypto", 147.3, 2.4e-4, false),
          new Currency("usd-coin", "USDC", "USD Coin", null, "crypto", 1.0001, 1e-5, true),
          new Currency("xrp", "XRP", "XRP", null, "crypto", 0.5262, 2.0e-4, false),
          new Currency("dogecoin", "DOGE", "Dogecoin", null, "crypto", 0.1548, 2.6e-4, false),
          // The sub-cent asset: prices need 10 decimals, volumes run into the millions.
          new Currency("shiba-inu", "SHIB", "Shiba Inu", null, "crypto", 0.00002347, 3.0e-4, false),
          new Currency("united-states-dollar", "USD", "US Dollar", "$", "fiat", 1.0, 0, true),
          new Currency("euro", "EUR", "Euro", "€", "fiat", 1.0763, 3e-6, true),
          new Currency(
              "british-pound-sterling", "GBP", "British Pound", "£", "fiat", 1.2497, 3e-6, true),
          new Currency("japanese-yen", "JPY", "Japanese Yen", "¥", "fiat", 0.006468, 4e-6, true),
          new Currency("mexican-peso", "MXN", "Mexican Peso", "$", "fiat", 0.05903, 5e-6, true),
          new Currency(
              "singapore-dollar", "SGD", "Singapore Dollar", "$", "fiat", 0.7392, 2e-6, true));

  static final int BTC = index("bitcoin");
  static final int ETH = index("ethereum");
  static final int USDT = index("tether");
  static final int SOL = index("solana");
  static final int USDC = index("usd-coin");
  static final int XRP = index("xrp");
  static final int DOGE = index("dogecoin");
  static final int SHIB = index("shiba-inu");
  static final int USD = index("united-states-dollar");
  static final int EUR = index("euro");
  static final int GBP = index("british-pound-sterling");
  static final int JPY = index("japanese-yen");
  static final int MXN = index("mexican-peso");
  static final int SGD = index("singapore-dollar");

  /** {@code /assets} rows in rank order. */
  static final List<Asset> ASSETS =
      List.of(
          new Asset(
              BTC, 1, 19694062, 0.3125, 21e6, "https://blockchain.info/", false, 2.41e10, -1.37, 5),
          new Asset(
              ETH, 2, 120087452.89, 0.5, null, "https://etherscan.io/", false, 1.19e10, -2.04, 4),
          new Asset(
              USDT,
              3,
              110.93e9,
              0,
              null,
              "https://www.omniexplorer.info/asset/31",
              false,
              4.46e10,
              0.03,
              2),
          new Asset(
              SOL,
              5,
              447818620.67,
              1.5,
              null,
              "https://explorer.solana.com/",
              false,
              2.13e9,
              -4.21,
              2),
          new Asset(USDC, 6, 33.58e9, 0, null, null, false, 3.9e9, 0.01, 2),
          new Asset(
              XRP,
              7,
              55186372920.0,
              0,
              100e9,
              "https://xrpcharts.ripple.com/#/graph/",
              false,
              9.4e8,
              -1.62,
              1),
          new Asset(
              DOGE,
              8,
              144340115383.7,
              10000,
              null,
              "http://dogechain.info/chain/Dogecoin",
              false,
              1.04e9,
              -3.46,
              0),
          new Asset(
              SHIB,
              12,
              589265110736270.8,
              0,
              null,
              "https://etherscan.io/token/0x95ad61b0a150d79219dcf64e1e6cc01f0b64c4ce",
              true,
              3.4e8,
              -2.77,
              0));

  /** {@code /rates} rows in the order the API lists them (not sorted, like the real one). */
  static final List<Integer> RATES = List.of(EUR, USDT, JPY, BTC, USD, GBP, USDC, MXN, ETH, SGD);

  static final List<Exchange> EXCHANGES =
      List.of(
          new Exchange(
              "binance", "Binance", "https://www.binance.com/", true, 1496, 1.21e10, 0.40, false),
          new Exchange(
              "coinbase", "Coinbase", "https://www.coinbase.com/", true, 431, 2.27e9, 0.20, false),
          new Exchange("okx", "OKX", "https://www.okx.com/", false, 682, 1.68e9, 0, false),
          new Exchange(
              "kraken", "Kraken", "https://www.kraken.com/", true, 743, 9.8e8, 0.15, false),
          new Exchange("gemini", "Gemini", "https://gemini.com/", true, 138, 1.3e8, 0.15, true),
          new Exchange("bitso", "Bitso", "https://bitso.com/", true, 62, 4.1e7, 0.10, false),
          // Reports no volume: CoinCap gives null volumeUsd and percentTotalVolume.
          new Exchange("zaif", "Zaif", "https://zaif.jp/", false, 13, null, 0, false));

  /** exchange, base, quote, share of the exchange's trades. */
  private static final Object[][] PAIRS = {
    {"binance", BTC, USDT, 0.35},
    {"binance", ETH, USDT, 0.25},
    {"binance", SOL, USDT, 0.12},
    {"binance", XRP, USDT, 0.08},
    {"binance", DOGE, USDT, 0.08},
    {"binance", SHIB, USDT, 0.06},
    {"binance", ETH, BTC, 0.06},
    {"coinbase", BTC, USD, 0.40},
    {"coinbase", ETH, USD, 0.30},
    {"coinbase", SOL, USD, 0.12},
    {"coinbase", BTC, USDT, 0.07},
    {"coinbase", SHIB, USD, 0.06},
    {"coinbase", DOGE, USD, 0.05},
    {"kraken", BTC, USD, 0.30},
    {"kraken", BTC, EUR, 0.25},
    {"kraken", ETH, USD, 0.15},
    {"kraken", ETH, EUR, 0.15},
    {"kraken", XRP, EUR, 0.15},
    {"gemini", BTC, USD, 0.50},
    {"gemini", ETH, USD, 0.35},
    {"gemini", SOL, USD, 0.15},
    {"bitso", BTC, MXN, 0.40},
    {"bitso", XRP, USDT, 0.35},
    {"bitso", ETH, USDT, 0.25},
  };

  final List<Market> markets;

  /** The markets, with premiums drawn from {@code seed}. */
  Universe(long seed) {
    SplittableRandom random = Randoms.forPart(seed, "universe");
    List<Market> list = new ArrayList<>();
    double[] volumes = new double[PAIRS.length];
    for (int i = 0; i < PAIRS.length; i++) {
      Exchange exchange = EXCHANGES.get(exchangeIndex((String) PAIRS[i][0]));
      volumes[i] = exchange.volumeUsd() * (double) PAIRS[i][3];
    }
    for (int i = 0; i < PAIRS.length; i++) {
      int exchange = exchangeIndex((String) PAIRS[i][0]);
      int base = (int) PAIRS[i][1];
      int quote = (int) PAIRS[i][2];
      double share = (double) PAIRS[i][3];
      double startQuote = CURRENCIES.get(base).startUsd() / CURRENCIES.get(quote).startUsd();
      int rank = 1;
      for (double v : volumes) {
        rank += v > volumes[i] ? 1 : 0;
      }
      list.add(
          new Market(
              exchange,
              base,
              quote,
              EXCHANGES.get(exchange).tradeShare() * share,
              // Exchanges disagree by a few basis points: what market_stats' spread measures.
              4e-4 * Randoms.gaussian(random, 3),
              tickDecimals(startQuote),
              assetOf(base).lotDecimals(),
              volumes[i],
              rank,
              listedOnSeveralExchanges(base, quote)));
    }
    this.markets = List.copyOf(list);
  }

  static int index(String currencyId) {
    for (int i = 0; i < CURRENCIES.size(); i++) {
      if (CURRENCIES.get(i).id().equals(currencyId)) {
        return i;
      }
    }
    throw new IllegalArgumentException(currencyId);
  }

  static int exchangeIndex(String id) {
    for (int i = 0; i < EXCHANGES.size(); i++) {
      if (EXCHANGES.get(i).id().equals(id)) {
        return i;
      }
    }
    throw new IllegalArgumentException(id);
  }

  static Asset assetOf(int currency) {
    for (Asset asset : ASSETS) {
      if (asset.currency() == currency) {
        return asset;
      }
    }
    throw new IllegalArgumentException(CURRENCIES.get(currency).id());
  }

  /**
   * {@code /markets} polls carry the pairs that trade on more than one exchange: those are what
   * {@code market_stats} compares, and leaving out the rest keeps the bundled sample small.
   */
  private static boolean listedOnSeveralExchanges(int base, int quote) {
    int count = 0;
    for (Object[] pair : PAIRS) {
      count += (int) pair[1] == base && (int) pair[2] == quote ? 1 : 0;
    }
    return count > 1;
  }

  /** Enough decimals for five or six significant digits, at least two (cents). */
  static int tickDecimals(double price) {
    int digits = JsonText.integerDigits(price);
    return Math.max(2, Math.min(10, 6 - digits));
  }
}

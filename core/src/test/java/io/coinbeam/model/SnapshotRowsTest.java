package io.coinbeam.model;

import static io.coinbeam.model.JsonFieldsTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The four REST row parsers: required and optional fields, renamed keys, nulls, bad values. */
class SnapshotRowsTest {
  private static final long T = 1_627_297_413_424L;

  @Test
  void assetWithEveryField() throws Exception {
    AssetSnapshot asset =
        AssetSnapshot.parse(
            json(
                "{\"id\":\"bitcoin\",\"rank\":\"1\",\"symbol\":\"BTC\",\"name\":\"Bitcoin\","
                    + "\"supply\":\"18767006.0000000000000000\","
                    + "\"maxSupply\":\"21000000.0000000000000000\",\"marketCapUsd\":\"1e15\","
                    + "\"volumeUsd24Hr\":\"2.5\",\"priceUsd\":\"38417.5\","
                    + "\"changePercent24Hr\":\"-4.25\",\"vwap24Hr\":\"37077.75\","
                    + "\"explorer\":\"https://blockchain.info/\",\"tokens\":{}}"),
            T);
    assertEquals(
        new AssetSnapshot(
            "bitcoin",
            "BTC",
            "Bitcoin",
            1L,
            18_767_006.0,
            21_000_000.0,
            1e15,
            2.5,
            38_417.5,
            -4.25,
            37_077.75,
            T),
        asset);
    assertEquals(T, asset.eventTimeMillis());
  }

  @Test
  void assetNeedsOnlyIdAndPrice() throws Exception {
    AssetSnapshot asset = AssetSnapshot.parse(json("{\"id\":\"x\",\"priceUsd\":0.5}"), T);
    assertEquals(
        new AssetSnapshot("x", null, null, null, null, null, null, null, 0.5, null, null, T),
        asset);
  }

  @Test
  void assetWithoutIdOrPriceIsRejected() {
    assertEquals(
        "missing id",
        assertThrows(
                MalformedRecordException.class,
                () -> AssetSnapshot.parse(json("{\"priceUsd\":\"1\"}"), T))
            .getMessage());
    assertEquals(
        "missing priceUsd",
        assertThrows(
                MalformedRecordException.class,
                () -> AssetSnapshot.parse(json("{\"id\":\"x\",\"priceUsd\":null}"), T))
            .getMessage());
    // a history row (/assets/{id}/history) is not an asset row
    assertEquals(
        "missing id",
        assertThrows(
                MalformedRecordException.class,
                () ->
                    AssetSnapshot.parse(json("{\"priceUsd\":\"14.8\",\"time\":1627297200000}"), T))
            .getMessage());
  }

  @Test
  void rateWithNullCurrencySymbol() throws Exception {
    RateSnapshot rate =
        RateSnapshot.parse(
            json(
                "{\"id\":\"usd-coin\",\"symbol\":\"USDC\",\"currencySymbol\":null,"
                    + "\"type\":\"crypto\",\"rateUsd\":\"1.0000000000000000\"}"),
            T);
    assertEquals(new RateSnapshot("usd-coin", "USDC", null, "crypto", 1.0, T), rate);
  }

  @Test
  void rateMustNotBeNegativeButMayBeZero() throws Exception {
    assertEquals(0.0, RateSnapshot.parse(json("{\"id\":\"x\",\"rateUsd\":\"0\"}"), T).rateUsd());
    assertEquals(
        "rateUsd: must not be negative, got -0.5",
        assertThrows(
                MalformedRecordException.class,
                () -> RateSnapshot.parse(json("{\"id\":\"x\",\"rateUsd\":\"-0.5\"}"), T))
            .getMessage());
  }

  @Test
  void exchangeReadsEarlyIdAndLaterExchangeId() throws Exception {
    String fields =
        "\"name\":\"Binance\",\"rank\":\"1\",\"percentTotalVolume\":\"16.5\","
            + "\"volumeUsd\":\"1034850514.25\",\"tradingPairs\":\"375\",\"socket\":true,"
            + "\"updated\":1536336916333";
    ExchangeSnapshot expected =
        new ExchangeSnapshot("binance", "Binance", 1L, 16.5, 1_034_850_514.25, 375L, true, T);
    assertEquals(expected, ExchangeSnapshot.parse(json("{\"id\":\"binance\"," + fields + "}"), T));
    assertEquals(
        expected, ExchangeSnapshot.parse(json("{\"exchangeId\":\"binance\"," + fields + "}"), T));
    // when both are there the current name wins
    assertEquals(
        "binance",
        ExchangeSnapshot.parse(json("{\"exchangeId\":\"binance\",\"id\":\"old\"}"), T)
            .exchangeId());
  }

  @Test
  void exchangeOptionalFieldsMayBeNullOrMissing() throws Exception {
    assertEquals(
        new ExchangeSnapshot("x", null, null, null, null, null, null, T),
        ExchangeSnapshot.parse(
            json("{\"exchangeId\":\"x\",\"volumeUsd\":null,\"socket\":null,\"rank\":\"\"}"), T));
  }

  @Test
  void exchangeWithBadValuesIsRejected() {
    assertEquals(
        "missing exchangeId or id",
        assertThrows(
                MalformedRecordException.class,
                () -> ExchangeSnapshot.parse(json("{\"name\":\"Kraken\"}"), T))
            .getMessage());
    assertEquals(
        "tradingPairs: not a whole number: 141.5",
        assertThrows(
                MalformedRecordException.class,
                () -> ExchangeSnapshot.parse(json("{\"id\":\"k\",\"tradingPairs\":\"141.5\"}"), T))
            .getMessage());
  }

  @Test
  void marketWithEveryField() throws Exception {
    MarketSnapshot market =
        MarketSnapshot.parse(
            json(
                "{\"exchangeId\":\"binance\",\"rank\":\"24\",\"baseSymbol\":\"SOL\","
                    + "\"baseId\":\"solana\",\"quoteSymbol\":\"USDT\",\"quoteId\":\"tether\","
                    + "\"priceQuote\":\"30.5\",\"priceUsd\":\"30.25\","
                    + "\"volumeUsd24Hr\":\"151001680.5\",\"percentExchangeVolume\":\"0.75\","
                    + "\"tradesCount24Hr\":\"165733\",\"updated\":1627309308585}"),
            T);
    assertEquals(
        new MarketSnapshot(
            "binance",
            "solana",
            "tether",
            "SOL",
            "USDT",
            30.5,
            30.25,
            151_001_680.5,
            0.75,
            165_733L,
            T),
        market);
  }

  @Test
  void marketNeedsExchangeBaseQuoteAndANonNegativePrice() {
    String base = "\"exchangeId\":\"e\",\"baseId\":\"b\",\"quoteId\":\"q\"";
    assertEquals(
        "missing quoteId",
        assertThrows(
                MalformedRecordException.class,
                () ->
                    MarketSnapshot.parse(
                        json("{\"exchangeId\":\"e\",\"baseId\":\"b\",\"priceUsd\":\"1\"}"), T))
            .getMessage());
    assertEquals(
        "missing priceUsd",
        assertThrows(
                MalformedRecordException.class,
                () -> MarketSnapshot.parse(json("{" + base + "}"), T))
            .getMessage());
    assertEquals(
        "priceUsd: must not be negative, got -1.0",
        assertThrows(
                MalformedRecordException.class,
                () -> MarketSnapshot.parse(json("{" + base + ",\"priceUsd\":\"-1\"}"), T))
            .getMessage());
  }

  @Test
  void marketOptionalFieldsMayBeMissing() throws Exception {
    MarketSnapshot market =
        MarketSnapshot.parse(
            json("{\"exchangeId\":\"e\",\"baseId\":\"b\",\"quoteId\":\"q\",\"priceUsd\":0}"), T);
    assertNull(market.baseSymbol());
    assertNull(market.priceQuote());
    assertNull(market.volumeUsd24Hr());
    assertNull(market.tradesCount24Hr());
    assertEquals(0.0, market.priceUsd());
  }
}

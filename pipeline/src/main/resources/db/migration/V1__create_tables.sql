-- V1: the six tables, as the schema files in schemas/ declare them (PostgresSchemaCheck and its
-- test compare the two). FLOAT columns are numeric: every double the pipeline computes is stored as
-- its exact decimal form (1e-8 prices and 1e15 market caps alike), and sums in SQL stay exact.
-- written_at is PostgreSQL's own: when the row last changed, for freshness panels.

CREATE TABLE trade_candles (
  exchange text NOT NULL,
  base text NOT NULL,
  quote text NOT NULL,
  window_start timestamptz NOT NULL,
  window_end timestamptz NOT NULL,
  open numeric NOT NULL,
  high numeric NOT NULL,
  low numeric NOT NULL,
  close numeric NOT NULL,
  volume numeric NOT NULL,
  volume_usd numeric NOT NULL,
  vwap numeric NOT NULL,
  trade_count bigint NOT NULL,
  buy_count bigint NOT NULL,
  sell_count bigint NOT NULL,
  buy_volume numeric NOT NULL,
  sell_volume numeric NOT NULL,
  first_trade_at timestamptz NOT NULL,
  last_trade_at timestamptz NOT NULL,
  pane_timing text,
  pane_index bigint,
  written_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (exchange, base, quote, window_start)
);
-- Everything in a time range; the primary key serves one key over a time range.
CREATE INDEX trade_candles_window_start_idx ON trade_candles (window_start);
CREATE INDEX trade_candles_written_at_idx ON trade_candles (written_at);
COMMENT ON TABLE trade_candles IS 'One-minute (--window) candles per exchange and pair, from the trades socket.';
COMMENT ON COLUMN trade_candles.exchange IS 'Exchange id as the trades socket names it.';
COMMENT ON COLUMN trade_candles.base IS 'Base asset id.';
COMMENT ON COLUMN trade_candles.quote IS 'Quote asset id; prices are in this currency.';
COMMENT ON COLUMN trade_candles.window_start IS 'Start of the event-time window (inclusive).';
COMMENT ON COLUMN trade_candles.window_end IS 'End of the event-time window (exclusive).';
COMMENT ON COLUMN trade_candles.open IS 'Price of the first trade, ordered by (timestamp, price, volume).';
COMMENT ON COLUMN trade_candles.high IS 'Highest trade price.';
COMMENT ON COLUMN trade_candles.low IS 'Lowest trade price.';
COMMENT ON COLUMN trade_candles.close IS 'Price of the last trade, ordered by (timestamp, price, volume).';
COMMENT ON COLUMN trade_candles.volume IS 'Sum of trade volumes, in base units.';
COMMENT ON COLUMN trade_candles.volume_usd IS 'Sum of volume x priceUsd.';
COMMENT ON COLUMN trade_candles.vwap IS 'Volume-weighted average price in the quote currency: sum(price x volume) / sum(volume).';
COMMENT ON COLUMN trade_candles.trade_count IS 'Number of trades.';
COMMENT ON COLUMN trade_candles.buy_count IS 'Trades whose direction is buy.';
COMMENT ON COLUMN trade_candles.sell_count IS 'Trades whose direction is sell.';
COMMENT ON COLUMN trade_candles.buy_volume IS 'Volume of buy trades, in base units.';
COMMENT ON COLUMN trade_candles.sell_volume IS 'Volume of sell trades, in base units.';
COMMENT ON COLUMN trade_candles.first_trade_at IS 'Time of the first trade.';
COMMENT ON COLUMN trade_candles.last_trade_at IS 'Time of the last trade.';
COMMENT ON COLUMN trade_candles.pane_timing IS 'Streaming pane this row came from: EARLY, ON_TIME or LATE; null in batch.';
COMMENT ON COLUMN trade_candles.pane_index IS 'Index of that pane within its window (0 first); null in batch.';

CREATE TABLE asset_stats (
  asset_id text NOT NULL,
  window_start timestamptz NOT NULL,
  window_end timestamptz NOT NULL,
  symbol text,
  name text,
  price_usd_open numeric NOT NULL,
  price_usd_high numeric NOT NULL,
  price_usd_low numeric NOT NULL,
  price_usd_close numeric NOT NULL,
  price_usd_avg numeric NOT NULL,
  market_cap_usd numeric,
  volume_usd_24hr numeric,
  supply numeric,
  max_supply numeric,
  rank bigint,
  change_percent_24hr numeric,
  vwap_24hr numeric,
  observations bigint NOT NULL,
  pane_timing text,
  pane_index bigint,
  written_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (asset_id, window_start)
);
-- Everything in a time range; the primary key serves one key over a time range.
CREATE INDEX asset_stats_window_start_idx ON asset_stats (window_start);
CREATE INDEX asset_stats_written_at_idx ON asset_stats (written_at);
COMMENT ON TABLE asset_stats IS 'Per asset and window: price open/high/low/close/avg and the last observed /assets values.';
COMMENT ON COLUMN asset_stats.asset_id IS 'CoinCap asset id, e.g. bitcoin.';
COMMENT ON COLUMN asset_stats.window_start IS 'Start of the event-time window (inclusive).';
COMMENT ON COLUMN asset_stats.window_end IS 'End of the event-time window (exclusive).';
COMMENT ON COLUMN asset_stats.symbol IS 'Ticker symbol, last observed.';
COMMENT ON COLUMN asset_stats.name IS 'Display name, last observed.';
COMMENT ON COLUMN asset_stats.price_usd_open IS 'First observed price in USD in the window.';
COMMENT ON COLUMN asset_stats.price_usd_high IS 'Highest observed price in USD.';
COMMENT ON COLUMN asset_stats.price_usd_low IS 'Lowest observed price in USD.';
COMMENT ON COLUMN asset_stats.price_usd_close IS 'Last observed price in USD.';
COMMENT ON COLUMN asset_stats.price_usd_avg IS 'Mean of the observed price in USD values.';
COMMENT ON COLUMN asset_stats.market_cap_usd IS 'Market capitalisation in USD, last observed.';
COMMENT ON COLUMN asset_stats.volume_usd_24hr IS 'Trading volume of the last 24 hours in USD, last observed.';
COMMENT ON COLUMN asset_stats.supply IS 'Circulating supply, last observed.';
COMMENT ON COLUMN asset_stats.max_supply IS 'Maximum supply, last observed; null where unlimited or unknown.';
COMMENT ON COLUMN asset_stats.rank IS 'Rank by market cap, last observed.';
COMMENT ON COLUMN asset_stats.change_percent_24hr IS 'Price change over 24 hours in percent, last observed.';
COMMENT ON COLUMN asset_stats.vwap_24hr IS '24-hour volume-weighted average price in USD, last observed.';
COMMENT ON COLUMN asset_stats.observations IS 'Distinct observations (snapshot times) in the window.';
COMMENT ON COLUMN asset_stats.pane_timing IS 'Streaming pane this row came from: EARLY, ON_TIME or LATE; null in batch.';
COMMENT ON COLUMN asset_stats.pane_index IS 'Index of that pane within its window (0 first); null in batch.';

CREATE TABLE rate_stats (
  rate_id text NOT NULL,
  window_start timestamptz NOT NULL,
  window_end timestamptz NOT NULL,
  symbol text,
  currency_symbol text,
  type text,
  rate_usd_open numeric NOT NULL,
  rate_usd_high numeric NOT NULL,
  rate_usd_low numeric NOT NULL,
  rate_usd_close numeric NOT NULL,
  rate_usd_avg numeric NOT NULL,
  observations bigint NOT NULL,
  pane_timing text,
  pane_index bigint,
  written_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (rate_id, window_start)
);
-- Everything in a time range; the primary key serves one key over a time range.
CREATE INDEX rate_stats_window_start_idx ON rate_stats (window_start);
CREATE INDEX rate_stats_written_at_idx ON rate_stats (written_at);
COMMENT ON TABLE rate_stats IS 'Per rate and window: USD rate open/high/low/close/avg from /rates.';
COMMENT ON COLUMN rate_stats.rate_id IS 'CoinCap rate id, e.g. euro.';
COMMENT ON COLUMN rate_stats.window_start IS 'Start of the event-time window (inclusive).';
COMMENT ON COLUMN rate_stats.window_end IS 'End of the event-time window (exclusive).';
COMMENT ON COLUMN rate_stats.symbol IS 'Currency code, last observed.';
COMMENT ON COLUMN rate_stats.currency_symbol IS 'Currency sign, last observed; often null.';
COMMENT ON COLUMN rate_stats.type IS 'fiat or crypto, last observed.';
COMMENT ON COLUMN rate_stats.rate_usd_open IS 'First observed value in USD in the window.';
COMMENT ON COLUMN rate_stats.rate_usd_high IS 'Highest observed value in USD.';
COMMENT ON COLUMN rate_stats.rate_usd_low IS 'Lowest observed value in USD.';
COMMENT ON COLUMN rate_stats.rate_usd_close IS 'Last observed value in USD.';
COMMENT ON COLUMN rate_stats.rate_usd_avg IS 'Mean of the observed value in USD values.';
COMMENT ON COLUMN rate_stats.observations IS 'Distinct observations (snapshot times) in the window.';
COMMENT ON COLUMN rate_stats.pane_timing IS 'Streaming pane this row came from: EARLY, ON_TIME or LATE; null in batch.';
COMMENT ON COLUMN rate_stats.pane_index IS 'Index of that pane within its window (0 first); null in batch.';

CREATE TABLE exchange_stats (
  exchange_id text NOT NULL,
  window_start timestamptz NOT NULL,
  window_end timestamptz NOT NULL,
  name text,
  rank bigint,
  volume_usd_24hr numeric,
  volume_usd_24hr_avg numeric,
  percent_total_volume numeric,
  trading_pairs bigint,
  socket boolean,
  observations bigint NOT NULL,
  pane_timing text,
  pane_index bigint,
  written_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (exchange_id, window_start)
);
-- Everything in a time range; the primary key serves one key over a time range.
CREATE INDEX exchange_stats_window_start_idx ON exchange_stats (window_start);
CREATE INDEX exchange_stats_written_at_idx ON exchange_stats (written_at);
COMMENT ON TABLE exchange_stats IS 'Per exchange and window: rank, 24h volume and share from /exchanges.';
COMMENT ON COLUMN exchange_stats.exchange_id IS 'CoinCap exchange id (id in early v2, exchangeId since).';
COMMENT ON COLUMN exchange_stats.window_start IS 'Start of the event-time window (inclusive).';
COMMENT ON COLUMN exchange_stats.window_end IS 'End of the event-time window (exclusive).';
COMMENT ON COLUMN exchange_stats.name IS 'Display name, last observed.';
COMMENT ON COLUMN exchange_stats.rank IS 'Rank by volume, last observed.';
COMMENT ON COLUMN exchange_stats.volume_usd_24hr IS '24-hour volume in USD, last observed.';
COMMENT ON COLUMN exchange_stats.volume_usd_24hr_avg IS 'Mean of the observed 24-hour volumes; null if none was reported.';
COMMENT ON COLUMN exchange_stats.percent_total_volume IS 'Share of the total volume of all exchanges in percent, last observed.';
COMMENT ON COLUMN exchange_stats.trading_pairs IS 'Number of trading pairs, last observed.';
COMMENT ON COLUMN exchange_stats.socket IS 'Whether CoinCap streams this exchange''s trades, last observed.';
COMMENT ON COLUMN exchange_stats.observations IS 'Distinct observations (snapshot times) in the window.';
COMMENT ON COLUMN exchange_stats.pane_timing IS 'Streaming pane this row came from: EARLY, ON_TIME or LATE; null in batch.';
COMMENT ON COLUMN exchange_stats.pane_index IS 'Index of that pane within its window (0 first); null in batch.';

CREATE TABLE market_stats (
  base_id text NOT NULL,
  quote_id text NOT NULL,
  window_start timestamptz NOT NULL,
  window_end timestamptz NOT NULL,
  base_symbol text,
  quote_symbol text,
  exchange_count bigint NOT NULL,
  volume_usd_24hr numeric,
  price_usd_vwap numeric,
  price_usd_min numeric NOT NULL,
  price_usd_max numeric NOT NULL,
  spread_pct numeric,
  trades_count_24hr bigint,
  top_exchange_id text,
  observations bigint NOT NULL,
  pane_timing text,
  pane_index bigint,
  written_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (base_id, quote_id, window_start)
);
-- Everything in a time range; the primary key serves one key over a time range.
CREATE INDEX market_stats_window_start_idx ON market_stats (window_start);
CREATE INDEX market_stats_written_at_idx ON market_stats (written_at);
COMMENT ON TABLE market_stats IS 'Per pair and window, across exchanges: volume, prices and spread from /markets.';
COMMENT ON COLUMN market_stats.base_id IS 'Base asset id.';
COMMENT ON COLUMN market_stats.quote_id IS 'Quote asset id.';
COMMENT ON COLUMN market_stats.window_start IS 'Start of the event-time window (inclusive).';
COMMENT ON COLUMN market_stats.window_end IS 'End of the event-time window (exclusive).';
COMMENT ON COLUMN market_stats.base_symbol IS 'Base symbol, from the latest observation.';
COMMENT ON COLUMN market_stats.quote_symbol IS 'Quote symbol, from the latest observation.';
COMMENT ON COLUMN market_stats.exchange_count IS 'Exchanges that listed the pair in the window.';
COMMENT ON COLUMN market_stats.volume_usd_24hr IS 'Sum over exchanges of each one''s last 24-hour volume in USD; null if none reported it.';
COMMENT ON COLUMN market_stats.price_usd_vwap IS 'Price in USD weighted by each exchange''s 24-hour volume; null without volume.';
COMMENT ON COLUMN market_stats.price_usd_min IS 'Lowest last price in USD across exchanges.';
COMMENT ON COLUMN market_stats.price_usd_max IS 'Highest last price in USD across exchanges.';
COMMENT ON COLUMN market_stats.spread_pct IS '(max - min) / min x 100; null when the minimum price is 0.';
COMMENT ON COLUMN market_stats.trades_count_24hr IS 'Sum over exchanges of the last 24-hour trade count; null if none reported it.';
COMMENT ON COLUMN market_stats.top_exchange_id IS 'Exchange with the largest 24-hour volume (ties: smallest id); null without volume.';
COMMENT ON COLUMN market_stats.observations IS 'Distinct market observations (exchange, time) in the window.';
COMMENT ON COLUMN market_stats.pane_timing IS 'Streaming pane this row came from: EARLY, ON_TIME or LATE; null in batch.';
COMMENT ON COLUMN market_stats.pane_index IS 'Index of that pane within its window (0 first); null in batch.';

CREATE TABLE dead_letters (
  stream text NOT NULL,
  source text NOT NULL,
  payload text NOT NULL,
  error text NOT NULL,
  observed_at timestamptz NOT NULL,
  written_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (stream, source, error)
);
-- Everything in a time range; the primary key serves one key over a time range.
CREATE INDEX dead_letters_observed_at_idx ON dead_letters (observed_at);
CREATE INDEX dead_letters_written_at_idx ON dead_letters (written_at);
COMMENT ON TABLE dead_letters IS 'Every record the pipeline could not use, with where it came from and why.';
COMMENT ON COLUMN dead_letters.stream IS 'Stream the record was read for: trades, assets, rates, exchanges or markets.';
COMMENT ON COLUMN dead_letters.source IS 'Where it came from: file:line (and #data[i] for one row of an envelope), or topic/partition@offset.';
COMMENT ON COLUMN dead_letters.payload IS 'The raw text, capped at 8192 characters.';
COMMENT ON COLUMN dead_letters.error IS 'Why it could not be used.';
COMMENT ON COLUMN dead_letters.observed_at IS 'When the record was captured: the Kafka record time, or the input file''s modification time.';

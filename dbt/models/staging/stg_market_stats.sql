-- Per pair and snapshot window, across exchanges (CoinCap /markets): the latest pane per key.
with latest as (
  {{ coinbeam_latest_pane(source('coinbeam', 'market_stats'), ['base_id', 'quote_id', 'window_start']) }}
)

select
  {{ coinbeam_key(['base_id', 'quote_id', 'window_start']) }} as market_window_key,
  base_id,
  quote_id,
  window_start,
  window_end,
  upper(base_symbol) as base_symbol,
  upper(quote_symbol) as quote_symbol,
  {{ coinbeam_int('exchange_count') }} as exchange_count,
  {{ coinbeam_float('volume_usd_24hr') }} as volume_usd_24hr,
  {{ coinbeam_float('price_usd_vwap') }} as price_usd_vwap,
  {{ coinbeam_float('price_usd_min') }} as price_usd_min,
  {{ coinbeam_float('price_usd_max') }} as price_usd_max,
  {{ coinbeam_float('spread_pct') }} as spread_pct,
  {{ coinbeam_int('trades_count_24hr') }} as trades_count_24hr,
  top_exchange_id,
  {{ coinbeam_int('observations') }} as observations,
  pane_timing,
  pane_index
from latest

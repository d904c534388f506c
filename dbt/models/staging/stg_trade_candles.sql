-- One-minute candles per exchange and pair: the latest pane per key, numbers as the target's
-- float type.
with latest as (
  {{ coinbeam_latest_pane(source('coinbeam', 'trade_candles'), ['exchange', 'base', 'quote', 'window_start']) }}
)

select
  {{ coinbeam_key(['exchange', 'base', 'quote', 'window_start']) }} as candle_key,
  exchange,
  base,
  quote,
  window_start,
  window_end,
  {{ coinbeam_float('open') }} as open,
  {{ coinbeam_float('high') }} as high,
  {{ coinbeam_float('low') }} as low,
  {{ coinbeam_float('close') }} as close,
  {{ coinbeam_float('volume') }} as volume,
  {{ coinbeam_float('volume_usd') }} as volume_usd,
  {{ coinbeam_float('vwap') }} as vwap,
  {{ coinbeam_int('trade_count') }} as trade_count,
  {{ coinbeam_int('buy_count') }} as buy_count,
  {{ coinbeam_int('sell_count') }} as sell_count,
  {{ coinbeam_float('buy_volume') }} as buy_volume,
  {{ coinbeam_float('sell_volume') }} as sell_volume,
  first_trade_at,
  last_trade_at,
  pane_timing,
  pane_index
from latest

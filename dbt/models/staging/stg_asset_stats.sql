-- Per asset and snapshot window (5 minutes by default): the latest pane per key.
with latest as (
  {{ coinbeam_latest_pane(source('coinbeam', 'asset_stats'), ['asset_id', 'window_start']) }}
)

select
  {{ coinbeam_key(['asset_id', 'window_start']) }} as asset_window_key,
  asset_id,
  window_start,
  window_end,
  upper(symbol) as symbol,
  name,
  {{ coinbeam_float('price_usd_open') }} as price_usd_open,
  {{ coinbeam_float('price_usd_high') }} as price_usd_high,
  {{ coinbeam_float('price_usd_low') }} as price_usd_low,
  {{ coinbeam_float('price_usd_close') }} as price_usd_close,
  {{ coinbeam_float('price_usd_avg') }} as price_usd_avg,
  {{ coinbeam_float('market_cap_usd') }} as market_cap_usd,
  {{ coinbeam_float('volume_usd_24hr') }} as volume_usd_24hr,
  {{ coinbeam_float('supply') }} as supply,
  {{ coinbeam_float('max_supply') }} as max_supply,
  {{ coinbeam_int('rank') }} as rank,
  {{ coinbeam_float('change_percent_24hr') }} as change_percent_24hr,
  {{ coinbeam_float('vwap_24hr') }} as vwap_24hr,
  {{ coinbeam_int('observations') }} as observations,
  pane_timing,
  pane_index
from latest

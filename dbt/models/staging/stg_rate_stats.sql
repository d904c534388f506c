-- Per rate (fiat or crypto currency) and snapshot window: the latest pane per key.
with latest as (
  {{ coinbeam_latest_pane(source('coinbeam', 'rate_stats'), ['rate_id', 'window_start']) }}
)

select
  {{ coinbeam_key(['rate_id', 'window_start']) }} as rate_window_key,
  rate_id,
  window_start,
  window_end,
  upper(symbol) as symbol,
  currency_symbol,
  lower(type) as rate_type,
  {{ coinbeam_float('rate_usd_open') }} as rate_usd_open,
  {{ coinbeam_float('rate_usd_high') }} as rate_usd_high,
  {{ coinbeam_float('rate_usd_low') }} as rate_usd_low,
  {{ coinbeam_float('rate_usd_close') }} as rate_usd_close,
  {{ coinbeam_float('rate_usd_avg') }} as rate_usd_avg,
  {{ coinbeam_int('observations') }} as observations,
  pane_timing,
  pane_index
from latest

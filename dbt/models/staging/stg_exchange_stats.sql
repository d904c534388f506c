-- Per exchange and snapshot window: the latest pane per key.
with latest as (
  {{ coinbeam_latest_pane(source('coinbeam', 'exchange_stats'), ['exchange_id', 'window_start']) }}
)

select
  {{ coinbeam_key(['exchange_id', 'window_start']) }} as exchange_window_key,
  exchange_id,
  window_start,
  window_end,
  name,
  {{ coinbeam_int('rank') }} as rank,
  {{ coinbeam_float('volume_usd_24hr') }} as volume_usd_24hr,
  {{ coinbeam_float('volume_usd_24hr_avg') }} as volume_usd_24hr_avg,
  {{ coinbeam_float('percent_total_volume') }} as percent_total_volume,
  {{ coinbeam_int('trading_pairs') }} as trading_pairs,
  coalesce(socket, false) as has_socket,
  {{ coinbeam_int('observations') }} as observations,
  pane_timing,
  pane_index
from latest

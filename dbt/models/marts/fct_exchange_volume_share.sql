-- Per exchange and hour: USD volume traded (from the hourly candles, all pairs), its share of all
-- exchanges' volume in that hour, and beside it the share CoinCap's /exchanges reported last in
-- that hour (of the whole market, so the two differ by design).
{%- if target.type == 'bigquery' %}
{{ config(cluster_by=['exchange_id']) }}
{%- endif %}
with per_exchange as (
  select
    exchange as exchange_id,
    window_start,
    max(window_end) as window_end,
    sum(volume_usd) as volume_usd,
    sum(trade_count) as trade_count,
    count(*) as pairs_traded
  from {{ ref('fct_candles_hourly') }}
  group by exchange, window_start
),

totals as (
  select
    window_start,
    sum(volume_usd) as market_volume_usd
  from per_exchange
  group by window_start
),

reported as (
  select
    exchange_id,
    {{ coinbeam_trunc('hour', 'window_start') }} as window_start,
    {{ coinbeam_last('percent_total_volume', 'window_start') }} as coincap_percent_total_volume
  from {{ ref('stg_exchange_stats') }}
  where percent_total_volume is not null
  group by 1, 2
)

select
  {{ coinbeam_key(['per_exchange.exchange_id', 'per_exchange.window_start']) }} as share_key,
  per_exchange.exchange_id,
  per_exchange.window_start,
  per_exchange.window_end,
  per_exchange.volume_usd,
  per_exchange.trade_count,
  per_exchange.pairs_traded,
  totals.market_volume_usd,
  {{ coinbeam_percent('per_exchange.volume_usd', 'totals.market_volume_usd') }} as volume_share_pct,
  reported.coincap_percent_total_volume
from per_exchange
inner join totals
  on totals.window_start = per_exchange.window_start
left join reported
  on
    reported.exchange_id = per_exchange.exchange_id
    and reported.window_start = per_exchange.window_start

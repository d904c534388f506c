-- Per pair and minute, across the exchanges that traded it: lowest and highest one-minute close,
-- which exchange had each (ties: smallest exchange id), and the spread (max - min) / min x 100.
-- Only minutes where at least two exchanges traded the same pair (same quote currency) are here.
-- Incremental: a run rebuilds the minutes from the newest one minus var('spread_lookback_minutes').
{{ config(materialized='incremental', unique_key='spread_key') }}
{%- if target.type == 'bigquery' %}
{{ config(cluster_by=['base', 'quote']) }}
{%- endif %}

with minutes as (
  select *
  from {{ ref('stg_trade_candles') }}
  {%- if is_incremental() %}
  where
    window_start >= (
      select {{ coinbeam_add('minute', -(var('spread_lookback_minutes') | int), 'max(window_start)') }}
      from {{ this }}
    )
  {%- endif %}
),

pairs as (
  select
    base,
    quote,
    window_start,
    max(window_end) as window_end,
    count(*) as exchange_count,
    min(close) as min_close,
    max(close) as max_close,
    {{ coinbeam_first('exchange', 'close, exchange') }} as cheapest_exchange,
    {{ coinbeam_first('exchange', 'close desc, exchange') }} as dearest_exchange,
    sum(volume) as volume,
    sum(volume_usd) as volume_usd
  from minutes
  group by base, quote, window_start
  having count(*) >= 2
)

select
  {{ coinbeam_key(['base', 'quote', 'window_start']) }} as spread_key,
  base,
  quote,
  window_start,
  window_end,
  exchange_count,
  min_close,
  max_close,
  cheapest_exchange,
  dearest_exchange,
  max_close - min_close as spread,
  {{ coinbeam_percent('max_close - min_close', 'min_close') }} as spread_pct,
  volume,
  volume_usd
from pairs

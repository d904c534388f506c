{#-
  The body of fct_candles_hourly and fct_candles_daily: one-minute candles rolled up to a period
  (hour or day). open is the first minute's open, close the last minute's close, high/low the
  extremes, volumes and counts sums, vwap recomputed as sum(vwap x volume) / sum(volume).
  Incremental: a run rebuilds every period from the one that held the newest candle minus
  var('candles_lookback_hours'), replacing those rows by key.
-#}
{%- macro coinbeam_candles_rollup(period) -%}
with minutes as (
  select *
  from {{ ref('stg_trade_candles') }}
  {%- if is_incremental() %}
  where {{ coinbeam_trunc(period, 'window_start') }} >= (
    select {{ coinbeam_trunc(period, coinbeam_add('hour', -(var('candles_lookback_hours') | int), 'max(window_start)')) }}
    from {{ this }}
  )
  {%- endif %}
),

rolled as (
  select
    exchange,
    base,
    quote,
    {{ coinbeam_trunc(period, 'window_start') }} as window_start,
    {{ coinbeam_first('open', 'window_start') }} as open,
    max(high) as high,
    min(low) as low,
    {{ coinbeam_last('close', 'window_start') }} as close,
    sum(volume) as volume,
    sum(volume_usd) as volume_usd,
    {{ coinbeam_divide('sum(vwap * volume)', 'sum(volume)') }} as vwap,
    sum(trade_count) as trade_count,
    sum(buy_count) as buy_count,
    sum(sell_count) as sell_count,
    sum(buy_volume) as buy_volume,
    sum(sell_volume) as sell_volume,
    min(first_trade_at) as first_trade_at,
    max(last_trade_at) as last_trade_at,
    count(*) as minute_candles
  from minutes
  group by 1, 2, 3, 4
)

select
  {{ coinbeam_key(['exchange', 'base', 'quote', 'window_start']) }} as candle_key,
  exchange,
  base,
  quote,
  window_start,
  {{ coinbeam_add(period, 1, 'window_start') }} as window_end,
  open,
  high,
  low,
  close,
  volume,
  volume_usd,
  vwap,
  trade_count,
  buy_count,
  sell_count,
  buy_volume,
  sell_volume,
  first_trade_at,
  last_trade_at,
  minute_candles
from rolled
{%- endmacro %}

-- Hourly and daily candles add up to the one-minute candles they came from: the same volume, USD
-- volume and trade count per exchange, pair and day. Rows returned are failures.
with minutes as (
  select
    exchange,
    base,
    quote,
    {{ coinbeam_trunc('day', 'window_start') }} as day,
    sum(volume) as volume,
    sum(volume_usd) as volume_usd,
    sum(trade_count) as trade_count,
    count(*) as minute_candles
  from {{ ref('stg_trade_candles') }}
  group by 1, 2, 3, 4
),

hours as (
  select
    exchange,
    base,
    quote,
    {{ coinbeam_trunc('day', 'window_start') }} as day,
    sum(volume) as volume,
    sum(volume_usd) as volume_usd,
    sum(trade_count) as trade_count,
    sum(minute_candles) as minute_candles
  from {{ ref('fct_candles_hourly') }}
  group by 1, 2, 3, 4
),

days as (
  select
    exchange,
    base,
    quote,
    window_start as day,
    volume,
    volume_usd,
    trade_count,
    minute_candles
  from {{ ref('fct_candles_daily') }}
)

select
  minutes.*,
  hours.volume as hourly_volume,
  days.volume as daily_volume
from minutes
left join hours
  on
    hours.exchange = minutes.exchange and hours.base = minutes.base
    and hours.quote = minutes.quote and hours.day = minutes.day
left join days
  on
    days.exchange = minutes.exchange and days.base = minutes.base
    and days.quote = minutes.quote and days.day = minutes.day
where hours.volume is null or days.volume is null
-- Exact in PostgreSQL (numeric); BigQuery sums float64 in any order, so allow rounding there.
or abs(hours.volume - minutes.volume) > 1e-9 * greatest(abs(minutes.volume), 1)
or abs(days.volume - minutes.volume) > 1e-9 * greatest(abs(minutes.volume), 1)
or abs(hours.volume_usd - minutes.volume_usd) > 1e-9 * greatest(abs(minutes.volume_usd), 1)
or abs(days.volume_usd - minutes.volume_usd) > 1e-9 * greatest(abs(minutes.volume_usd), 1)
or hours.trade_count <> minutes.trade_count
or days.trade_count <> minutes.trade_count
or hours.minute_candles <> minutes.minute_candles
or days.minute_candles <> minutes.minute_candles

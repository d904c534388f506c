-- One row per exchange seen in /exchanges or on the trades socket: its latest /exchanges
-- attributes (null for an exchange only traded on), and its traded USD volume and pairs.
with ranked as (
  select
    *,
    row_number() over (partition by exchange_id order by window_start desc) as recency
  from {{ ref('stg_exchange_stats') }}
),

observed as (
  select
    exchange_id,
    min(window_start) as first_observed_at,
    max(window_end) as last_observed_at
  from {{ ref('stg_exchange_stats') }}
  group by exchange_id
),

traded as (
  select
    exchange as exchange_id,
    min(first_trade_at) as first_traded_at,
    max(last_trade_at) as last_traded_at,
    sum(volume_usd) as traded_volume_usd,
    sum(trade_count) as trade_count
  from {{ ref('stg_trade_candles') }}
  group by exchange
),

ids as (
  select exchange_id from observed
  union distinct
  select exchange_id from traded
)

select
  ids.exchange_id,
  latest.name,
  latest.rank,
  latest.volume_usd_24hr,
  latest.percent_total_volume,
  latest.trading_pairs,
  coalesce(latest.has_socket, false) as has_socket,
  observed.first_observed_at,
  observed.last_observed_at,
  traded.first_traded_at,
  traded.last_traded_at,
  coalesce(traded.traded_volume_usd, 0) as traded_volume_usd,
  coalesce(traded.trade_count, 0) as trade_count,
  observed.exchange_id is not null as has_exchange_stats,
  traded.exchange_id is not null as is_traded
from ids
left join ranked as latest
  on latest.exchange_id = ids.exchange_id and latest.recency = 1
left join observed
  on observed.exchange_id = ids.exchange_id
left join traded
  on traded.exchange_id = ids.exchange_id

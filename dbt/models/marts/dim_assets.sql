-- One row per asset seen in /assets or traded as a base: its latest /assets attributes (null for
-- an asset only traded), when it was first and last observed, and its traded USD volume.
with ranked as (
  select
    *,
    row_number() over (partition by asset_id order by window_start desc) as recency
  from {{ ref('stg_asset_stats') }}
),

observed as (
  select
    asset_id,
    min(window_start) as first_observed_at,
    max(window_end) as last_observed_at
  from {{ ref('stg_asset_stats') }}
  group by asset_id
),

traded as (
  select
    base as asset_id,
    min(first_trade_at) as first_traded_at,
    max(last_trade_at) as last_traded_at,
    sum(volume_usd) as traded_volume_usd
  from {{ ref('stg_trade_candles') }}
  group by base
),

ids as (
  select asset_id from observed
  union distinct
  select asset_id from traded
)

select
  ids.asset_id,
  latest.symbol,
  latest.name,
  latest.rank,
  latest.price_usd_close as price_usd,
  latest.market_cap_usd,
  latest.supply,
  latest.max_supply,
  latest.change_percent_24hr,
  observed.first_observed_at,
  observed.last_observed_at,
  traded.first_traded_at,
  traded.last_traded_at,
  coalesce(traded.traded_volume_usd, 0) as traded_volume_usd,
  observed.asset_id is not null as has_asset_stats,
  traded.asset_id is not null as is_traded
from ids
left join ranked as latest
  on latest.asset_id = ids.asset_id and latest.recency = 1
left join observed
  on observed.asset_id = ids.asset_id
left join traded
  on traded.asset_id = ids.asset_id

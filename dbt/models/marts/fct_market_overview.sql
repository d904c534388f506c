-- Per snapshot window: total market cap of the assets observed, bitcoin's and ethereum's share of
-- it (dominance, %), and the top gainer and loser by 24-hour change (ties: smallest asset id).
with assets as (
  select * from {{ ref('stg_asset_stats') }}
),

totals as (
  select
    window_start,
    max(window_end) as window_end,
    count(*) as asset_count,
    sum(market_cap_usd) as total_market_cap_usd,
    sum(volume_usd_24hr) as total_volume_usd_24hr,
    sum(case when asset_id = 'bitcoin' then market_cap_usd end) as btc_market_cap_usd,
    sum(case when asset_id = 'ethereum' then market_cap_usd end) as eth_market_cap_usd
  from assets
  group by window_start
),

ranked as (
  select
    window_start,
    asset_id,
    change_percent_24hr,
    row_number() over (
      partition by window_start
      order by change_percent_24hr desc, asset_id asc
    ) as gainer_rank,
    row_number() over (
      partition by window_start
      order by change_percent_24hr asc, asset_id asc
    ) as loser_rank
  from assets
  where change_percent_24hr is not null
)

select
  totals.window_start,
  totals.window_end,
  totals.asset_count,
  totals.total_market_cap_usd,
  totals.total_volume_usd_24hr,
  totals.btc_market_cap_usd,
  totals.eth_market_cap_usd,
  {{ coinbeam_percent('totals.btc_market_cap_usd', 'totals.total_market_cap_usd') }} as btc_dominance_pct,
  {{ coinbeam_percent('totals.eth_market_cap_usd', 'totals.total_market_cap_usd') }} as eth_dominance_pct,
  gainer.asset_id as top_gainer_asset_id,
  gainer.change_percent_24hr as top_gainer_change_pct,
  loser.asset_id as top_loser_asset_id,
  loser.change_percent_24hr as top_loser_change_pct
from totals
left join ranked as gainer
  on gainer.window_start = totals.window_start and gainer.gainer_rank = 1
left join ranked as loser
  on loser.window_start = totals.window_start and loser.loser_rank = 1

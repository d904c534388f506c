-- In every hour with volume, the exchanges' shares add up to 100 %. Rows returned are failures.
select
  window_start,
  sum(volume_share_pct) as total_share_pct
from {{ ref('fct_exchange_volume_share') }}
where market_volume_usd > 0
group by window_start
having abs(sum(volume_share_pct) - 100) > 1e-6

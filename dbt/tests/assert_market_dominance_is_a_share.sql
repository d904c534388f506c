-- BTC and ETH dominance are shares of the total: each within 0..100 and together at most 100;
-- the top gainer's change is at least the top loser's. Rows returned are failures.
select *
from {{ ref('fct_market_overview') }}
where
  btc_dominance_pct < 0 or btc_dominance_pct > 100
  or eth_dominance_pct < 0 or eth_dominance_pct > 100
  or coalesce(btc_dominance_pct, 0) + coalesce(eth_dominance_pct, 0) > 100 + 1e-9
  or top_gainer_change_pct < top_loser_change_pct

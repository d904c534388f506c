-- A spread needs two exchanges, is never negative, and its cheapest and dearest exchanges are two
-- different ones whenever the closes differ. Rows returned are failures.
select *
from {{ ref('fct_cross_exchange_spread') }}
where
  exchange_count < 2
  or min_close > max_close
  or spread < 0
  or spread_pct < 0
  or (max_close > min_close and cheapest_exchange = dearest_exchange)

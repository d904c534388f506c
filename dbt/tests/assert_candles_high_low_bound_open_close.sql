-- Every candle, one-minute, hourly and daily: high >= greatest(open, close) and
-- low <= least(open, close). Rows returned are failures.
{% for model in ['stg_trade_candles', 'fct_candles_hourly', 'fct_candles_daily'] %}
select '{{ model }}' as model, candle_key, open, high, low, close
from {{ ref(model) }}
where high < greatest(open, close) or low > least(open, close) or low > high
{% if not loop.last %}union all{% endif %}
{% endfor %}

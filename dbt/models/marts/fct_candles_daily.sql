-- Daily candles per exchange and pair, rolled up from the one-minute candles: open is the first
-- minute's open, close the last minute's close, high/low the extremes, volumes and counts sums, vwap
-- recomputed as sum(vwap x volume) / sum(volume); incremental (see macros/candles.sql).
{{ config(materialized='incremental', unique_key='candle_key') }}
{%- if target.type == 'bigquery' %}
{{ config(cluster_by=['exchange', 'base', 'quote']) }}
{%- endif %}

{{ coinbeam_candles_rollup('day') }}

{#-
  Numbers: the pipeline's FLOAT columns are numeric in PostgreSQL (exact decimals), FLOAT64 in
  BigQuery and DOUBLE in the Parquet files DuckDB reads (DuckDB's numeric is DECIMAL(18,3), which
  would round prices, so it keeps double); counts are bigint / INT64.
-#}

{%- macro coinbeam_float(expr) -%}
  {%- if target.type == 'bigquery' -%}
    cast({{ expr }} as float64)
  {%- elif target.type == 'duckdb' -%}
    cast({{ expr }} as double)
  {%- else -%}
    cast({{ expr }} as numeric)
  {%- endif -%}
{%- endmacro -%}

{%- macro coinbeam_int(expr) -%}
  {%- if target.type == 'bigquery' -%}
    cast({{ expr }} as int64)
  {%- else -%}
    cast({{ expr }} as bigint)
  {%- endif -%}
{%- endmacro -%}

{#- numerator / denominator, null when the denominator is 0 or null. Both sides are made numbers
    of the float type first, so integer counts divide as decimals in PostgreSQL too. -#}
{%- macro coinbeam_divide(numerator, denominator) -%}
  {%- if target.type == 'bigquery' -%}
    safe_divide({{ numerator }}, {{ denominator }})
  {%- elif target.type == 'duckdb' -%}
    (cast({{ numerator }} as double) / nullif(cast({{ denominator }} as double), 0))
  {%- else -%}
    (cast({{ numerator }} as numeric) / nullif(cast({{ denominator }} as numeric), 0))
  {%- endif -%}
{%- endmacro -%}

{#- 100 x (part / whole), null when whole is 0 or null. -#}
{%- macro coinbeam_percent(part, whole) -%}
  (100 * {{ coinbeam_divide(part, whole) }})
{%- endmacro -%}

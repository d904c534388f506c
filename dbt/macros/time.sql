{#-
  Time arithmetic that PostgreSQL, BigQuery and DuckDB spell differently. Each macro branches on
  target.type itself: one short macro per difference reads more plainly than adapter.dispatch.
-#}

{#- Start of the UTC hour or day holding ts. PostgreSQL's date_trunc on timestamptz would use the
    session time zone, so the zone is named; BigQuery truncates in UTC by default; DuckDB's two-argument
    date_trunc uses the session zone too, so it truncates the UTC wall time and reads it back as UTC. -#}
{%- macro coinbeam_trunc(part, ts) -%}
  {%- if part not in ['minute', 'hour', 'day'] -%}
    {{ exceptions.raise_compiler_error("coinbeam_trunc: part must be minute, hour or day, not " ~ part) }}
  {%- endif -%}
  {%- if target.type == 'bigquery' -%}
    timestamp_trunc({{ ts }}, {{ part | upper }})
  {%- elif target.type == 'duckdb' -%}
    (date_trunc('{{ part }}', {{ ts }} at time zone 'UTC') at time zone 'UTC')
  {%- else -%}
    date_trunc('{{ part }}', {{ ts }}, 'UTC')
  {%- endif -%}
{%- endmacro -%}

{#- ts plus a whole number of units (negative: minus). -#}
{%- macro coinbeam_add(part, amount, ts) -%}
  {%- if part not in ['minute', 'hour', 'day'] -%}
    {{ exceptions.raise_compiler_error("coinbeam_add: part must be minute, hour or day, not " ~ part) }}
  {%- endif -%}
  {%- if target.type == 'bigquery' -%}
    timestamp_add({{ ts }}, interval {{ amount }} {{ part | upper }})
  {%- else -%}
    ({{ ts }} + interval '{{ amount }} {{ part }}')
  {%- endif -%}
{%- endmacro -%}

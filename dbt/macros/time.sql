{#-
  Time arithmetic that PostgreSQL and BigQuery spell differently. Each macro branches on
  target.type itself (no adapter.dispatch), which is what the project's test harness renders.
-#}

{#- Start of the UTC hour or day holding ts. PostgreSQL's date_trunc on timestamptz would use the
    session time zone, so the zone is named; BigQuery truncates in UTC by default. -#}
{%- macro coinbeam_trunc(part, ts) -%}
  {%- if part not in ['minute', 'hour', 'day'] -%}
    {{ exceptions.raise_compiler_error("coinbeam_trunc: part must be minute, hour or day, not " ~ part) }}
  {%- endif -%}
  {%- if target.type == 'bigquery' -%}
    timestamp_trunc({{ ts }}, {{ part | upper }})
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

{#-
  First and last value of a group by an ordering, as an aggregate (in a GROUP BY).
  order_by is an ORDER BY list of columns with optional asc/desc, e.g. 'window_start' or
  'window_start, exchange'. Rows where the value is null are skipped in BigQuery (array_agg
  refuses nulls unless told) and kept in PostgreSQL: use them on NOT NULL columns only.
-#}

{%- macro coinbeam_first(value, order_by) -%}
  {%- if target.type == 'bigquery' -%}
    array_agg({{ value }} ignore nulls order by {{ order_by }} limit 1)[offset(0)]
  {%- else -%}
    (array_agg({{ value }} order by {{ order_by }}))[1]
  {%- endif -%}
{%- endmacro -%}

{%- macro coinbeam_last(value, order_by) -%}
  {{ coinbeam_first(value, coinbeam_reverse_order(order_by)) }}
{%- endmacro -%}

{#- 'a, b desc' -> 'a desc, b asc': the same ordering backwards. -#}
{%- macro coinbeam_reverse_order(order_by) -%}
  {%- set parts = [] -%}
  {%- for item in order_by.split(',') -%}
    {%- set words = item.strip().split(' ') -%}
    {%- if words | length > 1 and (words | last | lower) == 'desc' -%}
      {%- do parts.append(words[0] ~ ' asc') -%}
    {%- else -%}
      {%- do parts.append(words[0] ~ ' desc') -%}
    {%- endif -%}
  {%- endfor -%}
  {{ parts | join(', ') }}
{%- endmacro -%}

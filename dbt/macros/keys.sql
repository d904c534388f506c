{#-
  Keys: the latest pane per key, and one text column that identifies a row (for unique tests and
  joins in dashboards).
-#}

{#- One row per key from a pipeline table: the batch row (pane_index null) if there is one,
    else the pane with the highest pane_index. In PostgreSQL the sink already keeps only that
    row (it upserts); BigQuery appends every pane, so this is where the latest one is picked. -#}
{%- macro coinbeam_latest_pane(relation, key_columns) -%}
  {%- if target.type == 'bigquery' -%}
    select *
    from {{ relation }}
    where true
    qualify row_number() over (
      partition by {{ key_columns | join(', ') }}
      order by case when pane_index is null then 0 else 1 end, pane_index desc
    ) = 1
  {%- else -%}
    select distinct on ({{ key_columns | join(', ') }}) *
    from {{ relation }}
    order by {{ key_columns | join(', ') }}, case when pane_index is null then 0 else 1 end, pane_index desc
  {%- endif -%}
{%- endmacro -%}

{#- The key columns as one text, values joined with '|' (timestamps as the database prints them). -#}
{%- macro coinbeam_key(columns) -%}
  concat(
  {%- for column in columns -%}
    {{ coinbeam_text(column) }}{% if not loop.last %}, '|', {% endif %}
  {%- endfor -%}
  )
{%- endmacro -%}

{%- macro coinbeam_text(expr) -%}
  {%- if target.type == 'bigquery' -%}
    coalesce(cast({{ expr }} as string), '')
  {%- else -%}
    coalesce(cast({{ expr }} as text), '')
  {%- endif -%}
{%- endmacro -%}

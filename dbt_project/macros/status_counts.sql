{#- Counts and shares per status, per status method, and of comparable rows, over the rows of
    the current group. Used by both scorecards so they measure exactly the same things. -#}
{% macro status_counts(status='status', method='status_method', comparable='comparable', row_id='task_row_key') -%}
    count(distinct {{ row_id }})::integer as task_rows,
    {%- for s in var('statuses') %}
    count(distinct {{ row_id }}) filter (where {{ status }} = '{{ s }}')::integer as {{ s }}_rows,
    {%- endfor %}
    {%- for s in var('statuses') %}
    round(count(distinct {{ row_id }}) filter (where {{ status }} = '{{ s }}') / nullif(count(distinct {{ row_id }}), 0), 4)::double as {{ s }}_share,
    {%- endfor %}
    {%- for m in var('status_methods') %}
    count(distinct {{ row_id }}) filter (where {{ method }} = '{{ m }}')::integer as {{ 'no_status' if m == 'none' else m }}_rows,
    {%- endfor %}
    round(count(distinct {{ row_id }}) filter (where {{ method }} = 'reported') / nullif(count(distinct {{ row_id }}), 0), 4)::double as reported_share,
    round(count(distinct {{ row_id }}) filter (where {{ method }} = 'inferred') / nullif(count(distinct {{ row_id }}), 0), 4)::double as inferred_share,
    count(distinct {{ row_id }}) filter (where {{ comparable }})::integer as comparable_rows,
    round(count(distinct {{ row_id }}) filter (where {{ comparable }}) / nullif(count(distinct {{ row_id }}), 0), 4)::double as comparable_share,
    count(distinct {{ row_id }}) filter (where status_conflict)::integer as status_conflict_rows
{%- endmacro %}

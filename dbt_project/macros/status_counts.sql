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


{#- Like with like: shares by the status the text supports (status_inferred), for every row of the
    group, and beside them the shares by the printed status over the rows that print one (NULL when
    none does), so a printed share is never read as an inferred one. -#}
{% macro inferred_and_printed_shares(row_id='task_row_key') -%}
    {%- for s in var('statuses') %}
    round(count(distinct {{ row_id }}) filter (where status_inferred = '{{ s }}') / nullif(count(distinct {{ row_id }}), 0), 4)::double as inferred_{{ s }}_share,
    {%- endfor %}
    count(distinct {{ row_id }}) filter (where status_method = 'reported')::integer as printed_rows,
    {%- for s in var('statuses') %}
    round(count(distinct {{ row_id }}) filter (where status_method = 'reported' and status = '{{ s }}') / nullif(count(distinct {{ row_id }}) filter (where status_method = 'reported'), 0), 4)::double as printed_{{ s }}_share{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

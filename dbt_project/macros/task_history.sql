{#- How far along a status is (its place in var status_order: behind 0 … completed 3); NULL for a
    status that cannot be ordered (not_applicable, unknown). -#}
{% macro status_rank(col) -%}
    case {{ col }}
    {%- for s in var('status_order') %} when '{{ s }}' then {{ loop.index0 }}{% endfor %}
    end
{%- endmacro %}

{#- The status of a rank (the inverse of status_rank). -#}
{% macro status_of_rank(col) -%}
    case {{ col }}
    {%- for s in var('status_order') %} when {{ loop.index0 }} then '{{ s }}'{% endfor %}
    end
{%- endmacro %}

{#- The change between a period's status rank and the last reported one (task_changes). -#}
{% macro status_change(rank, prev_rank, has_prev) -%}
    case
        when not {{ has_prev }} then 'first_seen'
        when {{ rank }} is null or {{ prev_rank }} is null then 'not_comparable'
        when {{ rank }} > {{ prev_rank }} then 'improved'
        when {{ rank }} < {{ prev_rank }} then 'slipped'
        else 'unchanged'
    end
{%- endmacro %}

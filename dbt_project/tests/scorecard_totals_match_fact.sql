-- The region x period scorecard accounts for every fact row exactly once, and its status counts add up.
-- (Two parents: the meta says which asset the Dagster check belongs to.)
{{ config(meta={'dagster': {'ref': {'name': 'region_period_scorecard'}}}) }}
with sc as (
    select
        sum(task_rows) as rows,
        sum({% for s in var('statuses') %}{{ s }}_rows{{ ' + ' if not loop.last }}{% endfor %}) as status_rows,
        sum(reported_rows + inferred_rows + no_status_rows) as method_rows
    from {{ ref('region_period_scorecard') }}
)
select *
from sc
where rows <> (select count(*) from {{ ref('fact_task_progress') }})
   or status_rows <> rows
   or method_rows <> rows

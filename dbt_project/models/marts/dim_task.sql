-- One row per task of a jurisdiction and year (ingestion/tasks.py links the printed rows): the
-- task as first printed, where it came from, and how many periods report it.
with links as (
    select * from {{ ref('stg_task_links') }}
),

origin as (  -- the row that started the task (its key is derived from it)
    select
        l.task_key,
        l.task_group,
        l.source_id,
        l.task_row_key,
        l.match_method as origin_method,
        l.candidate_keys
    from links l
    where l.is_primary and l.match_method in ('new', 'ambiguous')
),

reach as (
    select
        l.task_key,
        count(distinct l.source_id)::integer as periods_reported,
        count(*)::integer as rows_linked,
        bool_or(l.match_method = 'split') as has_split,
        bool_or(l.match_method = 'merge') as has_merge,
        max_by(s.period_label, coalesce(s.period_end::varchar, '9999') || '|' || s.source_id) as last_period_label
    from links l
    join {{ ref('stg_sources') }} s using (source_id)
    group by l.task_key
)

select
    o.task_key,
    o.task_group,
    s.region_code,
    r.region_name,
    s.period_year as year,
    t.task_text,
    t.category,
    t.task_seq as first_task_seq,
    t.lead_units,
    u.function_code as lead_function_code,
    u.function_name as lead_function_name,
    o.source_id as first_source_id,
    s.period_label as first_period_label,
    rc.last_period_label,
    rc.periods_reported,
    rc.rows_linked,
    o.origin_method,
    o.candidate_keys,
    rc.has_split,
    rc.has_merge
from origin o
join reach rc using (task_key)
join {{ ref('stg_task_rows') }} t on t.task_row_key = o.task_row_key
join {{ ref('stg_sources') }} s on s.source_id = o.source_id
left join {{ ref('dim_region') }} r on r.region_code = s.region_code
left join {{ ref('fact_task_progress') }} f on f.task_row_key = o.task_row_key
left join {{ ref('dim_unit') }} u on u.unit_key = f.lead_unit_key

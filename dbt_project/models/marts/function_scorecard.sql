-- Per department function x region x period, counted over the rows a unit of that function
-- leads (a row led by two functions counts for both), so 发改 in one city compares with 发改
-- in another. A combined office counts under every function it holds (bridge_unit_function:
-- 区农水局 under agriculture and water). Lead units whose function no alias matches are 'unmapped'.
with led as (
    select distinct
        b.task_row_key,
        coalesce(uf.function_code, 'unmapped') as function_code,
        coalesce(uf.function_name, 'Unmapped') as function_name,
        uf.function_name_zh
    from {{ ref('bridge_task_unit') }} b
    left join {{ ref('bridge_unit_function') }} uf using (unit_key)
    where b.role = 'lead'
)

select
    md5(l.function_code || '|' || coalesce(f.region_code, '') || '|' || coalesce(f.period_id, '')) as scorecard_key,
    l.function_code,
    any_value(l.function_name) as function_name,
    any_value(l.function_name_zh) as function_name_zh,
    f.region_code,
    r.region_name,
    f.period_id,
    f.period_id as period_label,
    p.elapsed_share,
    count(distinct f.source_id)::integer as source_count,
    {{ status_counts(
        status='f.status', method='f.status_method', comparable='f.comparable', row_id='f.task_row_key'
    ) }},
    r.region_name_en
from led l
join {{ ref('fact_task_progress') }} f using (task_row_key)
left join {{ ref('dim_region') }} r on r.region_code = f.region_code
left join {{ ref('dim_period') }} p on p.period_id = f.period_id
group by l.function_code, f.region_code, r.region_name, r.region_name_en, f.period_id, p.elapsed_share

-- Per region x period: task rows, counts and shares per status, reported vs inferred, and how
-- many rows are comparable; then the shares by the inferred status for every region (one basis for
-- all cities) and, beside them, the printed shares where a bulletin prints a status. Rows of a
-- source without region or period form their own group (NULL keys) so nothing disappears.
select
    md5(coalesce(f.region_code, '') || '|' || coalesce(f.period_id, '')) as scorecard_key,
    f.region_code,
    r.region_name,
    r.level as region_level,
    f.period_id,
    f.period_id as period_label,
    p.elapsed_share,
    count(distinct f.source_id)::integer as source_count,
    {{ status_counts() }},
    {{ inferred_and_printed_shares() }},
    r.region_name_en
from {{ ref('fact_task_progress') }} f
left join {{ ref('dim_region') }} r on r.region_code = f.region_code
left join {{ ref('dim_period') }} p on p.period_id = f.period_id
group by all

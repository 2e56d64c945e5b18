-- Headline indicators a bulletin states (地区生产总值, 规上工业增加值 ...): target vs actual
-- per region and period, with met / not met where the two can be compared.
-- A row may state one indicator twice (增长6.5% and 52620元): indicator_seq numbers them.
with indicators as (
    select
        *,
        row_number() over (
            partition by source_id, table_no, row_no, indicator_code
            order by target_kind nulls last, actual_kind nulls last, rule nulls last, target_text, actual_text
        )::integer as indicator_seq
    from {{ ref('stg_indicators') }}
    where {{ in_build_scope('source_id') }}
)

select
    md5(
        i.source_id
        || '|'
        || i.table_no::varchar
        || '|'
        || i.row_no::varchar
        || '|'
        || i.indicator_code
        || '|'
        || i.indicator_seq::varchar
    ) as indicator_key,
    i.source_id,
    i.table_no,
    i.row_no,
    s.region_code,
    r.region_name,
    s.period_label as period_id,
    s.period_label,
    p.elapsed_share,
    i.indicator_code,
    i.indicator_seq,
    i.indicator_name,
    i.target_kind,
    i.target_value,
    i.target_unit,
    i.target_text,
    i.actual_kind,
    i.actual_value,
    i.actual_unit,
    i.actual_text,
    i.met,
    case when i.met then 'met' when not i.met then 'not_met' else 'not_comparable' end as met_label,
    i.rule,
    t.task_text,
    s.source_file,
    t.line_start,
    t.line_end,
    i.indicator_name_en,
    r.region_name_en
from indicators i
join {{ ref('stg_sources') }} s on s.source_id = i.source_id
left join {{ ref('stg_task_rows') }} t
    on t.source_id = i.source_id and t.table_no = i.table_no and t.row_no = i.row_no
left join {{ ref('dim_region') }} r on r.region_code = s.region_code
left join {{ ref('dim_period') }} p on p.period_label = s.period_label

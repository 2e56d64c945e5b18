-- One row per period label used by a bulletin. start_date/end_date are the span the label
-- names (a month label is cumulative from January); elapsed_share is the share of the year
-- elapsed at the period's end, the basis of 序时进度 (quarterly bulletins report cumulatively).
with labels as (
    select distinct period_label from {{ ref('stg_sources') }} where period_label is not null
),

parsed as (
    select
        period_label,
        try_cast(regexp_extract(period_label, '^(\d{4})', 1) as integer) as year,
        case
            when regexp_full_match(period_label, '\d{4}-Q[1-4]') then 'Q'
            when regexp_full_match(period_label, '\d{4}-H[12]') then 'H'
            when regexp_full_match(period_label, '\d{4}-M(0[1-9]|1[0-2])') then 'M'
            when regexp_full_match(period_label, '\d{4}') then 'A'
        end as type_code,
        try_cast(nullif(regexp_extract(period_label, '^\d{4}-[QHM](\d{1,2})$', 1), '') as integer) as period_no
    from labels
),

typed as (
    select
        p.*,
        t.period_type,
        t.months_per_period,
        t.label_is_cumulative,
        coalesce(p.period_no, 1) * t.months_per_period as end_month
    from parsed p
    left join {{ ref('period_types') }} t on t.code = p.type_code
)

select
    period_label as period_id,
    period_label,
    year,
    period_type,
    period_no,
    make_date(year, case when label_is_cumulative then 1 else end_month - months_per_period + 1 end, 1) as start_date,
    last_day(make_date(year, end_month, 1)) as end_date,
    make_date(year, 1, 1) as cumulative_start_date,
    end_month,
    round(end_month / 12.0, 6)::double as elapsed_share,
    year * 100 + end_month as sort_key
from typed

-- One row per period label used by a bulletin. Nothing is derived here: ingestion.periods (the one
-- implementation of the period grammar) computed the span and the share of the year elapsed, and
-- the load wrote them into raw.sources. start_date/end_date are the span the label names (a month
-- label is cumulative from January); elapsed_share is the share of the year elapsed at the
-- period's end, the basis of 序时进度 (quarterly bulletins report cumulatively).
select distinct
    period_label as period_id,
    period_label,
    period_year as year,
    period_type,
    period_no,
    period_start as start_date,
    period_end as end_date,
    make_date(period_year, 1, 1) as cumulative_start_date,
    period_end_month as end_month,
    round(elapsed_share, 6)::double as elapsed_share,
    period_year * 100 + period_end_month as sort_key
from {{ ref('stg_sources') }}
where period_label is not null

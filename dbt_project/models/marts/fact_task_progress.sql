-- Grain: one task row as printed (source_id, table_no, row_no), with keys to the dimensions
-- and the status / completion measures. A row is comparable across cities when it has a
-- region, a period and a known status.
with first_lead as (
    select
        task_row_key,
        unit_key
    from {{ ref('int_unit_mentions') }}
    where role = 'lead' and position = 1
)

select
    t.task_row_key,
    t.source_id,
    t.table_no,
    t.row_no,
    t.task_seq,
    t.sub_seq,
    s.region_code,
    p.period_id,
    fl.unit_key as lead_unit_key,
    len(t.lead_units)::integer as lead_unit_count,
    len(t.cooperating_units)::integer as cooperating_unit_count,
    st.status,
    st.status_method,
    st.status_reported,
    st.status_inferred,
    st.inference_rule,
    st.inference_rule as status_rule,
    st.inference_evidence as status_evidence,
    st.status_confidence,
    st.completion_pct,
    st.status_conflict,
    st.status_word_unknown,
    st.masked_figures,
    t.flags,
    (s.region_code is not null and p.period_id is not null and st.status <> 'unknown') as comparable,
    nullif(concat_ws(
        '; ',
        case when s.region_code is null then 'no_region' end,
        case when p.period_id is null then 'no_period' end,
        case when st.status = 'unknown' then 'status_unknown' end
    ), '') as not_comparable_reason,
    t.line_start,
    t.line_end,
    (t.line_end - t.line_start + 1)::integer as line_count
from {{ ref('stg_task_rows') }} t
join {{ ref('stg_sources') }} s using (source_id)
join {{ ref('int_task_status') }} st using (task_row_key)
left join {{ ref('dim_period') }} p on p.period_label = s.period_label
left join first_lead fl using (task_row_key)
where {{ in_build_scope('t.source_id') }}

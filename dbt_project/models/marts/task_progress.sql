-- The readable mart: one row per task row as printed, every column of the public contract.
select
    f.source_id,
    f.region_code,
    r.region_name,
    s.period_label,
    f.table_no,
    f.task_seq,
    f.sub_seq,
    t.category,
    t.task_text,
    t.period_target,
    t.progress_text,
    t.lead_units,
    t.cooperating_units,
    t.leader,
    t.responsible_person,
    f.status_reported,
    f.status,
    f.status_method,
    f.status_inferred,
    f.status_rule,
    f.status_evidence,
    f.status_confidence,
    tl.task_key,
    tl.match_method,
    tl.match_score,
    f.completion_pct,
    s.source_file,
    f.line_start,
    f.line_end,
    -- extras
    f.row_no,
    f.task_row_key,
    r.full_name as region_full_name,
    d.period_type,
    d.elapsed_share,
    t.remark,
    f.flags,
    f.inference_rule,
    st.inference_evidence,
    f.status_conflict,
    f.masked_figures,
    f.comparable,
    f.not_comparable_reason,
    lu.function_code as lead_function_code,
    lu.function_name as lead_function_name,
    s.title as source_title,
    s.layout,
    ds.label_zh as status_zh,
    dsi.label_zh as status_inferred_zh,
    r.region_name_en
from {{ ref('fact_task_progress') }} f
join {{ ref('stg_task_rows') }} t using (task_row_key)
join {{ ref('stg_sources') }} s on s.source_id = f.source_id
join {{ ref('int_task_status') }} st on st.task_row_key = f.task_row_key
left join {{ ref('dim_region') }} r on r.region_code = f.region_code
left join {{ ref('dim_period') }} d on d.period_id = f.period_id
left join {{ ref('dim_unit') }} lu on lu.unit_key = f.lead_unit_key
left join {{ ref('stg_task_links') }} tl on tl.task_row_key = f.task_row_key and tl.is_primary
left join {{ ref('dim_status') }} ds on ds.status = f.status
left join {{ ref('dim_status') }} dsi on dsi.status = f.status_inferred
where {{ in_build_scope('f.source_id') }}

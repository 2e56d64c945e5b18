-- One row per printed task row (grain: source_id, table_no, row_no). Text cells trimmed with
-- blank / nbsp-only cells as NULL; unit lists cleaned element-wise (never NULL, maybe empty).
with source as (
    select * from {{ source('raw', 'task_rows') }}
),

renamed as (
    select
        source_id,
        table_no,
        row_no,
        md5(source_id || '|' || table_no::varchar || '|' || row_no::varchar) as task_row_key,
        task_seq,
        sub_seq,
        {{ clean_text('category') }} as category,
        {{ clean_text('task_text') }} as task_text,
        {{ clean_text('period_target') }} as period_target,
        {{ clean_text('progress_text') }} as progress_text,
        {{ clean_list('lead_units') }} as lead_units,
        {{ clean_list('cooperating_units') }} as cooperating_units,
        {{ clean_text('lead_units_raw') }} as lead_units_raw,
        {{ clean_text('cooperating_units_raw') }} as cooperating_units_raw,
        {{ clean_text('leader') }} as leader,
        {{ clean_text('responsible_person') }} as responsible_person,
        {{ clean_text('status_reported') }} as status_reported,
        {{ clean_text('remark') }} as remark,
        coalesce(flags, []::varchar[]) as flags,
        line_start,
        line_end
    from source
)

select * from renamed

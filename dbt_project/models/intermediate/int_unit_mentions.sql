-- Every unit named in a task row's lead / cooperating cell, with its position in the cell and
-- the jurisdiction of the bulletin (a unit belongs to the region that printed it).
with rows as (
    select
        t.source_id,
        t.table_no,
        t.row_no,
        t.task_row_key,
        t.lead_units,
        t.cooperating_units,
        s.region_code
    from {{ ref('stg_task_rows') }} t
    join {{ ref('stg_sources') }} s using (source_id)
),

lead as (
    select
        source_id,
        table_no,
        row_no,
        task_row_key,
        region_code,
        'lead' as role,
        unnest(lead_units) as unit_name,
        unnest(generate_series(1, len(lead_units))) as position
    from rows
    where len(lead_units) > 0
),

cooperating as (
    select
        source_id,
        table_no,
        row_no,
        task_row_key,
        region_code,
        'cooperating' as role,
        unnest(cooperating_units) as unit_name,
        unnest(generate_series(1, len(cooperating_units))) as position
    from rows
    where len(cooperating_units) > 0
),

mentions as (
    select * from lead
    union all
    select * from cooperating
)

select
    source_id,
    table_no,
    row_no,
    task_row_key,
    region_code,
    role,
    position::integer as position,
    unit_name,
    md5(coalesce(region_code, '') || '|' || unit_name) as unit_key
from mentions

-- Per source: every line of the raw file is in a task row's span, furniture, or quarantine
-- (the same books as ingestion.model.ParseResult.coverage(): row spans first, each line once).
with row_lines as (
    select distinct source_id, unnest(generate_series(line_start, line_end)) as line_no
    from {{ ref('stg_task_rows') }}
),

furniture_lines as (
    select distinct f.source_id, f.line_no
    from {{ ref('stg_furniture') }} f
    anti join row_lines r on r.source_id = f.source_id and r.line_no = f.line_no
),

quarantine_lines as (
    select distinct q.source_id, q.line_no
    from {{ ref('stg_quarantine') }} q
    anti join row_lines r on r.source_id = q.source_id and r.line_no = q.line_no
),

counts as (
    select
        s.source_id,
        s.total_lines,
        (select count(*) from row_lines r where r.source_id = s.source_id) as row_lines,
        (select count(*) from furniture_lines f where f.source_id = s.source_id) as furniture_lines,
        (select count(*) from quarantine_lines q where q.source_id = s.source_id) as quarantined_lines
    from {{ ref('stg_sources') }} s
)

select
    c.source_id,
    s.source_file,
    s.layout,
    s.row_count as task_rows,
    c.total_lines::integer as total_lines,
    c.row_lines::integer as row_lines,
    c.furniture_lines::integer as furniture_lines,
    c.quarantined_lines::integer as quarantined_lines,
    (c.row_lines + c.furniture_lines + c.quarantined_lines)::integer as accounted_lines,
    (c.total_lines - c.row_lines - c.furniture_lines - c.quarantined_lines)::integer as unaccounted_lines,
    (c.row_lines + c.furniture_lines + c.quarantined_lines) = c.total_lines as complete,
    round(c.row_lines / nullif(c.total_lines, 0), 4)::double as row_line_share,
    round(c.quarantined_lines / nullif(c.total_lines, 0), 4)::double as quarantined_share
from counts c
join {{ ref('stg_sources') }} s using (source_id)

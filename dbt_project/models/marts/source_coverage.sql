-- Per source: every line of the raw file is in a task row's span, furniture, or quarantine.
-- The counts are ingestion's (ingestion.model.ParseResult.coverage: row spans first, each line
-- once), loaded into raw.sources; the GX suite raw.coverage re-checks them against the loaded
-- rows (a cross-table check dbt does not repeat).
select
    source_id,
    source_file,
    layout,
    row_count as task_rows,
    total_lines::integer as total_lines,
    row_lines::integer as row_lines,
    furniture_lines::integer as furniture_lines,
    quarantined_lines::integer as quarantined_lines,
    (row_lines + furniture_lines + quarantined_lines)::integer as accounted_lines,
    (total_lines - row_lines - furniture_lines - quarantined_lines)::integer as unaccounted_lines,
    (row_lines + furniture_lines + quarantined_lines) = total_lines as complete,
    round(row_lines / nullif(total_lines, 0), 4)::double as row_line_share,
    round(quarantined_lines / nullif(total_lines, 0), 4)::double as quarantined_share
from {{ ref('stg_sources') }}
where {{ in_build_scope('source_id') }}

-- Task links as written by ingestion/tasks.py (grain: source_id, table_no, row_no, task_key).
select
    task_group,
    source_id,
    table_no,
    row_no,
    md5(source_id || '|' || table_no::varchar || '|' || row_no::varchar) as task_row_key,
    task_key,
    is_primary,
    match_method,
    match_score,
    coalesce(candidate_keys, []::varchar[]) as candidate_keys,
    matched_source_id,
    matched_table_no,
    matched_row_no
from {{ source('raw', 'task_links') }}

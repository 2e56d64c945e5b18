-- Task row x unit x role ('lead' / 'cooperating'), position = order within the printed cell.
select
    m.task_row_key,
    m.source_id,
    m.table_no,
    m.row_no,
    m.unit_key,
    m.role,
    m.position,
    m.unit_name
from {{ ref('int_unit_mentions') }} m
where {{ in_build_scope('m.source_id') }}

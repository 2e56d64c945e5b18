-- comparable and not_comparable_reason must agree on every fact row.
select task_row_key, comparable, not_comparable_reason
from {{ ref('fact_task_progress') }}
where comparable = (not_comparable_reason is not null)

-- Status cells whose word ingestion/data/status_vocabulary.csv does not know (or marks ambiguous): such rows get status
-- 'unknown' (method 'reported'). Warns with the words and how often they occur, so the
-- vocabulary can be extended.
{{ config(severity='warn') }}

select
    s.status_reported,
    count(*) as row_count,
    list(distinct s.source_id) as sources
from {{ ref('int_task_status') }} s
where s.status_word_unknown
group by s.status_reported

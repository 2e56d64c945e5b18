-- Status cells whose word seeds/status_vocabulary.csv does not know: such rows get status
-- 'unknown' (method 'reported'). Warns with the words and how often they occur, so the
-- vocabulary can be extended.
{{ config(severity='warn') }}

select
    t.status_word,
    count(*) as row_count,
    list(distinct t.source_id) as sources
from {{ ref('int_task_status') }} s
join {{ ref('stg_task_rows') }} t using (task_row_key)
where s.status_word_unknown
group by t.status_word

-- Status precedence per task row: a non-empty status cell is mapped through the vocabulary
-- (method 'reported'; a word the vocabulary does not know gives 'unknown'); otherwise the
-- status inferred from the text when it is not 'unknown' (method 'inferred'); else 'unknown' / 'none'.
with vocabulary as (
    -- one status per matching key (the first listed wins, as in ingestion.normalize.vocabulary)
    select {{ status_key('word') }} as status_word, arg_min(status, row_no) as status
    from (select *, row_number() over () as row_no from {{ ref('status_vocabulary') }})
    where {{ status_key('word') }} is not null
    group by 1
),

joined as (
    select
        t.source_id,
        t.table_no,
        t.row_no,
        t.task_row_key,
        t.status_reported,
        t.status_word,
        -- ingestion's normalisation (vocabulary + the source's own status_words + Traditional
        -- folded to Simplified) wins; the seed join is the fallback for rows without signals
        coalesce(nullif(g.status_reported_norm, 'unknown'), v.status) as vocabulary_status,
        coalesce(g.status_inferred, 'unknown') as status_inferred,
        g.inference_rule,
        g.inference_evidence,
        g.completion_pct,
        coalesce(g.masked_figures, false) as masked_figures,
        coalesce(g.status_conflict, false) as status_conflict,
        g.source_id is not null as has_signals
    from {{ ref('stg_task_rows') }} t
    left join vocabulary v on v.status_word = t.status_word
    left join {{ ref('stg_row_signals') }} g
        on g.source_id = t.source_id and g.table_no = t.table_no and g.row_no = t.row_no
)

select
    *,
    case
        when status_word is not null then coalesce(vocabulary_status, 'unknown')
        when status_inferred <> 'unknown' then status_inferred
        else 'unknown'
    end as status,
    case
        when status_word is not null then 'reported'
        when status_inferred <> 'unknown' then 'inferred'
        else 'none'
    end as status_method,
    status_word is not null and vocabulary_status is null as status_word_unknown,
    -- one side says behind, the other on track or better (ingestion.normalize.status.conflict)
    status_conflict
from joined

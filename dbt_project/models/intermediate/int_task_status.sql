-- Status precedence per task row: a non-empty status cell, as ingestion normalised it
-- (raw.row_signals.status_reported_norm: ingestion/data/status_vocabulary.csv, the source's own status_words,
-- Traditional folded to Simplified; 'unknown' for a word the vocabulary does not know), gives
-- method 'reported'; otherwise the status inferred from the text when it is not 'unknown'
-- (method 'inferred'); else 'unknown' / 'none'. The normalisation has one implementation, in
-- ingestion.normalize.vocabulary.
with joined as (
    select
        t.source_id,
        t.table_no,
        t.row_no,
        t.task_row_key,
        t.status_reported,
        g.status_reported_norm,
        coalesce(g.status_inferred, 'unknown') as status_inferred,
        g.inference_rule,
        g.inference_evidence,
        g.status_confidence,
        g.completion_pct,
        coalesce(g.masked_figures, false) as masked_figures,
        coalesce(g.status_conflict, false) as status_conflict,
        g.source_id is not null as has_signals
    from {{ ref('stg_task_rows') }} t
    left join {{ ref('stg_row_signals') }} g
        on g.source_id = t.source_id and g.table_no = t.table_no and g.row_no = t.row_no
)

select
    *,
    case
        when status_reported_norm is not null then status_reported_norm
        when status_inferred <> 'unknown' then status_inferred
        else 'unknown'
    end as status,
    case
        when status_reported_norm is not null then 'reported'
        when status_inferred <> 'unknown' then 'inferred'
        else 'none'
    end as status_method,
    coalesce(status_reported_norm = 'unknown', false) as status_word_unknown,
    -- the print claims more than the text supports (ingestion.normalize.status.conflict)
    status_conflict
from joined

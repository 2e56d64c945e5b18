with source as (
    select * from {{ source('raw', 'row_signals') }}
),

renamed as (
    select
        source_id,
        table_no,
        row_no,
        coalesce({{ clean_text('status_inferred') }}, 'unknown') as status_inferred,
        {{ clean_text('inference_rule') }} as inference_rule,
        {{ clean_text('inference_evidence') }} as inference_evidence,
        {{ clean_text('status_confidence') }} as status_confidence,
        completion_pct,
        coalesce(masked_figures, false) as masked_figures,
        {{ clean_text('status_reported_norm') }} as status_reported_norm,
        coalesce(status_conflict, false) as status_conflict
    from source
)

select * from renamed

with source as (
    select * from {{ source('raw', 'ingest_log') }}
),

renamed as (
    select
        source_id,
        attempted_at,
        ok,
        {{ clean_text('error') }} as error,
        row_count
    from source
)

select * from renamed

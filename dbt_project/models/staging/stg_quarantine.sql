with source as (
    select * from {{ source('raw', 'quarantine') }}
),

renamed as (
    select
        source_id,
        line_no,
        {{ clean_text('text') }} as text,
        {{ clean_text('reason') }} as reason
    from source
)

select * from renamed

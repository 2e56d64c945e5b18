with source as (
    select * from {{ source('raw', 'furniture') }}
),

renamed as (
    select
        source_id,
        line_no,
        kind,
        {{ clean_text('text') }} as text
    from source
)

select * from renamed

with source as (
    select * from {{ source('raw', 'source_issues') }}
),

renamed as (
    select
        source_id,
        {{ clean_text('code') }} as code,
        {{ clean_text('message') }} as message
    from source
)

select * from renamed

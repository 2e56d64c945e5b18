with source as (
    select * from {{ source('raw', 'table_headers') }}
),

renamed as (
    select
        source_id,
        table_no,
        position,
        {{ clean_text('header_text') }} as header_text,
        {{ clean_text('role') }} as role
    from source
)

select * from renamed

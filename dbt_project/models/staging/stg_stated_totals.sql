with source as (
    select * from {{ source('raw', 'stated_totals') }}
),

renamed as (
    select
        source_id,
        table_no,
        lower({{ clean_text('metric') }}) as metric,
        value,
        line_no,
        {{ clean_text('text') }} as text
    from source
)

select * from renamed

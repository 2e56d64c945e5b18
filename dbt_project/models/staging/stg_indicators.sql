with source as (
    select * from {{ source('raw', 'indicators') }}
),

renamed as (
    select
        source_id,
        table_no,
        row_no,
        {{ clean_text('indicator_code') }} as indicator_code,
        {{ clean_text('indicator_name') }} as indicator_name,
        {{ clean_text('target_kind') }} as target_kind,
        target_value,
        {{ clean_text('target_unit') }} as target_unit,
        {{ clean_text('target_text') }} as target_text,
        {{ clean_text('actual_kind') }} as actual_kind,
        actual_value,
        {{ clean_text('actual_unit') }} as actual_unit,
        {{ clean_text('actual_text') }} as actual_text,
        met,
        {{ clean_text('rule') }} as rule,
        {{ clean_text('indicator_name_en') }} as indicator_name_en
    from source
)

select * from renamed

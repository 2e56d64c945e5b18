with source as (
    select * from {{ source('raw', 'regions') }}
),

renamed as (
    select
        region_code,
        {{ clean_text('region_name') }} as region_name,
        {{ clean_text('full_name') }} as full_name,
        {{ clean_text('level') }} as level,
        {{ clean_text('parent_code') }} as parent_code,
        {{ clean_text('province_code') }} as province_code,
        {{ clean_text('city_code') }} as city_code,
        {{ clean_text('region_name_en') }} as region_name_en
    from source
)

select * from renamed

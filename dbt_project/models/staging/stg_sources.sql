-- One row per loaded bulletin: registry metadata, cleaned.
with source as (
    select * from {{ source('raw', 'sources') }}
),

renamed as (
    select
        source_id,
        {{ clean_text('source_file') }} as source_file,
        file_sha256,
        encoding,
        layout,
        {{ clean_text('title') }} as title,
        {{ clean_text('province') }} as province,
        {{ clean_text('city') }} as city,
        {{ clean_text('county') }} as county,
        {{ clean_text('region_code') }} as region_code,
        {{ clean_text('period_label') }} as period_label,
        period_type,
        period_year,
        period_no,
        period_start,
        period_end,
        period_end_month,
        elapsed_share,
        {{ clean_text('publisher') }} as publisher,
        published,
        {{ clean_text('url') }} as url,
        {{ clean_text('unknown_reason') }} as unknown_reason,
        total_lines,
        row_count,
        row_lines,
        furniture_lines,
        quarantined_lines,
        loaded_at
    from source
)

select * from renamed

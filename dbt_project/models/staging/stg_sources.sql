-- One row per loaded bulletin: registry metadata, cleaned.
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
    {{ clean_text('publisher') }} as publisher,
    published,
    {{ clean_text('url') }} as url,
    {{ clean_text('unknown_reason') }} as unknown_reason,
    total_lines,
    row_count,
    loaded_at
from {{ source('raw', 'sources') }}

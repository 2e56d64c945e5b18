select
    source_id,
    table_no,
    position,
    {{ clean_text('header_text') }} as header_text,
    {{ clean_text('role') }} as role
from {{ source('raw', 'table_headers') }}

select
    source_id,
    line_no,
    kind,
    {{ clean_text('text') }} as text
from {{ source('raw', 'furniture') }}

select
    source_id,
    {{ clean_text('code') }} as code,
    {{ clean_text('message') }} as message
from {{ source('raw', 'source_issues') }}

select
    source_id,
    attempted_at,
    ok,
    {{ clean_text('error') }} as error,
    row_count
from {{ source('raw', 'ingest_log') }}

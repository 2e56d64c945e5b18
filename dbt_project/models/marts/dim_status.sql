-- The status enum with its Chinese and English labels (seed status_labels, the one home).
select
    status,
    label_zh,
    label_en,
    sort_order,
    description
from {{ ref('status_labels') }}

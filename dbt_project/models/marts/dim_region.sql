-- Regions of the reporting jurisdictions and their ancestors (GB/T 2260, from raw.regions).
select
    region_code,
    region_name,
    full_name,
    level,
    parent_code,
    province_code,
    city_code,
    region_name_en
from {{ ref('stg_regions') }}

-- One row per unit (department, township, enterprise ...) of a jurisdiction, as printed, with
-- the comparable department function and the kind of unit. Both come from regex lookups in
-- seeds (unit_function_aliases, unit_kinds): the lowest priority number that matches wins.
with units as (
    select
        unit_key,
        any_value(region_code) as region_code,
        any_value(unit_name) as unit_name,
        count(*) as mention_count,
        count(*) filter (where role = 'lead') as lead_mention_count,
        count(distinct source_id) as source_count
    from {{ ref('int_unit_mentions') }}
    group by unit_key
),

named as (
    select
        *,
        -- bracketed notes ('市财政局(市政府国资委)') and stray punctuation are not part of the name
        coalesce(
            nullif(
                regexp_replace(
                    regexp_replace(unit_name, '[((][^))]*[))]', '', 'g'), '^[\s::、,,.。]+|[\s::、,,.。]+$', '', 'g'
                ),
                ''
            ),
            unit_name
        ) as canonical_name
    from units
),

functions as (
    select
        n.unit_key,
        a.function_code,
        a.function_name,
        a.function_name_zh,
        a.pattern as function_rule,
        row_number()
            over (partition by n.unit_key order by a.priority asc, length(a.pattern) desc, a.function_code)
            as rn
    from named n
    join {{ ref('unit_function_aliases') }} a on regexp_matches(n.canonical_name, a.pattern)
),

kinds as (
    select
        n.unit_key,
        k.unit_kind,
        row_number() over (partition by n.unit_key order by k.priority asc, length(k.pattern) desc, k.unit_kind) as rn
    from named n
    join {{ ref('unit_kinds') }} k on regexp_matches(n.canonical_name, k.pattern)
)

select
    n.unit_key,
    n.region_code,
    n.unit_name,
    n.canonical_name,
    f.function_code,
    f.function_name,
    f.function_name_zh,
    f.function_rule,
    f.function_code is not null as function_mapped,
    coalesce(k.unit_kind, 'other') as unit_kind,
    n.mention_count,
    n.lead_mention_count,
    n.source_count
from named n
left join functions f on f.unit_key = n.unit_key and f.rn = 1
left join kinds k on k.unit_key = n.unit_key and k.rn = 1

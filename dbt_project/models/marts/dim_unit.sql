-- One row per real unit (department, township, enterprise ...) of a jurisdiction, however it is
-- printed (int_unit_mentions gives one unit_key per identity name), with the comparable department
-- function and the kind of unit. Both come from regex lookups in seeds (unit_function_aliases,
-- unit_kinds) on the identity name or any printed form: the lowest priority number that matches wins.
-- A combined office's further functions are in bridge_unit_function.
with units as (
    select
        unit_key,
        any_value(region_code) as region_code,
        mode(unit_name) as unit_name,
        list(distinct unit_name order by unit_name) as printed_names,
        list(distinct bare_name) as bare_names,
        any_value(identity_name) as canonical_name,
        count(*) as mention_count,
        count(*) filter (where role = 'lead') as lead_mention_count,
        count(distinct source_id) as source_count
    from {{ ref('int_unit_mentions') }}
    group by unit_key
),

named as (
    select * from units
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
    join {{ ref('unit_function_aliases') }} a
        on
            regexp_matches(n.canonical_name, a.pattern)
            or len(list_filter(n.bare_names, lambda x: regexp_matches(x, a.pattern))) > 0  -- noqa: RF02
),

kinds as (
    select
        n.unit_key,
        k.unit_kind,
        row_number() over (partition by n.unit_key order by k.priority asc, length(k.pattern) desc, k.unit_kind) as rn
    from named n
    join {{ ref('unit_kinds') }} k
        on
            regexp_matches(n.canonical_name, k.pattern)
            or len(list_filter(n.bare_names, lambda x: regexp_matches(x, k.pattern))) > 0  -- noqa: RF02
)

select
    n.unit_key,
    n.region_code,
    n.unit_name,
    n.canonical_name,
    n.printed_names,
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

-- Unit x function: the unit's own function (dim_unit) and every further function a combined office
-- holds (seed unit_combined_functions), so 区农水局 counts for agriculture and for water.
with primary_function as (
    select
        unit_key,
        function_code,
        function_name,
        function_name_zh,
        true as is_primary
    from {{ ref('dim_unit') }}
    where function_code is not null
),

combined as (
    select distinct
        u.unit_key,
        c.function_code,
        c.function_name,
        c.function_name_zh,
        false as is_primary
    from {{ ref('dim_unit') }} u
    join {{ ref('unit_combined_functions') }} c on regexp_matches(u.canonical_name, c.pattern)
    where u.function_code is distinct from c.function_code
)

select * from primary_function
union all
select * from combined

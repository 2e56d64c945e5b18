-- Every unit named in a task row's lead / cooperating cell, with its position in the cell and
-- the jurisdiction of the bulletin (a unit belongs to the region that printed it). One real unit
-- printed several ways is one unit_key: the key is the unit's identity name, i.e. the name without
-- bracketed notes ('区财政局(金融管理局)'), with a short form for a long one (seed unit_name_variants),
-- and with the jurisdiction's own prefix ('区', '市', '县') where the cell left it out ('农水局',
-- '委组织部') or named the jurisdiction instead ('相山公安分局', '六安市财政局').
with rows as (
    select
        t.source_id,
        t.table_no,
        t.row_no,
        t.task_row_key,
        t.lead_units,
        t.cooperating_units,
        s.region_code,
        r.region_name,
        case r.level when 'district' then '区' when 'city' then '市' when 'county' then '县' end as level_char
    from {{ ref('stg_task_rows') }} t
    join {{ ref('stg_sources') }} s using (source_id)
    left join {{ ref('stg_regions') }} r on r.region_code = s.region_code
),

lead as (
    select
        source_id,
        table_no,
        row_no,
        task_row_key,
        region_code,
        region_name,
        level_char,
        'lead' as role,
        unnest(lead_units) as unit_name,
        unnest(generate_series(1, len(lead_units))) as position
    from rows
    where len(lead_units) > 0
),

cooperating as (
    select
        source_id,
        table_no,
        row_no,
        task_row_key,
        region_code,
        region_name,
        level_char,
        'cooperating' as role,
        unnest(cooperating_units) as unit_name,
        unnest(generate_series(1, len(cooperating_units))) as position
    from rows
    where len(cooperating_units) > 0
),

mentions as (
    select
        *,
        coalesce(
            nullif(
                regexp_replace(
                    regexp_replace(unit_name, '[((][^))]*[))]', '', 'g'), '^[\s::、,,.。]+|[\s::、,,.。]+$', '', 'g'
                ),
                ''
            ),
            unit_name
        ) as bare_name
    from (
        select * from lead
        union all
        select * from cooperating
    ) as all_mentions
),

variant as (
    select
        m.*,
        v.pattern,
        v.replacement,
        row_number() over (partition by m.task_row_key, m.role, m.position order by v.priority, v.pattern) as rn
    from mentions m
    left join {{ ref('unit_name_variants') }} v on regexp_matches(m.bare_name, v.pattern)
),

short as (
    select
        *,
        case when pattern is null then bare_name else regexp_replace(bare_name, pattern, replacement) end as short_name,
        -- the jurisdiction's name without its own level character: 相山区 -> 相山
        case
            when level_char is not null and ends_with(region_name, level_char)
                then left(region_name, length(region_name) - 1)
        end as stem
    from variant
    where rn = 1
),

identity as (
    select
        *,
        case
            when level_char is null then short_name
            -- '相山公安分局', '六安市财政局': the jurisdiction's own name stands for its prefix
            when
                stem is not null and starts_with(short_name, stem || level_char)
                then level_char || substr(short_name, length(stem) + 2)
            when stem is not null and starts_with(short_name, stem) and length(short_name) > length(stem) + 2
                then level_char || substr(short_name, length(stem) + 1)
            -- '委组织部', '农水局': a department of the jurisdiction printed without its prefix
            when regexp_matches(short_name, '^委(组织|宣传|统战|政法|办)') then level_char || short_name
            when regexp_matches(short_name, '^[^区市县省各相关有]{1,6}(局|委|办)$') then level_char || short_name
            else short_name
        end as identity_name
    from short
)

select
    source_id,
    table_no,
    row_no,
    task_row_key,
    region_code,
    role,
    position::integer as position,
    unit_name,
    bare_name,
    identity_name,
    md5(coalesce(region_code, '') || '|' || identity_name) as unit_key
from identity

-- What a bulletin says about itself (raw.stated_totals, e.g. '分解成155小项,其中完成的工作有93项')
-- against what was parsed. Scope: the stated table, or the whole source when table_no is NULL.
-- rows = task rows; tasks = distinct 序号; completed / ahead / on_track / behind = rows whose
-- status was *reported* as such (the bulletin's own count is of its status column).
with parsed as (
    select
        f.source_id,
        f.table_no,
        count(*) as rows,
        count(distinct f.task_seq) as tasks,
    {%- for s in var('statuses') %}
        count(*) filter (where f.status_method = 'reported' and f.status = '{{ s }}')
            as {{ s }}{{ ',' if not loop.last }}
    {%- endfor %}
    from {{ ref('fact_task_progress') }} f
    where {{ in_build_scope('f.source_id') }}
    group by grouping sets ((f.source_id, f.table_no), (f.source_id))
),

parsed_long as (
    unpivot parsed on rows, tasks, {{ var('statuses') | join(', ') }}
    into name metric value parsed_value
)

select
    -- the value too: one sentence can state the same metric twice ('119项…和39项…均按进度推进')
    md5(
        st.source_id
        || '|'
        || coalesce(st.table_no::varchar, '')
        || '|'
        || st.metric
        || '|'
        || coalesce(st.line_no::varchar, '')
        || '|'
        || st.value::varchar
    ) as reconciliation_key,
    st.source_id,
    st.table_no,
    st.metric,
    st.value as stated_value,
    pl.parsed_value::integer as parsed_value,
    (pl.parsed_value - st.value)::integer as difference,
    coalesce(pl.parsed_value = st.value, false) as matches,
    st.line_no,
    st.text as stated_text
from {{ ref('stg_stated_totals') }} st
left join parsed_long pl
    on
        pl.source_id = st.source_id
        and pl.table_no is not distinct from st.table_no
        and pl.metric = st.metric
where {{ in_build_scope('st.source_id') }}

-- One row per task × period of its jurisdiction-year, from the period it was first seen: what the
-- bulletin said of it then, and the change since the last period that reported it. A period that
-- no longer reports a task it reported before gives one row with change 'dropped' (statuses NULL);
-- a task reported again later is compared with its last reported period.
with periods as (  -- every period (bulletin) of each jurisdiction-year, in order
    select
        g.task_group,
        g.source_id,
        s.period_label,
        row_number() over (
            partition by g.task_group order by s.period_end nulls last, g.source_id
        )::integer as period_order
    from (
        select distinct
            task_group,
            source_id
        from {{ ref('stg_task_links') }}
    ) g
    join {{ ref('stg_sources') }} s using (source_id)
),

rows_ as (  -- each linked row with what it says
    select
        l.task_key,
        l.source_id,
        l.match_method,
        l.match_score,
        t.row_no,
        t.task_seq,
        t.task_text,
        t.progress_text,
        f.status,
        f.status_reported,
        f.status_inferred,
        f.completion_pct,
        {{ status_rank('f.status') }} as status_rank,
        {{ status_rank('f.status_inferred') }} as inferred_rank
    from {{ ref('stg_task_links') }} l
    join {{ ref('fact_task_progress') }} f using (task_row_key)
    join {{ ref('stg_task_rows') }} t using (task_row_key)
),

reported as (  -- task × period: several rows (split, sub-rows, a merge) read as the least advanced
    select
        task_key,
        source_id,
        count(*)::integer as row_count,
        min(task_seq) as task_seq,
        first(task_text order by row_no) as task_text,
        string_agg(progress_text, chr(10) order by row_no) as progress_text,
        string_agg(distinct status_reported, '; ' order by status_reported) as status_reported,
        coalesce({{ status_of_rank('min(status_rank)') }}, min(status)) as status,
        coalesce({{ status_of_rank('min(inferred_rank)') }}, min(status_inferred)) as status_inferred,
        min(status_rank) as status_rank,
        min(inferred_rank) as inferred_rank,
        min(completion_pct) as completion_pct,
        string_agg(distinct match_method, ', ' order by match_method) as match_method,
        min(match_score) as match_score
    from rows_
    group by task_key, source_id
),

grid as (  -- each task against every period of its group from the one it was first seen in
    select
        d.task_key,
        p.task_group,
        p.source_id,
        p.period_label,
        p.period_order
    from {{ ref('dim_task') }} d
    join periods fp on fp.task_group = d.task_group and fp.source_id = d.first_source_id
    join periods p on p.task_group = d.task_group and p.period_order >= fp.period_order
),

compared as (  -- each reported period against the task's previous reported one
    select
        r.*,
        p.period_label,
        p.period_order,
        lag(r.task_key) over w is not null as seen_before,
        lag(r.status_rank) over w as prev_rank,
        lag(r.inferred_rank) over w as prev_inferred_rank,
        lag(r.completion_pct) over w as prev_completion_pct,
        lag(p.period_label) over w as prev_period_label
    from reported r
    join periods p using (source_id)
    window w as (partition by r.task_key order by p.period_order)
),

framed as (
    select
        g.*,
        c.row_count,
        c.task_seq,
        c.task_text,
        c.progress_text,
        c.status_reported,
        c.status,
        c.status_inferred,
        c.status_rank,
        c.inferred_rank,
        c.completion_pct,
        c.match_method,
        c.match_score,
        c.seen_before,
        c.prev_rank,
        c.prev_inferred_rank,
        c.prev_completion_pct,
        c.prev_period_label,
        c.task_key is not null as is_reported,
        coalesce(lag(c.task_key is not null) over (partition by g.task_key order by g.period_order), false)
            as prev_reported
    from grid g
    left join compared c on c.task_key = g.task_key and c.source_id = g.source_id
)

select
    task_key,
    task_group,
    source_id,
    period_label,
    period_order,
    is_reported,
    row_count,
    task_seq,
    task_text,
    status_reported,
    status,
    status_inferred,
    completion_pct,
    progress_text,
    case when is_reported then {{ status_change('status_rank', 'prev_rank', 'seen_before') }} else 'dropped' end
        as change,
    case
        when is_reported then {{ status_change('inferred_rank', 'prev_inferred_rank', 'seen_before') }}
        else 'dropped'
    end as change_inferred,
    prev_period_label,
    prev_completion_pct,
    match_method,
    match_score
from framed
where is_reported or prev_reported

"""Task identity and history in the seed warehouse (the session's one build, read-only): every
task_progress row has its task, the real 绍兴 2020 pair shares its tasks across Q1 and the annual
and links nothing else, dim_task / task_history hold together, and the README's query runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingestion import tasks

pytestmark = pytest.mark.slow

README = Path(__file__).resolve().parent.parent / "README.md"
PAIR = ("rw09_shaoxing_2020q1", "rw17_shaoxing_2020")


def q(con, sql, params=None):
    return con.execute(sql, params or []).fetchall()


def test_every_row_has_a_task(seed_con):
    assert q(seed_con, "select count(*) from mart.task_progress where task_key is null or match_method is null") == [(0,)]
    methods = {m for (m,) in q(seed_con, "select distinct match_method from mart.task_progress")}
    assert methods <= set(tasks.MATCH_METHODS)
    # every key is a dim_task row, every dim_task row is some row's task
    assert q(seed_con, """select count(*) from mart.dim_task d
                          where not exists (select 1 from mart.task_progress t where t.task_key = d.task_key)""") == [(0,)]


def test_shaoxing_pair_shares_its_tasks_and_nothing_else(seed_con):
    rows = q(seed_con, """select source_id, task_seq, task_key, match_method from mart.task_progress
                          where source_id in (?, ?) order by source_id, task_seq""", list(PAIR))
    key = {(s, seq): k for s, seq, k, _ in rows}
    assert key[(PAIR[0], 1)] == key[(PAIR[1], 1)]                       # the first task, reworded
    for seq in (2, 3):                                                   # the two after it, as read
        assert key[(PAIR[0], seq)] == key[(PAIR[1], seq)]
    assert len({key[(PAIR[0], s)] for s in (1, 2, 3, 4)}) == 4           # no two Q1 rows share a task
    assert key[(PAIR[0], 4)] not in {key[(PAIR[1], s)] for s in (1, 2, 3)}
    # no row of any other source shares a task with the pair
    others = q(seed_con, """select count(*) from mart.task_progress where source_id not in (?, ?)
                            and task_key in (select task_key from mart.task_progress where source_id in (?, ?))""",
               [*PAIR, *PAIR])
    assert others == [(0,)]
    history = q(seed_con, """select period_label, change from mart.task_history where task_key = ?
                             order by period_order""", [key[(PAIR[0], 1)]])
    assert [p for p, _ in history] == ["2020-Q1", "2020"]
    assert history[0][1] == "first_seen" and history[1][1] != "first_seen"


def test_dim_task_and_history_agree(seed_con):
    assert q(seed_con, """select count(*) from mart.dim_task d join (
                              select task_key, count(*) filter (where is_reported) n from mart.task_history group by 1
                          ) h using (task_key) where h.n <> d.periods_reported""") == [(0,)]
    # one source per period and group: a task's first history row is its first period
    assert q(seed_con, """select count(*) from mart.task_history h join mart.dim_task d using (task_key)
                          where h.change = 'first_seen' and h.source_id <> d.first_source_id""") == [(0,)]


def test_readme_slipped_query_runs(seed_con):
    text = README.read_text(encoding="utf-8")
    m = re.search(r"```sql\n(-- 5\. .*?)```", text, re.S)
    assert m, "README: query 5 (tasks that slipped) not found"
    got = seed_con.execute(m.group(1)).fetchall()
    every = q(seed_con, "select count(*) from mart.task_history where change = 'slipped'")[0][0]
    assert len(got) == min(every, 10)

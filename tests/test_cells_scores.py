"""The cell_lines alignment's fast paths give exactly what the definitions give.

``ScoreTable`` (every cell of a row at once, incrementally) must equal ``score_cell`` (one cell,
the readable definition) bit for bit, and ``align_row`` must pick the segmentation a plain
dynamic program over ``score_cell`` picks - ties included - on the seeds' lines and on rows
mixed from every kind of line the scores tell apart."""

from __future__ import annotations

import random

import pytest

from ingestion.layouts import _cells_align as align
from ingestion.layouts._cells_scores import ScoreTable, line_bound, score_cell
from ingestion.layouts._cells_tokens import Token, tokenize
from ingestion.model import ROLES
from ingestion.reader import read_text_file

CELL_ROLES = [r for r in ROLES if r != "seq"] + ["ignore"]
STATUS_WORDS = {"差一点": "behind", "基本 完成": "completed"}
# One line of each kind a score looks at: units whole and broken, people, status words (the
# vocabulary's and a source's own), titles, numbered paragraphs (restarting and continuing),
# name tails, empty cells (nbsp), short and long text.
KINDS = [
    "区发改委", "区财政局(金融管理局)", "市生态", "环境局", "(人才办)", "中心", "张三", "李四、王五",
    "序时推进", "已完成", "差一点", "基本 完成", "开展科技创新赋能行动", "1.完成立项。", "2.开工建设。",
    "3.竣工验收。", "1、招商引资。", "比重", "收入中税收", "\u00a0", "\u3000", "待定", "1.4%", "2、规上工业增加值增长",
    "全年新建5G基站100个,已建成82个。", "持续深化亩均论英雄", "改革。", "区发改委区经信局", "各镇街",
    "区委组织部(人才", "办)", "市政府办公室（区", "（县）",  # brackets broken over lines, ASCII and full-width
]


def _reference_scores(toks, sw, window):
    return {role: [[score_cell(role, toks[i:k], sw) for k in range(i + 1, min(len(toks), i + window) + 1)]
                   for i in range(len(toks))] + [[]] for role in CELL_ROLES}


def _assert_table_equal(toks, sw, window):
    table = ScoreTable(toks, sw, window)
    ref = _reference_scores(toks, sw, window)
    for role in CELL_ROLES:
        assert table.for_role(role) == ref[role], role  # floats compared exactly


def _assert_bound_holds(toks, sw, window):
    """score_cell never exceeds the sum of line_bound over the cell (what lets align_row skip
    continuation sub-rows that cannot win)."""
    lines = ScoreTable(toks, sw, window)._lines
    for i in range(len(toks)):
        for k in range(i + 1, min(len(toks), i + window) + 1):
            cell = lines[i:k]
            first = next((q for q, ln in enumerate(cell) if ln is not None), 0)
            for role in CELL_ROLES:
                bound = sum(line_bound(role, ln, q == first) for q, ln in enumerate(cell))
                # within the margin align_row allows for rounding (0.3 * 7 vs seven 0.3s)
                assert score_cell(role, toks[i:k], sw) <= bound + align._ROUNDING, (role, [t.text for t in toks[i:k]])


def _random_row(rng: random.Random, n: int) -> list[Token]:
    return [Token(i + 1, rng.choice(KINDS)) for i in range(n)]


@pytest.mark.parametrize("seed", range(40))
def test_score_table_equals_score_cell_on_mixed_rows(seed):
    rng = random.Random(seed)
    toks = _random_row(rng, rng.randint(0, 14))
    _assert_table_equal(toks, STATUS_WORDS if seed % 2 else None, window=rng.choice([3, 8, 60]))


@pytest.mark.parametrize("seed", range(40))
def test_line_bounds_bound_every_cell_of_mixed_rows(seed):
    rng = random.Random(500 + seed)
    _assert_bound_holds(_random_row(rng, rng.randint(0, 14)), STATUS_WORDS if seed % 2 else None, window=8)


@pytest.mark.parametrize("source_id", ["xiangshan_2024q4", "suzhou_2022h1", "luan_2024h1", "rw09_shaoxing_2020q1"])
def test_line_bounds_bound_every_cell_of_the_seeds(registry, source_id):
    src = registry.get(source_id)
    toks = tokenize(read_text_file(src.file_path, src.spec.encoding).lines)
    sw = dict(src.spec.status_words or {}) or None
    for start in range(0, len(toks), 20):  # every cell of up to 10 lines starting on each line
        _assert_bound_holds(toks[start : start + 30], sw, window=10)


@pytest.mark.parametrize("source_id", ["xiangshan_2024q4", "suzhou_2022h1", "luan_2024h1", "rw09_shaoxing_2020q1"])
def test_score_table_equals_score_cell_on_the_seeds(registry, source_id):
    src = registry.get(source_id)
    toks = tokenize(read_text_file(src.file_path, src.spec.encoding).lines)
    sw = dict(src.spec.status_words or {}) or None
    for start in range(0, len(toks), 10):  # every cell of up to 10 lines, on every line
        _assert_table_equal(toks[start : start + 20], sw, window=10)


def _reference_align(tokens, roles, max_sub_rows, sw):
    """The plain dynamic program: score_cell per (column, start, end), first best kept."""
    sub_roles = [r for r in roles if r not in align.TASK_LEVEL_ROLES]
    program, ends = list(roles), {len(roles)}
    for _ in range(max_sub_rows if sub_roles else 0):
        program += sub_roles
        ends.add(len(program))
    starts = {len(roles) + k * len(sub_roles) for k in range(max_sub_rows)} if sub_roles else set()
    n, m = len(tokens), len(program)
    best = [[align.NEG] * (n + 1) for _ in range(m + 1)]
    back = [[0] * (n + 1) for _ in range(m + 1)]
    best[0][0] = 0.0
    for j in range(m):
        penalty = align.SUB_ROW if j in starts else 0.0
        gap = align.MISSING_MERGED if j >= len(roles) else align.MISSING
        for i in range(n + 1):
            if best[j][i] == align.NEG:
                continue
            for k in range(i, min(n, i + align.MAX_CELL_LINES) + 1):
                s = best[j][i] + penalty + (score_cell(program[j], tokens[i:k], sw) if k > i else gap)
                if s > best[j + 1][k]:
                    best[j + 1][k], back[j + 1][k] = s, i
    end = max(ends, key=lambda j: (best[j][n], -j))
    if best[end][n] == align.NEG:
        return None
    bounds, k = [], n
    for j in range(end, 0, -1):
        bounds.append((program[j - 1], back[j][k], k))
        k = back[j][k]
    return bounds[::-1]


@pytest.mark.parametrize("seed", range(60))
def test_align_row_picks_what_the_plain_program_picks(seed):
    rng = random.Random(1000 + seed)
    roles = rng.choice([
        ["task", "lead_units", "progress"],
        ["category", "task", "leader", "lead_units", "cooperating_units", "period_target", "progress", "status"],
        ["task", "responsible_person", "lead_units", "progress", "remark"],
        ["task", "period_target", "progress", "status", "ignore"],
    ])
    toks = _random_row(rng, rng.randint(0, 16))
    sw = STATUS_WORDS if seed % 3 == 0 else None
    max_sub = rng.choice([0, 1, 3])
    got = align.align_row(toks, roles, max_sub, sw)
    ref = _reference_align(toks, roles, max_sub, sw)
    flat = [(c.role, [t.line_no for t in c.tokens]) for row in got for c in row]
    if ref is None:
        assert got == [align._unaligned(toks, roles)]
    else:
        assert flat == [(role, [t.line_no for t in toks[i:k]]) for role, i, k in ref]


@pytest.mark.parametrize("source_id", ["xiangshan_2024q4", "suzhou_2022h1", "luan_2024h1", "rw09_shaoxing_2020q1"])
def test_align_row_picks_what_the_plain_program_picks_on_the_seeds_rows(registry, monkeypatch, source_id):
    """Every row the cell_lines parser aligns in a seed (sub-rows skipped or not) gets the
    segmentation of the plain program over every sub-row."""
    from ingestion.layouts import cell_lines
    from ingestion.parse import parse_file

    calls = []

    def recording(tokens, roles, max_sub_rows=3, status_words=None):
        got = align.align_row(tokens, roles, max_sub_rows, status_words)
        calls.append((list(tokens), list(roles), max_sub_rows, status_words, got))
        return got

    monkeypatch.setattr(cell_lines, "align_row", recording)
    src = registry.get(source_id)
    parse_file(src.file_path, src.spec)
    assert calls
    for tokens, roles, max_sub, sw, got in calls[:: max(1, len(calls) // 40)]:
        ref = _reference_align(tokens, roles, max_sub, sw)
        flat = [(c.role, [t.line_no for t in c.tokens]) for row in got for c in row]
        assert ref is not None
        assert flat == [(role, [t.line_no for t in tokens[i:k]]) for role, i, k in ref]

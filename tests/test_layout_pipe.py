"""The '|' cell layout on the real seed 002 (芜湖市弋江区 2023 Q2).

Expectations come from reading the file: every cell is one line ending in ' |'; a row starts
with its 序号 cell; bare '|' lines are empty cells / padding."""

import re

import pytest

from ingestion.layouts import pipe
from ingestion.parse import parse_source
from ingestion.reader import read_text_file

from .conftest import seed_path

SEQ_LINE = re.compile(r"^(\d+) \|$")
HEADING_LINE = re.compile(r"^\([一二三四五六七八九十]+\)")


@pytest.fixture(scope="module")
def seed(registry):
    return parse_source(registry.get("yijiang_2023q2"))


@pytest.fixture(scope="module")
def lines():
    return read_text_file(seed_path("yijiang_2023q2")).lines


@pytest.fixture(scope="module")
def by_seq(seed):
    return {r.task_seq: r for r in seed.result.rows}


def _cell(line: str) -> str:
    return line.rstrip().removesuffix("|").strip()


def test_row_count_and_seq_numbers_match_the_file(seed, lines):
    printed = [int(m.group(1)) for ln in lines if (m := SEQ_LINE.match(ln.strip()))]
    assert printed == list(range(1, 127))  # the file prints 序号 1..126, each once, in order
    rows = seed.result.rows
    assert len(rows) == 126
    assert [r.task_seq for r in rows] == printed
    assert [r.row_no for r in rows] == list(range(1, 127))


def test_header_roles(seed):
    assert seed.result.headers[1] == [
        ("序号", "seq"),
        ("目 标 与 任 务", "task"),
        ("牵头责任单位", "lead_units"),
        ("责任单位", "cooperating_units"),
        ("进展情况", "progress"),
    ]


def test_category_is_the_nearest_heading_above(seed, lines):
    headings = [(n, _cell(ln)) for n, ln in enumerate(lines, 1) if HEADING_LINE.match(ln)]
    assert len(headings) == 4
    for r in seed.result.rows:
        expected = [h for n, h in headings if n < r.line_start][-1]
        assert r.category == expected, r.task_seq
    assert seed.result.rows[0].category == "(一)以更实举措提升经济高质量发展质效"
    furniture = {f.line_no: f.kind for f in seed.result.furniture}
    assert all(furniture[n] == "section_heading" for n, _ in headings)


def test_row_without_lead_cells_inherits_them(by_seq, lines):
    # Row 11 prints only 序号, task and progress, then '||' padding: lead and responsible cells
    # are merged with row 10's (投资促进部 / 微电子及三代半导体 招商中心成员单位).
    start = lines.index("11 |")
    assert lines[start + 3].strip() == "||"
    r10, r11 = by_seq[10], by_seq[11]
    assert r10.lead_units == ["投资促进部"] and not r10.flags
    assert r11.lead_units == ["投资促进部"] and r11.lead_units_raw == "投资促进部"
    assert r11.cooperating_units == ["微电子及三代半导体招商中心成员单位"]
    assert {"inherited_lead_units", "inherited_cooperating_units"} <= set(r11.flags)
    # the chain goes on through rows 12 and 13
    assert by_seq[13].lead_units == ["投资促进部"] and "inherited_lead_units" in by_seq[13].flags


def test_one_missing_cell_is_the_lead_cell(by_seq):
    # Row 42 prints task, '白马街道 火龙街道', progress, then one '|' of padding: the lead cell
    # (区农水局, row 41) is merged; the printed unit cell is the responsible one.
    r41, r42 = by_seq[41], by_seq[42]
    assert r41.lead_units == ["区农水局"]
    assert r42.lead_units == ["区农水局"] and "inherited_lead_units" in r42.flags
    assert r42.cooperating_units == ["白马街道", "火龙街道"]
    assert "inherited_cooperating_units" not in r42.flags


def test_cell_printed_empty_is_not_inherited(by_seq, lines):
    # Row 16: 科技经贸部, then a bare '|' *between* two text cells: a responsible cell printed empty.
    start = lines.index("16 |")
    assert _cell(lines[start + 2]) == "科技经贸部" and lines[start + 3].strip() == "|"
    r16 = by_seq[16]
    assert r16.lead_units == ["科技经贸部"]
    assert r16.cooperating_units == [] and r16.cooperating_units_raw is None
    assert not r16.flags


def test_unit_with_internal_spaces_is_one_unit(by_seq, lines):
    assert "智能网联及新能源 汽车招商中心 成员单位 |" in lines
    r1 = by_seq[1]
    assert r1.lead_units == ["区发改委"]
    assert r1.cooperating_units == ["智能网联及新能源汽车招商中心成员单位"]
    assert r1.cooperating_units_raw == "智能网联及新能源 汽车招商中心 成员单位"


def test_progress_text_of_a_row(by_seq, lines):
    start = lines.index("11 |")
    assert by_seq[11].task_text == "推动义柏一期全尺寸晶圆载具生产线建成投产"
    assert by_seq[11].progress_text == _cell(lines[start + 2])
    assert by_seq[11].progress_text.startswith("一期项目92500平方米厂房建设完成")


def test_line_spans_contain_the_row_text(seed, lines):
    for r in seed.result.rows:
        span = [_cell(ln) for ln in lines[r.line_start - 1 : r.line_end]]
        assert span[0] == str(r.task_seq)
        own = [r.task_text, r.progress_text]
        own += [
            getattr(r, f"{role}_raw")
            for role in ("lead_units", "cooperating_units")
            if f"inherited_{role}" not in r.flags
        ]  # inherited cells live in the row above
        for text in own:
            if text is not None:
                assert text in span, (r.task_seq, text[:20])
        # the span ends on the row's last text cell, not on padding
        assert span[-1] != ""


def test_every_line_accounted_for(seed, lines):
    res = seed.result
    cov = res.coverage()
    assert cov.complete and cov.total_lines == len(lines) == 639
    assert res.quarantine == []
    kinds = {f.line_no: f.kind for f in res.furniture}
    bare = [n for n, ln in enumerate(lines, 1) if set(ln.strip()) == {"|"}]
    assert all(kinds[n] == "filler" for n in bare)
    assert kinds[1] == "title"
    assert [kinds[n] for n in range(2, 7)] == ["header"] * 5


def test_multi_line_cells_and_several_cells_per_line():
    # A cell whose text runs over lines has '|' only on its last line; 'a | b |' is two cells.
    cells, dangling = pipe.tokenize(["序号 | 重点工作 |", "第一行", "第二行 |", "||", "尾巴"], 0)
    assert [(c.text, c.line_start, c.line_end) for c in cells] == [
        ("序号", 1, 1),
        ("重点工作", 1, 1),
        ("第一行\n第二行", 2, 3),
        ("", 4, 4),
        ("", 4, 4),
    ]
    assert dangling == 5


def test_grouping_rows_padding_and_headings():
    cells, _ = pipe.tokenize(
        [
            "1 |",
            "任务一 |",
            "区发改委 |",
            "进展一 |",  # short row: no padding printed
            "(二)第二部分 |",
            "|",
            "|||",  # full-width heading row
            "2 |",
            "任务二 |",
            "|",
            "进展二 |",  # an empty cell between two text cells
        ],
        0,
    )
    groups = pipe.group_rows(cells, 5)
    grid = [pipe.to_grid_row(g) for g in groups]
    assert [g.cells for g in grid] == [
        ["1", "任务一", "区发改委", "进展一"],
        ["(二)第二部分"],
        ["2", "任务二", "", "进展二"],
    ]
    assert [(g.line_start, g.line_end) for g in grid] == [(1, 4), (5, 5), (8, 11)]

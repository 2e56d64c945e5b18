"""Narrative fragments (seed 003): no table, figures masked with *, x, XX.

Expectations come from reading the file: each line is one fragment of a work summary with its
own numbering (一、 / (一) / 1、 / 一是)."""

import re

import pytest

from ingestion.layouts import narrative
from ingestion.normalize import figures
from ingestion.parse import parse_source
from ingestion.reader import read_text_file

from .conftest import seed_path


@pytest.fixture(scope="module")
def seed(registry):
    return parse_source(registry.get("narrative_fragments"))


@pytest.fixture(scope="module")
def lines():
    return read_text_file(seed_path("narrative_fragments")).lines


def _line_no(lines, prefix: str) -> int:
    return next(n for n, ln in enumerate(lines, 1) if ln.startswith(prefix))


def _rows_of(seed, n):
    return [r for r in seed.result.rows if r.line_start == n]


def _texts(r):
    return [t for t in (r.category, r.task_text, r.progress_text, r.remark) if t]


def test_parses_with_complete_coverage(seed, lines):
    res = seed.result
    assert res.layout == "narrative"
    cov = res.coverage()
    assert cov.complete and cov.total_lines == len(lines)
    assert [i.code for i in res.issues] == ["narrative_only"]
    assert all(r.line_start == r.line_end for r in res.rows)


def test_every_line_gives_rows_or_is_quarantined_with_a_reason(seed, lines):
    res = seed.result
    row_lines = {r.line_start for r in res.rows}
    quarantined = {q.line_no: q.reason for q in res.quarantine}
    for n, ln in enumerate(lines, 1):
        if not ln.strip():
            continue
        assert (n in row_lines) != (n in quarantined), n
        if n in quarantined:
            assert quarantined[n].strip() and quarantined[n] != "not recognised by the layout parser"


def test_nothing_vanishes_from_a_row_line(seed, lines):
    """Every character of a line that gives rows is in some row's text or is a marker/punctuation."""
    for n in {r.line_start for r in seed.result.rows}:
        line = lines[n - 1]
        covered = [False] * len(line)
        for mk in narrative.find_markers(line):
            covered[mk.start : mk.end] = [True] * (mk.end - mk.start)
        for r in _rows_of(seed, n):
            for text in _texts(r):
                for part in re.split(r"\n| / ", text):
                    assert part in line, (n, part[:30])
                    for m in re.finditer(re.escape(part), line):
                        covered[m.start() : m.end()] = [True] * len(part)
        left = "".join(c for c, ok in zip(line, covered, strict=False) if not ok)
        assert re.sub(r"[\s,,。;;::!?]", "", left) == "", (n, left[:60])


def test_problem_and_plan_lines_are_quarantined_with_why(seed, lines):
    reasons = {q.line_no: q.reason for q in seed.result.quarantine}
    problems = _line_no(lines, "二、存在的问题")
    plans = _line_no(lines, "二、明年工作思路")
    assert "problem statement" in reasons[problems] and "存在的问题" in reasons[problems]
    assert "forward-looking plan" in reasons[plans] and "明年工作思路" in reasons[plans]
    # '3.对自我审查机制理解不够到位' is a shortcoming, followed by '三、2024年工作计划'
    mixed = _line_no(lines, "3.对自我审查机制理解不够到位")
    assert "problem statement" in reasons[mixed] and "forward-looking plan" in reasons[mixed]


def test_numbered_items_become_rows(seed, lines):
    n = _line_no(lines, "一、主要工作情况")
    rows = _rows_of(seed, n)
    assert [r.task_seq for r in rows] == [1, 2, 3, 4]  # (一)..(四)
    assert rows[0].task_text == "做好城乡低保、特困人员和残疾人两项补贴工作"
    assert rows[0].progress_text.startswith("2022年共发放低保资金***.*万元")
    assert all(r.category == "主要工作情况" and "narrative_item" in r.flags for r in rows)
    # (二) has no figures of its own; its 一是/二是 points are paragraphs of its body
    assert rows[1].progress_text.split("\n")[0].startswith("一是认真统计死亡人员信息")
    assert rows[1].progress_text.split("\n")[1].startswith("二是配合上级部门")


def test_group_heading_titles_its_numbered_items(seed, lines):
    n = _line_no(lines, "一、进展情况和主要做法")
    items = [r for r in _rows_of(seed, n) if "narrative_item" in r.flags]
    assert [r.task_seq for r in items] == [1, 2, 3]
    assert [r.task_text for r in items] == [
        "全力抓好产业帮扶工作",
        "全力推进就业帮扶工作",
        "全力实施金融帮扶工作",
    ]
    assert all(r.category == "进展情况和主要做法 / 分类帮扶,确保脱贫群众稳定增收" for r in items)


def test_seq_only_for_clean_sequences(seed, lines):
    # '六是 … 七是 … 四是' does not count up: no task_seq is claimed
    n = _line_no(lines, "截至11月,我镇强镇富村公司")
    items = [r for r in _rows_of(seed, n) if "narrative_item" in r.flags]
    assert len(items) == 3 and all(r.task_seq is None and "seq_not_clean" in r.flags for r in items)
    # '二是 … 三是 … 四是' does
    n = _line_no(lines, "二是加强领导")
    assert [r.task_seq for r in _rows_of(seed, n)] == [2, 3, 4]


def test_masked_figures_are_flagged_and_kept_verbatim(seed):
    rows = seed.result.rows
    with_xx = [r for r in rows if "xx" in (r.progress_text or "")]
    assert with_xx and all("masked_figures" in r.flags for r in with_xx)
    for r in rows:
        masked = any(figures.masked_figures(t) for t in _texts(r) if t is not r.category)
        assert ("masked_figures" in r.flags) == masked, r.task_text
    assert any("***.*万元" in (r.progress_text or "") for r in rows)


def test_no_number_is_invented_from_a_mask(seed, lines):
    for r in seed.result.rows:
        line = lines[r.line_start - 1]
        if r.task_seq is not None:
            # the number is a printed marker: '3.' '3、' '(三)' '三是'
            cn = narrative.CN_DIGITS[r.task_seq - 1] if r.task_seq <= 10 else None
            forms = [f"{r.task_seq}、", f"{r.task_seq}.", f"({cn})", f"{cn}是"]
            assert any(f in line for f in forms), (r.line_start, r.task_seq)
        for t in _texts(r):
            assert t.replace("\n", "") and all(part in line for part in re.split(r"\n| / ", t))


def test_deleted_figures_are_flagged(seed, lines):
    # '确定了大类共个征迁项目' - the figures are deleted outright, not masked
    n = _line_no(lines, "一、2022年工作完成情况")
    assert any("figures_missing" in r.flags for r in _rows_of(seed, n))


def test_markers_are_not_read_from_masks_or_decimals():
    text = "截至xx月底,开工率xx.x%,1.8万亩,第一、二季度。2.推进工作。统一是关键"
    kinds = [(m.level, m.num) for m in narrative.find_markers(text)]
    assert kinds == [("item", 2)]


def test_unnumbered_line_without_headings_is_quarantined():
    from ingestion.registry import SourceSpec

    spec = SourceSpec(source_id="t", file="t.txt", unknown_reason="synthetic", layout="narrative")
    res = narrative.parse(
        ["全年各项工作稳步推进,取得了积极成效,群众满意度不断提升,为明年发展打下基础。"], spec
    )
    assert res.rows == [] and res.quarantine[0].reason == "narrative paragraph without a work item"
    assert res.coverage().complete


def test_titles_never_vanish_and_groups_close():
    pieces = narrative.pieces_of_line("一、工作回顾 总体平稳。二、主要做法1、推进项目。完成3个。")
    # '总体平稳' titles nothing (the next chapter follows): kept as a heading-only paragraph
    assert [(p.kind, p.heading, p.titles) for p in pieces] == [
        ("paragraph", "总体平稳", ["工作回顾"]),
        ("item", "推进项目", ["主要做法"]),
    ]
    pieces = narrative.pieces_of_line("(一)分类帮扶。1、抓产业。完成。(二)稳就业。已开发岗位。")
    assert [(p.heading, p.titles) for p in pieces] == [("抓产业", ["分类帮扶"]), ("稳就业", [])]


def test_listed_numbers_are_not_items():
    assert narrative.find_markers("建成1、2、3号楼") == []

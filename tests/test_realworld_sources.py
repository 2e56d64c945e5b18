"""The twelve real excerpts of ../shared/realworld, registered under data/sources/rw*: each parses
with every line accounted for, its cut last row flagged or quarantined, page chrome as furniture,
and the totals it states about itself captured. Expected figures are read from the text."""

from __future__ import annotations

import pytest

from ingestion.furniture import is_page_chrome
from ingestion.normalize.vocabulary import normalise_reported
from ingestion.parse import parse_source

RW_IDS = [
    "rw03_fuling_2023q1", "rw04_xianning_2021h1", "rw06_xuancheng_2020m11", "rw07_jinzhai_2025h1",
    "rw08_pengjiang_2022h1", "rw09_shaoxing_2020q1", "rw11_chengxiang_2016m09", "rw17_shaoxing_2020",
    "rw27_taian_2021", "rw28_wanzhou_2023h1", "rw28_wanzhou_2022h1", "rw29_dandong_2016q3",
    "rw32_lianyungang_2021q3",
]

# (metric, value) pairs each bulletin states, as read from its text.
STATED = {
    "rw03_fuling_2023q1": set(),
    "rw04_xianning_2021h1": set(),
    # 4 economic indicators of which 3 behind; 55 quantified tasks: 44 on schedule, 11 not
    "rw06_xuancheng_2020m11": {("behind", 3), ("tasks", 55), ("on_track", 44), ("behind", 11)},
    # 145 tasks broken into 222 items: 17 欠进度, 10 超进度, 24 已完成和提前完成, 9 其它类, 162 达进度
    "rw07_jinzhai_2025h1": {("tasks", 145), ("rows", 222), ("behind", 17), ("ahead", 10), ("completed", 24),
                            ("unknown", 9), ("on_track", 162)},
    # 119 key tasks and 39 livelihood projects all 按进度推进; 85 key projects
    "rw08_pengjiang_2022h1": {("on_track", 119), ("on_track", 39), ("tasks", 85)},
    "rw09_shaoxing_2020q1": set(),
    # 30 sub-projects: 5 done, 12 proceeding in order, 13 lagging
    "rw11_chengxiang_2016m09": {("rows", 30), ("completed", 5), ("on_track", 12), ("behind", 13)},
    "rw17_shaoxing_2020": set(),
    # one task per page: its counts (69 key tasks, 5 done) are that task's progress, not totals
    # of the bulletin's rows
    "rw27_taian_2021": set(),
    "rw28_wanzhou_2023h1": set(),
    "rw28_wanzhou_2022h1": set(),
    # 132 tasks: 19 done, 98 going well, 2 with difficulty, 3 adjusted, 3 that cannot be finished
    "rw29_dandong_2016q3": {("tasks", 132), ("completed", 19), ("on_track", 98), ("behind", 2),
                            ("not_applicable", 3), ("behind", 3)},
    # 150 tasks; 2 composite indicators and 15 items behind; the list of 17 behind
    "rw32_lianyungang_2021q3": {("tasks", 150), ("behind", 2), ("behind", 15), ("behind", 17)},
}


@pytest.fixture(scope="module")
def parsed(registry):
    return {sid: parse_source(registry.get(sid)) for sid in RW_IDS}


@pytest.mark.parametrize("sid", RW_IDS)
def test_every_line_accounted_for(parsed, sid):
    cov = parsed[sid].result.coverage()
    assert cov.complete and cov.accounted == cov.total_lines


# Excerpts whose text stops mid-sentence (read from the files); 07 ends at a full stop and 08 on
# its attachment caption.
CUT_MID_SENTENCE = set(RW_IDS) - {"rw07_jinzhai_2025h1", "rw08_pengjiang_2022h1"}


@pytest.mark.parametrize("sid", RW_IDS)
def test_the_cut_end_is_never_a_complete_row(parsed, sid):
    res = parsed[sid].result
    lines = parsed[sid].text.lines
    other = {f.line_no for f in res.furniture if f.kind == "other_bulletin"}
    last = max(n for n, ln in enumerate(lines, 1) if ln.strip() and n not in other)
    rows = [r for r in res.rows if r.line_start <= last <= r.line_end]
    quarantined = [q for q in res.quarantine if q.line_no == last]
    if sid in CUT_MID_SENTENCE:
        assert (rows and "truncated_row" in rows[-1].flags) or (quarantined and "cut off" in quarantined[0].reason)
    # no row other than the last is flagged
    assert not any("truncated_row" in r.flags for r in res.rows if r.line_end < last)


@pytest.mark.parametrize("sid", RW_IDS)
def test_stated_totals(parsed, sid):
    got = {(t.metric, t.value) for t in parsed[sid].result.stated_totals}
    assert got == STATED[sid]


@pytest.mark.parametrize("sid", RW_IDS)
def test_page_chrome_is_furniture_not_items(parsed, sid):
    res = parsed[sid].result
    for r in res.rows:
        assert not is_page_chrome(r.task_text or ""), r
        assert not (r.task_text or "").startswith(("# ", "•"))
    # the '# source:' line a person added is metadata
    assert any(f.line_no == 1 and f.kind in ("metadata", "other_bulletin") for f in res.furniture)


def test_fuling_navigation_and_metadata_lists_are_furniture(parsed):
    res = parsed["rw03_fuling_2023q1"].result
    kinds = {f.line_no: f.kind for f in res.furniture}
    assert all(kinds.get(n) == "metadata" for n in range(2, 21) if parsed["rw03_fuling_2023q1"].text.lines[n - 1].strip())


def test_lagging_list_items_are_behind_by_the_bulletins_word(parsed):
    rows = parsed["rw32_lianyungang_2021q3"].result.rows
    listed = [r for r in rows if "status_from_heading" in r.flags]
    assert [r.task_seq for r in listed] == [1, 2, 3, 4, 5]
    assert {normalise_reported(r.status_reported) for r in listed} == {"behind"}
    assert listed[0].task_text.startswith("工业技改投资")
    assert "truncated_row" in listed[-1].flags


def test_plans_after_a_plan_heading_are_not_progress(parsed):
    res = parsed["rw07_jinzhai_2025h1"].result
    assert res.rows == []
    reasons = {q.line_no: q.reason for q in res.quarantine}
    assert "forward-looking plan" in reasons[5] and "forward-looking plan" in reasons[6]


def test_xianning_numbered_targets(parsed):
    rows = [r for r in parsed["rw04_xianning_2021h1"].result.rows if "narrative_item" in r.flags]
    assert [r.task_seq for r in rows] == [1, 2, 3]
    assert rows[0].category.endswith("报告中确定的其他指标任务完成情况")
    assert "truncated_row" in rows[-1].flags and "truncated_row" not in rows[0].flags


def test_shaoxing_tables(parsed):
    q1 = parsed["rw09_shaoxing_2020q1"].result.rows
    assert [r.task_seq for r in q1] == [1, 2, 3, 4]
    assert [r.lead_units for r in q1[:3]] == [["市发改委"]] * 3
    assert q1[0].progress_text.startswith("从1-2月主要经济指标完成情况看")
    assert "truncated_row" in q1[-1].flags  # its unit cell is cut: '市发'
    annual = parsed["rw17_shaoxing_2020"].result.rows
    assert [r.task_seq for r in annual] == [1, 2, 3]
    assert annual[2].progress_text.startswith("1-12月,全市战略性新兴产业增加值")  # the cut cell is kept
    assert "truncated_row" in annual[2].flags and not any("truncated_row" in r.flags for r in annual[:2])


def test_chengxiang_two_level_header(parsed):
    res = parsed["rw11_chengxiang_2016m09"].result
    roles = dict(res.headers[1])
    assert roles["主办"] == "lead_units" and roles["协办"] == "cooperating_units"
    assert roles["最新进展"] == "progress"
    table = [r for r in res.rows if "listed_item" not in r.flags]
    assert [r.task_seq for r in table] == [1] and "truncated_row" in table[0].flags


def test_wanzhou_two_bulletins_in_one_file(parsed):
    h1_2023 = parsed["rw28_wanzhou_2023h1"].result
    h1_2022 = parsed["rw28_wanzhou_2022h1"].result
    kinds23 = {f.line_no: f.kind for f in h1_2023.furniture}
    kinds22 = {f.line_no: f.kind for f in h1_2022.furniture}
    assert all(kinds23.get(n) == "other_bulletin" for n in range(9, 31) if parsed["rw28_wanzhou_2023h1"].text.lines[n - 1].strip())
    assert all(kinds22.get(n) == "other_bulletin" for n in range(1, 9) if parsed["rw28_wanzhou_2022h1"].text.lines[n - 1].strip())
    assert [r.task_text for r in h1_2023.rows] == ["现代化产业体系加快构建"]
    assert [r.task_text for r in h1_2022.rows] == ["产业加快转型升级"]


def test_taian_one_task_in_labelled_sections(parsed):
    res = parsed["rw27_taian_2021"].result
    assert res.layout == "labelled" and len(res.rows) == 1
    row = res.rows[0]
    assert row.task_text.startswith("强化领导带头攻坚") and row.progress_text.startswith("2021年度重点任务继续实行")
    assert row.remark.startswith("1.产业经济发展工作小组") and "truncated_row" in row.flags
    kinds = {f.line_no: f.kind for f in res.furniture}
    assert kinds[2] == kinds[3] == "metadata"  # the page's 索引号 / 发布机构 table


def _listed(parsed, registry, sid):
    words = registry.get(sid).spec.status_words
    rows = [r for r in parsed[sid].result.rows if "listed_item" in r.flags]
    return rows, [normalise_reported(r.status_reported, words) for r in rows]


def test_chengxiang_listed_sub_projects_match_its_counts(parsed, registry):
    rows, statuses = _listed(parsed, registry, "rw11_chengxiang_2016m09")
    # the bulletin names its 30 sub-projects: 5 done, 12 proceeding in order, 13 lagging
    assert len(rows) == 30
    assert (statuses.count("completed"), statuses.count("on_track"), statuses.count("behind")) == (5, 12, 13)
    assert rows[0].task_text == "洋西溪整治工程" and rows[-1].task_text == "开放式小区改造提升工程"


def test_fuling_lists_of_tasks_going_well_and_lagging(parsed, registry):
    rows, statuses = _listed(parsed, registry, "rw03_fuling_2023q1")
    behind = [r.task_text for r, s in zip(rows, statuses, strict=True) if s == "behind"]
    assert len(behind) == 15 and behind[0] == "固定资产投资增速" and behind[-1] == "兴华花园公共停车场"
    assert statuses.count("on_track") == 3


def test_xuancheng_names_the_tasks_behind_schedule(parsed, registry):
    rows, statuses = _listed(parsed, registry, "rw06_xuancheng_2020m11")
    # 11 are behind; the excerpt is cut after the sixth name
    assert len(rows) == 6 and set(statuses) == {"behind"}
    assert "truncated_row" in rows[-1].flags


def test_dandong_quoted_items_under_its_buckets(parsed, registry):
    rows, statuses = _listed(parsed, registry, "rw29_dandong_2016q3")
    assert (statuses.count("completed"), statuses.count("behind"), statuses.count("not_applicable")) == (4, 2, 3)


def test_each_excerpt_adds_and_validates_from_scratch(tmp_path, registry):
    """As a new user would: `bulletins add` on the file as published, nothing but region and
    period given; every one is written and validates (the shipped YAML then adds options)."""
    from typer.testing import CliRunner

    from ingestion.cli import app

    runner = CliRunner()
    sources = tmp_path / "sources"
    sources.mkdir()
    for sid in RW_IDS:
        if sid == "rw28_wanzhou_2022h1":
            continue  # the same file as rw28_wanzhou_2023h1
        src = registry.get(sid)
        spec = src.spec
        region = "".join(v for v in (spec.jurisdiction.province, spec.jurisdiction.city, spec.jurisdiction.county) if v) \
            if spec.jurisdiction else "辽宁省丹东市"
        res = runner.invoke(app, ["add", str(src.file_path), "--id", sid, "--region", region,
                                  "--period", spec.period.label, "--sources", str(sources)])
        assert res.exit_code == 0 and (sources / sid / "source.yaml").is_file(), res.output
        assert "unfinished" not in res.output, res.output
    res = runner.invoke(app, ["validate", "--sources", str(sources)])
    assert res.exit_code == 0, res.output

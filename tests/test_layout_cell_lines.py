"""The cell_lines layout on the three real seeds and on small synthetic pages.

Every expectation on a seed was read off the seed text itself (line numbers are 1-based lines of
the raw file), not copied from parser output.
"""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

import pytest

from ingestion.errors import LayoutError
from ingestion.layouts import cell_lines
from ingestion.reader import read_text_file
from ingestion.registry import SourceSpec

from .conftest import seed_path

NBSP = "\u00a0"


@pytest.fixture(scope="module")
def parsed(registry):
    """source_id -> ParseResult, each seed parsed once with its registry spec."""
    out = {}
    for sid in ("xiangshan_2024q4", "suzhou_2022h1", "luan_2024h1"):
        spec = registry.get(sid).spec
        lines = read_text_file(seed_path(sid), spec.encoding).lines
        out[sid] = cell_lines.parse(lines, spec)
    return out


def _row(result, seq, sub=1, table=1):
    hits = [r for r in result.rows if r.table_no == table and r.task_seq == seq and r.sub_seq == sub]
    assert len(hits) == 1, (table, seq, sub, len(hits))
    return hits[0]


def _spec(**kw) -> SourceSpec:
    return SourceSpec(source_id="synthetic", file="synthetic.txt", unknown_reason="synthetic test page", **kw)


# --- every seed -------------------------------------------------------------------------------


@pytest.mark.parametrize("sid", ["xiangshan_2024q4", "suzhou_2022h1", "luan_2024h1"])
def test_every_line_accounted_and_no_row_lost(parsed, sid):
    result = parsed[sid]
    assert result.layout == "cell_lines"
    assert result.coverage().complete
    assert result.quarantine == []  # nothing on these pages is left unexplained
    for table in {r.table_no for r in result.rows}:
        seqs = sorted({r.task_seq for r in result.rows if r.table_no == table})
        assert seqs == list(range(1, len(seqs) + 1)), f"table {table}: a 序号 is missing"
    spans = sorted((r.line_start, r.line_end) for r in result.rows)
    for (s1, e1), (s2, _) in pairwise(spans):
        assert s1 <= e1 < s2, "row spans overlap"
    row_lines = {n for r in result.rows for n in range(r.line_start, r.line_end + 1)}
    assert not row_lines & {f.line_no for f in result.furniture if f.kind != "blank"}


# --- 000 相山区 2024 Q4 -----------------------------------------------------------------------------


def test_xiangshan_counts(parsed):
    rows = parsed["xiangshan_2024q4"].rows
    assert len(rows) == 155
    assert len({r.task_seq for r in rows}) == 151
    assert sorted(r.task_seq for r in rows if r.sub_seq == 2) == [12, 33, 37, 40]
    assert all(r.sub_seq in (1, 2) for r in rows)


def test_xiangshan_header_roles(parsed):
    assert parsed["xiangshan_2024q4"].headers[1] == [
        ("序号", "seq"),
        ("年度目标", "task"),
        ("分管领导", "leader"),  # printed '分管' + '领导'
        ("牵头单位", "lead_units"),
        ("责任人", "responsible_person"),
        ("配合单位", "cooperating_units"),
        ("季度目标", "period_target"),
        ("季度具体完成情况", "progress"),
        ("完成状况", "status"),  # printed '完成' + '状况'
        ("备注", "remark"),
    ]


def test_xiangshan_task_1_units_and_empty_cells(parsed):
    r = _row(parsed["xiangshan_2024q4"], 1)
    assert (r.line_start, r.line_end) == (55, 83)
    assert r.task_text == "地区生产总值增长6%"
    assert r.leader is None  # line 59 is a nbsp line: empty cell
    assert r.lead_units == ["区发改委"]
    assert r.responsible_person == "孟跟东"
    # line 71 prints '区商务局区教育局' run together
    assert r.cooperating_units == [
        "区农水局",
        "区住建局",
        "区经信局",
        "区商务局",
        "区教育局",
        "各镇街",
        "开发区",
    ]
    assert r.cooperating_units_raw.split("\n")[3] == "区商务局区教育局"
    assert (r.period_target, r.progress_text, r.status_reported) == ("增长6%", "预计增长3%", "序时推进")
    assert r.remark is None


def test_xiangshan_category_title_separated_from_task(parsed):
    res = parsed["xiangshan_2024q4"]
    r9 = _row(res, 9)  # lines 255 '开展科技创新赋能行动' + 257 the target
    assert r9.category == "开展科技创新赋能行动"
    assert r9.task_text.startswith("推动科技创新指数进步排名位次前移")
    assert _row(res, 10).category == "开展科技创新赋能行动"  # the group title carries on
    r34 = _row(res, 34)
    assert r34.category == "全面构筑招商兴业新高地"
    assert r34.task_text.startswith("强化招商引资第一要事地位")
    r41 = _row(res, 41)  # title and task padded by a dozen nbsp lines (merged cell)
    assert r41.category == "大力建设现代服务业新高地"
    assert r41.task_text.startswith("聚力打造高端现代的服务业强区")
    assert r41.lead_units == ["区发改委"] and r41.status_reported == "序时推进"
    assert _row(res, 1).category is None  # no title before the first group


def test_xiangshan_continuation_row(parsed):
    res = parsed["xiangshan_2024q4"]
    first, cont = _row(res, 12, 1), _row(res, 12, 2)
    assert first.lead_units == ["区科技局"] and first.status_reported == "已完成"
    assert (first.line_start, first.line_end) == (317, 337)
    # line 339 '武亚萍' opens the second lead-unit row, after status 335 and remark 337
    assert cont.line_start == 339 and cont.line_end == 357
    assert cont.leader == "武亚萍"
    assert cont.lead_units == ["开发区"]
    assert cont.responsible_person == "陈晓枫"
    assert cont.status_reported == "序时推进"
    assert cont.task_text == first.task_text and "inherited_task" in cont.flags
    # 33: the continuation row starts with the unit (no leader line), line 845
    c33 = _row(res, 33, 2)
    assert c33.lead_units == ["区财政局"] and c33.leader is None
    assert c33.status_reported == "已完成"


def test_xiangshan_target_progress_boundary(parsed):
    """Rule: the quarter target is one line, or a numbered list that does not restart."""
    res = parsed["xiangshan_2024q4"]
    r12 = _row(res, 12)  # target line 329; progress 331 '1.…' + 333 '2.…'
    assert r12.period_target.startswith("多肽研究院厂房竣工交付") and "\n" not in r12.period_target
    assert r12.progress_text.split("\n")[0].startswith("1.多肽研究院厂房现已基本施工完毕")
    assert r12.progress_text.split("\n")[1].startswith("2.积极与开发区对接")
    r149 = _row(res, 149)  # target 3675-3679 '1.' '2.' '3.'; progress 3681-3685 restarts at '1.'
    assert [p[:2] for p in r149.period_target.split("\n")] == ["1.", "2.", "3."]
    assert r149.progress_text.startswith("1.依据《2024年度省辖市信访工作考核评分办法》")
    assert len(r149.progress_text.split("\n")) == 3


def test_xiangshan_remark_and_status_as_printed(parsed):
    res = parsed["xiangshan_2024q4"]
    assert _row(res, 14).remark.startswith("2024年度,科技型中小企业由原来的科技部认定改为工信部认定")
    assert _row(res, 65).status_reported == "序时推"  # truncated in the source, kept as printed
    assert _row(res, 28).status_reported == "——"
    assert _row(res, 44).status_reported is None  # nbsp status cell


def test_xiangshan_status_counts_vs_stated_totals(parsed):
    res = parsed["xiangshan_2024q4"]
    stated = {(s.metric, s.value, s.line_no) for s in res.stated_totals}
    assert stated == {("rows", 155, 10), ("completed", 93, 10), ("on_track", 53, 10), ("behind", 7, 10)}
    counts = Counter(r.status_reported for r in res.rows)
    assert counts == Counter(
        {"已完成": 90, "完成": 3, "序时推进": 51, "序时推": 1, "未完成": 7, "——": 2, None: 1}
    )
    said = {s.metric: s.value for s in res.stated_totals}
    completed = counts["已完成"] + counts["完成"]
    on_track = counts["序时推进"] + counts["序时推"]
    assert completed == said["completed"]  # agrees with the summary
    assert counts["未完成"] == said["behind"]  # agrees
    assert len(res.rows) == said["rows"]
    # The table has one on-track row fewer than the summary says (52 vs 53), and three rows with
    # no status word ('——' twice, one blank); the summary's own parts add up to 153, not 155.
    assert on_track == said["on_track"] - 1
    assert counts["——"] + counts[None] == 3
    assert said["completed"] + said["on_track"] + said["behind"] == said["rows"] - 2


def test_xiangshan_page_furniture(parsed):
    res = parsed["xiangshan_2024q4"]
    kinds = {f.line_no: f.kind for f in res.furniture}
    assert kinds[1] == "title"
    assert kinds[4] == "metadata"  # 浏览次数 … 发布时间
    assert kinds[10] == "preamble"  # the summary paragraph
    assert kinds[18] == "preamble"  # signature
    assert kinds[26] == "title" and kinds[28] == "title"  # 附件, table caption
    assert kinds[35] == kinds[37] == "header"  # '分管' + '领导'


# --- 001 宿州市 2022 H1 -----------------------------------------------------------------------------


def test_suzhou_rows_units_and_categories(parsed):
    res = parsed["suzhou_2022h1"]
    assert len(res.rows) == 120
    assert [role for _, role in res.headers[1]] == ["seq", "task", "progress", "lead_units"]
    r6 = _row(res, 6)  # lines 89-99; lead units on lines 97 and 99
    assert r6.lead_units == ["市发展改革委", "市经济和信息化局"]
    assert r6.lead_units_raw == "市发展改革委\n市经济和信息化局"
    assert r6.category == "(二)推动二产“提质扩量增效”。"
    assert r6.task_text.startswith("做深做实产业链强链延链补链工程")
    assert r6.progress_text.split("\n")[1].startswith("2.印发《制造业提质扩量增效")
    r1 = _row(res, 1)
    assert r1.category == "(一)推动一产“两强一增”。"
    assert len(r1.progress_text.split("\n")) == 4 and r1.lead_units == ["市农业农村局"]
    assert _row(res, 39).lead_units == ["市城乡建设指挥部办公室"]  # '市城乡建设指挥部' + '办公室'
    headings = [f for f in res.furniture if f.kind == "section_heading"]
    assert any(f.text.startswith("一、抓产业、强支撑") and f.line_no == 25 for f in headings)
    assert _row(res, 120).line_end == 1385


# --- 004 六安市 2024 H1 -----------------------------------------------------------------------------


def test_luan_two_tables(parsed):
    res = parsed["luan_2024h1"]
    per_table = Counter(r.table_no for r in res.rows)
    assert per_table == {1: 35, 2: 156}
    assert {(s.metric, s.value, s.table_no, s.line_no) for s in res.stated_totals} == {
        ("rows", 35, 1, 8),
        ("rows", 156, 2, 337),
    }
    t2r1 = _row(res, 1, table=2)  # table 2 starts again at 序号 1 (line 348)
    assert t2r1.line_start == 348
    assert t2r1.task_text == "建成金安通用机场。" and t2r1.lead_units == ["市交通局"]
    kinds = {f.line_no: f.kind for f in res.furniture}
    assert kinds[334] == "title"  # the lone '2' (attachment number) above the second caption
    assert kinds[1846] == "metadata" and kinds[1851] == "metadata"  # 文件下载 … 标签:


def test_luan_broken_unit_names(parsed):
    res = parsed["luan_2024h1"]
    assert _row(res, 3).lead_units == ["市生态环境局"]  # '市生态' + '环境局'
    assert _row(res, 3).lead_units_raw == "市生态\n环境局"
    assert _row(res, 4).lead_units == ["市农业农村局"]
    assert _row(res, 10).lead_units == ["市生态环境局"]  # '市生态  环境局' on one line
    assert _row(res, 11).lead_units == ["市投创中心"]
    assert _row(res, 15).lead_units == ["市自然资源局"]
    r3 = _row(res, 3)
    assert r3.task_text == "生活污水治理率达30%,黑臭水体治理率达75%。"
    assert r3.progress_text.startswith("截至6月底,全市有91个行政村污水治理任务")


# --- synthetic pages ------------------------------------------------------------------------------

SYNTHETIC = [
    "某县重点工作推进情况",
    "发布时间:2024-07-01",
    "附件",
    "重点工作推进情况表(共3项)",
    "序号",
    "牵头单位",
    "完成情况",
    "工作任务",
    "是否完成",
    "一、经济发展",
    "1",
    "县发改委",
    "县统计局",
    "1.一季度完成投资5亿元。",
    "2.新开工项目3个。",
    "完成固定资产投资20亿元。",
    "已完成",
    "2",
    "县农业",
    "农村局",
    "播种面积稳定。",
    "稳定粮食播种面积。",
    "序时推进",
    "县水利局",
    "灌溉渠已完工。",
    "已完成",
    "二、社会民生",
    "3",
    NBSP,
    "正在推进。",
    "建成一座桥。",
    "未完成",
    "打印本页",
]


def test_synthetic_other_column_order_without_blank_lines():
    res = cell_lines.parse(SYNTHETIC, _spec())
    assert res.coverage().complete and res.quarantine == []
    assert [role for _, role in res.headers[1]] == ["seq", "lead_units", "progress", "task", "status"]
    assert [(r.task_seq, r.sub_seq) for r in res.rows] == [(1, 1), (2, 1), (2, 2), (3, 1)]
    r1, r2, r2b, r3 = res.rows
    assert r1.lead_units == ["县发改委", "县统计局"]
    assert r1.progress_text == "1.一季度完成投资5亿元。\n2.新开工项目3个。"
    assert r1.task_text == "完成固定资产投资20亿元。" and r1.status_reported == "已完成"
    assert r1.category == "一、经济发展"
    assert r2.lead_units == ["县农业农村局"] and r2.status_reported == "序时推进"
    assert r2b.lead_units == ["县水利局"] and r2b.task_text == "稳定粮食播种面积。"
    assert "inherited_task" in r2b.flags and (r2b.line_start, r2b.line_end) == (24, 26)
    assert r3.lead_units == [] and r3.lead_units_raw is None and r3.category == "二、社会民生"
    assert [(s.metric, s.value, s.table_no) for s in res.stated_totals] == [("rows", 3, 1)]
    kinds = {f.line_no: f.kind for f in res.furniture}
    assert kinds[2] == "metadata" and kinds[4] == "title" and kinds[33] == "metadata"


def test_synthetic_header_override_from_spec():
    lines = ["序号", "重点工作", "承办科室", "进展", "1", "完成调研。", "县发改委", "已调研3次。"]
    # '承办科室' is no known header; without the override it is read as the first half of a
    # header cell split over two lines ('承办科室' + '进展'), so the table has no lead column.
    plain = cell_lines.parse(lines, _spec())
    assert "lead_units" not in [role for _, role in plain.headers[1]]
    res = cell_lines.parse(lines, _spec(columns={"承办科室": "lead_units"}))
    assert [role for _, role in res.headers[1]] == ["seq", "task", "lead_units", "progress"]
    (row,) = res.rows
    assert (row.task_text, row.lead_units, row.progress_text) == ("完成调研。", ["县发改委"], "已调研3次。")


def test_paragraph_number_does_not_start_a_row():
    lines = [
        "序号",
        "重点工作",
        "牵头单位",
        "进展情况",
        "1",
        "修路10公里。",
        "县交通局",
        "1.已开工。",
        "3",
        "2.完成5公里。",
        "2",
        "建桥。",
        "县交通局",
        "已完工。",
    ]
    res = cell_lines.parse(lines, _spec())
    assert [r.task_seq for r in res.rows] == [1, 2]
    assert res.rows[0].progress_text == "1.已开工。\n3\n2.完成5公里。"


def test_table_without_seq_column():
    lines = ["重点工作", "牵头单位", "完成情况", "修路。", "县交通局", "已完工。", "建桥。", "县住建局", "在建。"]
    res = cell_lines.parse(lines, _spec())
    assert [(r.task_seq, r.task_text, r.lead_units, r.progress_text) for r in res.rows] == [
        (None, "修路。", ["县交通局"], "已完工。"), (None, "建桥。", ["县住建局"], "在建。")]
    with pytest.raises(LayoutError, match="序号"):
        cell_lines.parse(lines, _spec(options={"rows_without_seq": False}))


def test_no_header_is_a_layout_error():
    with pytest.raises(LayoutError):
        cell_lines.parse(["只是一段文字。", "另一段文字。"], _spec())


def test_skipped_seq_is_followed_and_flagged():
    lines = ["序号", "重点工作", "牵头单位", "进展情况"]
    for n in (1, 2, 4, 5):  # 3 is not printed
        lines += [str(n), f"任务{n}。", "县交通局", f"进展{n}。"]
    res = cell_lines.parse(lines, _spec())
    assert [r.task_seq for r in res.rows] == [1, 2, 4, 5]
    assert [r.flags for r in res.rows] == [[], [], ["seq_gap"], []]
    assert res.rows[1].progress_text == "进展2。"


def test_heading_followed_by_empty_cell_line():
    lines = [
        "序号",
        "重点工作",
        "牵头单位",
        "进展情况",
        "(一)交通",
        NBSP,
        "1",
        "修路。",
        "县交通局",
        "已开工。",
        "(二)水利",
        NBSP,
        "2",
        "修渠。",
        "县水利局",
        "已完工。",
    ]
    res = cell_lines.parse(lines, _spec())
    assert res.coverage().complete and res.quarantine == []
    assert [(r.category, r.line_start, r.line_end) for r in res.rows] == [
        ("(一)交通", 7, 10),
        ("(二)水利", 13, 16),
    ]
    kinds = {f.line_no: f.kind for f in res.furniture}
    assert (kinds[5], kinds[6], kinds[11], kinds[12]) == (
        "section_heading",
        "filler",
        "section_heading",
        "filler",
    )


def test_xiangshan_units_broken_over_lines(parsed):
    res = parsed["xiangshan_2024q4"]
    r28 = _row(res, 28)  # lines 717 '··' (no person), 719 '区征收' + 721 '安置中心'
    assert r28.responsible_person is None
    assert r28.cooperating_units == ["区征收安置中心"]
    r139 = _row(res, 139)  # 3417 nbsp leader, 3419 '区应急' + 3421 '管理局'
    assert r139.leader is None and r139.lead_units == ["区应急管理局"]
    r35 = _row(res, 35)  # 899 '区投促局区委组织部', 901 '(人才办)'
    assert r35.cooperating_units[:2] == ["区投促局", "区委组织部(人才办)"]
    r47 = _row(res, 47)  # 1235 '城投集团渠沟镇' run together; 1241 '——' progress, 1243 status
    assert r47.cooperating_units == ["区直各单位", "城投集团", "渠沟镇", "开发区"]
    assert (r47.progress_text, r47.status_reported) == ("——", "序时推进")
    # 267 '加大研发投入提升科' is a broken target line, not a unit that ends in '科'
    assert _row(res, 9).cooperating_units == ["区发改委", "区经信局", "区财政局", "区人社局"]


# --- units.split_units (owned with this layout) ----------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["区商务局区教育局"], ["区商务局", "区教育局"]),
        (["市生态", "环境局"], ["市生态环境局"]),
        (["市生态  环境局"], ["市生态环境局"]),
        (["市投创", "中心"], ["市投创中心"]),
        (["市城乡建设指挥部", "办公室"], ["市城乡建设指挥部办公室"]),  # a bare ending continues the name
        (["区投促局区委组织部", "(人才办)"], ["区投促局", "区委组织部(人才办)"]),  # note qualifies the unit
        (["数据资源", "区生态环境分局"], ["数据资源", "区生态环境分局"]),  # truncated name stands alone
        (["区人社局渠沟镇"], ["区人社局", "渠沟镇"]),  # township without a 区/市 prefix
        (["区文旅体局曲阳街道西街道"], ["区文旅体局", "曲阳街道", "西街道"]),
        (
            ["区委组织部", "市住房城乡建设局", "市乡村振兴局"],
            ["区委组织部", "市住房城乡建设局", "市乡村振兴局"],
        ),
        (
            ["市发改委,霍邱县、金寨县、霍山县、舒城县政府"],
            ["市发改委", "霍邱县", "金寨县", "霍山县", "舒城县政府"],
        ),
        (["区委组织部\u00a0\u00a0区民政局 各群团组织"], ["区委组织部", "区民政局", "各群团组织"]),
    ],
)
def test_split_units(lines, expected):
    from ingestion.units import split_units

    assert split_units(lines) == expected


@pytest.mark.parametrize(
    ("text", "is_unit"),
    [
        ("区发改委", True),
        ("人行宿州市中心支行", True),
        ("城投集团渠沟镇", True),
        ("区委组织部(人才办)", True),
        ("加大研发投入提升科", False),  # long phrase, one-character ending that is also a word
        ("组织召开全市安全生产推进会", False),
        ("已完成。", False),
    ],
)
def test_looks_like_unit(text, is_unit):
    from ingestion.units import looks_like_unit

    assert looks_like_unit(text) is is_unit


def test_runaway_row_keeps_its_lines():
    """A row far longer than any real one (a 序号 the parser missed) is parsed in bounded time and
    loses no line; if even the repeated columns cannot hold it, it all lands in one text cell."""
    from ingestion.layouts._cells_align import MAX_CELL_LINES, align_row
    from ingestion.layouts._cells_tokens import Token

    lines = ["序号", "重点工作", "牵头单位", "进展情况", "1", "修路。", "县交通局"]
    lines += [f"第{i}段进展。" for i in range(3 * MAX_CELL_LINES)]
    res = cell_lines.parse(lines, _spec())
    assert res.coverage().complete and res.quarantine == []
    assert {r.task_seq for r in res.rows} == {1}
    assert min(r.line_start for r in res.rows) == 5 and max(r.line_end for r in res.rows) == len(lines)

    toks = [Token(i, f"第{i}段。") for i in range(1, 3 * MAX_CELL_LINES + 1)]
    (cells,) = align_row(toks, ["task", "progress"], max_sub_rows=0)
    assert [len(c.tokens) for c in cells] == [0, len(toks)]


def test_table_without_seq(registry):
    """六安 table 1 with its 序号 cells blanked out: the header has no 序号, and the rows are
    still found by their columns (options.rows_without_seq: false turns that off)."""
    spec = registry.get("luan_2024h1").spec
    raw = read_text_file(seed_path("luan_2024h1"), spec.encoding).lines[:331]
    lines = ["" if ln.strip() == "序号" or ln.strip().isdigit() else ln for ln in raw]
    with pytest.raises(LayoutError, match="rows_without_seq"):
        cell_lines.parse(lines, _spec(options={"rows_without_seq": False}))
    res = cell_lines.parse(lines, spec)
    assert res.coverage().complete and res.quarantine == []
    assert len(res.rows) == 35 and {r.task_seq for r in res.rows} == {None}
    r3 = res.rows[2]
    assert r3.task_text == "生活污水治理率达30%,黑臭水体治理率达75%。"
    assert r3.lead_units == ["市生态环境局"]
    assert res.rows[-1].lead_units == ["市文旅局"]


def test_xiangshan_continuation_row_shares_a_merged_cooperating_cell(parsed):
    # 37 and 40: the 配合单位 cell is printed once, beside the first lead-unit row
    res = parsed["xiangshan_2024q4"]
    for seq in (37, 40):
        first, cont = _row(res, seq, 1), _row(res, seq, 2)
        assert first.cooperating_units and cont.cooperating_units == first.cooperating_units
        assert "inherited_cooperating_units" in cont.flags


def test_xiangshan_period_target_broken_across_lines(parsed):
    # 9: target line 267 '加大研发投入提升科' ends mid-word; its end opens line 269, just before the
    # progress restates the target
    r9 = _row(parsed["xiangshan_2024q4"], 9)
    assert r9.period_target == "加大研发投入提升科创新能力实施"
    assert r9.progress_text.startswith("加大研发投入提升科技创新能力实施,推动")
    # a target that ends in a figure is whole; the progress opens with its own period word
    r74 = _row(parsed["xiangshan_2024q4"], 74)
    assert r74.period_target.endswith("完成任务100%") and r74.progress_text.startswith("四季度新建")


def test_rejoin_broken_target_rules():
    f = cell_lines.rejoin_broken_target
    assert f("完成园区道路提升改", "工程设计完成园区道路提升改造工程设计,进场施工") == (
        "完成园区道路提升改工程设计", "完成园区道路提升改造工程设计,进场施工")
    assert f("完成任务100%", "四季度新建100%…") == ("完成任务100%", "四季度新建100%…")
    assert f("建成公园3个。", "建成公园3个") == ("建成公园3个。", "建成公园3个")


def test_xiangshan_task_broken_before_its_last_word_is_not_a_title(parsed):
    # 51: '持续深化亩均论英雄' (1319) + '改革。' (1321) is one task sentence, not a group title
    res = parsed["xiangshan_2024q4"]
    r51 = _row(res, 51)
    assert r51.task_text == "持续深化亩均论英雄改革。"
    assert r51.category == _row(res, 50).category == _row(res, 52).category

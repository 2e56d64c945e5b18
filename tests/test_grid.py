"""The shared grid -> task rows mapper, on small synthetic grids."""

from ingestion.layouts.grid import GridRow, rows_from_grid
from ingestion.model import LineLedger, ParseResult
from ingestion.registry import SourceSpec


def _spec(**kw) -> SourceSpec:
    return SourceSpec(source_id="t", file="t.txt", unknown_reason="synthetic", **kw)


def _run(grid_cells: list[list[str]], spec: SourceSpec | None = None, **kw):
    """One grid row per line; returns (rows, headers, parse result)."""
    lines = [" | ".join(c) for c in grid_cells]
    ledger = LineLedger(lines)
    grid = [GridRow(cells, i, i) for i, cells in enumerate(grid_cells, 1)]
    rows, headers = rows_from_grid(grid, spec or _spec(), ledger, **kw)
    return rows, headers, ParseResult.from_ledger("grid", ledger, rows, headers={1: headers})


HEADER = ["序号", "重点工作", "牵头单位", "配合单位", "完成情况"]


def test_rowspan_inheritance_from_short_rows():
    rows, headers, res = _run(
        [
            HEADER,
            ["1", "任务一", "区发改委", "区财政局、区经信局", "已完成"],
            ["2", "任务二", "进展二"],  # lead and cooperating cells merged into the row above
            ["3", "任务三", "区商务局", "进展三"],  # only the lead cell merged
        ]
    )
    assert [r.task_seq for r in rows] == [1, 2, 3]
    assert rows[0].cooperating_units == ["区财政局", "区经信局"]
    assert rows[0].cooperating_units_raw == "区财政局、区经信局"
    r2 = rows[1]
    assert r2.lead_units == ["区发改委"] and r2.lead_units_raw == "区发改委"
    assert r2.cooperating_units == ["区财政局", "区经信局"]
    assert {"inherited_lead_units", "inherited_cooperating_units"} <= set(r2.flags)
    assert r2.progress_text == "进展二"
    r3 = rows[2]
    assert r3.lead_units == ["区发改委"] and "inherited_lead_units" in r3.flags
    assert r3.cooperating_units == ["区商务局"] and "inherited_cooperating_units" not in r3.flags
    assert r3.progress_text == "进展三"
    assert [role for _, role in headers] == ["seq", "task", "lead_units", "cooperating_units", "progress"]
    assert res.coverage().complete and not res.quarantine


def test_empty_cells_inherit_only_when_asked():
    grid = [HEADER, ["1", "任务一", "区发改委", "区财政局", "进展一"], ["2", "任务二", "", "", "进展二"]]
    rows, _, _ = _run(grid)
    assert rows[1].lead_units == ["区发改委"] and "inherited_lead_units" in rows[1].flags
    rows, _, _ = _run(grid, empty_inherits=False)
    assert rows[1].lead_units == [] and not rows[1].flags
    rows, _, _ = _run(grid, _spec(options={"empty_cells_inherit": False}))
    assert rows[1].lead_units == []


def test_section_heading_sets_category_and_stops_rowspan():
    rows, _, res = _run(
        [
            HEADER,
            ["(一)经济发展"],
            ["1", "任务一", "区发改委", "区财政局", "进展一"],
            ["(二)城市建设", "", "", "", ""],
            ["2", "任务二", "进展二"],
        ]
    )
    assert [r.category for r in rows] == ["(一)经济发展", "(二)城市建设"]
    # a full-width heading row ends the rowspan: nothing is inherited across it
    assert rows[1].lead_units == [] and "missing_lead_units" in rows[1].flags
    kinds = {f.line_no: f.kind for f in res.furniture}
    assert kinds == {1: "header", 2: "section_heading", 4: "section_heading"}


def test_table_without_seq_column():
    rows, _, res = _run(
        [
            ["重点工作", "牵头单位", "完成情况"],
            ["推进项目建设", "区住建局", "完成投资5亿元\n开工3个"],
            ["优化营商环境", "区数据局", "已出台方案"],
        ]
    )
    assert [r.task_seq for r in rows] == [None, None]
    assert [r.row_no for r in rows] == [1, 2]
    assert rows[0].progress_text == "完成投资5亿元\n开工3个"
    assert rows[1].lead_units == ["区数据局"]
    assert res.coverage().complete


def test_status_column_kept_as_printed():
    rows, headers, _ = _run(
        [
            ["序号", "工作任务", "牵头单位", "完成情况", "完成状况"],
            ["1", "任务一", "区发改委", "进展一", "序时推进"],
            ["2", "任务二", "区发改委", "进展二", " 已完成 "],
            ["3", "任务三", "区发改委", "进展三", ""],
        ]
    )
    assert headers[-1] == ("完成状况", "status")
    assert [r.status_reported for r in rows] == ["序时推进", "已完成", None]


def test_column_overrides_and_unknown_columns_are_kept():
    rows, headers, _ = _run(
        [
            ["序号", "攻坚事项", "牵头单位", "完成情况", "其他"],
            ["1", "事项一", "区发改委", "进展一", "附注文字"],
        ],
        _spec(columns={"攻坚事项": "task"}),
    )
    assert rows[0].task_text == "事项一"
    assert headers[-1] == ("其他", "unknown")
    assert rows[0].remark == "其他: 附注文字" and "unmapped_column" in rows[0].flags


def test_rows_before_header_are_quarantined_not_lost():
    rows, _, res = _run(
        [["一段说明文字", "另一段"], HEADER, ["1", "任务一", "区发改委", "区财政局", "进展一"]]
    )
    assert len(rows) == 1
    assert [q.line_no for q in res.quarantine] == [1]
    assert res.coverage().complete


def test_repeated_header_is_furniture():
    rows, _, res = _run([HEADER, ["1", "任务一", "区发改委", "区财政局", "进展一"], HEADER, ["2", "任务二", "进展二"]])
    assert [r.task_seq for r in rows] == [1, 2]
    assert {f.line_no: f.kind for f in res.furniture} == {1: "header", 3: "header"}
    assert "inherited_lead_units" in rows[1].flags  # a repeated header does not end a rowspan

"""Layouts as configuration: tables that differ only in delimiter, header names, column order,
a status column with its own words, or labelled cells are read with YAML alone (issue 5)."""

import pytest

from ingestion.parse import detect_layout, parse_file
from ingestion.registry import SourceSpec


def _spec(**kw):
    return SourceSpec(source_id="t", file="b.txt", unknown_reason="test", **kw)


def _parse(tmp_path, text, **kw):
    p = tmp_path / "b.txt"
    p.write_text(text, encoding="utf-8")
    return parse_file(p, _spec(**kw))


PIPE_ROWS = """某县2024年三季度重点工作推进情况
序号 | 工作事项 | 进度安排 | 进展情况 | 完成情况 |
1 | 新建5G基站100个 | 三季度完成80个 | 已建成82个。 | 达序推进 |
2 | 完成老旧小区改造10个 | 三季度开工10个 | 已开工6个,
4个正在招标。 | 未达序 |
3 | 举办招商推介会3场 | 三季度完成2场 | 已举办3场。 | 已完成 |
"""


def test_pipe_rows_with_yaml_column_override(tmp_path):
    p = _parse(tmp_path, PIPE_ROWS, columns={"完成情况": "status"})
    rows = p.result.rows
    assert [r.task_seq for r in rows] == [1, 2, 3]
    assert rows[0].period_target == "三季度完成80个"
    assert rows[1].progress_text == "已开工6个,\n4个正在招标。"
    assert [r.status_reported for r in rows] == ["达序推进", "未达序", "已完成"]
    assert p.result.coverage().complete and not p.result.quarantine


def test_without_override_the_column_is_progress(tmp_path):
    # the default reading of 完成情况 is progress: the YAML override above is what changes it
    rows = _parse(tmp_path, PIPE_ROWS).result.rows
    assert rows[0].status_reported is None and "达序推进" in rows[0].progress_text


def test_source_status_words_extend_the_vocabulary():
    from ingestion.normalize.vocabulary import normalise_reported, unknown_words

    assert normalise_reported("达序推进") == "on_track"
    assert normalise_reported("差一点") == "unknown"
    assert normalise_reported("差一点", {"差一点": "behind"}) == "behind"
    assert unknown_words(["差一点", "已完成"]) == ["差一点"]
    assert unknown_words(["差一点"], {"差一点": "behind"}) == []


def test_tab_separated_rows(tmp_path):
    text = "标题\n序号\t重点工作\t牵头单位\t进展情况\n1\t任务甲\t区发改委\t进展甲\n续写一行\n2\t任务乙\t区财政局、区审计局\t进展乙\n"
    p = _parse(tmp_path, text)
    assert p.layout == "delimited"
    rows = p.result.rows
    assert [(r.task_seq, r.task_text) for r in rows] == [(1, "任务甲"), (2, "任务乙")]
    assert rows[0].progress_text == "进展甲\n续写一行"
    assert rows[1].lead_units == ["区财政局", "区审计局"]
    assert p.result.coverage().complete


def test_markdown_style_pipe_table_without_seq_column(tmp_path):
    text = "| 重点工作 | 牵头单位 | 进展情况 |\n|---|---|---|\n| 任务甲 | 区发改委 | 进展甲 |\n| 任务乙 | 区财政局 | 进展乙 |\n"
    p = _parse(tmp_path, text)
    rows = p.result.rows
    assert [r.task_text for r in rows if r.task_text and not r.task_text.startswith("-")] == ["任务甲", "任务乙"]
    assert all(r.task_seq is None for r in rows)


def test_column_order_does_not_matter(tmp_path):
    text = "进展情况 | 牵头单位 | 序号 | 重点工作 |\n进展甲 | 区发改委 | 1 | 任务甲 |\n进展乙 | 区财政局 | 2 | 任务乙 |\n"
    rows = _parse(tmp_path, text).result.rows
    assert [(r.task_seq, r.task_text, r.lead_units, r.progress_text) for r in rows] == [
        (1, "任务甲", ["区发改委"], "进展甲"), (2, "任务乙", ["区财政局"], "进展乙")]


LABELLED = """某区2024年上半年重点工作落实情况
(一)产业发展
1.新建5G基站100个
【牵头单位】区经信局
【配合单位】区发改委、区财政局
【完成情况】1.已建成52个;
2.另有10个正在施工。
【推进状态】序时推进
2.举办招商推介会3场
【牵头单位】区商务局
【完成情况】已举办3场。
【推进状态】已完成
(二)民生保障
3.改造老旧小区10个
牵头单位:区住建局
完成情况:已开工6个。
推进状态:滞后
"""


def test_labelled_cells(tmp_path):
    p = _parse(tmp_path, LABELLED)
    assert p.layout == "labelled"
    rows = p.result.rows
    assert [r.task_seq for r in rows] == [1, 2, 3]
    assert rows[0].task_text == "新建5G基站100个"
    assert rows[0].cooperating_units == ["区发改委", "区财政局"]
    # the value's own numbered paragraphs stay in the value
    assert rows[0].progress_text == "1.已建成52个;\n2.另有10个正在施工。"
    assert [r.status_reported for r in rows] == ["序时推进", "已完成", "滞后"]
    assert [r.category for r in rows] == ["(一)产业发展", "(一)产业发展", "(二)民生保障"]
    assert (rows[2].line_start, rows[2].line_end) == (14, 17)
    assert p.result.coverage().complete and not p.result.quarantine


def test_labelled_items_without_numbers(tmp_path):
    text = "工作任务:任务甲\n牵头单位:区发改委\n完成情况:进展甲\n工作任务:任务乙\n牵头单位:区财政局\n完成情况:进展乙\n"
    p = _parse(tmp_path, text, layout="labelled", options={"items_without_seq": True})
    assert [(r.task_text, r.lead_units) for r in p.result.rows] == [("任务甲", ["区发改委"]), ("任务乙", ["区财政局"])]


@pytest.mark.parametrize("text,layout", [(PIPE_ROWS, "pipe"), (LABELLED, "labelled"), ("序号\t重点工作\t进展情况\n1\t甲\t乙\n", "delimited")])
def test_detect_layout(text, layout):
    assert detect_layout(text.splitlines()) == layout


def test_sole_responsible_unit_column_is_the_lead(tmp_path):
    text = "序号 | 工作任务 | 责任单位 | 进展情况 |\n1 | 任务甲 | 区发改委 | 进展甲 |\n"
    p = _parse(tmp_path, text)
    assert p.result.headers[1][2] == ("责任单位", "lead_units")
    assert p.result.rows[0].lead_units == ["区发改委"] and p.result.rows[0].cooperating_units == []
    # the YAML can still say it is a cooperating column
    p = _parse(tmp_path, text, columns={"责任单位": "cooperating_units"})
    assert p.result.rows[0].cooperating_units == ["区发改委"] and p.result.rows[0].lead_units == []


def test_sole_responsible_unit_column_in_cell_per_line_text(tmp_path):
    text = "标题\n\n序号\n\n重点工作\n\n责任单位\n\n完成情况\n\n1\n\n任务甲\n\n区发改委\n\n进展甲\n\n2\n\n任务乙\n\n区财政局\n\n进展乙\n"
    rows = _parse(tmp_path, text, layout="cell_lines").result.rows
    assert [(r.task_seq, r.lead_units, r.progress_text) for r in rows] == [
        (1, ["区发改委"], "进展甲"), (2, ["区财政局"], "进展乙")]


def test_cell_per_line_status_words_from_the_vocabulary(tmp_path):
    """Status words other cities print (顺利推进, 欠进度, 是/否 of a 是否达序 column) are recognised
    as the status cell by the cell-per-line layout too: one vocabulary for every layout."""
    text = ("序号\n\n重点工作\n\n牵头单位\n\n进展情况\n\n是否达序\n\n"
            "1\n\n任务甲\n\n区发改委\n\n已开工建设。\n\n是\n\n"
            "2\n\n任务乙\n\n区财政局\n\n尚在论证。\n\n否\n\n"
            "3\n\n任务丙\n\n区商务局\n\n进展良好。\n\n顺利推进\n\n"
            "4\n\n任务丁\n\n区住建局\n\n资金未到位。\n\n欠进度\n")
    rows = _parse(tmp_path, text, layout="cell_lines").result.rows
    assert [(r.task_seq, r.status_reported, r.progress_text) for r in rows] == [
        (1, "是", "已开工建设。"), (2, "否", "尚在论证。"), (3, "顺利推进", "进展良好。"), (4, "欠进度", "资金未到位。")]

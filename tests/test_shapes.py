"""Bulletin shapes read by configuration of a general mechanism (issue #12). Every fixture here is
written for the test in the shape it names (own words and numbers, not copied from a bulletin);
the real excerpts are end-to-end checks in test_realworld_sources.py."""

from __future__ import annotations

from pathlib import Path

from ingestion.normalize.vocabulary import normalise_reported
from ingestion.parse import parse_file
from ingestion.registry import SourceSpec


def _parse(tmp_path: Path, text: str, **spec):
    f = tmp_path / "b.txt"
    f.write_text(text, encoding="utf-8")
    s = SourceSpec.model_validate({"source_id": "t", "file": "b.txt", "unknown_reason": "fixture", **spec})
    parsed = parse_file(f, s)
    assert parsed.result.coverage().complete
    return parsed


# --- numbered items with labelled fields on the task line -----------------------------------------
LABELLED_ON_TASK_LINE = """某区2023年重点工作上半年完成情况
1.新建社区食堂4处(责任单位:区民政局)
完成情况:已建成2处,另2处正在装修。
2.改造老旧供水管网15公里(市级牵头单位:市住建局;区级牵头单位:区城管局)
完成情况:已完成9公里。
3、开展“百企帮百村”结对活动(责任单位:区工商联 区农业农村局)
完成情况:已结对58对。
"""


def test_labelled_fields_in_parentheses_on_the_task_line(tmp_path):
    res = _parse(tmp_path, LABELLED_ON_TASK_LINE).result
    assert res.layout == "labelled"
    got = [(r.task_seq, r.task_text, r.lead_units, r.progress_text) for r in res.rows]
    assert got == [
        (1, "新建社区食堂4处", ["区民政局"], "已建成2处,另2处正在装修。"),
        (2, "改造老旧供水管网15公里", ["市住建局", "区城管局"], "已完成9公里。"),
        # second numbering style '3、'; two units in one field separated by a space
        (3, "开展“百企帮百村”结对活动", ["区工商联", "区农业农村局"], "已结对58对。"),
    ]
    assert all("inline_labels" in r.flags for r in res.rows)


def test_a_parenthesis_that_is_not_labels_stays_in_the_task(tmp_path):
    text = ("1.建成便民服务点6个(含2个流动点)(责任单位:区商务局)\n完成情况:已建成3个。\n"
            "2.举办招聘会8场\n完成情况:已举办5场。\n3.培训家政人员300人\n完成情况:已培训120人。\n")
    rows = _parse(tmp_path, text).result.rows
    assert rows[0].task_text == "建成便民服务点6个(含2个流动点)" and rows[0].lead_units == ["区商务局"]


# --- inline bracket labels on one line -------------------------------------------------------------
INLINE_BRACKETS = """某县2024年民生实事进展
1.【目标】新建口袋公园6个,由县园林局牵头推进。【完成情况】已建成4个,2个在施工。
(摄影:刘某)
2.【目标】改造农贸市场3个,县市场监管局牵头。【完成情况】已完成1个。
3.【目标】增加公办托位200个。【牵头单位】县卫健委【完成情况】已新增90个。
"""


def test_inline_bracket_labels_on_one_line_and_the_lead_named_in_the_target(tmp_path):
    res = _parse(tmp_path, INLINE_BRACKETS).result
    got = [(r.task_seq, r.task_text, r.lead_units, r.progress_text) for r in res.rows]
    assert got == [
        (1, "新建口袋公园6个,由县园林局牵头推进。", ["县园林局"], "已建成4个,2个在施工。"),
        (2, "改造农贸市场3个,县市场监管局牵头。", ["县市场监管局"], "已完成1个。"),
        (3, "增加公办托位200个。", ["县卫健委"], "已新增90个。"),
    ]
    assert "lead_from_text" in res.rows[0].flags and "lead_from_text" not in res.rows[2].flags
    # the photo credit after an item is page chrome, not progress
    assert {f.line_no: f.kind for f in res.furniture}[3] == "metadata"


# --- unit cells: two units separated by a space, a unit and a person ---------------------------------
UNIT_AND_PERSON = """序号 | 重点工作 | 牵头单位及主要负责人 | 进展情况 |
1 | 建设智慧停车场2处 | 市城管局 王某某 | 已完成选址。 |
2 | 新增义务教育学位900个 | 县教体局 各相关乡镇政府 | 已新增420个。 |
"""


def test_unit_cell_with_two_units_or_a_person(tmp_path):
    res = _parse(tmp_path, UNIT_AND_PERSON).result
    r1, r2 = res.rows
    assert r1.lead_units == ["市城管局"] and r1.responsible_person == "王某某"
    assert "person_in_unit_cell" in r1.flags
    assert r2.lead_units == ["县教体局", "各相关乡镇政府"] and r2.responsible_person is None


# --- a category printed only on the first row of its group ------------------------------------------
CATEGORY_ONCE_PIPE = """类别 | 序号 | 工作任务 | 牵头单位 | 完成情况 |
产业发展 | 1 | 引进亿元项目12个 | 区招商局 | 已引进7个。 |
2 | 新增规上企业15家 | 区经信局 | 已新增6家。 |
城乡建设 | 3 | 新建道路4条 | 区住建局 | 已开工3条。 |
4 | 改造雨污管网6公里 | 区城管局 | 已完成2公里。 |
"""


def test_category_on_the_first_row_of_its_group_is_carried_down_without_shifting(tmp_path):
    res = _parse(tmp_path, CATEGORY_ONCE_PIPE).result
    got = [(r.task_seq, r.category, r.task_text, r.lead_units, r.progress_text) for r in res.rows]
    assert got == [
        (1, "产业发展", "引进亿元项目12个", ["区招商局"], "已引进7个。"),
        (2, "产业发展", "新增规上企业15家", ["区经信局"], "已新增6家。"),
        (3, "城乡建设", "新建道路4条", ["区住建局"], "已开工3条。"),
        (4, "城乡建设", "改造雨污管网6公里", ["区城管局"], "已完成2公里。"),
    ]


CATEGORY_PARAGRAPH_CELLS = """序号

工作任务

牵头单位

完成情况

一、产业发展

1

引进亿元项目12个

区招商局

已引进7个。

2

新增规上企业15家

区经信局

已新增6家。

二、城乡建设

3

新建道路4条

区住建局

已开工3条。
"""


def test_category_paragraph_before_the_seq_in_cell_per_paragraph(tmp_path):
    res = _parse(tmp_path, CATEGORY_PARAGRAPH_CELLS).result
    got = [(r.task_seq, r.category, r.task_text, r.lead_units) for r in res.rows]
    assert got == [
        (1, "一、产业发展", "引进亿元项目12个", ["区招商局"]),
        (2, "一、产业发展", "新增规上企业15家", ["区经信局"]),
        (3, "二、城乡建设", "新建道路4条", ["区住建局"]),
    ]


# --- a row with one value fewer than the header ------------------------------------------------------
SHORT_ROW = """序号 | 重点工作 | 牵头单位 | 进展情况 | 备注 |
1 | 建成充电桩300个 | 区发改委 | 已建成180个。 | 年底前完成 |
2 | 完成河道清淤20公里 | 区水利局 | 已清淤11公里。 |
3 | 培训农民工500人 | 已培训260人。 | 分两批 |
"""


def test_a_row_one_value_short_is_mapped_by_content_not_shifted(tmp_path):
    res = _parse(tmp_path, SHORT_ROW).result
    r1, r2, r3 = res.rows
    # row 2 lacks its remark: the unit is not taken for the task, nor the progress for the unit
    assert (r2.task_text, r2.lead_units, r2.progress_text, r2.remark) == (
        "完成河道清淤20公里", ["区水利局"], "已清淤11公里。", None)
    assert "short_row_by_content" in r2.flags
    # row 3 lacks its unit cell: merged with the row above, as a rowspan prints
    assert (r3.lead_units, r3.progress_text, r3.remark) == (["区水利局"], "已培训260人。", "分两批")
    assert "inherited_lead_units" in r3.flags


def test_a_short_row_that_fits_no_column_order_is_quarantined(tmp_path):
    text = ("序号 | 重点工作 | 牵头单位 | 进展情况 |\n1 | 建成充电桩300个 | 区发改委 | 已建成180个。 |\n"
            "区交通局 | 已修路2公里。 | 完成 |\n")
    res = _parse(tmp_path, text).result
    assert [r.task_seq for r in res.rows] == [1]
    q = {x.line_no: x.reason for x in res.quarantine}
    assert "3 cells for 4 header columns" in q[3]


# --- continuation sub-rows and inline labels in progress cells ----------------------------------------
SUB_ROWS_AND_PROGRESS_LABELS = """序号 | 重点工作 | 牵头单位 | 进展情况 |
1 | 新建学校3所 | 区教体局 | 进展情况:2所主体完工。 下步打算:9月前交付使用。 |
新增学位810个 | ||
2 | 改造公厕20座 | 区城管局 | 已改造12座。 |
"""


def test_continuation_sub_row_and_progress_labels(tmp_path):
    res = _parse(tmp_path, SUB_ROWS_AND_PROGRESS_LABELS).result
    got = [(r.task_seq, r.sub_seq, r.task_text) for r in res.rows]
    assert got == [(1, 1, "新建学校3所"), (1, 2, "新增学位810个"), (2, 1, "改造公厕20座")]
    first = res.rows[0]
    assert first.progress_text == "2所主体完工。"
    assert first.remark == "下步打算:9月前交付使用。" and "progress_inline_labels" in first.flags


# --- lists of lagging items, counts-only narratives ---------------------------------------------------
LAGGING_LIST = """关于全县重点任务三季度推进情况的通报
全县120项重点任务总体推进有序,其中8项未达序时进度。
8项未达序时进度的任务分别为:
1.农产品加工园建设(第12项):园区道路尚未完工,滞后序时进度6个百分点。
2.城南污水厂提标(第31项):设备采购延迟,滞后序时进度4个百分点。
"""


def test_lagging_items_list(tmp_path):
    res = _parse(tmp_path, LAGGING_LIST).result
    assert [r.task_seq for r in res.rows] == [1, 2]
    assert {normalise_reported(r.status_reported) for r in res.rows} == {"behind"}
    assert {(t.metric, t.value) for t in res.stated_totals} == {("tasks", 120), ("behind", 8)}


COUNTS_ONLY = """某市政府工作报告目标任务一季度落实情况
今年确定的目标任务共48项,截至3月底,已完成6项,按进度推进39项,未完成3项。
下一步工作要求:
一是压实责任。各牵头单位要倒排工期。
"""


def test_counts_only_narrative_gives_stated_totals_and_no_rows(tmp_path):
    res = _parse(tmp_path, COUNTS_ONLY).result
    assert res.rows == []
    assert {(t.metric, t.value) for t in res.stated_totals} == {
        ("tasks", 48), ("completed", 6), ("on_track", 39), ("behind", 3)}
    assert "forward-looking plan" in {q.line_no: q.reason for q in res.quarantine}[4]


def test_status_words_of_the_bulletin_decide_buckets(tmp_path):
    text = "全年任务共30项。一、进展顺畅的任务,共计20项。二、推进较难的任务,共计10项。\n"
    res = _parse(tmp_path, text, layout="narrative", status_words={"进展顺畅": "on_track", "推进较难": "behind"}).result
    assert {(t.metric, t.value) for t in res.stated_totals} == {("tasks", 30), ("on_track", 20), ("behind", 10)}


# --- page chrome around a narrative ---------------------------------------------------------------
NARRATIVE_WITH_CHROME = """首页
政务公开
您当前位置: 首页 > 政务公开 > 督查通报
  • 索引号
  • 000000000/2024-00001
发布日期:2024-07-10 来源:区政府办
关于2024年上半年重点工作推进情况的通报
上半年,全区38项重点工作总体推进顺利,其中已完成5项,按进度推进30项,3项进度滞后。
一、项目建设
全区新开工项目21个,完成投资46.2亿元,同比增长8.1%。
分享到:
"""


def test_narrative_page_chrome_is_furniture_and_headed_paragraphs_are_rows(tmp_path):
    res = _parse(tmp_path, NARRATIVE_WITH_CHROME, layout="narrative").result
    kinds = {f.line_no: f.kind for f in res.furniture}
    assert [kinds.get(n) for n in (1, 2, 3, 4, 5, 6, 11)] == ["metadata"] * 7
    assert kinds[7] == "title"
    assert [(r.task_text, r.progress_text) for r in res.rows] == [
        ("项目建设", "全区新开工项目21个,完成投资46.2亿元,同比增长8.1%。")]
    assert {(t.metric, t.value) for t in res.stated_totals} == {
        ("completed", 5), ("on_track", 30), ("behind", 3)}


# --- a cut last row ------------------------------------------------------------------------------------
def test_a_cut_last_row_is_flagged(tmp_path):
    text = "序号 | 重点工作 | 牵头单位 | 进展情况 |\n1 | 建成充电桩300个 | 区发改委 | 已建成180个。 |\n2 | 完成河道清淤20公里 | 区水利局 | 已清淤11公"
    rows = _parse(tmp_path, text).result.rows
    assert rows[1].progress_text == "已清淤11公" and "truncated_row" in rows[1].flags
    assert "truncated_row" not in rows[0].flags


def test_a_complete_last_row_is_not_flagged(tmp_path):
    rows = _parse(tmp_path, UNIT_AND_PERSON).result.rows
    assert not any("truncated_row" in r.flags for r in rows)


def test_comment_lines_and_line_range(tmp_path):
    text = "# saved from a page\n序号 | 重点工作 | 牵头单位 | 进展情况 |\n1 | 建成充电桩300个 | 区发改委 | 已建成180个。 |\n# ----\n另一份通报的内容\n"
    res = _parse(tmp_path, text, options={"comment_prefix": "# ", "line_range": [1, 4]}).result
    kinds = {f.line_no: f.kind for f in res.furniture}
    assert kinds[1] == "metadata" and kinds[4] == "metadata" and kinds[5] == "other_bulletin"
    assert [r.task_seq for r in res.rows] == [1]


# --- one task per page in numbered labelled sections ---------------------------------------------------
ONE_TASK_SECTIONS = """一、事项名称:建设城东物流园,引进快递分拨企业5家。
二、工作进展:
园区一期厂房已封顶,已签约分拨企业3家。
三、后续安排:
1.加快二期土地报批。
2.9月底前完成道路配套。
"""


def test_one_task_in_numbered_labelled_sections(tmp_path):
    res = _parse(tmp_path, ONE_TASK_SECTIONS, layout="labelled",
                 columns={"后续安排": "remark"}, options={"items_without_seq": True}).result
    assert len(res.rows) == 1
    r = res.rows[0]
    assert (r.task_text, r.progress_text) == ("建设城东物流园,引进快递分拨企业5家。", "园区一期厂房已封顶,已签约分拨企业3家。")
    assert r.remark == "1.加快二期土地报批。\n2.9月底前完成道路配套。"


# --- cells run together with no delimiter; a table flattened onto one line ----------------------------
RUN_TOGETHER = """某市2023年重点工作完成情况表
序号内容与要求完成情况责任单位
1确保全市地区生产总值增长6%左右。全年预计增长5.2%,居全省第4位。市发改委
2新建城市公园5个。截至12月底,已建成4个,1个完成主体工程。市住建局、市园林局
3引进高层次人才200名。已引进213名。市人社局
"""


def test_cells_run_together_found_by_header_names_and_content(tmp_path):
    res = _parse(tmp_path, RUN_TOGETHER).result
    assert res.layout == "run_together"  # detected
    assert [h for h, _ in res.headers[1]] == ["序号", "内容与要求", "完成情况", "责任单位"]
    got = [(r.task_seq, r.task_text, r.progress_text, r.lead_units) for r in res.rows]
    assert got == [
        (1, "确保全市地区生产总值增长6%左右。", "全年预计增长5.2%,居全省第4位。", ["市发改委"]),
        (2, "新建城市公园5个。", "截至12月底,已建成4个,1个完成主体工程。", ["市住建局", "市园林局"]),
        (3, "引进高层次人才200名。", "已引进213名。", ["市人社局"]),
    ]
    assert [(r.line_start, r.line_end) for r in res.rows] == [(3, 3), (4, 4), (5, 5)]


FLATTENED = ("附表 序号 重点工作 进展情况 牵头单位 一、产业发展 1 引进亿元以上项目30个 1-9月 已引进24个 总投资 156亿元 "
             "区招商局 2 新增规上工业企业20家 已新增14家 区经信局 二、民生保障 3 改造老旧小区12个 截至9月底 已开工12个 完工5个 区住建局\n")


def test_a_table_flattened_onto_one_line_with_headings_inside(tmp_path):
    res = _parse(tmp_path, FLATTENED).result
    assert res.layout == "run_together"
    got = [(r.task_seq, r.category, r.task_text, r.progress_text, r.lead_units) for r in res.rows]
    assert got == [
        (1, "一、产业发展", "引进亿元以上项目30个", "1-9月 已引进24个 总投资 156亿元", ["区招商局"]),
        (2, "一、产业发展", "新增规上工业企业20家", "已新增14家", ["区经信局"]),
        (3, "二、民生保障", "改造老旧小区12个", "截至9月底 已开工12个 完工5个", ["区住建局"]),
    ]
    assert not any("truncated_row" in r.flags for r in res.rows)


# --- no header at all: task and progress paragraphs alternating ------------------------------------------
ALTERNATING = """区政府工作报告重点任务进展(转载)
新建5G基站100个。
已建成82个,完成年度目标的82%,其余18个完成选址。
完成老旧小区改造10个。
已开工6个。
举办招商推介会3场。
截至6月底,已在深圳、杭州各举办1场,第3场定于9月。
"""


def test_no_header_task_and_progress_paragraphs_alternating(tmp_path):
    res = _parse(tmp_path, ALTERNATING).result
    assert res.layout == "narrative"
    got = [(r.task_text, r.progress_text, r.line_start, r.line_end) for r in res.rows]
    assert got == [
        ("新建5G基站100个", "已建成82个,完成年度目标的82%,其余18个完成选址。", 2, 3),
        ("完成老旧小区改造10个", "已开工6个。", 4, 5),
        ("举办招商推介会3场", "截至6月底,已在深圳、杭州各举办1场,第3场定于9月。", 6, 7),
    ]
    # targets and 'completed the site selection' are no stated totals
    assert res.stated_totals == []


# --- tasks named in lists inside sentences -----------------------------------------------------------------
LISTED = """截至9月底,全区确定的12个民生项目中,城东菜市场改造、社区食堂建设、背街小巷整治等3个项目已完成,
老年助餐点、儿童友好公园、口袋公园、公共充电桩等4个项目有序推进,另有5个项目进度滞后,分别为北湖截污工程、西环路拓宽、学校扩容、停车场改造、体育馆维修。
"""


def test_tasks_listed_in_a_sentence_with_their_status(tmp_path):
    res = _parse(tmp_path, LISTED, layout="narrative", options={"listed_items": True}).result
    got = [(r.task_text, normalise_reported(r.status_reported)) for r in res.rows]
    assert got == [
        ("城东菜市场改造", "completed"), ("社区食堂建设", "completed"), ("背街小巷整治", "completed"),
        ("老年助餐点", "on_track"), ("儿童友好公园", "on_track"), ("口袋公园", "on_track"), ("公共充电桩", "on_track"),
        ("北湖截污工程", "behind"), ("西环路拓宽", "behind"), ("学校扩容", "behind"), ("停车场改造", "behind"),
        ("体育馆维修", "behind"),
    ]
    assert {(t.metric, t.value) for t in res.stated_totals} == {
        ("tasks", 12), ("completed", 3), ("on_track", 4), ("behind", 5)}


def test_listed_items_are_opt_in(tmp_path):
    res = _parse(tmp_path, LISTED, layout="narrative").result
    assert not any("listed_item" in r.flags for r in res.rows)


# --- indicator tables ---------------------------------------------------------------------------------------
INDICATORS = """类别 | 指标名称 | 年度目标 | 完成情况 | 责任部门 |
经济发展 | 1、地区生产总值增长 | 6.5% | 上半年增长5.8%。 | 区发改委 |
2、规上工业增加值增长 | 8% | 上半年增长7.1%。 | 区经信局 |
财政金融 | 3、一般公共预算收入中税收比重 | 75%以上 | 上半年为76.2%。 | 区财政局 |
"""


def test_indicator_table_with_the_number_in_the_name_and_a_category_once(tmp_path):
    res = _parse(tmp_path, INDICATORS).result
    roles = dict(res.headers[1])
    assert roles["年度目标"] == "period_target" and roles["指标名称"] == "task"
    got = [(r.task_seq, r.category, r.task_text, r.period_target, r.progress_text, r.lead_units) for r in res.rows]
    assert got == [
        (1, "经济发展", "1、地区生产总值增长", "6.5%", "上半年增长5.8%。", ["区发改委"]),
        (2, "经济发展", "2、规上工业增加值增长", "8%", "上半年增长7.1%。", ["区经信局"]),
        (3, "财政金融", "3、一般公共预算收入中税收比重", "75%以上", "上半年为76.2%。", ["区财政局"]),
    ]
    assert all("seq_in_task" in r.flags for r in res.rows)


# --- a header label broken over two paragraphs ---------------------------------------------------------------
BROKEN_HEADER = "\n\n".join([
    "序号", "重点任务", "责任", "领导", "牵头单位", "推进情况",
    "1", "建成农村供水提标工程8处。", "王某", "县水利局", "已完工5处,3处在建。",
    "2", "新增城镇就业2000人。", "李某", "县人社局", "已新增1320人。",
]) + "\n"


def test_header_label_broken_over_paragraphs(tmp_path):
    res = _parse(tmp_path, BROKEN_HEADER).result
    assert [h for h, _ in res.headers[1]] == ["序号", "重点任务", "责任领导", "牵头单位", "推进情况"]
    got = [(r.task_seq, r.leader, r.lead_units, r.progress_text) for r in res.rows]
    assert got == [(1, "王某", ["县水利局"], "已完工5处,3处在建。"), (2, "李某", ["县人社局"], "已新增1320人。")]


def test_a_long_label_named_in_columns(tmp_path):
    text = ("1.新建污水管网8公里\n进展情况、存在问题及下一步打算:已铺设3公里。\n牵头单位:区住建局\n"
            "2.培育规上企业6家\n进展情况、存在问题及下一步打算:已入库2家。\n牵头单位:区经信局\n")
    res = _parse(tmp_path, text, layout="labelled", columns={"进展情况、存在问题及下一步打算": "progress"}).result
    assert [(r.task_text, r.progress_text, r.lead_units) for r in res.rows] == [
        ("新建污水管网8公里", "已铺设3公里。", ["区住建局"]), ("培育规上企业6家", "已入库2家。", ["区经信局"])]


INDICATORS_PARAGRAPHS = "\n\n".join([
    "某区2024年主要经济指标完成情况", "类别", "指标名称", "年度目标", "完成情况", "责任部门",
    "经济发展", "1、地区生产总值增长", "6.5%", "上半年增长5.8%。", "区发改委",
    "2、规上工业增加值增长", "8%", "上半年增长7.1%。", "区经信局",
    "财政金融", "3、一般公共预算收入中税收", "比重", "75%以上", "上半年为76.2%。", "区财政局",
]) + "\n"


def test_indicator_table_one_cell_per_paragraph(tmp_path):
    res = _parse(tmp_path, INDICATORS_PARAGRAPHS).result
    assert res.layout == "cell_lines"
    got = [(r.task_seq, r.category, r.task_text, r.period_target, r.progress_text, r.lead_units) for r in res.rows]
    assert got == [
        (1, "经济发展", "1、地区生产总值增长", "6.5%", "上半年增长5.8%。", ["区发改委"]),
        # the category is printed once for its group: not taken from the next name
        (2, "经济发展", "2、规上工业增加值增长", "8%", "上半年增长7.1%。", ["区经信局"]),
        # a name spread over two paragraphs ('…税收' + '比重') stays one cell
        (3, "财政金融", "3、一般公共预算收入中税收\n比重", "75%以上", "上半年为76.2%。", ["区财政局"]),
    ]


def test_a_requirement_paragraph_is_a_plan_not_progress(tmp_path):
    text = ("关于重点工作推进情况的通报\n上半年,全区重点工作总体平稳。\n"
            "当前已进入关键阶段。各镇街、各部门要对照目标,倒排工期,确保完成。\n"
            "一、项目建设\n全区新开工项目21个,完成投资46.2亿元。\n")
    res = _parse(tmp_path, text, layout="narrative").result
    assert [r.task_text for r in res.rows] == ["项目建设"]
    assert "forward-looking plan" in {q.line_no: q.reason for q in res.quarantine}[3]


def test_an_empty_cell_printed_as_double_bar_and_a_lone_bar_ending_each_row(tmp_path):
    text = ("序号 | 重点工作 | 牵头单位 | 进展情况 | 说明 | 完成时限 |\n"
            "1 | 建成充电桩300个 | 区发改委 | 已建成180个。 || 12月底 |\n|\n"
            "2 | 完成河道清淤20公里 | 区水利局 | 已清淤11公里。 | 汛期停工 | 11月底 |\n|\n")
    res = _parse(tmp_path, text, columns={"完成时限": "remark"}).result
    got = [(r.task_seq, r.lead_units, r.progress_text, r.remark) for r in res.rows]
    # the empty 说明 keeps its place: 12月底 is the deadline, not the remark of 说明
    assert got == [(1, ["区发改委"], "已建成180个。", "12月底"), (2, ["区水利局"], "已清淤11公里。", "汛期停工\n11月底")]
    assert {f.line_no: f.kind for f in res.furniture}[3] == "filler"

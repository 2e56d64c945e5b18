"""Headline indicators: target from the task, actual from the progress text, met or not.
Phrases copied from the seeds (xiangshan_2024q4 = 000, luan_2024h1 = 004)."""

from __future__ import annotations

import csv

import pytest

from ingestion.model import TaskRow
from ingestion.normalize import indicators, signals
from ingestion.normalize.indicators import extract
from ingestion.registry import Period

Q4 = Period(year=2024, quarter=4)
H1 = Period(year=2024, half=1)


def one(task, target, progress, period, code=None):
    found = extract(task, target, progress, period)
    if code:
        found = [i for i in found if i.indicator_code == code]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    "task,target,progress,period,code,tv,av,met",
    [
        # 000
        ("地区生产总值增长6%", "增长6%", "预计增长3%", Q4, "gdp", 6, 3, False),
        ("规模以上工业增加值增长4%", "增长4%", "规模以上工业增加值下降1.4%", Q4, "industrial_value_added", 4, -1.4, False),
        ("固定资产投资增长10%", "增长10%", "预计下降19%", Q4, "fixed_asset_investment", 10, -19, False),
        ("社会消费品零售总额增长7%", "增长7%", "预计3.8%", Q4, "retail_sales", 7, 3.8, False),
        ("外贸进出口总额增长5%", "增长5%",
         "3.摸排对美出口情况,研判2025年外贸进出口形势。\n4.四季度外贸进出口总额预计完成1.1亿美元,总量位列三区第一,同比下降60%",
         Q4, "foreign_trade", 5, -60, False),
        ("一般公共预算收入增长6%", "增长6%", "全区一般公共预算收入预计完成10.09亿元,较上年同期增长1.5%", Q4,
         "budget_revenue", 6, 1.5, False),
        ("农村居民人均可支配收入增长8%", "增长8%", "增长6%", Q4, "rural_income", 8, 6, False),
        # 004
        ("地区生产总值增长7.5%左右。", None,
         "上半年全市实现地区生产总值1077.8亿元,增长5.5%,高于全省0.2个百分点,居全省第4位。", H1, "gdp", 7.5, 5.5, False),
        ("固定资产投资增长10%。", None,
         "上半年全市固定资产投资同比增长5.8%,增幅高于全省平均水平(4.0%)1.8个百分点,居全省第6位。", H1,
         "fixed_asset_investment", 10, 5.8, False),
        ("规上工业增加值增长8.5%。", None, "1-6月,全市规上工业增加值同比增长7.8%。", H1,
         "industrial_value_added", 8.5, 7.8, False),
        ("更大力度吸引和利用外资,直接利用外资增长12%。", None, "1-6月,全市直接利用外资1371万美元,同比下降3.72%。", H1,
         "foreign_investment", 12, -3.72, False),
    ],
)
def test_growth_targets_vs_actuals(task, target, progress, period, code, tv, av, met):
    ind = one(task, target, progress, period, code)
    assert (ind.target_kind, ind.target_value, ind.target_unit) == ("growth_pct", tv, "%")
    assert (ind.actual_kind, ind.actual_value) == ("growth_pct", av)
    assert ind.met is met and ind.rule == "growth_vs_growth"


def test_income_growth_and_level_targets_in_one_record():
    found = extract("城镇居民人均可支配收入增长6.5%", "全年城镇居民人均可支配收入52620元,增速 6.5%",
                    "全年城镇居民人均可支配收入51625元,增速 4.4%", Q4)
    assert len(found) == 1  # the mart keys indicator_progress on (row, indicator_code)
    ind = found[0]
    assert (ind.indicator_code, ind.target_kind, ind.target_value, ind.actual_value) == ("urban_income", "growth_pct", 6.5, 4.4)
    assert "52620元" in ind.target_text and "51625元" in ind.actual_text
    assert ind.met is False and ind.rule == "growth_vs_growth+level_vs_level"


def test_a_part_year_level_is_not_held_against_the_annual_level():
    ind = one("城镇居民人均可支配收入52620元", None, "上半年城镇居民人均可支配收入26000元", H1)
    assert ind.actual_value == 26000 and ind.met is None


def test_two_indicators_in_one_task_take_their_own_figures():
    found = extract("开展工业提质增效行动\n加快建设动能充沛的制造强区,确保全年规上工业总产值达330亿元以上,工业投资增长15%以上。",
                    "工业总产值达330亿以上,工业投资增长15%以上。", "全年规上工业总产值309.2亿元,工业投资下降4.8%", Q4)
    by_code = {i.indicator_code: i for i in found}
    assert set(by_code) == {"industrial_output", "industrial_investment"}
    out = by_code["industrial_output"]
    assert (out.target_kind, out.target_value, out.target_unit, out.actual_value, out.met) == (
        "level", 330, "亿元", 309.2, False)
    inv = by_code["industrial_investment"]
    assert (inv.target_value, inv.actual_value, inv.met) == (15, -4.8, False)


def test_above_provincial_average():
    ind = one("社会消费品零售总额增幅高于全省平均。", None, "1-6月,全市社零增幅3.5%,低于全省平均0.6个百分点,居全省第11位", H1)
    assert (ind.indicator_code, ind.target_kind, ind.actual_value, ind.met) == (
        "retail_sales", "above_provincial_average", 3.5, False)
    ind = one("力争培育2家以上省级重点外贸企业,进出口总额增幅高于全省。", None,
              "1-6月,我市进出口总额增幅为-30.6%,低于全省增幅(7.3%)。", H1)
    assert (ind.indicator_code, ind.actual_value, ind.met) == ("foreign_trade", -30.6, False)
    ind = one("农村常住居民人均可支配收入增幅高于全省平均水平、位次靠前。", None,
              "上半年,全市农村居民人均可支配收入11186元,增速7%,高于全省0.3个百分点,位居全省第7位。", H1)
    assert (ind.indicator_code, ind.actual_value, ind.met) == ("rural_income", 7, True)


def test_a_share_of_budget_is_not_comparable_with_a_growth_target():
    ind = one("一般公共预算收入增长6%以上。", None, "上半年,全市一般公共预算收入99.22亿元,为预算的53.95%,增幅居全省第6位。", H1)
    assert (ind.target_value, ind.actual_kind, ind.actual_value, ind.met) == (6, "share_pct", 53.95, None)


def test_no_actual_when_the_text_gives_other_figures():
    ind = one("鼓励企业加大研发投入,持续实施规上制造业企业“两清零”行动,全社会研发经费增长15%以上。", None,
              "填报企业数较上年增长16.2%,填报经费较上年增长10.9%,核定数将于10月公布,预计可完成年增长15%的目标。", H1)
    assert (ind.indicator_code, ind.actual_value, ind.met) == ("rd_expenditure", None, None)


def test_a_zones_own_figures_are_not_the_regions_headline():
    task = "全面落实开发区提质扩量增效三年行动计划,实现营业收入、工业产值、固定资产投资增长20%以上"
    assert extract(task, None, "1-12月份实现营收140亿元", Q4) == []


def test_chinese_numerals():
    ind = one("地区生产总值增长百分之六", None, "地区生产总值增长百分之五点五", Q4)
    assert (ind.target_value, ind.actual_value, ind.met) == (6, 5.5, False)


def test_definitions_are_data():
    with open(indicators.DEFINITIONS_CSV, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    codes = {r["indicator_code"] for r in rows}
    assert {"gdp", "industrial_value_added", "fixed_asset_investment", "retail_sales", "budget_revenue",
            "urban_income", "rural_income", "foreign_trade", "foreign_investment"} <= codes
    assert len(codes) == len(rows)


# --- signals: the raw tables ------------------------------------------------------------------------------

class _Spec:
    def __init__(self, period):
        self.period = period


def _row(**kw):
    base = {"table_no": 1, "row_no": 1, "task_seq": 1, "sub_seq": 1, "line_start": 1, "line_end": 2}
    base.update(kw)
    return TaskRow(**base)


def test_derive_tables_shape():
    from ingestion import load

    rows = [
        _row(task_text="地区生产总值增长6%", period_target="增长6%", progress_text="预计增长3%", status_reported="序时推进"),
        _row(row_no=2, task_seq=2, task_text="x", progress_text="截至xx月底,开(复)工项目xx个"),
    ]
    out = signals.derive_tables(rows, _Spec(Q4))
    assert set(out) == {"raw.row_signals", "raw.indicators"}
    sig = out["raw.row_signals"]
    assert [s["row_no"] for s in sig] == [1, 2]
    assert sig[0]["status_inferred"] == "behind" and sig[0]["inference_rule"] == "growth_vs_target"
    assert sig[1]["masked_figures"] is True and sig[1]["status_inferred"] == "unknown"
    ddl = load.RAW_DDL
    for table, records in out.items():
        body = ddl[ddl.index(f"create table if not exists {table} ("):]
        body = body[: body.index(");")]
        cols = {c.split()[0] for part in body.split("(", 1)[1].split("\n") for c in part.split(",") if c.strip()
                and not c.strip().startswith("--")}
        for r in records:
            assert set(r) <= cols, set(r) - cols
    ind = out["raw.indicators"]
    assert len(ind) == 1 and ind[0]["indicator_code"] == "gdp" and ind[0]["met"] is False


def test_a_source_without_a_period_still_gets_signals():
    rows = [_row(task_text="x", progress_text="全市一般公共预算收入99.22亿元,为预算的53.95%")]
    out = signals.derive_tables(rows, _Spec(None))
    assert out["raw.row_signals"][0]["completion_pct"] == 53.95
    assert out["raw.row_signals"][0]["inference_rule"] != "share_of_budget"


def test_urban_new_jobs_is_a_count_of_persons():
    from ingestion.normalize.indicators import extract
    from ingestion.registry import Period

    (ind,) = extract("加强就业创业指导服务,推动重点群体就业,城镇新增就业2.5万人。", None,
                     "1—6月,全市城镇新增就业16811人,完成年度任务的67.2%。", Period(year=2022, half=1))
    assert (ind.indicator_code, ind.target_kind, ind.target_value) == ("urban_new_jobs", "count", 25000)
    assert (ind.actual_kind, ind.actual_value, ind.met) == ("count", 16811, None)  # part-year: not judged
    (ind,) = extract("城镇新增就业1.1万人。", None, "全年城镇新增就业19901人。", Period(year=2024, quarter=4))
    assert ind.met is True

"""Status inference from text. Every rule is tested with a phrase copied from the seed bulletins."""

from __future__ import annotations

import pytest

from ingestion import periods
from ingestion.normalize import evaluate, figures, status
from ingestion.normalize.status import conflict, infer, share_status
from ingestion.registry import Period

Q4 = Period(year=2024, quarter=4)
H1 = Period(year=2024, half=1)
Q2 = Period(year=2023, quarter=2)


def rule_of(task, target, progress, period):
    r = infer(task, target, progress, period)
    return r.status, r.rule


# --- elapsed share ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "period,share",
    [
        (Period(year=2024, quarter=1), 0.25), (Q2, 0.5), (H1, 0.5), (Period(year=2024, quarter=3), 0.75),
        (Q4, 1.0), (Period(year=2024, annual=True), 1.0), (Period(year=2024, month=11), 11 / 12), (None, None),
    ],
)
def test_elapsed_share(period, share):
    assert periods.elapsed_share(period) == share


# --- 1. the text states the schedule ---------------------------------------------------------------------

def test_stated_behind_beats_everything():
    # luan_2024h1: a completion rate that is also stated to be behind
    p = "截至6月30日,全市共处置批而未供土地4812.47亩,完成率7.9%,尚未达到时间过半、进度过半要求"
    assert rule_of("处置批而未供土地", None, p, H1) == ("behind", "stated_behind")
    p = "年计划投资2亿元,截至7月19日,完成投资2600万元,投资完成率13%,未达到序时进度。"
    assert rule_of("", None, p, H1) == ("behind", "stated_behind")


def test_stated_behind_phrases():
    assert infer("", None, "但7月份省林业局告知目前森林城镇、森林村庄创建工作被国家有关部门叫停。", H1).status == "behind"
    assert infer("", None, "受国际国内宏观经济形势等因素影响,个别在建项目建设推进缓慢。", None).status == "behind"


def test_stated_ahead():
    p = "1-6月份,全市亿元以上重点项目完成投资418.8亿元,占年度计划的63.2%,超序时进度13.2个百分点"
    assert rule_of("", None, p, H1) == ("ahead", "stated_ahead")


def test_stated_on_track():
    p = "上半年38个政府投资项目完成投资70.8亿元,占年度计划的53.6%,完成“时间过半、任务过半”目标。"
    assert rule_of("", None, p, H1) == ("on_track", "stated_on_track")
    p = "剩余81个问题正在序时推进整改。"
    assert rule_of("", None, p, H1) == ("on_track", "stated_on_track")


# --- 2. nothing was due ---------------------------------------------------------------------------------

def test_not_assigned():
    p = "因区政府未下达具体的征迁任务,该项目暂未实施"
    assert rule_of("启动淮海西路南侧、河北小集片区开发。", "全面完成项目签约、拆除。", p, Q4) == (
        "not_applicable", "not_assigned")


# --- 3. stated shares ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text,pct,pattern",
    [
        ("截至6月30日,全市新增技能人才14826人,完成年度任务的74.13%。", 74.13, "share_of_annual_task"),
        ("全区新签约亿元以上项目26个,完成市级年度目标任务104%", 104, "share_of_annual_task"),
        ("已开工项目145个,占全年目标任务的87.9%", 87.9, "share_of_plan"),
        ("完成投资6.58亿元,占年度投资计划13亿元的50.59%。", 50.59, "share_of_plan"),
        ("已完成建设任务22.6万亩,占总任务的81.69%。", 81.69, "share_of_plan"),
        ("全市一般公共预算收入99.22亿元,为预算的53.95%,增幅居全省第6位。", 53.95, "share_of_budget"),
        ("全市农村公路累计完成固定资产投资4.21亿元,年度计划投资完成率56.3%,", 56.3, "share_completion_rate"),
    ],
)
def test_stated_shares_are_found(text, pct, pattern):
    shares = figures.stated_shares(text)
    assert [(s.pct, s.pattern) for s in shares] == [(pct, pattern)]


def test_a_quality_rate_is_not_a_share_of_the_target():
    # '督导完成率' measures supervision, not progress against the year's target
    assert figures.stated_shares("第一季度督导完成率100%,问题发现率6.2%") == []


def test_share_against_elapsed_share():
    assert share_status(104, None) == "completed"
    assert share_status(74.13, 0.5) == "ahead"  # >= 0.5 + 0.15
    assert share_status(53.95, 0.5) == "on_track"
    assert share_status(45, 0.5) == "behind"
    assert share_status(92.87, 1.0) == "behind"
    assert share_status(60, None) is None  # without a period only >=100% can be judged


def test_share_rules_in_context():
    r = infer("新增技能人才2万人。", None, "截至6月30日,全市新增技能人才14826人,完成年度任务的74.13%。", H1)
    assert (r.status, r.rule, r.completion_pct) == ("ahead", "share_of_annual_task", 74.13)
    r = infer("一般公共预算收入增长6%以上。", None,
              "上半年,全市一般公共预算收入99.22亿元,为预算的53.95%,增幅居全省第6位。", H1)
    assert (r.status, r.rule, r.completion_pct) == ("on_track", "share_of_budget", 53.95)


def test_several_shares_the_lowest_decides():
    p = "截至6月底,已开工项目145个,占全年目标任务的87.9%;已竣工项目62个,占全年目标任务的51.7%。"
    r = infer("新开工亿元以上项目170个以上、竣工120个以上。", None, p, H1)
    assert (r.status, r.completion_pct) == ("on_track", 51.7)


def test_without_a_period_share_rules_that_need_it_do_not_fire():
    r = infer("", None, "全市一般公共预算收入99.22亿元,为预算的53.95%", None)
    assert r.rule != "share_of_budget" and r.completion_pct == 53.95
    r = infer("", None, "全区新签约亿元以上项目26个,完成市级年度目标任务104%", None)
    assert (r.status, r.rule) == ("completed", "share_of_annual_task")


# --- 4./5./6. targets vs actuals ------------------------------------------------------------------------

@pytest.mark.parametrize(
    "task,target,progress,period,expected",
    [
        ("地区生产总值增长6%", "增长6%", "预计增长3%", Q4, "behind"),
        ("规模以上工业增加值增长4%", "增长4%", "规模以上工业增加值下降1.4%", Q4, "behind"),
        ("社会消费品零售总额增长7%", "增长7%", "预计3.8%", Q4, "behind"),  # a bare figure
        ("一般公共预算收入增长6%", "增长6%", "全区一般公共预算收入预计完成10.09亿元,较上年同期增长1.5%", Q4, "behind"),
        ("城镇居民人均可支配收入增长6.5%", "全年城镇居民人均可支配收入52620元,增速 6.5%",
         "全年城镇居民人均可支配收入51625元,增速 4.4%", Q4, "behind"),
        ("地区生产总值增长7.5%左右。", None, "上半年全市实现地区生产总值1077.8亿元,增长5.5%,高于全省0.2个百分点", H1, "behind"),
        ("力争优势农业特色产业综合产值增长8%以上。", None,
         "1-6月,六安瓜片等茶产业…4个优势主导产业综合产值324.33亿元,同比增长14%。", H1, "on_track"),
        ("实施技术改造和产业升级项目20个以上,技改投资增长8%以上", None,
         "实施技术改造和产业升级项目20个,技改投资增长8.8%", Q4, "completed"),
    ],
)
def test_growth_vs_target(task, target, progress, period, expected):
    assert rule_of(task, target, progress, period) == (expected, "growth_vs_target")


def test_growth_matches_the_named_subject_among_several_targets():
    task = "确保全年规上工业总产值达330亿元以上,工业投资增长15%以上。"
    assert rule_of(task, None, "全年规上工业总产值309.2亿元,工业投资下降4.8%", Q4) == ("behind", "growth_vs_target")


def test_a_restated_target_is_not_an_actual():
    # '预计可完成年增长15%的目标' restates the target; the other figures name other things
    p = ("全市841家规上企业上报研发项目经费53.91亿元,填报企业数较上年增长16.2%,填报经费较上年增长10.9%,"
         "核定数将于10月公布,预计可完成年增长15%的目标。")
    assert infer("全社会研发经费增长15%以上。", None, p, H1).rule != "growth_vs_target"
    assert figures.growth_actuals("预计可完成年增长15%的目标") == []


def test_above_average():
    assert rule_of("社会消费品零售总额增幅高于全省平均。", None,
                   "1-6月,全市社零增幅3.5%,低于全省平均0.6个百分点,居全省第11位", H1) == ("behind", "above_average")
    assert rule_of("农村常住居民人均可支配收入增幅高于全省平均水平、位次靠前。", None,
                   "上半年,全市农村居民人均可支配收入11186元,增速7%,高于全省0.3个百分点,位居全省第7位。",
                   H1) == ("on_track", "above_average")
    # only the figures are given: 3.6% against the province's 3.9%
    assert rule_of("城镇常住居民人均可支配收入增幅高于全省平均水平、位次靠前。", None,
                   "我市城镇居民人均可支配收入增速3.6%,全省第13位,较一季度上升1位(全省平均增幅3.9%)。",
                   H1) == ("behind", "above_average")


def test_level_vs_target_only_at_year_end():
    task = "工业总产值达330亿以上"
    assert rule_of(task, None, "全年规上工业总产值309.2亿元", Q4) == ("behind", "level_vs_target")
    assert infer(task, None, "上半年规上工业总产值150亿元", H1).rule != "level_vs_target"


def test_count_vs_target():
    assert rule_of("新增省专精特新企业6家以上,培育国家级专精特新小巨人企业2家。", None,
                   "新增省专精特新企业8家,培育盛美诺生物、人良生物等企业争创国家级专精特新小巨人企业。",
                   Q4) == ("completed", "count_vs_target")
    assert rule_of("完善3岁以下婴幼儿照护服务体系,新增托位470个。", None, "新增托位200个。", Q4) == (
        "behind", "count_vs_target")


def test_count_several_figures_for_the_same_thing_the_largest_counts():
    p = "新增国家级绿色工厂1家、省级绿色工厂2家。"
    assert rule_of("新增市级以上绿色工厂2家。", None, p, Q4) == ("completed", "count_vs_target")


def test_count_a_months_figure_is_an_increment_not_progress():
    p = "11月:动员并指导企业开展放心家政人员培训200人次;"
    assert infer("开展放心家政人员培训2000人次", None, p, Q4).rule != "count_vs_target"


# --- 7.-10. phrases ------------------------------------------------------------------------------------

def test_lag_phrase():
    assert rule_of("", None, "南师大相山附校项目因规划调整未开工。惠黎西路大桥基本竣工,栖凤南路暂未开工", Q4) == (
        "behind", "lag_phrase")
    assert rule_of("", None, "1标段已于2024年4月30日拆除3处房屋,但余下2处房屋、多处坟墓、部分果树至今没拆除", Q4) == (
        "behind", "lag_phrase")


def test_lag_phrase_beats_a_completion_phrase():
    p = "3.信息产业园一期厂房扩建室内装修施工完成。5.信息产业高端FPC制造项目二期厂房暂未施工。6.科技创业园一期厂房竣工验收完成"
    assert infer("", None, p, Q4).status == "behind"


def test_absence_of_a_problem_is_not_a_lag():
    p = "对15余家企业进行现场帮扶,暂未发现符合免罚条件的违法企业"
    assert infer("", None, p, Q4).rule != "lag_phrase"


def test_pending():
    assert rule_of("", None, "全域旅游发展规划初稿已完成,待评审。", Q4) == ("on_track", "pending")


def test_done_phrase():
    assert rule_of("", None, "合特光电已建成投产。", Q4) == ("completed", "done_phrase")
    assert rule_of("", None, "已超额完成年度减排任务。", H1) == ("completed", "done_phrase")


def test_a_planned_completion_is_not_a_completion():
    p = "园区基础设施建设、污水管网提升待资金落实,计划2025年03月开工,2026年10月份竣工交付。"
    assert infer("", None, p, Q4).status != "completed"


def test_ongoing():
    assert rule_of("", None, "持续进行中。", Q4) == ("on_track", "ongoing")
    assert rule_of("", None, "加快推进舟之航总部基地及研发中心项目建设,目前正在进行主体施工。", Q2) == (
        "on_track", "ongoing")


def test_done_partial_depends_on_the_period():
    p = "已完成占地5亩以上规下工业企业亩均效益评价"
    assert rule_of("", None, p, Q4) == ("completed", "done_partial")
    assert rule_of("", None, p, H1) == ("on_track", "done_partial")
    assert infer("", None, "预计可完成年增长15%的目标", H1).rule != "done_partial"


def test_unknown_when_nothing_applies():
    assert infer("", None, "1023日举办“企业家接待日”第九期", Q4) == status.UNKNOWN
    assert infer("强化国有企业改革,加快组建农投集团。", None, "——", Q4).status == "unknown"
    assert infer("x", None, None, Q4).status == "unknown"


# --- masked figures, conflict, confusion ---------------------------------------------------------------

@pytest.mark.parametrize(
    "text,masked",
    [
        ("截至xx月底,开(复)工项目xx个,开工率xx.x%,完工项目x个", True),
        ("2022年共发放低保资金***.*万元", True),
        ("全年增速*%以上", True),
        ("治理面积x万平方米", True),
        ("产业到户补助资金共计XX万元", True),
        ("线上开发微信小程序,翌光技改柔性TFT背板数字化技术改造项目", False),
        ("全年规上工业总产值309.2亿元", False),
    ],
)
def test_masked_figures(text, masked):
    assert figures.masked_figures(text) is masked


def test_conflict():
    assert conflict("completed", "behind")
    assert conflict("behind", "on_track")
    assert not conflict("completed", "on_track")
    assert not conflict("ahead", "completed")
    assert not conflict("on_track", "unknown")
    assert not conflict(None, "behind")
    assert not conflict("not_applicable", "behind")


def test_confusion_matrix_shape_and_recall():
    m = evaluate.confusion([("behind", "behind"), ("behind", "on_track"), ("completed", "completed"), (None, "x")])
    assert list(m.index) == list(m.columns)[:6]
    assert m.loc["behind", "behind"] == 1 and m.loc["behind", "on_track"] == 1
    assert evaluate.recall(m, "behind") == 0.5
    assert evaluate.recall(m, "ahead") is None


def test_a_count_of_cancelled_items_is_not_a_cancelled_task():
    p = "共清理涉及经营主体经济活动的政策措施,其中继续执行54项、取消执行14项、调整政策"
    assert infer("", None, p, H1).rule != "not_assigned"


# --- measured on the seed that prints a status (xiangshan_2024q4) ----------------------------------------

def _parsed(registry, source_id):
    from ingestion.parse import parse_source

    parsed = parse_source(registry.get(source_id))  # a parser error fails the test, never skips it
    assert parsed.result.rows, f"{source_id}: no rows parsed"
    return parsed


def test_inference_against_printed_statuses_on_seed_000(registry):
    from ingestion.normalize import signals
    from ingestion.normalize.vocabulary import normalise_reported

    src = registry.get("xiangshan_2024q4")
    rows = _parsed(registry, "xiangshan_2024q4").result.rows
    sig = signals.derive_tables(rows, src.spec)["raw.row_signals"]
    pairs = [(normalise_reported(r.status_reported), s["status_inferred"])
             for r, s in zip(rows, sig, strict=False) if r.status_reported]
    m = evaluate.confusion(pairs)
    # Every task the bulletin prints as 未完成 is found behind from its text alone…
    assert evaluate.recall(m, "behind") >= 0.85
    # …and a printed 已完成 is rarely contradicted by the text.
    assert m.loc["completed", "behind"] <= 2


def test_signals_for_every_seed_are_well_formed(registry):
    from ingestion.model import STATUS_ENUM
    from ingestion.normalize import signals

    for src in registry.sources:
        if src.spec.layout == "narrative" and src.source_id.startswith("rw"):
            from ingestion.parse import parse_source

            rows = parse_source(src).result.rows  # real excerpts: a counts-only one has no rows
        else:
            rows = _parsed(registry, src.source_id).result.rows
        out = signals.derive_tables(rows, src.spec)
        sig = out["raw.row_signals"]
        assert len(sig) == len(rows)
        assert all(s["status_inferred"] in STATUS_ENUM for s in sig)
        keys = [(i["table_no"], i["row_no"], i["indicator_code"]) for i in out["raw.indicators"]]
        assert len(keys) == len(set(keys)), src.source_id

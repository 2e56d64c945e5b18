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
    assert infer("", None, "受国际国内宏观经济形势等因素影响,个别在建项目建设推进缓慢。", None).status == "behind"
    assert infer("", None, "项目前期工作被叫停。", H1).status == "behind"


# --- a suspension from above is not a lag (removed false cue) ------------------------------------------

@pytest.mark.parametrize("progress,period", [
    ("但7月份省林业局告知目前森林城镇、森林村庄创建工作被国家有关部门叫停。", H1),
    ("由于国家为基层减负政策2024年综合减灾示范社区创建工作暂停,具体情况等待应急管理部通知。", Q4),
    ("鉴于省级法治政府建设示范创建活动已暂停开展,市司法局将持续保持对接。", H1),
])
def test_suspended_from_above_is_not_applicable(progress, period):
    assert rule_of("", None, progress, period) == ("not_applicable", "suspended_from_above")


def test_a_superiors_decision_to_stop_is_not_applicable_a_stoppage_alone_is_a_lag():
    assert rule_of("", None, "根据区主要领导安排,人力资源产业园项目已停工", Q4) == ("not_applicable", "suspended_from_above")
    assert rule_of("", None, "受资金影响,人力资源产业园项目已停工", Q4) == ("behind", "lag_phrase")


def test_lag_phrases_without_wei():
    assert rule_of("", None, "市局没下发市级龙头企业申报文件", Q4) == ("behind", "lag_phrase")
    assert rule_of("", None, "王引河濉溪段正在治理中,尚无法实现蓄水。", Q4) == ("behind", "lag_phrase")
    # '培训暂未就业6907人' counts people out of work; it is not a lag
    assert infer("", None, "举办招聘会103场次,培训暂未就业6907人,促进实现就业4258人。", H1).rule != "lag_phrase"


def test_pending_at_year_end_when_the_awaited_step_is_the_target():
    p = "全域旅游发展规划初稿已完成,待评审。"
    assert rule_of("科学编制全域旅游发展规划。", "正式出台发布全域旅济发展规划。", p, Q4) == ("behind", "pending_at_year_end")
    assert rule_of("科学编制全域旅游发展规划。", "正式出台发布全域旅济发展规划。", p, H1) == ("on_track", "pending")


def test_a_preliminary_step_done_is_not_the_works_done():
    target = "完成0.8万亩高标准农田改造提升项目,开工1.2万亩高标准农田改造提升建设工作。"
    r = infer("", target, "完成1.2万亩高标准农田改造提升项目设计工作。", Q4)
    assert (r.status, r.rule) == ("behind", "preliminary_only")
    assert infer("", target, "完成1.2万亩高标准农田改造提升项目设计工作。", H1).status != "completed"


def test_one_item_done_among_several_activities_is_partly_done():
    p = ("三只松鼠已成功入选2023年度芜湖市工业互联网标杆示范企业。支持三只松鼠省级两业融合试点企业建设,配合开展"
         "企业两业融合专家诊断。协助企业开展2022年度芜湖市促进现代服务业发展惠企超市政策申报。")
    assert rule_of("支持三只松鼠数字化转型和一二三产融合发展", None, p, Q2) == ("on_track", "partly_done")


def test_goal_reached():
    p = "斯高德、海创循环项目均已开工,海创循环项目厂房主体建设已完成,正在进行设备安装,预计11月进行试生产。"
    assert rule_of("保障斯高德、海创循环项目顺利开工", None, p, Q2) == ("completed", "goal_reached")
    assert infer("支持舟之航总部建成投产", None, "目前正在进行主体施工。", Q2).rule != "goal_reached"


def test_the_tasks_own_object_done():
    p = "仓津A地块和仓津C地块规划支路建设已完成。"
    assert rule_of("完成仓津A地块和仓津C地块规划支路建设", None, p, Q2) == ("completed", "done_partial")


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
    assert share_status(75, 0.5) == "ahead"  # >= 0.5 + 0.25
    assert share_status(74.13, 0.5) == "on_track"
    assert share_status(53.95, 0.5) == "on_track"
    assert share_status(45, 0.5) == "on_track"
    assert share_status(40, 0.5) == "on_track"  # within 0.10 of the elapsed share
    assert share_status(39.9, 0.5) == "behind"
    assert share_status(92.87, 1.0) == "behind"
    assert share_status(60, None) is None  # without a period only >=100% can be judged


def test_share_rules_in_context():
    r = infer("新增技能人才2万人。", None, "截至6月30日,全市新增技能人才14826人,完成年度任务的74.13%。", H1)
    assert (r.status, r.rule, r.completion_pct) == ("on_track", "share_of_annual_task", 74.13)
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


def test_level_vs_target():
    task = "工业总产值达330亿以上"
    assert rule_of(task, None, "全年规上工业总产值309.2亿元", Q4) == ("behind", "level_vs_target")
    # mid-year, an amount that accumulates is a share of the annual level (45 % at H1)
    r = infer(task, None, "上半年规上工业总产值150亿元", H1)
    assert (r.status, r.rule, r.confidence) == ("on_track", "level_vs_target", "medium")
    assert rule_of("2023年产值力争突破100亿元", None, "预计1-6月实现产值26亿元。", Q2) == ("behind", "level_vs_target")
    # a balance does not accumulate from zero: not judged mid-year
    assert infer("绿色信贷余额达300亿元以上", None, "全市绿色信贷余额为285.25亿元", H1).rule != "level_vs_target"


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
    assert rule_of("", None, "持续进行中。", Q2) == ("on_track", "ongoing")
    assert rule_of("", None, "加快推进舟之航总部基地及研发中心项目建设,目前正在进行主体施工。", Q2) == (
        "on_track", "ongoing")


def test_ongoing_at_year_end_is_a_continuing_task_reported():
    r = infer("加快与江南大学合作建设功能性食品研发中心。", "启动建设。", "持续进行中。", Q4)
    assert (r.status, r.rule, r.confidence) == ("completed", "activity_reported", "low")


def test_tuijinzhong_inside_a_word_is_not_work_in_progress():
    # removed false cue: '推进中' inside '推进中小学生研学旅行'
    p = "按照《关于印发相山区推进中小学生研学旅行实施方案的通知》要求规范开展研学旅行工作。"
    assert status.ONGOING_RULE.regex.search(p) is None
    assert status.ONGOING_RULE.regex.search("项目正在推进中,") is not None


def test_done_partial_depends_on_the_period():
    p = "已完成占地5亩以上规下工业企业亩均效益评价"
    assert rule_of("", None, p, Q4) == ("completed", "done_partial")
    assert rule_of("", None, p, H1) == ("on_track", "done_partial")
    assert infer("", None, "预计可完成年增长15%的目标", H1).rule != "done_partial"


def test_unknown_when_nothing_applies():
    assert infer("", None, "截至xx月底,开(复)工项目xx个,开工率xx.x%", Q4) == status.UNKNOWN
    assert infer("", None, "计划2025年03月开工,2026年10月份竣工交付。", Q4).status == "unknown"
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


def test_conflict_is_the_print_claiming_more_than_the_text():
    assert conflict("completed", "behind")  # e.g. GDP 预计增长3% vs 6% printed 已完成
    assert conflict("on_track", "behind", "high", "growth_vs_target")  # printed 序时推进
    assert conflict("on_track", "not_applicable", "high", "suspended_from_above")  # halted, printed 序时推进
    assert not conflict("behind", "on_track")  # the print more cautious than the text
    assert not conflict("behind", "completed")
    assert not conflict("completed", "on_track")
    assert not conflict("ahead", "completed")
    assert not conflict("on_track", "unknown")  # the text is vague
    assert not conflict("completed", "behind", "low", "activity_reported")
    assert not conflict(None, "behind")
    assert not conflict("not_applicable", "behind")
    assert not conflict("on_track", "not_applicable", "high", "not_assigned")


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


# --- issue #9: counts and levels reached in other wording ------------------------------------------------

@pytest.mark.parametrize("task,target,progress", [
    # 家次 counts visits to firms, as 家 does
    ("深入实施助企纾困行动。", "持续开展企业包保走访活动,季度走访企业不少于1200家,收集企业诉求和建议不少于400条。",
     "2、持续加大企业走访力度,四季度全区各单位累计走访企业3200余家次,收集企业诉求和建议860余条。"),
    # the figure printed without its unit right after the same words
    ("挖掘闲散地及城市边角地,新增城市停车泊位700个以上。", None, "挖掘闲散地及城市边角地,新增城市停车泊位704同时谋划2025年项目."),
    # the n-th event of a series held
    ("常态化开展企业家接待日等系列活动。", "全年不少于10次。", "1023日举办“企业家接待日”第九期\n1121日举办“企业家接待日”第十期"),
    # the year's cumulative figure of the target's one unit, after a quarter's increment
    ("加快推进非机动车充电(棚)桩设置安装,建设400组以上。", "新建非机动车充电(棚)桩设置400组,完成任务100%",
     "四季度新建非机动车充电(棚)设置103组。全年共计新建设置413组。"),
])
def test_count_reached_in_other_wording(task, target, progress):
    r = infer(task, target, progress, Q4)
    assert (r.status, r.rule, r.confidence) == ("completed", "count_vs_target", "high")


def test_count_lower_is_better():
    target = "发案660起,案损6400元,抓捕320人追赃挽损732万元。"
    assert rule_of("", target, "发案624起,案损5500元,抓捕330追赃挽损950万元。", Q4) == ("completed", "count_vs_target")
    assert rule_of("", target, "发案700起,抓捕330人。", Q4) == ("behind", "count_vs_target")


def test_count_mid_year_is_a_share_of_the_target():
    assert rule_of("新签约10亿元以上项目50个、30亿元以上项目16个。", None,
                   "截至6月30日,新签约10亿元以上项目8个、30亿元以上项目1个。", H1) == ("behind", "count_vs_target")


def test_a_verb_alone_does_not_name_what_is_counted():
    # '组织100家以上企业' vs '组织25家规上工业企业参加培训': nothing counted in common but the verb
    target = "组织100家以上企业开展科技要素对接。"
    assert infer("", target, "3.组织25家规上工业企业参加2024年度研发创新及科技统计培训会。", Q4).rule != "count_vs_target"


# --- shares printed as 进度N% -----------------------------------------------------------------------------

@pytest.mark.parametrize("text,pct", [
    ("推进完成土地二轮延包进度99%实现土地流转率70%", 99),
    ("黄里山体治理计划12月完成石料排险50万吨,完成整体进度20%;", 20),
    ("上半年,全市新建农机服务中心12个、提升整合31个,进度68.9%。", 68.9),
])
def test_share_of_work(text, pct):
    assert [(s.pct, s.pattern) for s in figures.stated_shares(text)] == [(pct, "share_of_work")]


def test_share_of_work_against_the_period():
    assert rule_of("", None, "推进完成土地二轮延包进度99%", Q4) == ("behind", "share_of_work")
    assert rule_of("", None, "上半年,全市新建农机服务中心12个、提升整合31个,进度68.9%。", H1) == ("on_track", "share_of_work")
    assert figures.stated_shares("超序时进度13.2个百分点") == []


# --- activities reported with nothing outstanding: a period-aware default ---------------------------------

def test_activity_reported_depends_on_the_period():
    p = "通过座谈会,实地走访、电话沟通等形式组织银企对接,组织召开政银企对接会22场。"
    for period, st in ((Q4, "completed"), (H1, "on_track")):
        r = infer("完善科技型企业政银企对接机制。", "召开科技企业银企对接会。", p, period)
        assert (r.status, r.rule, r.confidence) == (st, "activity_reported", "low")
    assert infer("", None, p, None).status == "unknown"  # without a period nothing is assumed


def test_activity_reported_needs_an_activity():
    assert infer("", None, "——", Q4).status == "unknown"
    # only a plan and a wait
    p = "园区基础设施建设、污水管网提升待资金落实,计划2025年03月开工,2026年10月份竣工交付。"
    assert infer("", None, p, Q4).rule != "activity_reported"
    # masked figures give no evidence
    assert infer("", None, "截至xx月底,开(复)工项目xx个,开工率xx.x%,完工项目x个", H1).status == "unknown"


# --- false cues removed -------------------------------------------------------------------------------------

def test_a_sub_step_done_inside_an_unfinished_project_is_not_completion():
    target = "多肽研究院厂房竣工交付,稳步推进多肽产业园建设。"
    p = "1.多肽研究院厂房现已基本施工完毕,二号厂房已施工完成,三号厂房封顶,内墙抹灰完成"
    r = infer("", target, p, Q4)
    assert (r.status, r.rule) == ("behind", "unfinished_at_year_end")
    assert infer("", target, p, H1).status != "completed"


def test_a_counted_part_done_is_not_the_task_done():
    p = "2024年计划实施提质改造工程18.1公里,目前管楼规划路、后赵庄路等5条道路已完成建设内容"
    assert infer("建设农村公路18.1公里。", None, p, Q4).rule != "done_partial"


def test_completed_for_part_of_a_list_is_not_the_whole_task():
    p = "虎寿路、顺河路东延、岱河路南延已竣工,全民健身中心(综合馆)、梅山学校、陈圈路正在施工"
    assert rule_of("", None, p, H1) == ("on_track", "partly_done")
    assert rule_of("加快建设陈圈路等道路,年内竣工。", None, p, Q4) == ("behind", "partly_done")


def test_a_document_issued_completes_only_a_document_task():
    p = "印发《六安市“开发区吹哨、部门报到”工作实施细则(试行)》,建立开发区市级联席会议制度。"
    # an ongoing policy task: the document is activity
    assert infer("完善园区功能,加强园区服务保障。", None, p, H1).rule != "document_issued"
    # the task is to issue it
    assert rule_of("制定出台开发区服务保障实施细则。", None, p, H1) == ("completed", "document_issued")


def test_niding_is_drafted_not_planned():
    # removed false cue: 拟定 (drafted) read as 拟 (a plan); seed 004
    p = "拟定《六安市市级非物质文化遗产代表性传承人认定与管理办法》,9人入选第七批省级非物质文化遗产代表性传承人名单。"
    assert not status._FUTURE.search(p[:2])
    r = infer("制定非遗传承人认定与管理办法。", None, p, H1)
    assert r.status == "on_track" and r.rule == "activity_reported"  # read as an activity, not a plan
    assert status._is_plan("拟于年底建成投产", status.DONE_RULE.regex.search("拟于年底建成投产"))


def test_every_decided_inference_has_a_confidence():
    for p, period in (("合特光电已建成投产。", Q4), ("持续进行中。", Q2), ("预计增长3%", Q4)):
        assert infer("地区生产总值增长6%", None, p, period).confidence in status.CONFIDENCE
    assert status.UNKNOWN.confidence is None


def test_count_named_after_its_figure():
    assert rule_of("力争实施技改项目400个。", None, "1-6月,全市305家规模工业企业共开展335个技改项目,完成投资48.4亿元。", H1) == (
        "ahead", "count_vs_target")
    p = "1.今年以来,27家企业成功认定为高新技术企业,备案87家企业科技型中小企业。"
    assert rule_of("新认定高新技术企业12家,科技型中小企业120家。", None, p, Q4) == ("behind", "count_vs_target")


def test_count_the_same_words_reordered():
    assert rule_of("争取全年新增城镇就业1.8万人。", None, "上半年,全区城镇新增就业14093人,城镇登记失业率1.12%。", Q2) == (
        "ahead", "count_vs_target")


def test_counts_that_are_not_progress():
    # a list item's number is not a figure: '1.4条' is item 1, four rivers
    assert [c.value for c in figures.counts("1.4条中小河流治理工程已开工建设。")] == [4]
    # applications are not results
    p = "上半年,推荐71家企业申报第一批高新技术企业。"
    assert infer("争取年内新增高新技术企业不少于60家", None, p, H1).rule != "count_vs_target"
    # an earlier year's figure
    p = "2021年度全市40个省级美丽乡村中心村工程类项目基本完成。"
    assert infer("建成美丽乡村40个。", None, p, Period(year=2022, half=1)).rule != "count_vs_target"
    # the whole restated before the part done: '318项…实际开工248项'
    r = infer("实施重点工程318项。", None, "318项重点工程项目实际开工248项,累计完成投资216亿元。", H1)
    assert r.evidence is None or "318项 vs 318项" not in r.evidence


def test_results_awaited_from_elsewhere_are_pending_not_a_lag():
    p = "推荐15户企业申报2024年安徽省企业技术中心,认定结果尚未公示。"
    assert rule_of("", None, p, H1) == ("on_track", "pending")


def test_pending_at_year_end_beats_a_part_done():
    p = "曲阳片区控规已经市规划设计院完成待通过。52个老旧小区改造项目已完工,并完成工程竣工验收工作。"
    assert rule_of("完成老旧小区改造52个。", "启动寇湾片区部分工程开工建设;老旧小区改造全面完成。", p, Q4) == (
        "behind", "pending_at_year_end")


def test_goal_reached_on_a_past_date():
    p = "安徽艺术学院迎驾艺术产业学院项目已于2023年11月开工,目前正在进行主体建筑建设。"
    assert rule_of("开工建设安徽艺术学院迎驾艺术产业学院。", None, p, H1) == ("completed", "goal_reached")


def test_an_undated_annual_summary_is_read_at_year_end():
    from types import SimpleNamespace

    from ingestion.normalize.signals import YearEnd, reading_period

    spec = SimpleNamespace(period=None, title="年度工作总结片段(匿名)")
    assert reading_period(spec) == YearEnd()
    assert rule_of("", None, "持续进行中。", YearEnd()) == ("completed", "activity_reported")
    assert reading_period(SimpleNamespace(period=None, title="某区重点工作")) is None
    assert reading_period(SimpleNamespace(period=H1, title="年度工作总结")) is H1


def test_a_goal_verb_inside_a_noun_or_an_open_ended_task_is_not_a_goal():
    p = "培育本地企业兆尹科技5月30日已经报会,三联锻造5月24日深圳主板成功上市。"
    assert infer("坚持“外引”与“内育”相结合,培育更多区内企业上市", None, p, Q2).rule != "goal_reached"
    assert infer("健全“科技型中小企业—高新技术企业—上市高企”梯度培育机制", None, p, Q2).rule != "goal_reached"


def test_something_built_before_is_not_this_periods_result():
    p = "截止6月30日,全市共新建14个乡镇综合运输服务站,对已建成的16个乡镇综合运输服务站进行改造。"
    assert infer("布局建设村级公共快递物流服务终端。", None, p, H1).status != "completed"
    p = "对2022年已建成书吧进行正式移交和“15分钟阅读圈”调研工作。"
    assert infer("新建阅读空间17个", None, p, Q2).status != "completed"


def test_the_rest_still_to_come_is_partly_done():
    p = "截止目前,已建成12个助餐点(老年食堂),其余3个助餐点预计8月底前建成。"
    assert rule_of("新增城乡老年食堂、老年助餐点不少于15个", None, p, Q2) == ("on_track", "partly_done")


def test_a_continuing_task_is_not_finished_mid_year():
    p = "截至6月底,已全面完成市自然资源和规划局移交涉及“非粮化”问题的11个、10.19亩问题整改工作。"
    assert rule_of("坚决遏制永久基本农田“非粮化”。", None, p, H1) == ("on_track", "partly_done")
    assert infer("坚决遏制永久基本农田“非粮化”。", None, p, Q4).status == "completed"


def test_an_undated_summarys_plan_is_not_a_task_of_the_period():
    from ingestion.normalize.signals import YearEnd

    p = "谋划好符合XX发展的好项目,力争招来一个企业、发展壮大好一个产业。"
    assert rule_of("", None, p, YearEnd()) == ("not_applicable", "plan_not_a_task")
    assert infer("计划开工项目", None, None, YearEnd()).status == "not_applicable"  # the item is its own text
    assert infer("", None, p, Q4).rule != "plan_not_a_task"  # a dated bulletin's plan is judged otherwise


def test_figures_that_say_what_is_improved_are_not_targets():
    task = "不断提升22个国考断面、25个省考断面、8个县级以上集中式饮用水水源地水质。"
    p = "(3)2024年1-6月,8个县级以上饮用水水源地水质监测全部达标。"
    assert infer(task, None, p, H1).rule != "count_vs_target"
    assert rule_of("改造提升老旧小区53个。", None, "全市开工改造城镇老旧小区53个。", Q4) == ("completed", "count_vs_target")


def test_a_task_with_a_continuing_part_is_not_finished_mid_year():
    task = "补齐医疗基础设施短板,深化医联体建设内涵,深入推进“优质服务基层行”和社区医院创建"
    p = "截止目前,全区6家街道社区卫生服务中心全部通过“优质服务基层行”建设标准,其中马塘和白马中心成功创建社区医院。"
    assert rule_of(task, None, p, Q2) == ("on_track", "partly_done")


def test_a_tally_with_more_items_on_schedule_is_on_track():
    p = "截止6月底,50项民生实事的84项细分任务已完成全年目标的12项,达序时进度63项,,未达序时进度9项。"
    assert rule_of("深入实施50项民生实事。", None, p, H1) == ("on_track", "stated_tally")
    assert rule_of("", None, "年计划投资2亿元,完成投资2600万元,未达到序时进度。", H1)[0] == "behind"


def test_full_coverage_reached():
    p = "截至今年6月,全市乡镇(街道)全部设立了合法性审查机构,合法性审查机构以设在党政办为主。"
    assert rule_of("加快推进乡镇(街道)决策事项合法性审查全覆盖。", None, p, H1) == ("completed", "goal_reached")


def test_mid_year_an_activity_beside_a_plan_is_on_schedule_at_year_end_it_is_not_done():
    p = "已推荐7家企业申报国家级绿色工厂,预计12月份公布结果。"
    assert rule_of("争创国家级绿色工厂1-2家。", None, p, H1) == ("on_track", "activity_reported")
    assert infer("争创国家级绿色工厂1-2家。", None, p, Q4).rule != "activity_reported"


def test_levels_to_reach_stated_with_shixian():
    target = "完成园区光电产业领域发展规划编制,实现营业收入135亿元、工业产值55亿元、固定资产投资46亿元。"
    p = "正在对接中科院过程所产业规划编制工作,1-12月份实现营收140亿元,工业产值33.21亿元,固定资产投资36.01亿元。"
    assert rule_of("", target, p, Q4) == ("behind", "level_vs_target")


def test_rank_vs_target():
    task = "推动科技创新指数进步排名位次前移,进入全省45个区前15名。"
    p = "2024年,在全省45个城区中,相山区科技创新指数位居31名,位居三区第一;"
    assert rule_of(task, None, p, Q4) == ("behind", "rank_vs_target")
    assert rule_of(task, None, "科技创新指数位居12名。", Q4) == ("completed", "rank_vs_target")


def test_a_gap_at_year_end_for_a_result_due():
    target = "绿色食品子基金按照合伙协议规定,对项目进行尽调,计划落实投资2项招商引资项目。"
    p = "成立子基金现阶段千行尽调报告已出具,立项正在同步进行,国元跟对方核对材料信息。"
    assert rule_of("", target, p, Q4) == ("behind", "unfinished_at_year_end")
    assert rule_of("", target, p, H1)[0] == "on_track"
    # a pipeline counted is not a gap
    p = "已签约或落地运营的项目20个,正在洽谈跟进项目27个。2024年服务业新增纳统企业17家。"
    assert infer("", "完成年度目标招商任务,确保优质服务业纳统10家。", p, Q4).rule != "unfinished_at_year_end"


def test_a_share_of_another_levels_assignment_yields_to_the_tasks_own_count():
    target = "推动各任务单位全年签约亿元以上项目35个,新开工亿元以上项目30个。"
    p = ("全年新签约项目45个,全区新签约亿元以上项目26个,完成市级年度目标任务104%,总投资额83.49亿元。"
         "全区新开工亿元以上项目25个,完成市级年度目标任务119%。")
    r = infer("", target, p, Q4)
    assert (r.status, r.rule) == ("behind", "count_vs_target")
    assert "新开工亿元以上项目30个 vs 新开工亿元以上项目25个" in r.evidence  # the figure whose words match best


def test_only_some_of_the_whole_reached_the_last_step():
    p = "三所幼儿园已全部完成装修,其中两所已投入使用"
    target = "完成桓湖小区、濉河花园西区、濉河花园东区3所小区配套幼儿园的装修施工并投入使用。"
    assert rule_of("", target, p, Q4) == ("behind", "partly_done")


def test_a_row_under_a_plan_chapter_is_not_progress_whatever_its_words():
    from ingestion.model import FLAGS
    from ingestion.normalize.signals import YearEnd
    from ingestion.normalize.status import PLAN_FLAGS

    assert PLAN_FLAGS <= set(FLAGS)  # the parser's own flag vocabulary
    # a heading of next year's project list: 竣工 here is the plan, not an achievement
    item = "计划建成投用的民生工程"
    res = infer(item, None, None, YearEnd(), flags=["narrative_item", "forward_plan"])
    assert (res.status, res.rule, res.confidence) == ("not_applicable", "plan_chapter", "medium")
    # the same words in a dated bulletin's progress, not under a plan chapter, are judged on the text
    assert infer("新建道路3条", None, "3条道路已全部建成投用", Q4).status == "completed"


# --- issue #9, this pass: directives in annual summaries, masked names, scopes, the schedule in words ----

from ingestion.normalize.signals import YearEnd, reading_text  # noqa: E402

UNDATED = YearEnd()  # an undated annual summary, read at year end


@pytest.mark.parametrize("item", [
    # narrative_fragments: items of a plan worded as directives, with nothing said to have happened
    "要紧盯全国一流县域治理现代化服务平台目标,深化智慧广电乡村工程全国试点创建",
    "谋划好符合XX发展的好项目,力争招来一个企业、发展壮大好一个产业。抓好传统产业转型升级",
    "推进2024年为民办实事万人应急救护培训项目任务的完成;计划举办x期红十字救护员培训班,培训救护员xx名",
    # our own words, the same shape
    "将继续加大农贸市场巡查力度,着力提升群众满意度",
])
def test_a_directive_with_nothing_done_is_not_a_task_of_the_period(item):
    assert rule_of(None, None, item, UNDATED) == ("not_applicable", "plan_not_a_task")


@pytest.mark.parametrize("item", [
    # a directive word beside what was done: the summary reports work ('已', '截至', '共…N')
    "截至11月,已组织巡查12次,力争全年不少于15次",
    "我镇共开发公益性岗位110个,确保务工监测数据录入及时",
    # 计划 as a noun, 将 as 把: no directive ('提出工作计划', '将构建和谐关系作为…')
    "组织各部门自查自纠并提出工作计划,进一步压实主体责任",
    "同时,将构建和谐关系作为工作的重要举措,把职工大会的审议建议权落到实处",
])
def test_what_was_done_beside_a_directive_word_is_progress(item):
    assert infer(None, None, item, UNDATED).status != "not_applicable"


def test_a_directive_rule_reads_only_undated_summaries():
    # in a dated bulletin a plan word does not make the row 'not a task of the period'
    assert infer("举办培训", None, "计划举办3期培训班", Q4).status != "not_applicable"


def test_a_closing_clause_of_purpose_is_no_plan_a_dated_one_is():
    # narrative_fragments: '…进行现场指导,…确保征收工作顺利进行' reports the guidance given
    p = "征管中心组成三个指导小组不定期赴项目组进行现场指导,确保征收工作顺利进行。"
    assert rule_of(None, None, p, UNDATED) == ("completed", "activity_reported")
    # our own words: a dated 确保 is a promise, not a result
    assert infer("建成便民中心", None, "完成选址论证工作,确保2025年6月建成投用。", Q4).rule != "activity_reported"


def test_a_summary_item_is_not_its_own_target():
    # narrative_fragments: the item is the only text; it must not be measured against itself
    item = "新建村级供销社服务网点23个,实现村级供销社服务网点累计建设55个的年度目标任务"
    assert infer(item, None, None, UNDATED).rule != "count_vs_target"


@pytest.mark.parametrize("text,masked", [
    ("“XX县古树名木认捐认养活动”等", False),  # a masked name hides no figure
    ("全力推动民营企业在XX落地生根", False),
    ("营业额已完成XX万的营业额", True),
    ("打造x-x个基层红十字示范点", True),
])
def test_a_masked_name_is_not_a_masked_figure(text, masked):
    assert figures.masked_figures(text) is masked


def test_a_count_of_the_things_a_statement_is_about_is_no_count_target():
    # 绍兴 (rw09/rw17): '4个结构性指标均实现10%以上增长' against '4个结构性指标中,…' is not 4 of 4 reached
    task = "确保有效投资增长高于经济增长、4个结构性指标均实现10%以上增长"
    prog = "4个结构性指标中,民间项目投资同比下降4.7%,交通投资增长6.5%"
    assert infer(task, None, prog, Period(year=2020, annual=True)).rule != "count_vs_target"
    # ... while 'all 86 to start' is a count (相山区: '86个计划新开工项目全部开工建设')
    assert status._is_scope("86个计划新开工项目全部开工建设", figures.counts("86个计划新开工项目全部开工建设")[0]) is False


@pytest.mark.parametrize("progress,expected", [
    ("1-6月项目累计完成投资126.02亿元,投资完成率65.22%,比时间进度快15.22个百分点。", "ahead"),  # 蓬江 (rw08)
    ("完成投资40亿元,较序时进度慢8个百分点", "behind"),  # our own words
    ("全年目标完成45%,落后于时间进度5个百分点", "behind"),
])
def test_the_schedule_stated_in_other_words(progress, expected):
    assert infer("完成投资", None, progress, H1).status == expected


def test_a_completion_measure_is_not_a_completion():
    # 绍兴 (rw09): '从1-2月主要经济指标完成情况看' names a measure; nothing is done
    r = infer("确保地区生产总值增长7%左右", None, "从1-2月主要经济指标完成情况看,部分指标实现正增长", Period(year=2020, quarter=1))
    assert r.rule != "done_partial"


def test_traditional_text_and_pinyin_artefacts_are_read_as_simplified_words():
    # 蓬江 (rw08): a page run through a converter that annotates characters with pinyin
    printed = "119項(xiàng)區(qū)委、區(qū)政府重點(diǎn)工作均按進(jìn)度推進(jìn)中。"
    assert reading_text(printed) == "119项区委、区政府重点工作均按进度推进中。"
    assert reading_text(None) is None

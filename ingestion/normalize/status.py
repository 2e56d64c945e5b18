"""What a row's text alone says about its status: rules as data, evaluated in order, first wins.

``infer(task, period_target, progress, period)`` returns an ``Inference`` (status, rule, evidence,
confidence). Each rule reads like a careful supervisor (docs/status-reading.md is the protocol the
labelled reading follows; ``bulletins agreement`` measures the rules against it).

Precedence (why in brackets; confidence in braces):
 1. ``suspended_from_above``  暂停/叫停 by a national or provincial decision -> not_applicable {high}
                      [nothing the unit could do; not a lag]
 2. ``stated_behind`` / ``stated_ahead`` / ``stated_on_track``  the progress text states the schedule
                      itself: 未达到序时进度, 进展缓慢, 滞后 / 超序时进度 / 达到序时, 序时推进 {high};
                      a tally with more items on schedule than behind (达序时进度63项,未达序时进度9项)
                      is ``stated_tally`` -> on_track {medium}
                      [the author's own verdict beats our arithmetic; 'behind' first: a task is only
                      as far along as its slowest part]
 3. ``not_assigned``  暂缓实施, 取消实施, 未下达…任务 -> not_applicable {high}
 4. ``share_*``       a stated share of the year's target (完成年度任务的74.13%, 占年度计划的63.2%,
                      进度99%) vs the period's elapsed share (``share_status``); the lowest decides {high}
 5. ``growth_vs_target``  growth target (增长6%) vs the growth achieved for the same thing {high}
 6. ``above_average`` target 高于全省 vs text 高于/低于全省 {high}
 7. ``level_vs_target``  year end only: a money level target (330亿元以上) vs the level achieved {high}
 8. ``lag_phrase``    未开工, 暂未, 尚未, 未完成, 暂无, 停工, 暂停 … -> behind {medium} [something due
                      is outstanding; '暂未发现违法' reports an absence and does not count]
 8b. ``pending_at_year_end``  year end, the step the target asks for (出台, 开工, 签约 …) awaits
                      someone else (待评审, 审核中) -> behind {medium}
 8c. ``rank_vs_target``  a rank to reach (前15名) vs the rank reached (位居31名) {high}
 9. ``count_vs_target``  a counted target (新增…6家以上, 不少于1200家, 全年不少于10次, 400组) vs the count
                      reported for the same thing (8家, 3200余家次, 第十期, 全年共计413组, a figure
                      printed without its unit after the same words); lower-is-better targets
                      (发案660起, 控制在…以内) the other way round. Year end: reached completed, short
                      behind; mid-year the count is a share of the target (``share_status``) {high}
10. ``pending``       待评审, 待审批, 审核中, 尚未公示 … -> on_track {medium} [someone else's step]
11. ``document_issued``  印发/出台《…》 -> completed only when the task is issuing that document {medium}
                      [for an ongoing policy task a document issued is activity, not completion]
12. ``partly_done``   a completion phrase beside work still under way (三条路已竣工, 其余正在施工):
                      mid-year on_track; year end behind when the task is to finish something {medium}
13. ``done_phrase``   已建成, 已投产, 全面完成, 已竣工, 已获批, 超额完成 … -> completed {medium}
                      (not when a plan word precedes: 计划…竣工交付)
14. ``unfinished_at_year_end``  year end, the task is to finish something (竣工, 建成, 投产, 交付)
                      and the text reports it still under way (正在施工, 封顶, 装修) -> behind {medium}
15. ``ongoing``       正在, 推进中, 开工建设 … -> on_track mid-year {medium}; at year end a continuing
                      task falls through to 17
16. ``done_partial``  a bare 完成 on the task (not on a counted part: 5条道路已完成; not 可完成/将完成):
                      completed at year end, on_track before it {low}
17. ``activity_reported``  activities reported, nothing outstanding, no figure to judge: year end
                      completed, mid-year on_track {low} [protocol item 4; filter on confidence]
otherwise ``unknown`` (empty, masked or only plans). An undated annual summary (``signals.reading_period``)
is read at year end, its item text standing in for an empty progress cell, and an item worded only
as a plan or directive is ``plan_not_a_task`` -> not_applicable {low}. A row the parser found under a
plan chapter (flag ``forward_plan``: 下一步工作打算, 2024年度计划实施的重点项目) is ``plan_chapter`` ->
not_applicable {medium}, whatever its words: the document's structure says it is not progress.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ingestion import periods
from ingestion.model import STATUS_CONFIDENCE
from ingestion.normalize import figures

AHEAD_MARGIN = 0.25  # a share this far above the elapsed share is ahead (75 % at mid-year)
ON_TRACK_TOLERANCE = 0.10  # a share this close below the elapsed share is still on schedule (40 % at H1)
CONFIDENCE = STATUS_CONFIDENCE  # one home: ingestion.model


@dataclass(frozen=True)
class Inference:
    status: str
    rule: str | None = None
    evidence: str | None = None
    completion_pct: float | None = None
    confidence: str | None = None


UNKNOWN = Inference("unknown")


@dataclass(frozen=True)
class Rule:
    """A phrase rule: ``regex`` searched in the progress text; the match is the evidence."""

    name: str
    regex: re.Pattern
    status: str
    confidence: str = "medium"


def _rx(*alts: str) -> re.Pattern:
    return re.compile("|".join(alts))


# A higher-level body stops the work: not the unit's lag ('被国家有关部门叫停', '鉴于省级…已暂停开展').
_HIGHER_LEVEL = r"(?:国家|中央|国务院|部委|省级|省委|省政府|省[^\s,,。;;]{0,3}(?:厅|委|局|部)|上级|有关部门)"
# A superior's decision to stop ('根据区主要领导安排,…项目已停工', '已由市政府统筹安排').
_DECIDED = r"(?:根据|按照|经)[^,,。;;\n]{0,8}(?:领导|政府|党委|常委会|常务会)[^,,。;;\n]{0,6}(?:安排|决定|要求|研究)"
SUSPENDED_RULE = Rule("suspended_from_above", _rx(
    rf"{_HIGHER_LEVEL}[^。;;\n]{{0,24}}(?:暂停|叫停|停止|暂缓|取消)",
    rf"(?:暂停|叫停)[^。;;\n]{{0,6}}(?:按照|根据|依据){_HIGHER_LEVEL}",
    rf"{_DECIDED}[^。;;\n]{{0,20}}(?:停工|暂停|停止|暂缓|取消)"),
    "not_applicable", "high")
# The author says it is behind / ahead / on schedule.
STATED_RULES = [
    Rule("stated_behind", _rx(
        r"(?:未|没有|尚未|未能)达到?(?:序时|时序)(?:进度)?", r"(?:尚未|未)达到时间过半",
        r"滞后于?(?:序时|时序)?(?:进度)?", r"进度滞后", r"进展(?:较为|较|相对|比较)?缓慢",
        r"推进(?:较为|较|相对|比较)?缓慢", r"欠(?:序时)?进度", r"叫停",
        r"未完成(?:年度|全年|序时)(?:目标)?任务", r"落后于?(?:序时|时序|时间)进度",
        r"(?:比|较)(?:序时|时序|时间)进度(?:慢|落后|滞后)"), "behind", "high"),
    Rule("stated_ahead", _rx(r"超(?:过)?序时(?:进度)?", r"快于(?:序时|时序|时间)", r"超(?:过)?(?:时间)?进度", r"提前完成",
                             r"(?:比|较)(?:序时|时序|时间)进度(?:快|超前)"), "ahead", "high"),
    Rule("stated_on_track", _rx(
        r"(?<![未没尚])达到?序时(?:进度)?", r"符合序时", r"序时推进", r"按序时",
        r"(?<![未没尚])达到时间过半", r"(?:实现|完成)[“\"]?时间过半"), "on_track", "high"),
]
NOT_ASSIGNED = Rule("not_assigned", _rx(
    r"(?:暂缓|停止|取消)(?:实施|建设|推进|执行)(?![\d一二三四五六七八九十几]+[项个条件])", r"不再(?:实施|推进|建设)",
    r"未下达[^,,。;;]{0,12}任务", r"任务(?:已)?取消"), "not_applicable", "high")
# '暂未发现超标' reports the absence of a problem, not an outstanding task.
_NOT_A_LAG = r"(?!发现|出现|收到|接到|发生|就业|公示|公布|批复|反馈)"  # '培训暂未就业6907人' counts people out of work
LAG_RULE = Rule("lag_phrase", _rx(
    r"未开工", rf"暂未{_NOT_A_LAG}", rf"尚未{_NOT_A_LAG}", r"未启动", r"未实施", r"未完成", r"未能", r"暂无",
    r"(?:至今|仍然|仍|还)(?:未|没有?)", r"停工", r"停滞", r"暂停", rf"尚无{_NOT_A_LAG}",
    r"(?<![没])没有?(?:下发|下达|启动|开工|实施|完成|开展|落实)"), "behind")
# A step awaits someone else: in progress, not done ('初稿已完成,待评审').
PENDING_RULE = Rule("pending", _rx(
    r"待(?:评审|审核|审批|审定|通过|批复|落实|上会|验收|下达|公布|签订|公示)", r"审核中", r"审批中", r"评审中",
    r"(?:尚未|暂未|还未)(?:公示|公布|批复|反馈)"),
    "on_track")
# A document issued: the task is done only when issuing it is the task (see _document_rule).
DOCUMENT_RULE = Rule("document_issued", _rx(r"已出台", r"已印发", r"(?:印发|出台|发布)(?:实施)?了?《"), "completed")
# The task asks for a document ('制定出台孵化器扶持政策', '编制…方案').
_DOCUMENT_TASK = re.compile(
    r"(?:制定|出台|印发|编制|起草|修订|修编)[^,,。;;]{0,16}(?:方案|办法|意见|规划|政策|细则|制度|条例|计划|清单|指引|标准|措施|文件)")
DONE_RULE = Rule("done_phrase", _rx(
    r"全面完成", r"全部完成", r"超额完成", r"已完成(?:年度|全年)(?:目标)?任务", r"完成年度(?:目标)?任务",
    r"已建成", r"建成(?:投产|运营|使用|交付)", r"已投产", r"投入(?:使用|运营)", r"已竣工",
    r"竣工(?:验收|交付)", r"已获批", r"获(?:得)?批复", r"已通过[^,,。;;]{0,8}(?:验收|评审|审批|认定|审核)",
    r"已办结", r"达到年度(?:考核)?目标", r"成功(?:认定|获批|举办|创建|入选)"), "completed")
# A bare 完成, not a plan or a hope (可完成, 将完成, 确保完成, 未完成), nor the noun of a measure
# ('从…指标完成情况看', '完成率', '完成任务量60%以上').
PARTIAL_DONE = re.compile(r"(?<![可将未待争保划要望能])完成(?!情况|率|值|进度|任务量|比例)")
# '推进中' ends a clause; '推进中小学生研学' is not work in progress.
ONGOING_RULE = Rule("ongoing", _rx(
    r"稳步推进", r"有序推进", r"加快推进", r"积极推进", r"持续推进", r"扎实推进", r"顺利推进", r"正在",
    r"进行中", r"推进中(?=$|[,,。;;、\s))])", r"已开工", r"开工建设", r"持续(?:开展|进行|跟进)", r"已启动", r"启动"),
    "on_track")
# Work on something to be finished that is still under way.
_UNDER_WAY = re.compile(r"正在(?:施工|建设|推进|实施|进行|装修|安装|调试)|施工中|建设中|在建|(?:其余|剩余|另外)\d+个|"
                        r"其中[两二三四五六七八九\d]+[所个家项座条]已|主体(?:施工|封顶)|已?封顶|"
                        r"(?<!完成)(?:装修|装饰|抹灰|安装|调试)(?:施工)?(?!完成|完毕)|基本(?:施工)?完(?:成|毕)|推进中(?=$|[,,。;;、\s)）])")
# The task is to finish something this period.
_DELIVERABLE = re.compile(r"竣工|建成|投产|交付|投入使用|完工|主体完工")

# A completion phrase in a plan is not a completion: '计划2026年10月份竣工交付'. 拟定 is drafted, not planned.
# 计划 the verb ('计划举办', '计划2025年开工'), not the noun ('工作计划', '年度投资计划', '计划的').
_PLAN_VERB = r"(?<!工作)(?<!年度)(?<!行动)(?<!实施)(?<!投资)(?<!的)计划(?!生育|单列|的)"
_FUTURE = re.compile(_PLAN_VERB + r"|预计|力争|争取|将于|将在|拟(?!定)|确保|目标|要求|任务为|任务是")


def _is_plan(text: str, m: re.Match) -> bool:
    """A plan word shortly before, in the same sentence ('计划2025年3月开工,2026年10月竣工交付')."""
    return bool(_FUTURE.search(figures._sentence_before(text, m.start(), 24)))


def _first(rule: Rule, progress: str) -> re.Match | None:
    for m in rule.regex.finditer(progress):
        if rule.status == "completed" and (_is_plan(progress, m) or _is_attributive(progress, m)):
            continue
        return m
    return None


def _is_attributive(text: str, m: re.Match) -> bool:
    """'对已建成的16个乡镇…', '对2022年已建成书吧进行移交': something built before, not this period's result."""
    return text[m.end(): m.end() + 1] == "的" or bool(re.search(r"对[^,,。;;]{0,6}$|20\d\d年度?$", text[max(0, m.start() - 8): m.start()]))


def _phrase(rule: Rule, progress: str) -> Inference | None:
    m = _first(rule, progress)
    return None if m is None else Inference(rule.status, rule.name, _around(progress, m), confidence=rule.confidence)


def _around(text: str, m: re.Match | None, pad: int = 8) -> str:
    if m is None:
        return ""
    return text[max(0, m.start() - pad): m.end() + pad].replace("\n", " ")


# --- quantitative rules -----------------------------------------------------------------------------

_OTHER_LEVEL = re.compile(r"[省市区县]级(?:年度|全年)")


def share_status(pct: float, elapsed: float | None) -> str | None:
    """A share of the year's target (in %) against the share of the year elapsed: >=100 completed;
    mid-year >= elapsed + AHEAD_MARGIN ahead; >= elapsed - ON_TRACK_TOLERANCE on_track; else behind.
    At year end anything short of 100 % is behind."""
    if pct >= 100:
        return "completed"
    if elapsed is None:
        return None
    share = round(pct / 100, 4)
    if elapsed >= 1.0:
        return "behind"
    if share >= round(elapsed + AHEAD_MARGIN, 4):
        return "ahead"
    if share >= round(elapsed - ON_TRACK_TOLERANCE, 4):
        return "on_track"
    return "behind"


def _share_rule(ctx: _Ctx) -> Inference | None:
    if not ctx.shares:
        return None
    # '完成市级年度目标任务104%' is a share of another level's assignment: the task's own counted
    # target, where the text reports it, decides ('签约亿元以上项目35个' vs '26个').
    if all(_OTHER_LEVEL.search(s.text) for s in ctx.shares):
        own = _count_rule(ctx)
        if own is not None:
            return own
    low = min(ctx.shares, key=lambda s: s.pct)
    status = share_status(low.pct, ctx.elapsed)
    if status is None:
        return None
    return Inference(status, low.pattern, "; ".join(s.text for s in ctx.shares), confidence="high")


def growth_status(actual: float, target: float, year_end: bool) -> str:
    if actual < target:
        return "behind"
    return "completed" if year_end else "on_track"


def match_growth(target: figures.Growth, actuals: list[figures.Growth], n_targets: int,
                 progress: str) -> figures.Growth | None:
    """The achieved figure for one growth target: the one whose sentence names the same thing;
    else, when the task has one target and the text one figure (or is only a figure), that one."""
    named = [a for a in actuals if figures.same_subject(target.subject, a.context)]
    if named:
        return named[0]
    if n_targets == 1:
        if len(actuals) == 1:
            return actuals[0]
        if not actuals:
            return figures.bare_growth(progress)
    return None


def _growth_rule(ctx: _Ctx) -> Inference | None:
    targets = figures.growth_targets(ctx.target_text)
    if not targets:
        return None
    actuals = figures.growth_actuals(ctx.progress)
    verdicts = []
    for t in _dedupe_targets(targets):
        a = match_growth(t, actuals, len(_dedupe_targets(targets)), ctx.progress)
        if a is not None:
            verdicts.append((growth_status(a.value, t.value, ctx.year_end), f"{t.text} vs {a.text}"))
    if not verdicts:
        return None
    worst = next((v for v in verdicts if v[0] == "behind"), verdicts[0])
    return Inference(worst[0], "growth_vs_target", "; ".join(v[1] for v in verdicts))


def _dedupe_targets(targets: list[figures.Growth]) -> list[figures.Growth]:
    """The task and its period target often repeat the same target ('增长6%' twice)."""
    seen: dict[float, figures.Growth] = {}
    for t in targets:
        if t.value not in seen or (len(t.subject) > len(seen[t.value].subject)):
            seen[t.value] = t
    return list(seen.values())


_ABOVE_TARGET = re.compile(r"(?:高于|快于|超过)全省")
_ABOVE = re.compile(r"(?:高于|快于|超过|超出)全省(?:平均)?(?:水平)?(?:增幅|增速)?\s*(?:\(?\d+(?:\.\d+)?%?\)?)?\s*\d*(?:\.\d+)?(?:个百分点)?")
_BELOW = re.compile(r"(?:低于|慢于|落后于?)全省(?:平均)?(?:水平)?(?:增幅|增速)?\s*(?:\(?\d+(?:\.\d+)?%?\)?)?\s*\d*(?:\.\d+)?(?:个百分点)?")


_PROVINCIAL = re.compile(r"全省(?:平均)?(?:水平)?(?:增幅|增速|增长)?(?:为|是)?\s*\(?(?P<num>-?\d+(?:\.\d+)?)\s*[%%]")


def above_average(progress: str) -> tuple[bool, str] | None:
    """Does the text say the figure is above (True) or below (False) the provincial one?"""
    below, above = _BELOW.search(progress), _ABOVE.search(progress)
    if below:  # both stated: the first is the headline figure
        if above and above.start() < below.start():
            return True, above.group(0)
        return False, below.group(0)
    if above:
        return True, above.group(0)
    # '增速3.6%…(全省平均增幅3.9%)': compare the figures.
    prov = _PROVINCIAL.search(progress)
    if prov:
        own = [g for g in figures.growth_actuals(progress) if not (prov.start() <= g.start < prov.end())]
        pv = figures.to_number(prov.group("num"))
        if own and pv is not None:
            return own[0].value > pv, f"{own[0].text} vs {prov.group(0)}"
    return None


def _above_average_rule(ctx: _Ctx) -> Inference | None:
    if not _ABOVE_TARGET.search(ctx.target_text):
        return None
    res = above_average(ctx.progress)
    if res is None:
        return None
    ok, ev = res
    status = ("completed" if ctx.year_end else "on_track") if ok else "behind"
    return Inference(status, "above_average", ev)


# Amounts that accumulate through the year (an output, an investment, a revenue), so that a
# mid-year figure is a share of the annual level; a balance (贷款余额) or a scale (规模) is not.
FLOW_WORDS = ("产值", "营收", "营业收入", "投资", "收入", "销售", "交易额", "出口", "进出口", "税收", "产出", "增加值")
_LEVEL_LEAD = re.compile(r"(?:力争|争取|确保|突破|达到|达|超过|实现|完成|全年|年度|\d|年|[-—~])+$")


def _level_subject(text: str, start: int) -> str:
    """The measured thing before a level target ('2023年产值力争突破100亿元' -> '产值')."""
    head = figures._sentence_before(text, start, 20)
    head = re.split(r"[,,、]", head)[-1]
    return re.sub(r"^[\d年月\-—~]+", "", _LEVEL_LEAD.sub("", head)[-6:])


def _level_rule(ctx: _Ctx) -> Inference | None:
    """A level target (330亿元以上, 突破100亿元) vs the level reached for the same thing: at year end
    reached completed, short behind; mid-year only for amounts that accumulate (FLOW_WORDS), as a
    share of the annual level (``share_status``)."""
    if ctx.elapsed is None:
        return None
    targets = [t for t in figures.levels(ctx.target_text)
               if "以上" in t.text or re.search(r"达|突破|实现", ctx.target_text)]
    actuals = figures.levels(ctx.progress)
    if len(targets) == 0 or not actuals:
        return None
    verdicts = []
    for t in targets:
        tv, tc = t.base()
        subject = _level_subject(ctx.target_text, t.start)
        if not ctx.year_end and not any(w in subject for w in FLOW_WORDS):
            continue
        for a in actuals:
            av, ac = a.base()
            ctx_a = figures._sentence_before(ctx.progress, a.start, 20)
            if ac == tc and tv > 0 and figures.same_subject(subject, ctx_a):
                st = ("completed" if av >= tv else "behind") if ctx.year_end else share_status(100 * av / tv, ctx.elapsed)
                if st is not None:
                    verdicts.append((st, f"{t.text} vs {a.text}"))
                break
    if not verdicts:
        return None
    worst = next((v for v in verdicts if v[0] == "behind"), verdicts[0])
    return Inference(worst[0], "level_vs_target", "; ".join(v[1] for v in verdicts),
                     confidence="high" if ctx.year_end else "medium")


# A figure for one month or one quarter ('11月:培训200人次', '四季度新建103组') is an increment,
# not progress against the year's target; '1-12月' or '全年' is cumulative.
_INCREMENT = re.compile(r"(?:^|[^\d\-—~～至])\d{1,2}月份?[::]?|[一二三四1-4]季度")
_CUMULATIVE = re.compile(r"累计|全年|共计|合计|总计|今年以来|年初以来")
# Counted things where fewer is better (cases, accidents, the unemployed): data, one home.
LOWER_IS_BETTER = ("发案", "案件", "案损", "事故", "火灾", "死亡", "伤亡", "失业", "投诉", "信访", "欠薪", "能耗")
_LOWER_QUALIFIERS = ("以内", "以下")


# Applications, recommendations and plans counted are not results ('推荐71家企业申报高新技术企业').
_NOT_A_RESULT = re.compile(r"申报|推荐|谋划|储备|上报|拟")


def _is_achieved(text: str, c: figures.Count) -> bool:
    head = figures._sentence_before(text, c.start, 40)
    if _FUTURE.search(c.key) or _FUTURE.search(figures._sentence_before(text, c.start, 12)):
        return False
    return not (_INCREMENT.search(head) and not _CUMULATIVE.search(head))


_YEAR = re.compile(r"(20\d\d)年")


def _earlier_year(ctx: _Ctx, c: figures.Count) -> bool:
    """A figure for an earlier year ('2021年度全市40个…') is not this period's progress."""
    if ctx.year is None:
        return False
    years = _YEAR.findall(figures._sentence_before(ctx.progress, c.start, 16))
    return bool(years) and int(years[-1]) < ctx.year


def _of_which(c: figures.Count, found: list[figures.Count]) -> bool:
    """'318项重点工程项目实际开工248项': the first figure restates the whole, the next is progress."""
    return any(o.start > c.start and o.family == c.family and o.start - c.start <= len(c.text) + len(c.after)
               for o in found)


# '不断提升22个国考断面、25个省考断面…水质': the figures say what is improved, not how many to reach.
_SCOPE = re.compile(r"(?:提升|提高|改善|巩固|保持|守住)\d")


# '4个结构性指标均实现10%以上增长' (the four, each to grow by a rate), '4个结构性指标中,…' (among the
# four): the figure says how many things a statement is about, not a count to reach or reached.
# ('86个…项目全部开工建设' is a count: all 86 to start.)
_ABOUT_ALL = re.compile(r"[^,,。;;\d]{0,12}?(?:(?:均|都|全部|各自)[^,,。;;\d]{0,4}[\d.]+%|中[,,:：])")


def _is_scope(text: str, c: figures.Count) -> bool:
    head = re.split(r"[,,。;;\n]", text[max(0, c.start - 40): c.start])[-1]
    return bool(_SCOPE.search(head + c.text)) or bool(_ABOUT_ALL.match(text, c.start + len(c.text)))


def _is_cumulative(text: str, c: figures.Count) -> bool:
    return bool(_CUMULATIVE.search(figures._sentence_before(text, c.start, 20)))


def _common_tail(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


# A verb or a generic noun alone names nothing counted ('组织100家以上企业' vs '组织25家规上企业',
# '招引亿元以上项目120个' vs '新签约项目54个'): two such characters in common are not enough.
_GENERIC_VERBS = ("组织", "开展", "举办", "召开", "完成", "实现", "新增", "培育", "实施", "推动", "建设", "新建", "引进",
                  "打造", "创建", "争创", "认定", "申报", "培训", "服务", "帮助", "走访", "备案", "签约", "招引", "入选")
_GENERIC_TAILS = (*_GENERIC_VERBS, "项目", "企业", "工作", "以上")


def _names_nothing(key: str) -> bool:
    han = re.sub(r"[^\u4e00-\u9fff]", "", key)
    return len(han) < 2 or any(han.endswith(g) for g in _GENERIC_VERBS) or han.endswith(("共", "等", "了"))


def _longest_run(a: str, b: str) -> int:
    from difflib import SequenceMatcher

    return SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b)).size


def _lower_is_better(t: figures.Count) -> bool:
    return t.qualifier in _LOWER_QUALIFIERS or any(w in t.key for w in LOWER_IS_BETTER)


def _same_count(t: figures.Count, a: figures.Count, only_of_family: bool, progress: str) -> bool:
    """Does the reported figure ``a`` count what the target ``t`` counts?"""
    if a.bare:  # no unit printed: the very words before the target's figure end right before it
        return _common_tail(t.key, a.key) >= 3
    if a.family != t.family:
        return False
    if a.ordinal:  # '第十期' answers a target of so many events that names nothing else ('全年不少于10次')
        return len(re.sub(r"[^\u4e00-\u9fff]", "", t.key)) <= 2 or figures.same_subject(t.key, a.key)
    # The counted thing is named right before its figure: '新增省专精特新企业6家以上' vs '…企业8家',
    # '季度走访企业不少于1200家' vs '累计走访企业3200余家次', '发案660起' vs '发案624起'.
    tail = _common_tail(t.key, a.key)
    if tail >= 3 or (tail >= 2 and t.key[-2:] not in _GENERIC_TAILS and tail == len(t.key)) \
            or (tail >= 2 and t.key[-2:] not in _GENERIC_TAILS and len(set(t.key[-6:]) & set(a.key)) >= 4):
        # '发案' = '发案'; '新增城镇就业1.8万人' vs '城镇新增就业14093人' (the same words reordered)
        return True
    # The counted thing named after the figure ('实施技改项目400个' vs '开展335个技改项目',
    # '新认定高新技术企业12家' vs '27家企业成功认定为高新技术企业'): only where the words before a
    # figure name no thing (a verb, or nothing).
    t_open, a_open = _names_nothing(t.key), _names_nothing(a.key)
    pairs = ([(t.key, a.after)] if a_open and not t_open else []) + ([(t.after, a.key)] if t_open and not a_open else []) \
        + ([(t.after, a.after)] if t_open and a_open else [])
    if any(x and y and _longest_run(x, y) >= 4 for x, y in pairs):
        return True
    # '新建…充电桩设置400组' vs '全年共计新建设置413组': the one figure of that unit in the target
    # against the year's cumulative figure of that unit.
    return only_of_family and a.unit == t.unit and _is_cumulative(progress, a)


def _count_rule(ctx: _Ctx) -> Inference | None:
    """A counted target vs the count the text reports for the same thing."""
    targets = [t for t in figures.counts(ctx.target_text) if t.value > 0 and not _FUTURE.search(t.key[-2:])
               and not _is_scope(ctx.target_text, t)]
    if not targets:
        return None
    found = figures.counts(ctx.progress)
    reported = [a for a in found + figures.ordinals(ctx.progress) + figures.bare_numbers(ctx.progress)
                if _is_achieved(ctx.progress, a) and not _earlier_year(ctx, a) and not _of_which(a, found)
                and not _is_scope(ctx.progress, a)]
    # The task and its period target often repeat one figure ('400组以上' / '400组'): one target.
    families = [f for _, f in {(t.value, t.family) for t in targets}]
    verdicts = []
    seen: set[tuple[float, str]] = set()
    for t in targets:
        if (t.value, t.family) in seen:  # the task and its period target repeat the same figure
            continue
        seen.add((t.value, t.family))
        same = [a for a in reported if _same_count(t, a, families.count(t.family) == 1, ctx.progress)
                and (not _NOT_A_RESULT.search(a.key + a.after) or _NOT_A_RESULT.search(t.key + t.after))
                # the design of the thing counted is not the thing ('1.2万亩…项目设计工作')
                and (not _PRELIMINARY.search(a.after) or _PRELIMINARY.search(t.key + t.after))]
        if not same:
            continue
        lower = _lower_is_better(t)
        st: str | None
        # The figure whose words match the target's best ('新开工…30个' vs '新开工…25个', not '新签约…26个');
        # several for the same thing (a quarter's and the year's): the cumulative is the largest.
        a = max(same, key=lambda x: (_longest_run(t.key, x.key), x.value))
        if lower:
            st = ("completed" if ctx.year_end else "on_track") if a.value <= t.value else "behind"
        elif ctx.year_end or ctx.elapsed is None:
            st = "completed" if a.value >= t.value else ("behind" if ctx.year_end else None)
        else:
            st = share_status(100 * a.value / t.value, ctx.elapsed)
        if st is not None:
            verdicts.append((st, f"{t.key}{t.text} vs {a.key}{a.text}"))
    if not verdicts:
        return None
    order = {"behind": 0, "on_track": 1, "ahead": 2, "completed": 3}
    worst = min(verdicts, key=lambda v: order.get(v[0], 1))
    return Inference(worst[0], "count_vs_target", "; ".join(v[1] for v in verdicts), confidence="high")


# The step a task names as its goal ('保障…项目顺利开工', '推动…项目建成投产').
GOAL_VERBS = ("开工", "签约", "投产", "建成", "竣工", "获批", "上市", "挂牌", "开业", "通车", "落地", "交付")
# The verb ends the goal ('…顺利开工', '开工建设…'), it is not part of a noun ('上市高企').
_GOAL_END = r"(?=$|[,,。;;、\s]|建设|投产|运营|使用|达产)"
# A task with no end ('培育更多区内企业上市', '持续推进…') is not reached by one case.
_OPEN_ENDED = re.compile(r"更多|一批|持续|不断|常态化|梯度|梯队")
_FINISH_GOALS = ("投产", "建成", "竣工", "通车", "交付")  # a start ('开工') goes on under way once reached
_ACHIEVED = r"(?:已|均已|全部|已经|顺利|成功)(?:于[^,,。;;]{0,12})?(?:实现|完成)?"  # '已于2023年11月开工'


def _goal_rule(ctx: _Ctx) -> Inference | None:
    """The task's goal verb reported done for it ('斯高德、海创循环项目均已开工' for '保障…项目顺利开工')."""
    task = ctx.target_text
    if _OPEN_ENDED.search(task):
        return None
    if re.search(r"全覆盖" + _GOAL_END, task):  # '…全覆盖' reached: '全部设立了…', '实现…全覆盖'
        m = next((m for m in re.finditer(r"全部(?:设立|建立|建成|完成|实现|覆盖)|实现[^,,。;;]{0,12}全覆盖", ctx.progress)
                  if not _is_plan(ctx.progress, m)), None)
        if m is not None:
            return Inference("completed", "goal_reached", _around(ctx.progress, m), confidence="medium")
    goals = [v for v in GOAL_VERBS if re.search(v + _GOAL_END, task)]
    if not goals:
        return None
    if _UNDER_WAY.search(ctx.progress) and any(v in _FINISH_GOALS for v in goals):
        return None  # to be finished, a part still under way: see partly_done
    found = []
    for v in goals:
        m = next((m for m in re.finditer(_ACHIEVED + v, ctx.progress) if not _is_plan(ctx.progress, m)), None)
        if m is None:
            return None
        found.append(m)
    return Inference("completed", "goal_reached", "; ".join(_around(ctx.progress, m) for m in found),
                     confidence="medium")


# The step a target names last: awaited at year end it is not done ('初稿已完成,待评审' for '正式出台发布').
_FINAL_STEP = re.compile(r"出台|发布|印发|获批|批复|开工|竣工|建成|投产|签订|签约|交付|投入使用|落地|纳统|入规")


def _pending_at_year_end_rule(ctx: _Ctx) -> Inference | None:
    """At year end, what the target asks for still awaits someone else: behind, whatever else is done
    (a part stated undone, protocol item 6)."""
    if not ctx.year_end or not _FINAL_STEP.search(ctx.target_text):
        return None
    res = _phrase(PENDING_RULE, ctx.progress)
    return None if res is None else Inference("behind", "pending_at_year_end", res.evidence, confidence="medium")


# A rank to reach ('进入全省45个区前15名') and the rank reached ('科技创新指数位居31名', '居全省第3').
_RANK_TARGET = re.compile(r"前\s*(?P<n>\d+|[一二三四五六七八九十]+)\s*(?:名|位)")
_RANK_REACHED = re.compile(r"(?:位居|位列|居|排名|排)(?:全省|全市|全国)?(?:第)?\s*(?P<n>\d+|[一二三四五六七八九十]+)\s*(?:名|位)")


def _rank_rule(ctx: _Ctx) -> Inference | None:
    """A rank target against the rank the text reports: at or above it completed (on_track mid-year),
    below it behind."""
    t = _RANK_TARGET.search(ctx.target_text)
    if t is None:
        return None
    target = figures.to_number(t.group("n"))
    reached: list[tuple[float, re.Match]] = []
    for m in _RANK_REACHED.finditer(ctx.progress):
        v = figures.to_number(m.group("n"))
        if v is not None and not _is_plan(ctx.progress, m):
            reached.append((v, m))
    if target is None or not reached:
        return None
    v, m = reached[0]
    ok = v <= target
    st = ("completed" if ctx.year_end else "on_track") if ok else "behind"
    return Inference(st, "rank_vs_target", f"{t.group(0)} vs {m.group(0)}", confidence="high")


def _document_rule(ctx: _Ctx) -> Inference | None:
    """印发/出台《…》: completed when the task is to issue a document, else only activity."""
    m = _first(DOCUMENT_RULE, ctx.progress)
    if m is None or not _DOCUMENT_TASK.search(ctx.target_text):
        return None
    return Inference("completed", DOCUMENT_RULE.name, _around(ctx.progress, m), confidence="medium")


def _done_rule(ctx: _Ctx) -> Inference | None:
    m = _first(DONE_RULE, ctx.progress)
    if m is None:
        return None
    rest = _UNDER_WAY.search(ctx.progress)
    if rest is not None:  # done for part of a list, the rest still under way
        # a part stated undone at year end: behind (protocol item 6)
        st = "behind" if ctx.year_end else "on_track"
        return Inference(st, "partly_done", f"{_around(ctx.progress, m)} / {_around(ctx.progress, rest)}",
                         confidence="medium")
    if not ctx.year_end and _CONTINUING_TASK.search(ctx.target_text):
        # a continuing task ('坚决遏制…', '持续深化…') is not finished mid-year by one result
        return Inference("on_track", "partly_done", _around(ctx.progress, m), confidence="low")
    if not _all_parts_done(ctx.progress):
        # One item of several done ('…成功入选…' among other activities): the task is not done with it.
        return Inference("completed" if ctx.year_end else "on_track", "partly_done", _around(ctx.progress, m),
                         confidence="low")
    return Inference("completed", DONE_RULE.name, _around(ctx.progress, m), confidence="medium")


# A task that goes on all year ('坚决遏制…', '持续深化…', '不断提升…').
_CONTINUING_TASK = re.compile(r"^(?:坚决|持续|不断|深化|深入|常态化|巩固|坚持|加强|强化|健全|完善)"
                              r"|[,,](?:持续|不断|深化|深入推进|常态化)")

# Items of a progress text: sentences and numbered points.
_ITEM_SPLIT = re.compile(r"[。;;\n]|(?<![\d.])\d{1,2}[.、](?!\d)|[一二三四五六七八九十]是|[一二三四五六七八九十]、")
_DONE_WORD = re.compile(r"完成|完毕|建成|竣工|投产|获批|办结|通过|入选|认定|交付|投入使用|实现|达到|已开工|全部|均已")


def _all_parts_done(progress: str) -> bool:
    """Every item of the text reports something done (or there is only one item)."""
    items = [x for x in _ITEM_SPLIT.split(progress) if len(_HAN.findall(x or "")) >= 4]
    return len(items) <= 1 or all(_DONE_WORD.search(x) for x in items)


# Words that mark a gap at year end: the work is still going on or only about to happen.
_GAP = re.compile(r"正在|近期将|下一步将|即将|尚在|仍在")
# A target asking for a result this year, beyond finishing works ('计划落实投资2项', '完成…筹备和运行').
_RESULT_DUE = re.compile(r"完成|落实|实现|组建|运行|签约|出台|印发")


def _unfinished_rule(ctx: _Ctx) -> Inference | None:
    """Year end: a task to finish something (竣工交付) that the text reports still under way; or a
    target asking for a result where the text marks a gap (正在…, 近期将…) and reports it nowhere done."""
    if not ctx.year_end:
        return None
    if not _DELIVERABLE.search(ctx.target_text):
        # '正在洽谈跟进项目27个' counts a pipeline, it is not a gap in the result
        gap = next((g for g in _GAP.finditer(ctx.progress)
                    if not re.search(r"\d+\s*[个家项]", re.split(r"[,,。;;]", ctx.progress[g.start():])[0])), None)
        if gap is not None and _RESULT_DUE.search(ctx.target_text) and _first(DONE_RULE, ctx.progress) is None:
            return Inference("behind", "unfinished_at_year_end", _around(ctx.progress, gap), confidence="medium")
        return None
    m = _UNDER_WAY.search(ctx.progress)
    if m is None:
        m = ONGOING_RULE.regex.search(ctx.progress)
        if m is None or not m.group(0).startswith(("正在", "推进中", "进行中")):
            return None
    return Inference("behind", "unfinished_at_year_end", _around(ctx.progress, m), confidence="medium")


def _ongoing_rule(ctx: _Ctx) -> Inference | None:
    """Mid-year, work under way is on schedule; at year end a continuing task is judged by 17."""
    if ctx.year_end:
        return None
    return _phrase(ONGOING_RULE, ctx.progress)


# '5条道路已完成', '28户商铺改造完成': a counted part done is not the task done.
_COUNTED_PART = re.compile(r"\d+\s*(?:" + "|".join(figures.COUNT_UNITS) + r")[^,,。;;\d]{0,12}$")


# Steps before the works ('完成1.2万亩高标准农田改造提升项目设计工作', '已初步完成规划设计草案').
_PRELIMINARY = re.compile(r"设计|方案|前期|立项|环评|招标|审批手续|初稿|草案|可研|选址|点位|初步")


def _object_of(text: str, m: re.Match) -> str:
    """The words a 完成 is about: a few before it and its clause after ('…项目设计工作')."""
    after = re.split(r"[,,。;;、\n]", text[m.end(): m.end() + 24])[0]
    return text[max(0, m.start() - 6): m.start()] + after
# A target asking for the works themselves.
_LATER_STEP = re.compile(r"开工|施工|建成|竣工|投产|交付|投入使用|工程量|改造提升|建设完成|完工")


def _partial_done_rule(ctx: _Ctx) -> Inference | None:
    for m in PARTIAL_DONE.finditer(ctx.progress):
        if _is_plan(ctx.progress, m):
            continue
        clause = figures._sentence_before(ctx.progress, m.start(), 24)
        clause = re.split(r"[,,、]", clause)[-1]
        if _COUNTED_PART.search(clause):
            continue
        if _PRELIMINARY.search(_object_of(ctx.progress, m)):
            # the design or the approvals done, the works not: not the task done
            if ctx.year_end and _LATER_STEP.search(ctx.target_text):
                return Inference("behind", "preliminary_only", _around(ctx.progress, m), confidence="medium")
            continue
        if _all_parts_done(ctx.progress) and figures.same_subject(clause, ctx.target_text):
            # '仓津A地块和仓津C地块规划支路建设已完成' for '完成仓津A地块和仓津C地块规划支路建设'
            return Inference("completed", "done_partial", _around(ctx.progress, m), confidence="medium")
        return Inference("completed" if ctx.year_end else "on_track", "done_partial", _around(ctx.progress, m),
                         confidence="low")
    return None


# Enough words to report an activity ('组织召开政银企对接会22场'), not a dash or a fragment.
_MIN_ACTIVITY_CHARS = 8
_HAN = re.compile(r"[\u4e00-\u9fff]")
_SENTENCES = re.compile(r"[^。;;\n]+")
# A sentence that only plans or awaits something reports no activity ('待资金落实,计划2025年开工').
# A closing clause of purpose after what was done ('…进行现场指导,确保征收工作顺利进行') is no plan;
# one with a date is ('确保2025年6月建成').
_PURPOSE = re.compile(r"[,,]\s*(?:以|从而)?确保(?![^,,。;;]*(?:\d|年底|月底|季度|年内))[^,,。;;]*")
_NOT_DONE = re.compile(_FUTURE.pattern + r"|^\W*\d*[.、]?(?:将|下一步|下步|明年)|待[^\s,,。;;]{0,4}(?:落实|审批|批复|到位|确定)")


# Wording of a plan or a directive: '力争招来一个企业', '将继续加大…', '计划开工项目'.
# An item opening with a plan word ('继续加大…', '要…', '储备…').
_PLAN_OPENING = re.compile(r"^(?:\W|\d|[一二三四五六七八九十]是)*(?:要|将|计划|力争|争取|拟|继续|谋划|储备)")


# A directive or plan word anywhere in an item ('要紧盯…目标', '力争招来', '计划举办x期', '将继续加大'):
# 计划 as a verb only (_PLAN_VERB); '要' and '将' only before a verb of intent, so '将构建和谐关系作为…' (将 = 把) and '主要' do not count.
_DIRECTIVE = re.compile(_PLAN_VERB + r"|力争|争取|谋划|着力|拟(?!定)|下一步|明年"
                        r"|(?<![主重需只必])要(?=[紧抓坚着全持继切进加大狠认牢强做推])"
                        r"|将(?=继续|进一步|持续|加大|加快|全力|着力|推动|推进)")
# Words that put an act in the past: what was done, not what is to be done.
_REALIS = re.compile(r"已|(?<!为)了(?!解)|共计|累计|截至|截止|目前|先后|以来|期间|共(?=[^,,。;;]{0,10}\d)")


def _plan_rule(ctx: _Ctx) -> Inference | None:
    """An undated annual summary's item worded only as a plan or directive reports no task of the
    period: not_applicable (protocol item 18). Either every item is plan-worded, or the text gives a
    directive and nothing in it is said to have happened (no 已, 了, 截至, 累计 …)."""
    if not ctx.undated:
        return None
    items = [x for x in _ITEM_SPLIT.split(ctx.progress) if x and _HAN.search(x)]
    if items and all((_PLAN_OPENING.search(x) or _DIRECTIVE.search(x)) and not _DONE_WORD.search(x)
                     and not _REALIS.search(x) for x in items):
        return Inference("not_applicable", "plan_not_a_task", items[0][:24], confidence="low")
    directive = _DIRECTIVE.search(ctx.progress)
    if directive is not None and not _REALIS.search(ctx.progress):
        return Inference("not_applicable", "plan_not_a_task", _around(ctx.progress, directive), confidence="low")
    return None


def _activity_rule(ctx: _Ctx) -> Inference | None:
    """Activities reported against the task, nothing said to be outstanding, nothing to measure:
    at year end the work reads as done, mid-year as on schedule. Not when the text is only plans
    (拟, 计划, 将) or only sentences with masked figures."""
    if ctx.elapsed is None:
        return None
    said = _first(ONGOING_RULE, ctx.progress)  # '持续进行中': short, but it says the work goes on
    if said is not None:
        return Inference("completed" if ctx.year_end else "on_track", "activity_reported",
                         _around(ctx.progress, said), confidence="low")
    # Mid-year an activity beside a plan is on schedule ('已推荐7家企业申报…,预计12月份公布结果');
    # at year end a plan in the same sentence means the work is not done ('…待资金落实,计划2025年开工').
    parts = _SENTENCES.findall(ctx.progress) if ctx.year_end else figures.CLAUSE_SPLIT.split(ctx.progress)
    # masked figures ('xx个', '***万元') give no evidence: their sentences are left out
    done = [s for s in parts if len(_HAN.findall(s)) >= _MIN_ACTIVITY_CHARS and not _NOT_DONE.search(_PURPOSE.sub("", s))
            and not figures.masked_figures(s)]
    if not done:
        return None
    return Inference("completed" if ctx.year_end else "on_track", "activity_reported", done[0][:24].strip(),
                     confidence="low")


@dataclass(frozen=True)
class _Ctx:
    target_text: str
    progress: str
    elapsed: float | None
    year_end: bool
    shares: list
    year: int | None = None
    undated: bool = False


def _phrase_rule(rule: Rule) -> Callable[[_Ctx], Inference | None]:
    return lambda ctx: _phrase(rule, ctx.progress)


_TALLY = re.compile(r"\s*(\d+)\s*[项个件条]")


def _tally(text: str, m: re.Match) -> int | None:
    t = _TALLY.match(text, m.end())
    return int(t.group(1)) if t else None


def _stated_behind_rule(ctx: _Ctx) -> Inference | None:
    """The author says behind, unless the words only count the items behind in a tally where more
    are on schedule ('达序时进度63项,未达序时进度9项')."""
    rule, on = STATED_RULES[0], STATED_RULES[2]
    m = _first(rule, ctx.progress)
    if m is None:
        return None
    behind = _tally(ctx.progress, m)
    if behind is not None:
        ons = [n for o in on.regex.finditer(ctx.progress) if (n := _tally(ctx.progress, o)) is not None]
        if ons and sum(ons) > behind:
            return Inference("on_track", "stated_tally", f"{ctx.progress[m.start():m.end() + 4]} vs {sum(ons)}",
                             confidence="medium")
    return Inference(rule.status, rule.name, _around(ctx.progress, m), confidence=rule.confidence)


# The evaluation order is the precedence (see the module docstring).
RULES: list[tuple[str, Callable[[_Ctx], Inference | None]]] = [
    (SUSPENDED_RULE.name, _phrase_rule(SUSPENDED_RULE)),
    (STATED_RULES[0].name, _stated_behind_rule),
    *[(r.name, _phrase_rule(r)) for r in STATED_RULES[1:]],
    ("plan_not_a_task", _plan_rule),
    (NOT_ASSIGNED.name, _phrase_rule(NOT_ASSIGNED)),
    ("share", _share_rule),
    ("growth_vs_target", _growth_rule),
    ("above_average", _above_average_rule),
    ("level_vs_target", _level_rule),
    (LAG_RULE.name, _phrase_rule(LAG_RULE)),
    ("pending_at_year_end", _pending_at_year_end_rule),
    ("rank_vs_target", _rank_rule),
    ("count_vs_target", _count_rule),
    (PENDING_RULE.name, _phrase_rule(PENDING_RULE)),
    ("goal_reached", _goal_rule),
    (DOCUMENT_RULE.name, _document_rule),
    ("done_phrase", _done_rule),
    ("unfinished_at_year_end", _unfinished_rule),
    (ONGOING_RULE.name, _ongoing_rule),
    ("done_partial", _partial_done_rule),
    ("activity_reported", _activity_rule),
]

# Confidence of each rule's verdict where the rule does not set its own (see the docstring).
RULE_CONFIDENCE = {"growth_vs_target": "high", "above_average": "high", "level_vs_target": "high"}


# Row flags (ingestion.model.FLAGS) that say, from the document's structure, the row is a plan.
PLAN_FLAGS = frozenset({"forward_plan"})


def infer(task: str | None, period_target: str | None, progress: str | None, period=None,
          flags: Iterable[str] = ()) -> Inference:
    """Status from the text alone (and the parser's structural ``flags``). ``period`` is a registry
    Period (or None: rules that need the elapsed share then do not fire)."""
    if PLAN_FLAGS.intersection(flags):
        return Inference("not_applicable", "plan_chapter", (task or progress or "")[:24] or None,
                         confidence="medium")
    progress = (progress or "").strip()
    undated = period is not None and getattr(period, "year", 0) is None  # an undated annual summary
    if undated and not progress:
        progress = (task or "").strip()  # its item is often one summary sentence, no progress cell
        task = None  # ... and then it is not also the target the progress is measured against
    shares = figures.stated_shares(progress)
    pct = min(s.pct for s in shares) if shares else None
    if not progress or re.fullmatch(r"[-—–―─/\s无]*", progress):
        return UNKNOWN
    ctx = _Ctx(
        target_text="\n".join(t for t in (task, period_target) if t),
        progress=progress,
        elapsed=1.0 if undated else periods.elapsed_share(period),
        year_end=undated or periods.is_year_end(period),
        shares=shares,
        year=getattr(period, "year", None),
        undated=undated,
    )
    for _, fn in RULES:
        res = fn(ctx)
        if res is not None:
            conf = res.confidence or RULE_CONFIDENCE.get(res.rule or "", "medium")
            return Inference(res.status, res.rule, res.evidence, pct, conf)
    return Inference("unknown", None, None, pct)


# --- disagreement -----------------------------------------------------------------------------------

# Ordinal position on the way to completion; not_applicable / unknown have none.
_RANK = {"behind": 0, "on_track": 1, "ahead": 2, "completed": 3}
# Rules that find the work stopped: halted at year end, a print of 序时推进 / 已完成 claims more.
_STOPPED_RULES = ("suspended_from_above",)


def conflict(reported_status: str | None, inferred_status: str | None, confidence: str | None = "medium",
             rule: str | None = None) -> bool:
    """The print claims more than the text supports, as a supervisor wants flagged: the text says
    behind (a growth or level below target, not started, postponed) or the work stopped, and the
    print says on track, ahead or completed. Not when the text is merely vague (unknown, or a
    low-confidence default reading), and not the other way round (a print more cautious than the
    text); ahead vs on_track or completed vs ahead are differences of degree."""
    r = _RANK.get(reported_status or "")
    if r is None or r == 0 or confidence == "low" or inferred_status is None:
        return False
    if inferred_status == "behind":
        return True
    return inferred_status == "not_applicable" and rule in _STOPPED_RULES

"""What a row's text alone says about its status: rules as data, evaluated in order, first wins.

``infer(task, period_target, progress, period)`` returns an ``Inference`` (status, rule, evidence).

Precedence (why in brackets):
 1. ``stated_behind`` / ``stated_ahead`` / ``stated_on_track``  the progress text states the schedule
                      itself: 未达到序时进度, 尚未达到时间过半, 进展缓慢, 滞后, 叫停 / 超序时进度 /
                      达到序时, 序时推进, 实现时间过半 [the author's own verdict beats our arithmetic;
                      'behind' is tried first: a task is only as far along as its slowest part]
 2. ``not_assigned``  暂缓实施, 取消实施, 未下达…任务 -> not_applicable [nothing was due]
 3. ``share_*``       a stated share of the year's target (完成年度任务的74.13%, 占年度计划的63.2%,
                      为预算的53.95%, 年度计划投资完成率56.3%) vs the period's elapsed share:
                      >=100% completed; >= elapsed+0.15 ahead; >= elapsed on_track; else behind;
                      several shares: the lowest decides; without a period only >=100% fires
 4. ``growth_vs_target``  growth target in task/period target (增长6%) vs the growth achieved in
                      the text for the same thing (预计增长3%, 下降1.4%, 增幅为-30.6%, a bare 预计3.8%):
                      below behind; else on_track, completed at year end
 5. ``above_average`` target 高于全省 vs text 高于/低于全省 (or own vs provincial figure)
 6. ``level_vs_target``  year end only: a money level target (330亿元以上) vs the level achieved
 7. ``lag_phrase``    未开工, 暂未, 尚未, 未完成, 暂无, 至今没, 停工, 暂停 … -> behind [something due is
                      outstanding, so a completion phrase elsewhere does not make the row completed;
                      '暂未发现违法' reports an absence and does not count]
 8. ``count_vs_target``  a counted target (新增…6家以上) vs the count reported for the same thing:
                      reached completed; short of it behind, judged at year end only
 9. ``pending``       待评审, 待审批, 审核中 … -> on_track [a step awaits someone else]
10. ``done_phrase``   已建成, 已投产, 全面完成, 已竣工, 已获批, 超额完成 … -> completed (not when a plan
                      word precedes: 计划…竣工交付)
11. ``ongoing``       稳步推进, 正在, 有序推进, 开工建设 … -> on_track
12. ``done_partial``  a bare 完成 (not 可完成/将完成): completed at year end, on_track before it
otherwise ``unknown``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ingestion import periods
from ingestion.normalize import figures

AHEAD_MARGIN = 0.15  # a share this far above the elapsed share counts as 超序时 (ahead)


@dataclass(frozen=True)
class Inference:
    status: str
    rule: str | None = None
    evidence: str | None = None
    completion_pct: float | None = None


UNKNOWN = Inference("unknown")


@dataclass(frozen=True)
class Rule:
    """A phrase rule: ``regex`` searched in the progress text; the match is the evidence."""

    name: str
    regex: re.Pattern
    status: str


def _rx(*alts: str) -> re.Pattern:
    return re.compile("|".join(alts))


# The author says it is behind / ahead / on schedule.
STATED_RULES = [
    Rule("stated_behind", _rx(
        r"(?:未|没有|尚未|未能)达到?(?:序时|时序)(?:进度)?", r"(?:尚未|未)达到时间过半",
        r"滞后于?(?:序时|时序)?(?:进度)?", r"进度滞后", r"进展(?:较为|较|相对|比较)?缓慢",
        r"推进(?:较为|较|相对|比较)?缓慢", r"欠(?:序时)?进度", r"叫停",
        r"未完成(?:年度|全年|序时)(?:目标)?任务"), "behind"),
    Rule("stated_ahead", _rx(r"超(?:过)?序时(?:进度)?", r"快于序时", r"超(?:过)?进度", r"提前完成"), "ahead"),
    Rule("stated_on_track", _rx(
        r"(?<![未没尚])达到?序时(?:进度)?", r"符合序时", r"序时推进", r"按序时",
        r"(?<![未没尚])达到时间过半", r"(?:实现|完成)[“\"]?时间过半"), "on_track"),
]
NOT_ASSIGNED = Rule("not_assigned", _rx(
    r"(?:暂缓|停止|取消)(?:实施|建设|推进|执行)(?![\d一二三四五六七八九十几]+[项个条件])", r"不再(?:实施|推进|建设)", r"未下达[^,,。;;]{0,12}任务",
    r"任务(?:已)?取消"), "not_applicable")
# '暂未发现超标' reports the absence of a problem, not an outstanding task.
_NOT_A_LAG = r"(?!发现|出现|收到|接到|发生)"
LAG_RULE = Rule("lag_phrase", _rx(
    r"未开工", rf"暂未{_NOT_A_LAG}", rf"尚未{_NOT_A_LAG}", r"未启动", r"未实施", r"未完成", r"未能", r"暂无",
    r"(?:至今|仍然|仍|还)(?:未|没有?)", r"停工", r"停滞", r"暂停"), "behind")
# A step awaits someone else: in progress, not done ('初稿已完成,待评审').
PENDING_RULE = Rule("pending", _rx(
    r"待(?:评审|审核|审批|审定|通过|批复|落实|上会|验收|下达|公布|签订)", r"审核中", r"审批中", r"评审中"),
    "on_track")
DONE_RULE = Rule("done_phrase", _rx(
    r"全面完成", r"全部完成", r"超额完成", r"已完成(?:年度|全年)(?:目标)?任务", r"完成年度(?:目标)?任务",
    r"已建成", r"建成(?:投产|运营|使用|交付)", r"已投产", r"投入(?:使用|运营)", r"已竣工",
    r"竣工(?:验收|交付)", r"已获批", r"获(?:得)?批复", r"已通过[^,,。;;]{0,8}(?:验收|评审|审批|认定|审核)",
    r"已办结", r"达到年度(?:考核)?目标", r"已出台", r"已印发", r"印发(?:实施)?了?《",
    r"成功(?:认定|获批|举办|创建|入选)"), "completed")
# A bare 完成, not a plan or a hope (可完成, 将完成, 确保完成, 未完成).
PARTIAL_DONE = re.compile(r"(?<![可将未待争保划要望能])完成")
ONGOING_RULE = Rule("ongoing", _rx(
    r"稳步推进", r"有序推进", r"加快推进", r"积极推进", r"持续推进", r"扎实推进", r"顺利推进", r"正在",
    r"进行中", r"推进中", r"已开工", r"开工建设", r"持续(?:开展|进行|跟进)", r"已启动", r"启动"), "on_track")


# A completion phrase in a plan is not a completion: '计划2026年10月份竣工交付'.
_FUTURE = re.compile(r"计划|预计|力争|争取|将于|将在|拟|确保|目标|要求|任务为|任务是")


def _is_plan(text: str, m: re.Match) -> bool:
    """A plan word shortly before, in the same sentence ('计划2025年3月开工,2026年10月竣工交付')."""
    return bool(_FUTURE.search(figures._sentence_before(text, m.start(), 24)))


def _phrase(rule: Rule, progress: str) -> Inference | None:
    for m in rule.regex.finditer(progress):
        if rule.status == "completed" and _is_plan(progress, m):
            continue
        return Inference(rule.status, rule.name, _around(progress, m))
    return None


def _around(text: str, m: re.Match, pad: int = 8) -> str:
    return text[max(0, m.start() - pad): m.end() + pad].replace("\n", " ")


# --- quantitative rules -----------------------------------------------------------------------------

def share_status(pct: float, elapsed: float | None) -> str | None:
    """A stated share of the year's target (in %) against the share of the year elapsed."""
    if pct >= 100:
        return "completed"
    if elapsed is None:
        return None
    share = pct / 100
    if share >= min(elapsed + AHEAD_MARGIN, 1.0) and elapsed < 1.0:
        return "ahead"
    if share >= elapsed:
        return "on_track"
    return "behind"


def _share_rule(ctx: _Ctx) -> Inference | None:
    if not ctx.shares:
        return None
    low = min(ctx.shares, key=lambda s: s.pct)
    status = share_status(low.pct, ctx.elapsed)
    if status is None:
        return None
    return Inference(status, low.pattern, "; ".join(s.text for s in ctx.shares))


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


def _level_rule(ctx: _Ctx) -> Inference | None:
    """Only at year end: a half-year level cannot be held against an annual level target."""
    if not ctx.year_end:
        return None
    targets = [t for t in figures.levels(ctx.target_text) if "以上" in t.text or "达" in ctx.target_text]
    actuals = figures.levels(ctx.progress)
    if len(targets) == 0 or not actuals:
        return None
    verdicts = []
    for t in targets:
        tv, tc = t.base()
        head = figures._sentence_before(ctx.target_text, t.start, 20)
        for a in actuals:
            av, ac = a.base()
            ctx_a = figures._sentence_before(ctx.progress, a.start, 20)
            if ac == tc and figures.same_subject(head[-6:], ctx_a):
                verdicts.append(("completed" if av >= tv else "behind", f"{t.text} vs {a.text}"))
                break
    if not verdicts:
        return None
    worst = next((v for v in verdicts if v[0] == "behind"), verdicts[0])
    return Inference(worst[0], "level_vs_target", "; ".join(v[1] for v in verdicts))


# A figure for one month or one quarter ('11月:培训200人次', '四季度新建103组') is an increment,
# not progress against the year's target; '1-12月' or '全年' is cumulative.
_INCREMENT = re.compile(r"(?:^|[^\d\-—~～至])\d{1,2}月份?[::]?|[一二三四1-4]季度")
_CUMULATIVE = re.compile(r"累计|全年|共计|合计|总计|今年以来|年初以来")


def _is_achieved(text: str, c: figures.Count) -> bool:
    head = figures._sentence_before(text, c.start, 40)
    if _FUTURE.search(c.key):
        return False
    return not (_INCREMENT.search(head) and not _CUMULATIVE.search(head))


def _count_rule(ctx: _Ctx) -> Inference | None:
    """A counted target (新增省专精特新企业6家以上) vs the count the text reports for the same
    thing (新增省专精特新企业8家): reached -> completed; short of it -> behind at year end only."""
    targets = [t for t in figures.counts(ctx.target_text) if len(t.key) >= 4]
    actuals = [a for a in figures.counts(ctx.progress) if _is_achieved(ctx.progress, a)]
    verdicts = []
    for t in targets:
        same = [a for a in actuals if a.unit == t.unit and figures.same_subject(t.key, a.key)]
        if not same or t.value <= 0:
            continue
        # Several figures for the same thing (a quarter's and the year's): the cumulative is the largest.
        a = max(same, key=lambda x: x.value)
        # Counts do not grow evenly through the year, so short of target is only judged at year end.
        st = "completed" if a.value >= t.value else ("behind" if ctx.year_end else None)
        if st is not None:
            verdicts.append((st, f"{t.key}{t.text} vs {a.key}{a.text}"))
    if not verdicts:
        return None
    worst = next((v for v in verdicts if v[0] == "behind"), verdicts[0])
    return Inference(worst[0], "count_vs_target", "; ".join(v[1] for v in verdicts))


def _partial_done_rule(ctx: _Ctx) -> Inference | None:
    m = next((m for m in PARTIAL_DONE.finditer(ctx.progress) if not _is_plan(ctx.progress, m)), None)
    if not m:
        return None
    return Inference("completed" if ctx.year_end else "on_track", "done_partial", _around(ctx.progress, m))


@dataclass(frozen=True)
class _Ctx:
    target_text: str
    progress: str
    elapsed: float | None
    year_end: bool
    shares: list


def _phrase_rule(rule: Rule) -> Callable[[_Ctx], Inference | None]:
    return lambda ctx: _phrase(rule, ctx.progress)


# The evaluation order is the precedence (see the module docstring).
RULES: list[tuple[str, Callable[[_Ctx], Inference | None]]] = [
    *[(r.name, _phrase_rule(r)) for r in STATED_RULES],
    (NOT_ASSIGNED.name, _phrase_rule(NOT_ASSIGNED)),
    ("share", _share_rule),
    ("growth_vs_target", _growth_rule),
    ("above_average", _above_average_rule),
    ("level_vs_target", _level_rule),
    (LAG_RULE.name, _phrase_rule(LAG_RULE)),
    ("count_vs_target", _count_rule),
    (PENDING_RULE.name, _phrase_rule(PENDING_RULE)),
    (DONE_RULE.name, _phrase_rule(DONE_RULE)),
    (ONGOING_RULE.name, _phrase_rule(ONGOING_RULE)),
    ("done_partial", _partial_done_rule),
]


def infer(task: str | None, period_target: str | None, progress: str | None, period=None) -> Inference:
    """Status from the text alone. ``period`` is a registry Period (or None: share rules that need
    the elapsed share then do not fire)."""
    progress = (progress or "").strip()
    shares = figures.stated_shares(progress)
    pct = min(s.pct for s in shares) if shares else None
    if not progress or re.fullmatch(r"[-—–―─/\s无]*", progress):
        return UNKNOWN
    ctx = _Ctx(
        target_text="\n".join(t for t in (task, period_target) if t),
        progress=progress,
        elapsed=periods.elapsed_share(period),
        year_end=periods.is_year_end(period),
        shares=shares,
    )
    for _, fn in RULES:
        res = fn(ctx)
        if res is not None:
            return Inference(res.status, res.rule, res.evidence, pct)
    return Inference("unknown", None, None, pct)


# --- disagreement -----------------------------------------------------------------------------------

# Ordinal position on the way to completion; not_applicable / unknown have none.
_RANK = {"behind": 0, "on_track": 1, "ahead": 2, "completed": 3}


def conflict(reported_status: str | None, inferred_status: str | None) -> bool:
    """A reported and an inferred status that cannot both be true: one says behind, the other says
    on track or better (e.g. reported completed, text says behind). Unknown / missing never conflicts;
    ahead vs on_track or completed vs ahead are differences of degree, not conflicts."""
    r, i = _RANK.get(reported_status or ""), _RANK.get(inferred_status or "")
    if r is None or i is None:
        return False
    return (r == 0) != (i == 0)

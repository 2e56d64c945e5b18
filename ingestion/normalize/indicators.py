"""Headline indicators (地区生产总值, 规上工业增加值, 固定资产投资 …): target from the task / period
target, actual from the progress text, and whether the target was met.

The indicator list is data: ``ingestion/data/indicator_definitions.csv`` (code, Chinese name, English
name, pattern); read
only here (an edit needs a re-ingest).
A row is a headline row for an indicator when a clause of its task *begins* with the indicator
(after words like 确保/力争/全年), so '实现营业收入、工业产值、固定资产投资增长20%' (a zone's own
figures) is not taken for the region's 固定资产投资.
"""

from __future__ import annotations

import csv
import re
from dataclasses import asdict, dataclass
from functools import lru_cache

from ingestion import DATA_DIR, periods
from ingestion.normalize import figures
from ingestion.normalize.status import above_average

DEFINITIONS_CSV = DATA_DIR / "indicator_definitions.csv"


@dataclass(frozen=True)
class Definition:
    code: str
    name: str
    pattern: re.Pattern
    name_en: str = ""


@lru_cache(maxsize=1)
def definitions() -> tuple[Definition, ...]:
    with open(DEFINITIONS_CSV, encoding="utf-8", newline="") as f:
        return tuple(
            Definition(r["indicator_code"], r["indicator_name"], re.compile(r["pattern"]), r["indicator_name_en"])
            for r in csv.DictReader(f)
        )


# What a target states, in the order a row's per-kind readings are merged (the first wins), and
# what an actual states. raw.indicators / mart.indicator_progress document these values.
TARGET_KINDS = ("growth_pct", "above_provincial_average", "level", "count", "qualitative")
ACTUAL_KINDS = ("growth_pct", "level", "count", "share_pct")


@dataclass
class Indicator:
    indicator_code: str
    indicator_name: str
    target_kind: str  # one of TARGET_KINDS
    target_value: float | None
    target_unit: str | None
    target_text: str | None
    actual_kind: str | None = None  # one of ACTUAL_KINDS
    actual_value: float | None = None
    actual_unit: str | None = None
    actual_text: str | None = None
    met: bool | None = None
    rule: str | None = None

    def record(self) -> dict:
        """The raw.indicators row: the fields and the indicator's English name (from its definition)."""
        return {**asdict(self), "indicator_name_en": english_name(self.indicator_code)}


def english_name(code: str) -> str | None:
    """The English name of an indicator code (column ``indicator_name_en`` of the definitions)."""
    return next((d.name_en or None for d in definitions() if d.code == code), None)


_CLAUSE = re.compile(r"[,,;;。\n]")


def _clauses(text: str | None) -> list[str]:
    return [c.strip() for c in _CLAUSE.split(text or "") if c.strip()]


def headline_clauses(task: str | None) -> list[tuple[Definition, str]]:
    """(indicator, clause) for each task clause that begins with a headline indicator."""
    out: list[tuple[Definition, str]] = []
    seen: set[str] = set()
    for clause in _clauses(task):
        body = figures.LEAD_WORDS.sub("", clause)
        for d in definitions():
            if d.pattern.match(body):
                if d.code not in seen:
                    out.append((d, body))
                    seen.add(d.code)
                break
    return out


def _targets(d: Definition, clause: str, period_target: str | None, only_one: bool) -> list[Indicator]:
    """Targets for one indicator: from its task clause, and from the period target's clauses that
    name it (or the whole period target when the task names a single indicator, e.g. '增长6%')."""
    texts = [clause]
    pt_clauses = _clauses(period_target)
    named = [c for c in pt_clauses if d.pattern.search(c)]
    if named:
        texts.append(",".join(named))
    elif only_one and period_target:
        texts.append(period_target)
    out: dict[str, Indicator] = {}
    for text in texts:
        for g in figures.growth_targets(text):
            out.setdefault("growth_pct", Indicator(d.code, d.name, "growth_pct", g.value, "%", g.text))
        for lv in figures.levels(text):
            out.setdefault("level", Indicator(d.code, d.name, "level", lv.value, lv.unit, lv.text))
        for c in figures.counts(text):
            if c.family == "人":  # a count of persons: 城镇新增就业3.1万人
                out.setdefault("count", Indicator(d.code, d.name, "count", c.value, "人", c.text))
        if re.search(r"(?:高于|快于|超过)全省", text):
            out.setdefault("above_provincial_average",
                           Indicator(d.code, d.name, "above_provincial_average", None, None, text))
    if not out:
        out["qualitative"] = Indicator(d.code, d.name, "qualitative", None, None, clause)
    return list(out.values())


def actual_segment(d: Definition, progress: str) -> str | None:
    """The part of the progress text about this indicator: from a mention to the end of the
    sentence or the next other indicator's mention; the first such part that has a figure
    ('研判外贸进出口形势' has none). None when the text does not name the indicator."""
    parts = []
    for m in d.pattern.finditer(progress):
        end_m = figures.SENTENCE_END.search(progress, m.end())
        end = end_m.start() if end_m else len(progress)
        for other in definitions():
            if other.code == d.code:
                continue
            o = other.pattern.search(progress, m.end(), end)
            if o and not d.pattern.match(progress, o.start()):
                end = min(end, o.start())
        parts.append(progress[m.start():end])
    if not parts:
        return None
    return next((p for p in parts if re.search(r"\d\s*[%%元]|百分之", p)), parts[0])


def _fill_actual(ind: Indicator, segment: str | None, progress: str, year_end: bool,
                 n_indicators: int) -> None:
    # Without a mention, only a text that is about nothing else can be read as this indicator.
    text = segment if segment is not None else (progress if n_indicators == 1 else "")
    growths = figures.growth_actuals(text)
    if not growths and segment is None:
        bare = figures.bare_growth(progress)
        growths = [bare] if bare else []
    if segment is None and len(growths) > 1:
        growths = []
    if ind.target_kind == "level":
        lv = [x for x in figures.levels(text) if ind.target_unit and
              figures.UNIT_SCALE[x.unit][1] == figures.UNIT_SCALE[ind.target_unit][1]]
        if lv:
            a = lv[0]
            ind.actual_kind, ind.actual_value, ind.actual_unit, ind.actual_text = "level", a.value, a.unit, a.text
            # a level target always has its value and unit (_targets makes it from a figures.Level)
            assert ind.target_value is not None and ind.target_unit is not None
            tgt = figures.Level(ind.target_value, ind.target_unit, ind.target_text or "", 0)
            # A part-year level cannot be held against an annual level.
            ind.met = (a.base()[0] >= tgt.base()[0]) if year_end else None
            ind.rule = "level_vs_level" if year_end else "level_part_year"
        else:
            ind.rule = "no_actual"
        return
    if ind.target_kind == "count":
        got = [c for c in figures.counts(text) if c.family == "人"]
        if got:
            best = max(got, key=lambda c: c.value)
            ind.actual_kind, ind.actual_value, ind.actual_unit, ind.actual_text = "count", best.value, "人", best.text
            # a part-year count is not held against the year's count
            ind.met = (best.value >= (ind.target_value or 0)) if year_end else None
            ind.rule = "count_vs_count" if year_end else "count_part_year"
        else:
            ind.rule = "no_actual"
        return
    if ind.target_kind == "above_provincial_average":
        res = above_average(text or progress)
        if growths:
            g = growths[0]
            ind.actual_kind, ind.actual_value, ind.actual_unit, ind.actual_text = "growth_pct", g.value, "%", g.text
        if res is not None:
            ind.met = res[0]
            ind.actual_text = f"{ind.actual_text}; {res[1]}" if ind.actual_text else res[1]
            ind.rule = "above_average_text"
        else:
            ind.rule = "no_comparison"
        return
    if growths:
        g = growths[0]
        ind.actual_kind, ind.actual_value, ind.actual_unit, ind.actual_text = "growth_pct", g.value, "%", g.text
        if ind.target_kind == "growth_pct":
            assert ind.target_value is not None  # a growth target always has its figure
            ind.met = g.value >= ind.target_value
            ind.rule = "growth_vs_growth"
        else:
            ind.rule = "qualitative_target"
        return
    shares = figures.stated_shares(text)
    if shares:
        s = shares[0]
        ind.actual_kind, ind.actual_value, ind.actual_unit, ind.actual_text = "share_pct", s.pct, "%", s.text
        ind.rule = "share_not_comparable"
        return
    ind.rule = "no_actual"


def extract(task: str | None, period_target: str | None, progress: str | None,
            period=None) -> list[Indicator]:
    """Headline indicators stated by one row: one record per indicator."""
    found = headline_clauses(task)
    progress = progress or ""
    year_end = periods.is_year_end(period)
    out: list[Indicator] = []
    for d, clause in found:
        segment = actual_segment(d, progress)
        per_kind = []
        for ind in _targets(d, clause, period_target, len(found) == 1):
            _fill_actual(ind, segment, progress, year_end, len(found))
            per_kind.append(ind)
        out.append(_merge(per_kind))
    return out


# One record per (row, indicator): the mart keys indicator_progress on it. The growth target leads.


def _merge(per_kind: list[Indicator]) -> Indicator:
    """'收入52620元, 增速6.5%' vs '51625元, 增速4.4%': the lead kind's figures, both texts, and met
    only when every comparable target was met (None when none could be compared)."""
    per_kind = sorted(per_kind, key=lambda i: TARGET_KINDS.index(i.target_kind))
    lead = per_kind[0]
    if len(per_kind) == 1:
        return lead
    rest = per_kind[1:]
    lead.target_text = "; ".join(dict.fromkeys(i.target_text for i in per_kind if i.target_text))
    lead.actual_text = "; ".join(dict.fromkeys(i.actual_text for i in per_kind if i.actual_text)) or None
    verdicts = [i.met for i in per_kind if i.met is not None]
    lead.met = all(verdicts) if verdicts else None
    lead.rule = "+".join(i.rule for i in [lead, *rest] if i.rule)
    return lead

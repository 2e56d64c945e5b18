"""Per-row signals and headline indicators for one parsed source, in the shape of the raw tables
``raw.row_signals`` and ``raw.indicators`` (see ingestion/load.py; source_id is added by the loader)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingestion.formats import script
from ingestion.model import TaskRow
from ingestion.normalize import figures, indicators, status, vocabulary

# Pages run through a Traditional-script converter that annotates characters with their pinyin
# ('經(jīng)濟(jì)指標(biāo)'): the annotation is no word of the text and would break every phrase.
_ROMANISATION = re.compile(r"(?<=[\u4e00-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,7}\)")


def reading_text(text: str | None) -> str | None:
    """The words the status and indicator rules read: Simplified characters (the rules are written
    in them) without romanisation artefacts. The row keeps its text as printed."""
    if not text:
        return text
    return script.t2s(_ROMANISATION.sub("", text))


def row_signals(row: TaskRow, period=None, status_words: dict[str, str] | None = None) -> dict:
    task, target, progress = (reading_text(t) for t in (row.task_text, row.period_target, row.progress_text))
    inf = status.infer(task, target, progress, period, row.flags or ())
    text = "\n".join(t for t in (row.period_target, row.progress_text) if t)
    reported = vocabulary.normalise_reported(row.status_reported, status_words)
    return {
        "table_no": row.table_no,
        "row_no": row.row_no,
        "status_inferred": inf.status,
        "inference_rule": inf.rule,
        "inference_evidence": inf.evidence,
        "status_confidence": inf.confidence,
        "completion_pct": inf.completion_pct,
        "masked_figures": figures.masked_figures(text) or "masked_figures" in (row.flags or []),
        "status_reported_norm": reported,
        "status_conflict": status.conflict(reported, inf.status, inf.confidence, inf.rule),
    }


def row_indicators(row: TaskRow, period=None) -> list[dict]:
    task, target, progress = (reading_text(t) for t in (row.task_text, row.period_target, row.progress_text))
    return [
        {"table_no": row.table_no, "row_no": row.row_no, **ind.record()}
        for ind in indicators.extract(task, target, progress, period)
    ]


# A source with no period whose title says it summarises a year ('年度工作总结片段') reports at year
# end: its status is read as at year end, though no period is assigned to its rows.
_ANNUAL_SUMMARY = re.compile(r"(?:年度|全年|年终)[^,,。]{0,6}总结")


@dataclass(frozen=True)
class YearEnd:
    """The reading point of an undated annual summary: the end of an unnamed year."""

    annual: bool = True
    year: int | None = None


def reading_period(spec):
    """The period status rules read a source at: its own, or year end for an undated annual summary."""
    period = getattr(spec, "period", None)
    if period is None and _ANNUAL_SUMMARY.search(getattr(spec, "title", None) or ""):
        return YearEnd()
    return period


def derive_tables(rows: list[TaskRow], spec) -> dict[str, list[dict]]:
    """{'raw.row_signals': one dict per row, 'raw.indicators': one dict per indicator}. A source
    without a period still gets signals; rules that need the elapsed share just do not fire
    (except for an undated annual summary, read at year end: ``reading_period``)."""
    words = getattr(spec, "status_words", None) or None
    return {
        "raw.row_signals": [row_signals(r, reading_period(spec), words) for r in rows],
        "raw.indicators": [d for r in rows for d in row_indicators(r, getattr(spec, "period", None))],
    }

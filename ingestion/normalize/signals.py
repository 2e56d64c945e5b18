"""Per-row signals and headline indicators for one parsed source, in the shape of the raw tables
``raw.row_signals`` and ``raw.indicators`` (see ingestion/load.py; source_id is added by the loader)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingestion.model import TaskRow
from ingestion.normalize import figures, indicators, status, vocabulary


def row_signals(row: TaskRow, period=None, status_words: dict[str, str] | None = None) -> dict:
    inf = status.infer(row.task_text, row.period_target, row.progress_text, period, row.flags or ())
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
    return [
        {"table_no": row.table_no, "row_no": row.row_no, **ind.record()}
        for ind in indicators.extract(row.task_text, row.period_target, row.progress_text, period)
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

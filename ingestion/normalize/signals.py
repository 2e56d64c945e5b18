"""Per-row signals and headline indicators for one parsed source, in the shape of the raw tables
``raw.row_signals`` and ``raw.indicators`` (see ingestion/load.py; source_id is added by the loader)."""

from __future__ import annotations

from ingestion.model import TaskRow
from ingestion.normalize import figures, indicators, status, vocabulary


def row_signals(row: TaskRow, period=None, status_words: dict[str, str] | None = None) -> dict:
    inf = status.infer(row.task_text, row.period_target, row.progress_text, period)
    text = "\n".join(t for t in (row.period_target, row.progress_text) if t)
    reported = vocabulary.normalise_reported(row.status_reported, status_words)
    return {
        "table_no": row.table_no,
        "row_no": row.row_no,
        "status_inferred": inf.status,
        "inference_rule": inf.rule,
        "inference_evidence": inf.evidence,
        "completion_pct": inf.completion_pct,
        "masked_figures": figures.masked_figures(text) or "masked_figures" in (row.flags or []),
        "status_reported_norm": reported,
        "status_conflict": status.conflict(reported, inf.status),
    }


def row_indicators(row: TaskRow, period=None) -> list[dict]:
    return [
        {"table_no": row.table_no, "row_no": row.row_no, **ind.record()}
        for ind in indicators.extract(row.task_text, row.period_target, row.progress_text, period)
    ]


def derive_tables(rows: list[TaskRow], spec) -> dict[str, list[dict]]:
    """{'raw.row_signals': one dict per row, 'raw.indicators': one dict per indicator}. A source
    without a period still gets signals; rules that need the elapsed share just do not fire."""
    period = getattr(spec, "period", None)
    words = getattr(spec, "status_words", None) or None
    return {
        "raw.row_signals": [row_signals(r, period, words) for r in rows],
        "raw.indicators": [d for r in rows for d in row_indicators(r, period)],
    }

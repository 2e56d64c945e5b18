"""Rows that repeat an earlier row of the same source word for word (the table pasted twice, a
page printed twice): the first stays a row, each repeat's lines go to quarantine with the line
of the row it repeats, and a ``duplicate_rows`` source issue says how many. A row without task
text (a sub-row continuing the one above) is never a repeat."""

from __future__ import annotations

from ingestion.model import ParseResult, QuarantinedLine, SourceIssue, TaskRow


def _content(r: TaskRow) -> tuple:
    return (r.category, r.task_text, r.period_target, r.progress_text, r.lead_units_raw,
            r.cooperating_units_raw, r.leader, r.responsible_person, r.status_reported, r.remark)


def drop_repeated_rows(result: ParseResult, lines: list[str]) -> int:
    """Quarantine the rows of ``result`` that repeat an earlier one (in place). Returns how many."""
    first: dict[tuple, TaskRow] = {}
    keep: list[TaskRow] = []
    repeats: list[tuple[TaskRow, TaskRow]] = []
    for r in result.rows:
        key = _content(r)
        if not (r.task_text or "").strip():
            keep.append(r)
        elif key in first:
            repeats.append((r, first[key]))
        else:
            first[key] = r
            keep.append(r)
    if not repeats:
        return 0
    kept_lines = {n for r in keep for n in range(r.line_start, r.line_end + 1)}
    for r, orig in repeats:
        for n in range(r.line_start, r.line_end + 1):
            if n not in kept_lines and 1 <= n <= len(lines):
                result.quarantine.append(QuarantinedLine(
                    n, lines[n - 1], f"repeats the row at line {orig.line_start} word for word (table printed twice?)"))
    result.rows = keep
    result.issues.append(SourceIssue(
        "duplicate_rows", f"{len(repeats)} row(s) repeat an earlier row word for word and were quarantined "
                          f"(first at line {repeats[0][0].line_start}, repeating line {repeats[0][1].line_start})"))
    return len(repeats)

"""A table whose cell boundaries were lost (``layout: run_together``):

* cells run together with no delimiter: ``序号内容与要求完成情况责任单位`` then
  ``1确保地区生产总值增长7%左右。全年预计增长4.5%。市发改委`` on one line;
* a whole table flattened onto one space-separated line, section headings inside it, progress
  cells that themselves contain spaces.

The boundaries are found from what the cells hold, never from positions:

* the header is the run of known header names (``ingestion.columns``; ``columns:`` overrides),
  split where the most names fit (``序号|内容与要求|完成情况|责任单位``, not ``…要求完成情况|…``);
* a row starts at the next 序号 (the number that continues the count: 1, 2, 3 …) standing at the
  start of the text, after a space, a sentence end or a unit name, and not part of a figure
  (``7%``, ``1-2月``, ``3个``);
* a unit cell is the longest run of unit names at the row's end (``市发改委``, ``区住建局、区财政局``);
* the task ends where the progress opens: a progress opening (``截至``, ``上半年``, ``1-11月``,
  ``全年``, ``目前``, ``已`` …) after a sentence end, else the first sentence end;
* a ``一、…`` / ``(一)…`` heading printed between two rows is the category of the rows after it.

Columns must be: 序号 first, text columns (task, period_target, progress, remark) in their printed
order, unit columns last; with two text columns the boundary rule above splits them, with more the
extra ones stay in the last text column (flag ``cells_not_split``). Rows are flagged
``cells_inferred``. Lines before the header are the title; nothing else is dropped: text that is
in no row is quarantined with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ingestion import columns, units
from ingestion.errors import LayoutError
from ingestion.layouts import Layout
from ingestion.model import LineLedger, ParseResult, TaskRow

if TYPE_CHECKING:
    from ingestion.registry import SourceSpec

TEXT_ROLES = ("task", "period_target", "progress", "remark", "category")
UNIT_ROLES = ("lead_units", "cooperating_units")
MAX_NAME = 12

# Where a progress cell opens: a date or period, or words that report what was done.
PROGRESS_OPENING = re.compile(
    r"(?:截至|截止|目前|当前|今年以来|年初以来|全年|上半年|下半年|前三季度|一季度|二季度|三季度|四季度|第[一二三四]季度"
    r"|\d{1,2}\s*[-—~～至到]\s*\d{1,2}\s*月|\d{1,2}月(?:底|末|份)?[,,]|已经|已)"
)
_SENT_END = "。;;!?!?"
_HEADING = re.compile(r"(?:^|\s)((?:[一二三四五六七八九十]{1,3}、|[((][一二三四五六七八九十]{1,3}[))])[^\s\d。;;,,]{2,30})\s*$")


def split_header(text: str, overrides: dict[str, str]) -> list[str] | None:
    """The header names in a run of text (spaces or none between them): the split with the most
    names, each a known header cell; None unless the whole run is names."""
    out: list[str] = []
    for word in text.split():
        n = len(word)
        # best[j]: (names, characters the rules do not cover) for word[:j]; most names, then
        # the closest names ('内容与要求|完成情况' over '内容|与要求完成情况')
        best: list[tuple[list[str], int] | None] = [None] * (n + 1)
        best[0] = ([], 0)
        for j in range(1, n + 1):
            for i in range(max(0, j - MAX_NAME * 3), j - 1):
                piece = word[i:j]
                prev = best[i]
                if prev is not None and columns.is_header_cell(piece, overrides):
                    names, loose = prev
                    cand = ([*names, piece], loose + columns.unmatched_chars(piece, overrides))
                    cur = best[j]
                    if cur is None or (len(cand[0]), -cand[1]) > (len(cur[0]), -cur[1]):
                        best[j] = cand
        done = best[n]
        if done is None:
            return None
        out.extend(done[0])
    return out if len(out) >= 3 else None


@dataclass
class _Text:
    """The text after the header as one string, with the line of every character."""

    chars: str
    line_of: list[int]


def _join(lines: list[str], first: int) -> _Text:
    chars: list[str] = []
    line_of: list[int] = []
    for n in range(first, len(lines) + 1):
        t = lines[n - 1].strip()
        if not t:
            continue
        if chars:
            chars.append(" ")
            line_of.append(n)
        chars.extend(t)
        line_of.extend([n] * len(t))
    return _Text("".join(chars), line_of)


def _seq_at(text: str, k: int, expected: int) -> int | None:
    """End of the 序号 ``expected`` if it starts at k, else None."""
    s = str(expected)
    if not text.startswith(s, k):
        return None
    end = k + len(s)
    before = text[k - 1] if k else ""
    after = text[end] if end < len(text) else ""
    if before.isdigit() or after.isdigit() or after in "%%.-—~～至月日年个项家万亿元:,,、" or not after:
        return None
    if before and not (before.isspace() or before in _SENT_END or units.ends_like_unit(text[max(0, k - 8) : k])
                       or before in "|)）"):
        return None
    return end


def _unit_tail(text: str) -> int:
    """Start of the unit names at the end of ``text`` (len(text) when there are none)."""
    t = text.rstrip()
    best = len(text)
    for k in range(len(t) - 2, max(-1, len(t) - 60), -1):
        tail = t[k:].strip()
        if not tail or (k and not (t[k - 1] in _SENT_END or t[k - 1].isspace() or units.ends_like_unit(t[:k][-8:])
                                   or tail.startswith(units.UNIT_PREFIXES))):
            continue
        names = units.split_units([tail])
        if (names and all(units.looks_like_unit(nm) and len(nm) <= 15 and not re.search(r"\d", nm) for nm in names)
                and not re.search(r"[。;;!?]", tail)):
            best = k
    return best


def _task_end(text: str) -> int:
    """Where the progress opens in 'task text + progress text'."""
    for i, ch in enumerate(text):
        if ch in _SENT_END or ch.isspace():
            rest = text[i + 1 :].lstrip()
            if rest and PROGRESS_OPENING.match(rest):
                return i + 1
    m = re.search(rf"[{_SENT_END}]", text)
    return m.end() if m and m.end() < len(text.rstrip()) else len(text)


def _header_end(text: str, overrides: dict[str, str]) -> tuple[int, list[str]] | None:
    """(end, names) of the header at the start of ``text``: the names before the first 序号 1."""
    pos = 0
    while True:
        k = text.find("1", pos)
        if k < 0:
            names = split_header(text.strip(), overrides)
            return (len(text), names) if names else None
        if _seq_at(text, k, 1) is not None or (k and text[k - 1].isspace()):
            words = text[:k].split()
            # the header may follow a title or caption on its line ('附表 序号 重点工作 …'), and
            # a '一、…' heading may stand between it and row 1
            for i in range(len(words)):
                for j in range(len(words), i, -1):
                    names = split_header(" ".join(words[i:j]), overrides)
                    if names:
                        return text.find(words[j - 1], text.find(words[i])) + len(words[j - 1]), names
        pos = k + 1
        pos = k + 1
        if pos > 400:
            return None


def looks_run_together(nonblank: list[str], overrides: dict[str, str] | None = None) -> bool:
    """Detection: one of the first 50 lines is such a header run."""
    return any(starts_with_header_run(ln, overrides) for ln in nonblank[:50])


def starts_with_header_run(line: str, overrides: dict[str, str] | None = None) -> bool:
    """Used by detection: a line holding three or more header names with no delimiter between some
    of them (``序号内容与要求完成情况责任单位``), or a header and rows flattened onto one line."""
    t = line.strip()
    if "|" in t or "\t" in t:
        return False
    found = _header_end(t, overrides or {})
    if not found:
        return False
    end, names = found
    words = t[:end].split()
    return len(names) > len(words) or end < len(t.rstrip())  # names run together, or rows follow


@dataclass
class _Header:
    names: list[str]
    roles: list[str | None]
    text_roles: list[str | None]
    unit_roles: list[str | None]
    end: int  # offset in the joined text one past the header


def _read_header(lines: list[str], spec: SourceSpec, ledger: LineLedger) -> tuple[_Text, _Header]:
    """The joined text from the header's line on, and the header; lines before it are titles."""
    found = None
    header_line = 0
    for n, ln in enumerate(lines, 1):
        if not ln.strip():
            continue
        found = _header_end(_join(lines[n - 1 : n], 1).chars, spec.columns)
        if found:
            header_line = n
            break
        ledger.add_furniture(n, "title")
    if found is None:
        raise LayoutError("run_together: no run of header names (序号内容与要求完成情况责任单位 …) found")
    body = _join(lines, header_line)
    head_end, names = _header_end(body.chars, spec.columns) or found
    roles = columns.finalise_roles(names, [columns.role_for_header(c, spec.columns) for c in names], spec.columns)
    if roles[0] != "seq":
        raise LayoutError(f"run_together: the header must start with 序号; got {names}")
    body_roles = roles[1:]
    k = 0
    while k < len(body_roles) and body_roles[k] in TEXT_ROLES:
        k += 1
    text_roles, unit_roles = body_roles[:k], body_roles[k:]
    if not text_roles or any(r not in UNIT_ROLES for r in unit_roles):
        raise LayoutError(f"run_together reads 序号, text columns, then unit columns; got {names} -> {roles}")
    rows_lines = {body.line_of[i] for i in range(head_end, len(body.chars))}
    for n in sorted({body.line_of[i] for i in range(head_end) if not body.chars[i].isspace()}):
        if n not in rows_lines:
            ledger.add_furniture(n, "header")
    return body, _Header(names, roles, text_roles, unit_roles, head_end)


def _row_starts(text: str, start: int) -> list[tuple[int, int, int]]:
    """(序号, offset, end of the 序号) of every row: the number that continues the count."""
    starts: list[tuple[int, int, int]] = []
    expected, pos = 1, start
    while pos < len(text):
        e = _seq_at(text, pos, expected)
        if e is not None:
            starts.append((expected, pos, e))
            expected += 1
            pos = e
        else:
            pos += 1
    return starts


def _fill_row(row: TaskRow, cell_text: str, head: _Header) -> None:
    """The row's cells from its text (after the 序号): units at the end, task then progress."""
    u = _unit_tail(cell_text) if head.unit_roles else len(cell_text)
    unit_text, free = cell_text[u:].strip(), cell_text[:u].strip()
    values: dict[str | None, str] = {}
    if len(head.text_roles) == 1:
        values[head.text_roles[0]] = free
    else:
        cut = _task_end(free)
        values[head.text_roles[0]] = free[:cut].strip()
        values[head.text_roles[-1]] = free[cut:].strip()
        if len(head.text_roles) > 2:
            row.flags.append("cells_not_split")
    attr = {"task": "task_text", "progress": "progress_text"}
    for role, v in values.items():
        if v and role:
            setattr(row, attr.get(role, role), v)
    if not head.unit_roles:
        return
    if not unit_text:
        row.flags.append(f"no_cell:{head.unit_roles[0]}")
        return
    names = units.split_units([unit_text])
    if head.unit_roles[0] == "lead_units":
        row.lead_units, row.lead_units_raw = names, unit_text
    else:
        row.cooperating_units, row.cooperating_units_raw = names, unit_text


def parse(lines: list[str], spec: SourceSpec) -> ParseResult:
    ledger = LineLedger(lines)
    body, head = _read_header(lines, spec, ledger)
    text = body.chars
    starts = _row_starts(text, head.end)
    rows: list[TaskRow] = []
    category: str | None = None
    lead_in = text[head.end : starts[0][1]].strip() if starts else ""
    h0 = _HEADING.search(" " + lead_in) if lead_in else None
    if h0 and h0.start(1) == 1:
        category = lead_in  # a heading between the header and row 1
    elif lead_in:
        for n in sorted({body.line_of[i] for i in range(head.end, starts[0][1]) if not text[i].isspace()}):
            if not ledger.claimed(n):
                ledger.add_quarantine(n, "run_together: text before the first 序号")
    for idx, (seq, s, e) in enumerate(starts):
        end = starts[idx + 1][1] if idx + 1 < len(starts) else len(text)
        cell_text = text[e:end]
        h = _HEADING.search(cell_text) if idx + 1 < len(starts) else None
        if h:  # a heading printed before the next row: the category from there on
            cell_text = cell_text[: h.start(1)]
        last = end - 1
        while last > s and text[last].isspace():
            last -= 1
        row = TaskRow(table_no=1, row_no=len(rows) + 1, task_seq=seq, sub_seq=1, line_start=body.line_of[s],
                      line_end=body.line_of[last], category=category, flags=["cells_inferred"])
        _fill_row(row, cell_text, head)
        rows.append(row)
        for n in range(row.line_start, row.line_end + 1):
            if not ledger.claimed(n):
                ledger.row([n])
        if h:
            category = h.group(1).strip()
    if not rows:
        raise LayoutError("run_together: a header but no numbered rows after it")
    headers = {1: [(nm, r or "unknown") for nm, r in zip(head.names, head.roles, strict=False)]}
    return ParseResult.from_ledger("run_together", ledger, rows, headers=headers)


LAYOUTS = [
    Layout("run_together", "a table whose cell boundaries were lost: cells run together, or flattened onto one line",
           parse=parse, detect=looks_run_together, detect_order=45),
]

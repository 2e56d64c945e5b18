"""Numbered items whose cells are labelled, instead of a table:

    1.新建5G基站100个
    【牵头单位】区经信局
    【完成情况】已建成82个。
    【进度】达序推进

or ``牵头单位:区经信局`` / ``完成情况:已建成…``. Labels are header names (ingestion/columns.py,
overridable by ``spec.columns``), so a label means the same role a column header would.

* An item starts at a numbered line (``1.`` ``1、`` ``(1)``) that continues the item numbering;
  the text after the number is the task. A value's own numbered paragraphs (``1.…`` ``2.…`` inside
  a 完成情况) do not start items: a number that continues the paragraph numbering of the current
  value, or that does not continue the item numbering, is a paragraph. Without numbers (``options.items_without_seq: true``)
  an item starts where a label already seen in the current item comes again.
* A line that is not a label continues the value above it (a wrapped cell or a new paragraph).
* A ``(一)…`` heading line before an item is its category (furniture ``section_heading``).
* Lines before the first item are the title / preamble; labels the parser cannot give a role are
  quarantined with that reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ingestion import columns, units
from ingestion.errors import LayoutError
from ingestion.furniture import is_page_chrome
from ingestion.layouts import Layout
from ingestion.layouts.grid import add_people, is_heading_text
from ingestion.model import LineLedger, ParseResult, TaskRow

if TYPE_CHECKING:
    from ingestion.registry import SourceSpec

# 【label】value  |  [label]value  |  label:value  (label 2-12 chars, no spaces or punctuation)
LABEL = re.compile(r"^\s*(?:[【\[〔]\s*([^】\]〕]{1,12}?)\s*[】\]〕]|([^\s::,,。;;、【\[]{2,12})\s*[::])\s*(.*)$")
ITEM = re.compile(r"^\s*(?:(\d{1,4})\s*[.、.]|[((](\d{1,4})[))])\s*(.*)$")


# '一、事项名称:…' / '(二)工作进展:': a label numbered like a chapter (a one-task-per-page report)
_NUMBERED_LABEL = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}、|[((][一二三四五六七八九十]{1,3}[))])\s*([^\s::,,。;;、【\[]{2,12})\s*[::]\s*(.*)$"
)
# '【完成情况】' in the middle of a line: a second labelled cell on the same line.
_MID_BRACKET = re.compile(r"[【\[〔]\s*([^】\]〕]{1,12}?)\s*[】\]〕]")
# '(责任单位:区发改局)' / '(市级牵头单位:市住建局;区级牵头单位:区城管局)' inside the task text
_PAREN = re.compile(r"[((]([^()()]{2,120})[))]")
_PAIR = re.compile(r"^\s*([^\s::,,;;、]{2,12})\s*[::]\s*(.+?)\s*$")
# '由区园林局牵头' / '区园林局牵头推进': the lead unit named inside the task text
_LEAD_IN_TEXT = re.compile(r"(?:由|^|[,,;;。])([^,,。;;\s由]{2,30}?)(?:牵头|负责牵头)")


def _named_label(line: str, overrides: dict[str, str]) -> tuple[str, str, str] | None:
    """A label the YAML names, of any length ('进展情况、存在问题及下一步打算:…')."""
    t = line.lstrip()
    for name, role in overrides.items():
        if role == "ignore" or len(name) <= 12:
            continue
        for opener, closer in (("", ":"), ("", ":"), ("【", "】"), ("[", "]")):
            head = opener + name + closer
            if t.startswith(head):
                return name, role, t[len(head) :].strip()
    return None


def label_of(line: str, overrides: dict[str, str]) -> tuple[str, str, str] | None:
    """(label, role, value) when the line starts with a recognised label."""
    named = _named_label(line, overrides)
    if named:
        return named
    m = LABEL.match(line)
    if not m:
        n = _NUMBERED_LABEL.match(line)
        if n:
            role = columns.role_for_header(n.group(1), overrides)
            if role is not None and role != "ignore":
                return n.group(1), role, n.group(2).strip()
        return None
    label = m.group(1) or m.group(2)
    role = columns.role_for_header(label, overrides)
    if role is None or role == "ignore":
        return None
    return label, role, m.group(3).strip()


def item_start(line: str, overrides: dict[str, str]) -> tuple[int | None, str] | None:
    """(number, rest of the line) when the line opens a numbered item."""
    if label_of(line, overrides):
        return None
    m = ITEM.match(line)
    if m:
        return int(m.group(1) or m.group(2)), m.group(3).strip()
    return None


def segments(line: str, overrides: dict[str, str]) -> list[str]:
    """A line holding several bracketed labels ('1.【目标】… 【完成情况】…') as one piece per label."""
    cuts = [
        m.start() for m in _MID_BRACKET.finditer(line)
        if m.start() > 0 and columns.role_for_header(m.group(1), overrides) not in (None, "ignore")
    ]
    if not cuts:
        return [line]
    bounds = [0, *cuts, len(line)]
    return [line[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if line[a:b].strip()]


def inline_labels(text: str, overrides: dict[str, str]) -> tuple[str, dict[str, list[str]]]:
    """Labelled fields printed in parentheses on the task line: removed from the text, returned by
    role. A parenthesis is taken only when every part of it is 'label:value' with a known label."""
    found: dict[str, list[str]] = {}

    def take(m: re.Match[str]) -> str:
        parts = [p for p in re.split(r"[;;]", m.group(1)) if p.strip()]
        pairs = [_PAIR.match(p) for p in parts]
        roles = [columns.role_for_header(pm.group(1), overrides) if pm else None for pm in pairs]
        if not parts or any(r in (None, "ignore", "task") for r in roles):
            return m.group(0)
        for pm, r in zip(pairs, roles, strict=False):
            if pm is not None and r is not None:
                found.setdefault(r, []).append(pm.group(2))
        return ""

    return _PAREN.sub(take, text).strip(), found


def lead_in_text(text: str) -> list[str]:
    """Units the text says lead the work ('…由区园林局牵头推进'), when no cell names them."""
    out: list[str] = []
    for m in _LEAD_IN_TEXT.finditer(text):
        cand = m.group(1)
        if units.looks_like_unit(cand.split("、")[-1]):
            out.extend(units.split_units([cand]))
    return out


def looks_labelled(lines: list[str], overrides: dict[str, str] | None = None) -> bool:
    """Used by layout detection: several lines (or bracketed pieces of lines) start with a
    recognised label."""
    ov = overrides or {}
    hits = sum(1 for ln in lines[:600] if ln.strip() for seg in segments(ln, ov) if label_of(seg, ov))
    return hits >= 3


@dataclass
class _Item:
    """A numbered item being read: its lines so far and the text under each role."""

    seq: int | None
    start: int
    end: int
    category: str | None
    cells: dict[str, list[str]] = field(default_factory=dict)

    def text(self, role: str) -> str | None:
        paras = [p.strip() for p in self.cells.get(role, []) if p.strip()]
        return "\n".join(paras) if paras else None

    def to_row(self, row_no: int, overrides: dict[str, str]) -> TaskRow:
        flags = ["labelled_cells"] + (["seq_missing"] if self.seq is None else [])
        if self.cells.get("task"):
            task_lines = []
            for t in self.cells["task"]:
                rest, found = inline_labels(t, overrides)
                task_lines.append(rest)
                for r, vals in found.items():
                    self.cells.setdefault(r, []).extend(vals)
                if found and "inline_labels" not in flags:
                    flags.append("inline_labels")
            self.cells["task"] = task_lines
        if not self.cells.get("lead_units") and len(self.cells.get("cooperating_units", [])) == 1 \
                and "inline_labels" in flags:
            # a sole 责任单位 names the lead, as in a table (columns.finalise_roles)
            self.cells["lead_units"] = self.cells.pop("cooperating_units")
        if not self.cells.get("lead_units"):
            named = lead_in_text("\n".join(self.cells.get("task", []) + self.cells.get("period_target", [])))
            if named:
                self.cells["lead_units"] = ["、".join(named)]
                flags.append("lead_from_text")
        lead = self.cells.get("lead_units", [])
        coop = self.cells.get("cooperating_units", [])
        lead_units, lead_people = units.split_unit_cell(lead)
        coop_units, coop_people = units.split_unit_cell(coop)
        row = TaskRow(
            table_no=1,
            row_no=row_no,
            task_seq=self.seq,
            sub_seq=1,
            line_start=self.start,
            line_end=self.end,
            category=self.category or self.text("category"),
            task_text=self.text("task"),
            period_target=self.text("period_target"),
            progress_text=self.text("progress"),
            lead_units=lead_units,
            cooperating_units=coop_units,
            leader=self.text("leader"),
            responsible_person=self.text("responsible_person"),
            status_reported=self.text("status"),
            remark=self.text("remark"),
            lead_units_raw="\n".join(lead) or None,
            cooperating_units_raw="\n".join(coop) or None,
            flags=flags,
        )
        add_people(row, [*lead_people, *coop_people])
        return row


class _Reader:
    """Reads the lines one by one: each non-blank line opens an item, is a label, a heading, or
    continues the value above it (see the module docstring)."""

    def __init__(self, lines: list[str], spec: SourceSpec):
        self.ledger = LineLedger(lines)
        self.overrides = spec.columns
        self.without_seq = bool(spec.options.get("items_without_seq"))
        self.rows: list[TaskRow] = []
        self.item: _Item | None = None
        self.role: str | None = None  # the role the next plain line continues
        self.category: str | None = None
        self.seen_roles: list[tuple[str, str]] = []
        self.last_seq: int | None = None  # item numbering
        self.last_para: int | None = None  # numbering of the paragraphs of the current value

    def read(self, n: int, line: str) -> None:
        lab = label_of(line, self.overrides)
        # unnumbered items start at a repeated label; a numbered line is a paragraph of a value
        start = None if lab or self.without_seq else self._item_start(line)
        if start is not None:
            self._open(n, *start)
        elif lab:
            self._label(n, *lab)
        elif (is_page_chrome(line) or is_page_chrome(re.sub(r"\s+", "", line))) and len(line.strip()) <= 60:
            if not self.ledger.claimed(n):  # a photo credit after an item, a share link
                self.ledger.add_furniture(n, "metadata")
        elif is_heading_text(line, max_len=60):
            self._close()
            self.category = line.strip()
            self.ledger.add_furniture(n, "section_heading")
        elif self.item is not None and self.role is not None:
            self.item.cells.setdefault(self.role, []).append(line.strip())
            self.item.end = n
        else:
            self.ledger.add_furniture(n, "title" if not self.rows and n <= 3 else "preamble")

    def _item_start(self, line: str) -> tuple[int | None, str] | None:
        """A numbered line opens an item unless, inside a value, its number continues the value's
        own paragraph numbering or does not continue the item numbering."""
        start = item_start(line, self.overrides)
        if start is None or self.item is None or self.role == "task":
            return start
        k = start[0]
        paragraph = self.last_para is not None and k == self.last_para + 1
        if paragraph or (self.last_seq is not None and k != self.last_seq + 1):
            self.last_para = k
            return None
        return start

    def _open(self, n: int, seq: int | None, rest: str) -> None:
        self.last_seq, self.last_para = seq, None
        self._close()
        self.item, self.role = _Item(seq, n, n, self.category), "task"
        if rest:
            self.item.cells["task"] = [rest]

    def _label(self, n: int, label: str, role: str, value: str) -> None:
        if (label, role) not in self.seen_roles:
            self.seen_roles.append((label, role))
        if self.item is None and not self.without_seq:
            if not self.ledger.claimed(n):
                self.ledger.add_quarantine(n, f"label {label!r} before the first numbered item")
            return
        if self.item is None or (self.without_seq and role in self.item.cells):
            self._close()  # unnumbered items: a label seen again starts the next item
            self.item = _Item(None, n, n, self.category)
        self.role = role
        p = ITEM.match(value)
        self.last_para = int(p.group(1) or p.group(2)) if p else None
        self.item.cells.setdefault(role, [])
        if value:
            self.item.cells[role].append(value)
        self.item.end = n

    def _close(self) -> None:
        if self.item is not None:
            self.rows.append(self.item.to_row(len(self.rows) + 1, self.overrides))
            self.ledger.row(range(self.item.start, self.item.end + 1))
            self.item = None


def parse(lines: list[str], spec: SourceSpec) -> ParseResult:
    reader = _Reader(lines, spec)
    for n, line in enumerate(lines, start=1):
        if line.strip():
            for piece in segments(line, spec.columns):  # '1.【目标】… 【完成情况】…': a cell a piece
                reader.read(n, piece)
    reader._close()
    if not reader.rows:
        raise LayoutError("no numbered items with labelled cells (【完成情况】… / 牵头单位:…) found")
    return ParseResult.from_ledger("labelled", reader.ledger, reader.rows, headers={1: reader.seen_roles})

LAYOUTS = [
    Layout("labelled", "numbered items with labelled cells 【完成情况】… / 牵头单位:…",
           parse=parse, detect=looks_labelled, detect_order=30),
]

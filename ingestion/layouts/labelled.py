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

from typing import TYPE_CHECKING

from ingestion import columns, units
from ingestion.errors import LayoutError
from ingestion.layouts import Layout
from ingestion.layouts.grid import is_heading_text
from ingestion.model import LineLedger, ParseResult, TaskRow

if TYPE_CHECKING:
    from ingestion.registry import SourceSpec

# 【label】value  |  [label]value  |  label:value  (label 2-12 chars, no spaces or punctuation)
LABEL = re.compile(r"^\s*(?:[【\[〔]\s*([^】\]〕]{1,12}?)\s*[】\]〕]|([^\s::,,。;;、【\[]{2,12})\s*[::])\s*(.*)$")
ITEM = re.compile(r"^\s*(?:(\d{1,4})\s*[.、.]|[((](\d{1,4})[))])\s*(.*)$")


def label_of(line: str, overrides: dict[str, str]) -> tuple[str, str, str] | None:
    """(label, role, value) when the line starts with a recognised label."""
    m = LABEL.match(line)
    if not m:
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


def looks_labelled(lines: list[str]) -> bool:
    """Used by layout detection: several lines start with a recognised label."""
    hits = sum(1 for ln in lines[:600] if ln.strip() and label_of(ln, {}))
    return hits >= 3


def _finish(item: dict, spec: SourceSpec, rows: list[TaskRow], ledger: LineLedger) -> None:
    cells: dict[str, list[str]] = item["cells"]

    def text(role: str) -> str | None:
        paras = [p.strip() for p in cells.get(role, []) if p.strip()]
        return "\n".join(paras) if paras else None

    lead = cells.get("lead_units", [])
    coop = cells.get("cooperating_units", [])
    row = TaskRow(
        table_no=1,
        row_no=len(rows) + 1,
        task_seq=item["seq"],
        sub_seq=1,
        line_start=item["start"],
        line_end=item["end"],
        category=item["category"] or text("category"),
        task_text=text("task"),
        period_target=text("period_target"),
        progress_text=text("progress"),
        lead_units=units.split_units(lead),
        cooperating_units=units.split_units(coop),
        leader=text("leader"),
        responsible_person=text("responsible_person"),
        status_reported=text("status"),
        remark=text("remark"),
        lead_units_raw="\n".join(lead) or None,
        cooperating_units_raw="\n".join(coop) or None,
        flags=["labelled_cells"] + (["seq_missing"] if item["seq"] is None else []),
    )
    rows.append(row)
    ledger.row(range(item["start"], item["end"] + 1))


def parse(lines: list[str], spec: SourceSpec) -> ParseResult:
    ledger = LineLedger(lines)
    overrides = spec.columns
    without_seq = bool(spec.options.get("items_without_seq"))
    rows: list[TaskRow] = []
    item: dict | None = None
    role: str | None = None
    category: str | None = None
    seen_roles: list[tuple[str, str]] = []
    last_seq: int | None = None  # item numbering
    last_para: int | None = None  # numbering of the paragraphs of the current value

    def new_item(n: int, seq: int | None) -> dict:
        return {"seq": seq, "start": n, "end": n, "cells": {}, "category": category}

    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        lab = label_of(line, overrides)
        start = None if lab else item_start(line, overrides)
        if start is not None and item is not None and role != "task":
            k = start[0]
            paragraph = last_para is not None and k == last_para + 1
            if paragraph or (last_seq is not None and k != last_seq + 1):
                last_para, start = k, None
        if start is not None:
            last_seq, last_para = start[0], None
            if item:
                _finish(item, spec, rows, ledger)
            seq, rest = start
            item, role = new_item(n, seq), "task"
            if rest:
                item["cells"]["task"] = [rest]
            continue
        if lab:
            label, lrole, value = lab
            if (label, lrole) not in seen_roles:
                seen_roles.append((label, lrole))
            if item is None or (without_seq and lrole in item["cells"]):
                if item is None and not without_seq:
                    ledger.add_quarantine(n, f"label {label!r} before the first numbered item")
                    continue
                if item:
                    _finish(item, spec, rows, ledger)
                item = new_item(n, None)
            role = lrole
            p = ITEM.match(value)
            last_para = int(p.group(1) or p.group(2)) if p else None
            item["cells"].setdefault(role, [])
            if value:
                item["cells"][role].append(value)
            item["end"] = n
            continue
        if is_heading_text(line, max_len=60):
            if item:
                _finish(item, spec, rows, ledger)
                item = None
            category = line.strip()
            ledger.add_furniture(n, "section_heading")
            continue
        if item is not None and role is not None:
            item["cells"].setdefault(role, []).append(line.strip())
            item["end"] = n
        else:
            ledger.add_furniture(n, "title" if not rows and n <= 3 else "preamble")
    if item:
        _finish(item, spec, rows, ledger)
    if not rows:
        raise LayoutError("no numbered items with labelled cells (【完成情况】… / 牵头单位:…) found")
    return ParseResult.from_ledger("labelled", ledger, rows, headers={1: seen_roles})


LAYOUTS = [
    Layout("labelled", "numbered items with labelled cells 【完成情况】… / 牵头单位:…",
           parse=parse, detect=looks_labelled, detect_order=30),
]

"""Tables exported as text where every cell ends with '|' (seed: 芜湖市弋江区 2023 Q2).

What the format really is (read from the seed, not assumed):

* '|' ends a cell. Nearly every line is one cell: ``区发改委 |``. A cell whose text runs over
  several lines has '|' only on its last line; those lines are one cell, joined with '\\n'.
  (Several cells on one line, ``a | b |``, read the same way.)
* A line of bare pipes (``|``, ``||``, ``|||``) is that many empty cells. The export pads every
  printed row to the header's width: a row whose lead / responsible cells were merged into the
  row above (HTML rowspan) prints only its own cells and then the padding, e.g.
  ``11 | 推动… | 一期项目… | ||`` - so *trailing* empty cells are padding for absent cells, while
  an empty cell *between* two text cells is a cell printed empty.
* A row starts with its 序号 cell; a group title such as ``(一)以更实举措… |`` is a full-width
  row of its own (one text cell plus padding).
* Lines before the first '|' are the title.

Knobs (``spec.options``): ``header_line`` (the header is the cells from that line on, whether
or not their names are known; give their roles in ``columns:``); ``empty_cells_inherit`` (default false here - see above);
``delimiter`` (default '|', or a tab when no line has a '|': the same layout reads tab-separated
text); ``cells_end_with_delimiter`` (default: detected - true when most delimited lines end with
the delimiter, as in the seed; false for row-per-line text like ``1\t任务\t区发改委\t进展``, where
a line without the delimiter continues the cell before it).
Bare-pipe lines are furniture ``filler``; everything else ends up in a row, the header, a
section heading, or quarantine with a reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ingestion import columns
from ingestion.errors import LayoutError
from ingestion.layouts import Layout
from ingestion.layouts.grid import SECTION_HEADING, GridRow, parse_seq, rows_from_grid
from ingestion.model import LineLedger, ParseResult

if TYPE_CHECKING:
    from ingestion.registry import SourceSpec


@dataclass
class Cell:
    text: str
    line_start: int
    line_end: int

    @property
    def empty(self) -> bool:
        return not self.text.strip()


def is_filler(line: str, delim: str = "|") -> bool:
    s = line.strip(" \u3000\u00a0" if delim == "\t" else None)
    return bool(s) and set(s) == {delim}


def tokenize_rows(lines: list[str], first: int, delim: str) -> list[Cell]:
    """Row-per-line text: every piece of a delimited line is a cell (the last one too); a line
    without the delimiter continues the cell before it (a wrapped cell)."""
    cells: list[Cell] = []
    for idx in range(first, len(lines)):
        n, line = idx + 1, lines[idx]
        if is_filler(line, delim):
            continue
        if delim not in line:
            if line.strip() and cells:
                last = cells[-1]
                cells[-1] = Cell("\n".join(p for p in (last.text, line.strip()) if p), last.line_start, n)
            continue
        pieces = line.split(delim)
        if delim == "|" and not pieces[0].strip():
            pieces = pieces[1:]  # '| a | b |': the leading bar opens the row
        cells.extend(Cell(p.strip(), n, n) for p in pieces)
    return cells


def _delimiter(lines: list[str], spec: SourceSpec) -> tuple[str, bool]:
    delim = spec.options.get("delimiter") or ("|" if any("|" in ln for ln in lines) else "\t")
    delimited = [ln.rstrip(" \u3000\u00a0") for ln in lines if delim in ln]
    ends = sum(1 for ln in delimited if ln.endswith(delim))
    terminated = spec.options.get("cells_end_with_delimiter")
    if terminated is None:
        terminated = bool(delimited) and ends / len(delimited) >= 0.5
    return delim, bool(terminated)


def tokenize(lines: list[str], first: int, delim: str = "|") -> tuple[list[Cell], int | None]:
    """Cells from line index ``first`` (0-based) on. Returns the cells and, if text after the last
    delimiter is left unterminated, the 1-based line where that dangling text starts."""
    cells: list[Cell] = []
    pending: list[str] = []
    pending_start: int | None = None
    for idx in range(first, len(lines)):
        n = idx + 1
        line = lines[idx]
        if delim not in line:
            if line.strip() or pending:
                pending.append(line.strip())
                pending_start = pending_start or n
            continue
        pieces = line.split(delim)
        for k, piece in enumerate(pieces[:-1]):
            if k == 0 and pending:
                assert pending_start is not None  # set with the first pending line
                text = "\n".join(p for p in [*pending, piece.strip()] if p)
                cells.append(Cell(text, pending_start, n))
                pending, pending_start = [], None
            else:
                cells.append(Cell(piece.strip(), n, n))
        if pieces[-1].strip():
            pending, pending_start = [pieces[-1].strip()], n
    return cells, pending_start


def _header_at(cells: list[Cell], line: int) -> int:
    """``options.header_line``: the header is the cells from that line on, recognised or not: the
    cells of that line, and for a one-cell-a-line export the short cells after it up to the first
    序号."""
    start = next((k for k, c in enumerate(cells) if c.line_start >= line and not c.empty), None)
    if start is None:
        raise LayoutError(f"options.header_line {line}: no cells on or after that line", layout="pipe")
    i = start
    while i < len(cells) and not cells[i].empty:
        c = cells[i]
        if c.line_start != cells[start].line_start and (
            parse_seq(c.text) is not None or len(columns.normalise_header(c.text)) > columns.MAX_HEADER_LEN
        ):
            break
        i += 1
    return i


def _header(cells: list[Cell], overrides: dict[str, str], header_line: int | None = None) -> int:
    """Index one past the header: the leading run of recognised header cells (empty cells before
    it are skipped)."""
    if header_line:
        return _header_at(cells, header_line)
    i = 0
    while i < len(cells) and cells[i].empty:
        i += 1
    start = i
    roles: set[str | None] = set()
    while i < len(cells) and not cells[i].empty and columns.is_header_cell(cells[i].text, overrides):
        role = columns.role_for_header(cells[i].text, overrides)
        if i - start >= 2 and cells[i - 1].line_start == cells[start].line_start:
            # a header printed on one line ends with that line
            if cells[i].line_start != cells[start].line_start:
                break
        elif role in roles and role != "ignore":
            break  # a header names each role once: a repeat is the first data cell ('进展甲')
        roles.add(role)
        i += 1
    if i - start < 2:
        raise LayoutError(
            "no table header of delimited cells (序号 | 重点工作 | 牵头单位 | 完成情况 …)"
        )
    return i


def _sub_header(cells: list[Cell], end: int, overrides: dict[str, str]) -> tuple[int, int] | None:
    """A second header row right after the header (a two-level header: 进展情况 over 至8月10日进展 |
    最新进展, 承办单位 over 主办 | 协办): (first, one past the last) index of its cells. Its cells are
    short, at least one is a known header name, none is a 序号, and a 序号 follows them."""
    i = end
    while i < len(cells) and cells[i].empty:
        i += 1
    start = i
    while i < len(cells) and (cells[i].empty or parse_seq(cells[i].text) is None):
        c = cells[i]
        if not c.empty and (len(columns.normalise_header(c.text)) > columns.MAX_HEADER_LEN
                            or _SENTENCE_PUNCT.search(c.text)):
            return None
        i += 1
    sub = [c for c in cells[start:i] if not c.empty]
    if len(sub) < 2 or i >= len(cells) or not any(columns.is_header_cell(c.text, overrides) for c in sub):
        return None
    # every cell a header name, or a word too short to be data ('主办'); '区发改委' is data
    if not all(columns.is_header_cell(c.text, overrides) or len(columns.normalise_header(c.text)) <= 3 for c in sub):
        return None
    return start, i


_SENTENCE_PUNCT = re.compile(r"[。,,;;!?!?]")
_UNIT_ROLES = ("lead_units", "cooperating_units")


def two_level_header(top: list[str], sub: list[str], overrides: dict[str, str]) -> tuple[list[str], list[str | None]]:
    """Leaf columns of a two-level header printed as two rows of text (no colspans to read).

    The sub-row's cells belong to the rightmost cells of the top row, two to a group (a group
    with one child would not be printed as one); a leaf's role is the YAML's for its name, else
    the rules' for its name, else its group's. Under a unit group (承办单位) the first child is
    the lead unit, the others cooperating units."""
    groups = min(len(sub) // 2, len(top))
    keep = top[: len(top) - groups]
    names = list(keep)
    roles = [columns.role_for_header(c, overrides) for c in keep]
    for g in range(groups):
        parent = top[len(top) - groups + g]
        children = sub[2 * g : 2 * g + 2] if g < groups - 1 else sub[2 * g :]
        prole = columns.role_for_header(parent, overrides)
        for k, child in enumerate(children):
            names.append(child)
            named = columns.named_in(child, overrides)
            role = columns.role_for_header(child, overrides) if named else None
            if role is None and prole in _UNIT_ROLES:
                role = "lead_units" if k == 0 else "cooperating_units"
            roles.append(role or columns.role_for_header(child, overrides) or prole)
    return names, roles


def _is_heading_row(cells: list[Cell], i: int, width: int) -> bool:
    """A '(一)…' cell followed by width-1 empty cells is a full-width heading row."""
    if not SECTION_HEADING.match(cells[i].text):
        return False
    j = i + 1
    while j < len(cells) and cells[j].empty:
        j += 1
    return j - i - 1 >= width - 1


def group_rows(cells: list[Cell], width: int, seq_first: bool = True, line_rows: bool = False) -> list[list[Cell]]:
    """Split the cells after the header into printed rows.

    A new row starts at a cell that follows a complete row (width cells counted with padding),
    at the next 序号 even if the row before it came up short, or at a full-width heading row; a
    heading is a row by itself."""
    groups: list[list[Cell]] = []
    heading: set[int] = set()  # ids of heading groups
    last_seq: int | None = None
    for i, cell in enumerate(cells):
        cur = groups[-1] if groups else None
        if cell.empty:
            if cur is not None:
                cur.append(cell)
            continue
        seq = parse_seq(cell.text)
        complete = cur is None or id(cur) in heading or len(cur) >= width
        if line_rows and cur is not None and cell.line_start > cur[-1].line_end:
            complete = True  # one printed row a line: a new line is a new row, whatever its width
        # the next 序号 starts a row only where the 序号 column is the first one
        next_seq = seq_first and seq is not None and (last_seq is None or seq == last_seq + 1)
        is_heading = (
            seq is None
            and SECTION_HEADING.match(cell.text)
            and (complete or _is_heading_row(cells, i, width))
        )
        if complete or next_seq or is_heading:
            groups.append([cell])
            if seq is not None:
                last_seq = seq
            elif is_heading:
                heading.add(id(groups[-1]))
        else:
            assert cur is not None  # no current row is 'complete'
            cur.append(cell)
    return groups


def to_grid_row(group: list[Cell]) -> GridRow:
    """Trailing empty cells are padding for absent (rowspanned) cells, not cells of the row."""
    end = len(group)
    while end > 0 and group[end - 1].empty:
        end -= 1
    kept = group[:end]
    return GridRow([c.text for c in kept], kept[0].line_start, kept[-1].line_end)


def parse(lines: list[str], spec: SourceSpec) -> ParseResult:
    ledger = LineLedger(lines)
    delim, terminated = _delimiter(lines, spec)
    first = next((i for i, ln in enumerate(lines) if delim in ln), len(lines))
    for i in range(first):
        if lines[i].strip():
            ledger.add_furniture(i + 1, "title")
    for i in range(first, len(lines)):
        if is_filler(lines[i], delim):
            ledger.add_furniture(i + 1, "filler")

    if terminated:
        cells, dangling = tokenize(lines, first, delim)
        if dangling is not None:
            # the file ends inside a cell (an excerpt, a page cut off): that text is the last
            # cell of the last row, which finishing.flag_cut_last_row marks truncated_row
            tail = [ln.strip() for ln in lines[dangling - 1 :] if ln.strip()]
            last_piece = lines[dangling - 1].split(delim)[-1].strip()
            tail[0] = last_piece
            cells.append(Cell("\n".join(tail), dangling, len(lines)))
            dangling = None
    else:
        cells, dangling = tokenize_rows(lines, first, delim), None
    header_line = spec.options.get("header_line")
    end = _header(cells, spec.columns, int(header_line) if header_line else None)
    head = cells[:end]
    head = [c for c in head if not c.empty]
    # a header printed on one line: the table prints one row a line
    line_rows = len(head) >= 3 and len({c.line_start for c in head}) == 1
    given_roles: list[str | None] | None = None
    sub = _sub_header(cells, end, spec.columns) if not header_line else None
    if sub is not None:
        sub_cells = [c for c in cells[sub[0] : sub[1]] if not c.empty]
        names, given_roles = two_level_header([c.text for c in head], [c.text for c in sub_cells], spec.columns)
        span_end = sub_cells[-1].line_end
        head = [Cell(n, head[0].line_start, span_end) for n in names]
        end = sub[1]
    if header_line:  # cells before the named header line are the title
        first_head = head[0].line_start
        for c in cells[: cells.index(head[0])]:
            for n in range(c.line_start, c.line_end + 1):
                if n < first_head and lines[n - 1].strip() and not ledger.claimed(n):
                    ledger.add_furniture(n, "title")
    grid = [GridRow([c.text for c in head], head[0].line_start, head[-1].line_end)]
    seq_first = columns.role_for_header(head[0].text, spec.columns) == "seq"
    grid += [
        to_grid_row(g) for g in group_rows(cells[end:], len(head), seq_first, line_rows)
        if any(not c.empty for c in g)
    ]

    rows, headers = rows_from_grid(
        grid, spec, ledger, empty_inherits=False, header_given=given_roles or bool(header_line)
    )
    if dangling is not None:
        for n in range(dangling, len(lines) + 1):
            if lines[n - 1].strip() and not ledger.claimed(n):
                ledger.add_quarantine(n, "text after the last '|' cell delimiter (unterminated cell)")
    return ParseResult.from_ledger("pipe" if delim == "|" else "delimited", ledger, rows, headers={1: headers})


def _share(nonblank: list[str], hit) -> float:
    return sum(1 for ln in nonblank if hit(ln)) / len(nonblank)


def looks_piped(nonblank: list[str], overrides: dict[str, str] | None = None) -> bool:
    """Detection: more than 30% of the lines start or end with '|'."""
    return _share(nonblank, lambda ln: ln.endswith("|") or ln.startswith("|")) > 0.3


def looks_tabbed(nonblank: list[str], overrides: dict[str, str] | None = None) -> bool:
    """Detection: more than 30% of the lines hold a tab."""
    return _share(nonblank, lambda ln: "\t" in ln) > 0.3


LAYOUTS = [
    Layout("pipe", "cells ending in '|', one cell or one row per line, markdown tables",
           parse=parse, detect=looks_piped, detect_order=10),
    # the pipe layout with another delimiter (options.delimiter; a tab when no line has a '|')
    Layout("delimited", "tab-separated rows (or any options.delimiter)",
           parse=parse, detect=looks_tabbed, detect_order=20),
]

"""The "one table cell per line" layout: a web page's table flattened to text, every cell on its
own line(s), cells in header order, rows one after another.

How a page is read (one algorithm for every bulletin of this layout; nothing names a file):

1. Tokens: every non-blank line. A line of non-breaking spaces is an EMPTY cell, not a blank.
2. Tables: a run of >= 3 consecutive header cells (``columns.role_for_header``, overridable by
   ``spec.columns``; a cell split over two lines such as '分管' + '领导' is joined). The caption
   just before a header ('…汇总表(量化重点工作35项)') and attachment labels ('附件1') are titles;
   a caption that states a count gives ``StatedTotal('rows', n, table_no)``.
3. Rows: inside a table, a row starts at a bare integer equal to the next expected 序号
   (1 after each header). Paragraph lines such as '2' or '1.…' elsewhere do not start a row
   because they do not continue the sequence. A '一、…' / '(一)…' line right before a row is a
   section heading (furniture) and becomes the ``category`` of the rows under it.
4. Cells: the row's lines are split into the header's columns by ``_cells_align.align_row`` (a
   scored segmentation; see there), which also finds continuation sub-rows.
5. Everything else: page chrome -> 'metadata', document title / captions / attachment labels ->
   'title', narrative before the table (summary, requirements, signature) -> 'preamble', chrome
   after the last table -> 'metadata'/'filler'. Summary sentences that state totals
   ('分解成155小项,其中完成的工作有93项…') give ``StatedTotal`` rows.

Options (``spec.options``):
* ``max_sub_rows`` (int, default 3): continuation sub-rows allowed per numbered row.
* ``rows_without_seq`` (bool, default true): read a table whose header has no 序号 column by segmenting
  the whole body with the same cell scores (``_cells_align.align_table``). Rows are then only
  as reliable as the columns are distinctive (a unit or status column anchors them); every
  '一、' / '(一)' line is a heading; continuation sub-rows are not recognised; task_seq is None.

Not supported: a 序号 column that is not the first column (raises ``LayoutError``).
序号 that skip up to ``MAX_SEQ_GAP`` numbers are followed (row flag 'seq_gap'); a larger jump
is not, and the rows after it would be absorbed by the row before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingestion import units
from ingestion.columns import finalise_roles, is_header_cell, normalise_header, role_for_header
from ingestion.errors import LayoutError
from ingestion.furniture import is_caption
from ingestion.layouts import Layout
from ingestion.layouts._cells_align import Cell, align_row, align_table, split_task_cell
from ingestion.layouts._cells_tokens import (
    Token,
    is_attachment_label,
    is_metadata,
    is_section_heading,
    seq_value,
    tokenize,
)
from ingestion.layouts.grid import add_people
from ingestion.memo import per_file
from ingestion.model import LineLedger, ParseResult, StatedTotal, TaskRow

LAYOUT = "cell_lines"
MIN_HEADER_CELLS = 3


# --- tables ------------------------------------------------------------------------------------


@dataclass
class HeaderCell:
    tokens: list[Token]
    role: str  # a ROLES value or 'ignore'

    @property
    def text(self) -> str:
        return "".join(t.text for t in self.tokens)


@dataclass
class Table:
    table_no: int
    header: list[HeaderCell]
    start: int  # token index of the first header cell
    end: int  # token index just after the header
    prelude: list[int] = field(default_factory=list)  # token indexes of caption / labels
    caption: Token | None = None

    @property
    def first(self) -> int:
        return min(self.prelude, default=self.start)

    @property
    def roles(self) -> list[str]:
        return [c.role for c in self.header]


_NOT_HEADER = re.compile(r"[。,,;;!?!?]|^\d+$")  # sentences and bare numbers are body cells
_FRAGMENT = re.compile(r"^[\u4e00-\u9fff ]{1,6}$")  # one half of a header cell split over two lines


def _header_role(text: str, overrides: dict[str, str]) -> str | None:
    # every line is asked once as a possible header's first cell; unit names and status words
    # come back many times in a file
    return _header_role_of(text, tuple(overrides.items()) if overrides else ())


@per_file
def _header_role_of(text: str, overrides: tuple[tuple[str, str], ...]) -> str | None:
    if _NOT_HEADER.search(text):
        return None
    named = dict(overrides)
    return role_for_header(text, named) if is_header_cell(text, named) else None


def _split_header_role(first: str, second: str, overrides: dict[str, str]) -> str | None:
    """The role of a header cell printed over two lines ('分管' + '领导', '完成' + '状况'): two short
    Han fragments, the first no header by itself, together a header."""
    if not (_FRAGMENT.match(first) and _FRAGMENT.match(second)) or role_for_header(first, overrides):
        return None
    return _header_role(first + second, overrides)


def read_header(toks: list[Token], i: int, overrides: dict[str, str]) -> list[HeaderCell]:
    """The header cells starting at token i (possibly none)."""
    cells: list[HeaderCell] = []
    j = i
    while j < len(toks) and not toks[j].empty:
        nxt = toks[j + 1] if j + 1 < len(toks) and not toks[j + 1].empty else None
        role = _header_role(toks[j].text, overrides)
        if role is None and nxt is not None:
            role = _split_header_role(toks[j].text, nxt.text, overrides)
            if role is not None:
                cells.append(HeaderCell([toks[j], nxt], role))
                j += 2
                continue
        if role is None:
            break
        cells.append(HeaderCell([toks[j]], role))
        j += 1
    return cells


def _is_table_header(cells: list[HeaderCell]) -> bool:
    roles = {c.role for c in cells}
    return (
        len(cells) >= MIN_HEADER_CELLS
        and len(roles) >= MIN_HEADER_CELLS
        and bool(roles & {"task", "progress"})
    )


def find_tables(toks: list[Token], overrides: dict[str, str]) -> list[Table]:
    tables: list[Table] = []
    i = 0
    while i < len(toks):
        cells = read_header(toks, i, overrides)
        if _is_table_header(cells):
            final = finalise_roles([c.text for c in cells], [c.role for c in cells], overrides)
            for c, role in zip(cells, final, strict=True):
                assert role is not None  # finalise_roles only renames roles
                c.role = role
            end = i + sum(len(c.tokens) for c in cells)
            tables.append(Table(len(tables) + 1, cells, i, end))
            i = end
        else:
            i += 1
    for t in tables:
        _attach_prelude(toks, t, floor=0 if t.table_no == 1 else tables[t.table_no - 2].end)
    return tables


def _attach_prelude(toks: list[Token], table: Table, floor: int) -> None:
    """Caption directly above the header, and attachment labels ('附件2', a lone '2') above it."""
    j = table.start - 1
    if j >= floor and is_caption(toks[j].text):
        table.caption = toks[j]
        table.prelude.append(j)
        j -= 1
    while j >= floor and not toks[j].empty and is_attachment_label(toks[j].text):
        table.prelude.append(j)
        j -= 1


def find_tail(toks: list[Token], floor: int) -> int:
    """Token index where trailing page chrome starts ('文件下载', '标签:' …), len(toks) if none.
    Empty-cell lines directly above the chrome belong to it (filler)."""
    j = len(toks)
    seen_chrome = False
    while j > floor and (toks[j - 1].empty or is_metadata(toks[j - 1].text)):
        seen_chrome = seen_chrome or not toks[j - 1].empty
        j -= 1
    return j if seen_chrome else len(toks)


# --- stated totals -------------------------------------------------------------------------------

_SUMMARY_TOTALS = [
    ("rows", re.compile(r"分解[成为](\d+)(?:个)?小?项")),
    ("completed", re.compile(r"(?:已?完成的(?:工作|任务)?有|已完成)(\d+)项")),
    ("on_track", re.compile(r"序时推进的(?:工作|任务)?有(\d+)项")),
    ("behind", re.compile(r"未达到?序时进度的(?:工作|任务)?有(\d+)项")),
]
_CAPTION_TOTAL = re.compile(r"[((][^))]*?(\d+)项[))]")


def summary_totals(tok: Token) -> list[StatedTotal]:
    out = []
    for metric, pat in _SUMMARY_TOTALS:
        m = pat.search(tok.text)
        if m:
            out.append(StatedTotal(metric, int(m.group(1)), tok.line_no, tok.text))
    return out


def caption_total(table: Table) -> list[StatedTotal]:
    if table.caption is None:
        return []
    m = _CAPTION_TOTAL.search(table.caption.text)
    if not m:
        return []
    return [StatedTotal("rows", int(m.group(1)), table.caption.line_no, table.caption.text, table.table_no)]


# --- page furniture ------------------------------------------------------------------------------

_SENTENCE = re.compile(r"[。,,;;!?!?]")


def _is_title(t: Token) -> bool:
    """A short line without sentence punctuation; only titles until the narrative starts."""
    return len(t.text) <= 60 and not _SENTENCE.search(t.text)


def classify_preamble(toks: list[Token], ledger: LineLedger) -> list[StatedTotal]:
    """Lines before the first table: chrome, then titles, then narrative (summary, signature)."""
    totals: list[StatedTotal] = []
    narrative_started = False
    for t in toks:
        if t.empty:
            ledger.add_furniture(t.line_no, "filler")
        elif is_metadata(t.text):
            ledger.add_furniture(t.line_no, "metadata")
        elif is_attachment_label(t.text) or is_caption(t.text) or (not narrative_started and _is_title(t)):
            ledger.add_furniture(t.line_no, "title")
        else:
            narrative_started = True
            ledger.add_furniture(t.line_no, "preamble")
            totals.extend(summary_totals(t))
    return totals


# --- rows ------------------------------------------------------------------------------------------


@dataclass
class RowGroup:
    seq: int | None  # None in a table without a 序号 column
    seq_token: Token | None
    category: str | None
    tokens: list[Token] = field(default_factory=list)
    seq_gap: bool = False  # the printed 序号 skipped a number before this row


MAX_SEQ_GAP = 3  # printed 序号 may skip a few numbers (a deleted row)


def _row_seq(toks: list[Token], i: int, expected: int) -> int | None:
    """The 序号 that token i starts a row with, or None. Normally the expected next number; a
    small skip is accepted only when the skipped numbers never follow and the sequence goes on
    from the new number (a stray '5' inside a paragraph does neither)."""
    v = seq_value(toks[i].text) if not toks[i].empty else None
    if v is None or v == expected:
        return v if v == expected else None
    if not expected < v <= expected + MAX_SEQ_GAP:
        return None
    later: set[int] = {x for t in toks[i + 1 :] if (x := seq_value(t.text)) is not None}
    if any(expected <= x < v for x in later) or v + 1 not in later:
        return None
    return v


def _starts_row(toks: list[Token], i: int, expected: int) -> bool:
    return _row_seq(toks, i, expected) is not None


def _heading_before_row(toks: list[Token], i: int, expected: int) -> bool:
    """A '一、…' / '(一)…' line is a section heading when only headings (or empty-cell lines)
    follow it before the next row's 序号; a paragraph inside a cell that starts the same way is
    followed by other text."""
    if toks[i].empty or not is_section_heading(toks[i].text):
        return False
    j = i + 1
    while j < len(toks) and (toks[j].empty or is_section_heading(toks[j].text)):
        j += 1
    return j < len(toks) and _starts_row(toks, j, expected)


def group_rows(table: Table, toks: list[Token], ledger: LineLedger) -> list[RowGroup]:
    """Cut the table body into numbered rows; headings become furniture and categories."""
    groups: list[RowGroup] = []
    expected = 1
    category: str | None = None
    in_heading = False  # between a section heading and the row it introduces
    for i, t in enumerate(toks):
        seq = _row_seq(toks, i, expected)
        if seq is not None:
            groups.append(RowGroup(seq, t, category, seq_gap=seq != expected))
            expected = seq + 1
            in_heading = False
        elif _heading_before_row(toks, i, expected):
            ledger.add_furniture(t.line_no, "section_heading")
            category = t.text
            in_heading = True
        elif groups and not in_heading:
            groups[-1].tokens.append(t)
        elif t.empty:
            ledger.add_furniture(t.line_no, "filler")
        else:
            ledger.add_quarantine(
                t.line_no, f"table {table.table_no}: text between the header and the first 序号"
            )
    return groups


def _texts(cells: list[Cell], role: str) -> list[str]:
    return [t.text for c in cells if c.role == role for t in c.body]


def _joined(cells: list[Cell], role: str) -> str | None:
    return "\n".join(_texts(cells, role)) or None


# The progress restating its target ('…提升科技创新能力实施,推动…') a few characters in: those
# characters ended the target, broken across lines ('加大研发投入提升科' + '创新能力实施').
_RESTATE_MIN, _TAIL_MAX = 6, 12


def rejoin_broken_target(target: str | None, progress: str | None) -> tuple[str | None, str | None]:
    """A one-line period target cut mid-sentence whose end was printed at the start of the progress
    line, just before the progress restates the target: move that end back to the target."""
    # only a target cut mid-word: it ends in a character of a word, not a figure or a full stop
    if not target or not progress or "\n" in target or not re.search(r"[\u4e00-\u9fff]$", target.rstrip()):
        return target, progress
    head = target.strip()[:_RESTATE_MIN]
    pos = progress.find(head, 1, _TAIL_MAX + len(head))
    tail = progress[:pos] if pos > 0 else ""
    if not tail or re.search(r"[\s,,。;;、::\d]|季度|月|年", tail):  # '四季度新建…' opens the progress
        return target, progress
    return target.rstrip() + tail, progress[pos:]


def build_row(
    table_no: int, row_no: int, group: RowGroup, sub_seq: int, cells: list[Cell], parent: TaskRow | None
) -> TaskRow:
    lines = [t.line_no for c in cells for t in c.tokens]
    start = group.seq_token.line_no if sub_seq == 1 and group.seq_token else min(lines)
    row = TaskRow(
        table_no=table_no,
        row_no=row_no,
        task_seq=group.seq,
        sub_seq=sub_seq,
        line_start=start,
        line_end=max(lines, default=start),
        category=group.category,
        period_target=_joined(cells, "period_target"),
        progress_text=_joined(cells, "progress"),
        leader=_joined(cells, "leader"),
        responsible_person=_joined(cells, "responsible_person"),
        status_reported=_joined(cells, "status"),
        remark=_joined(cells, "remark"),
        lead_units_raw=_joined(cells, "lead_units"),
        cooperating_units_raw=_joined(cells, "cooperating_units"),
    )
    row.period_target, row.progress_text = rejoin_broken_target(row.period_target, row.progress_text)
    row.lead_units, lead_people = units.split_unit_cell(_texts(cells, "lead_units"))
    row.cooperating_units, coop_people = units.split_unit_cell(_texts(cells, "cooperating_units"))
    add_people(row, [*lead_people, *coop_people])
    category_cell = _joined(cells, "category")
    if category_cell:
        row.category = category_cell
    for c in cells:
        if c.role == "task":
            title, row.task_text = split_task_cell(c)
            if title:
                row.category = title
    if parent is not None:
        row.task_text, row.category = parent.task_text, parent.category
        row.flags.append("inherited_task")
        # A unit cell merged over the sub-rows is printed once, on the first: a continuation row
        # with no such cell of its own shares it.
        for role in ("lead_units", "cooperating_units"):
            has_cell = any(c.role == role and c.tokens for c in cells)
            if not has_cell and not getattr(row, role) and getattr(parent, role):
                setattr(row, role, list(getattr(parent, role)))
                row.flags.append(f"inherited_{role}")
    row.flags.extend(f"no_cell:{c.role}" for c in cells if not c.tokens and c.role != "ignore")
    if group.seq_gap and sub_seq == 1:
        row.flags.append("seq_gap")
    return row


def parse_table(table: Table, toks: list[Token], ledger: LineLedger, spec) -> list[TaskRow]:
    options = getattr(spec, "options", None) or {}
    status_words = dict(getattr(spec, "status_words", None) or {})
    roles = table.roles
    if roles and roles[0] == "seq":
        return _parse_numbered_rows(
            table, toks, ledger, roles[1:], int(options.get("max_sub_rows", 3)), status_words
        )
    # The header says there is no 序号 column: segment the body by its columns (opt out with
    # options.rows_without_seq: false, which turns this into an error).
    if "seq" not in roles and options.get("rows_without_seq", True):
        return _parse_unnumbered_rows(table, toks, ledger, roles, status_words)
    raise LayoutError(
        f"table {table.table_no} has a 序号 column that is not the first one, or rows_without_seq "
        f"is off ({', '.join(c.text for c in table.header)}); rows are found by their 序号"
    )


def _parse_numbered_rows(
    table: Table, toks: list[Token], ledger: LineLedger, cell_roles: list[str], max_sub: int, status_words
) -> list[TaskRow]:
    rows: list[TaskRow] = []
    running: str | None = None  # the nearest group title: a section heading or a task-cell title
    last_heading: str | None = None
    for group in group_rows(table, toks, ledger):
        if group.category != last_heading:  # a new section heading since the previous row
            running = last_heading = group.category
        group.category = running
        parent = None
        for sub_seq, cells in enumerate(align_row(group.tokens, cell_roles, max_sub, status_words), start=1):
            row = build_row(table.table_no, len(rows) + 1, group, sub_seq, cells, parent)
            parent = parent or row
            rows.append(row)
            ledger.row(range(row.line_start, row.line_end + 1))
        running = parent.category if parent else running
    return rows


def _parse_unnumbered_rows(
    table: Table, toks: list[Token], ledger: LineLedger, roles: list[str], status_words
) -> list[TaskRow]:
    """Opt-in (options.rows_without_seq): no 序号, so every '一、…' / '(一)…' line is taken as a
    section heading and each section is segmented into rows by ``align_table``."""
    rows: list[TaskRow] = []
    sections: list[tuple[str | None, list[Token]]] = [(None, [])]
    for t in toks:
        if not t.empty and is_section_heading(t.text):
            ledger.add_furniture(t.line_no, "section_heading")
            sections.append((t.text, []))
        else:
            sections[-1][1].append(t)
    running: str | None = None
    for heading, body in sections:
        running = heading or running
        for cells in align_table(body, roles, status_words):
            group = RowGroup(None, None, running)
            row = build_row(table.table_no, len(rows) + 1, group, 1, cells, None)
            running = row.category
            rows.append(row)
            ledger.row(range(row.line_start, row.line_end + 1))
    return rows


# --- entry point -----------------------------------------------------------------------------------


def parse(lines: list[str], spec) -> ParseResult:
    ledger = LineLedger(lines)
    toks = tokenize(lines)
    overrides = dict(getattr(spec, "columns", None) or {})
    tables = find_tables(toks, overrides)
    if not tables:
        raise LayoutError("no table header of >= 3 known cells (序号 / 重点工作 / 牵头单位 / 完成情况 …)")

    stated = classify_preamble(toks[: tables[0].first], ledger)
    tail = find_tail(toks, tables[-1].end)
    rows: list[TaskRow] = []
    headers: dict[int, list[tuple[str, str]]] = {}
    for k, table in enumerate(tables):
        for i in sorted(table.prelude):
            ledger.add_furniture(toks[i].line_no, "title")
        for cell in table.header:
            for t in cell.tokens:
                ledger.add_furniture(t.line_no, "header")
        headers[table.table_no] = [(normalise_header(c.text), c.role) for c in table.header]
        stated.extend(caption_total(table))
        body_end = tables[k + 1].first if k + 1 < len(tables) else tail
        rows.extend(parse_table(table, toks[table.end : body_end], ledger, spec))
    for t in toks[tail:]:
        ledger.add_furniture(t.line_no, "filler" if t.empty else "metadata")
    return ParseResult.from_ledger(LAYOUT, ledger, rows, stated_totals=stated, headers=headers)


def looks_like_cells(nonblank: list[str], overrides: dict[str, str] | None = None) -> bool:
    """Detection: at least three of the first 400 lines are header cells on their own (names
    the YAML gives under ``columns:`` count, at any length)."""
    return sum(1 for ln in nonblank[:400] if is_header_cell(ln, overrides)) >= MIN_HEADER_CELLS


LAYOUTS = [
    Layout(LAYOUT, "one cell per line (a web table flattened to text), merged cells, continuation rows",
           parse=parse, detect=looks_like_cells, detect_order=40),
]

"""Grid of cells -> task rows: the one mapper every table reader shares.

A reader (the pipe / delimited text layout; the HTML ``<table>``, .xlsx/.xls, .docx and PDF
readers in ``ingestion/formats``) turns its source into ``GridRow``s: the cells of one printed
row, already split, with the raw-file line span they came from, and the flags the reader knows
about it (``merged_cell``, ``split_across_pages``). ``rows_from_grid`` then does everything that does not depend on the file format:

* finds the header row (cells recognised by ``columns.role_for_header``; ``spec.columns``
  overrides) and gives every column a role;
* turns each data row into a ``TaskRow``: unit cells through ``units.split_units`` (the raw text
  kept in ``*_units_raw``), text cells with their paragraphs joined by '\\n', the status cell kept
  exactly as printed in ``status_reported``;
* takes the header printed again further down (a new page) as furniture ``header``;
* treats a row that is only a heading such as ``(一)以更实举措…`` as a section heading:
  furniture ``section_heading`` and the ``category`` of the rows that follow;
* resolves rowspans the reader could not: a data row with fewer cells than the header is missing
  its rowspanned cells, and those are the leftmost columns whose role is inheritable (grouping
  columns such as the lead unit sit left of what they group). Missing cells are copied from the
  row above and flagged ``inherited_<role>``. Optionally (``empty_inherits``) an *empty* cell in
  an inheritable role is treated the same way, for readers that print a merged cell as blank.

Cell conventions: a cell is a string; '\\n' inside it separates paragraphs (a reader joins soft
line wraps itself). Lines of a row span that the reader has not already claimed (e.g. as filler)
are claimed here as the row's lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ingestion import columns, units
from ingestion.model import LineLedger, TaskRow

if TYPE_CHECKING:
    from ingestion.registry import SourceSpec

UNIT_ROLES = ("lead_units", "cooperating_units")
DEFAULT_INHERIT = ("lead_units", "cooperating_units", "leader", "responsible_person", "category")

# '(一)…', '(十二)…', '一、…': a group title printed as a row of its own.
SECTION_HEADING = re.compile(
    r"^\s*(?:[((][一二三四五六七八九十百]{1,3}[))]|[一二三四五六七八九十百]{1,3}、)\s*\S"
)
# The printed 序号: '12', '12.', '12、', '(12)'.
SEQ_CELL = re.compile(r"^\s*[((]?(\d{1,4})[))]?[.、.]?\s*$")


@dataclass
class GridRow:
    cells: list[str]
    line_start: int
    line_end: int
    # for the task row made from it; kept on the row, not by line, because rows of a minified
    # HTML page share a line
    flags: list[str] = field(default_factory=list)


def is_heading_text(text: str, max_len: int = 82) -> bool:
    """One line or cell that is a '(一)…' / '一、…' group title (a title is short)."""
    t = text.strip()
    return len(t) <= max_len and bool(SECTION_HEADING.match(t))


def is_section_heading(cells: list[str]) -> bool:
    """A row whose only text is one '(一)…' / '一、…' heading."""
    texts = [c for c in cells if c.strip()]
    return len(texts) == 1 and bool(SECTION_HEADING.match(texts[0]))


def parse_seq(cell: str) -> int | None:
    m = SEQ_CELL.match(cell)
    return int(m.group(1)) if m else None


def header_roles(cells: list[str], overrides: dict[str, str] | None) -> list[str | None] | None:
    """Roles of a header row's cells, or None if the row is not a header.

    A header's cells are all short; at least two and at least half of them are recognised, and
    it names a task or progress column (otherwise it is more likely data). Unrecognised cells get
    role None so their column is kept, not dropped."""
    texts = [c for c in cells if c.strip()]
    if any(len(columns.normalise_header(c)) > columns.MAX_HEADER_LEN and not columns.named_in(c, overrides)
           for c in texts):
        return None
    known = sum(1 for c in texts if columns.is_header_cell(c, overrides))
    if known < 2 or 2 * known < len(texts):
        return None
    roles = [columns.role_for_header(c, overrides) if c.strip() else None for c in cells]
    if not ({"task", "progress"} & set(roles)):
        return None
    return columns.finalise_roles(cells, roles, overrides)


def _text(cell: str) -> str | None:
    """Paragraphs of a text cell, stripped, joined with '\\n'; None if blank."""
    paras = [p.strip() for p in cell.split("\n") if p.strip()]
    return "\n".join(paras) if paras else None


def _aligned(
    cells: list[str], roles: list[str | None], inheritable: set[str]
) -> tuple[list[str | None], list[str]]:
    """Place a row's cells under the header columns.

    Returns one value per column (None = the cell is absent, i.e. rowspanned from above) and flags.
    With k cells too few, the absent ones are by default the k leftmost inheritable columns (any
    shortfall beyond those: trailing cells); ``row_fit.best_absent`` moves them where the cells'
    content says (flag ``short_row_by_content``), or flags ``short_row_unfit`` when nothing fits.
    Surplus cells are joined into the last column."""
    width = len(roles)
    flags: list[str] = []
    cells = list(cells)
    if len(cells) > width:
        flags.append("extra_cells")
        cells = cells[: width - 1] + ["\n".join(c for c in cells[width - 1 :] if c.strip())]
    missing = width - len(cells)
    absent: set[int] = set()
    for i, role in enumerate(roles):
        if len(absent) == missing:
            break
        if role in inheritable:
            absent.add(i)
    if len(absent) < missing:
        # the shortfall beyond the inheritable columns: trailing cells
        for i in range(width - 1, -1, -1):
            if len(absent) == missing:
                break
            absent.add(i)
    if missing > 0:
        from ingestion.layouts.row_fit import best_absent

        by_content, fits = best_absent(cells, roles, absent)
        if by_content != absent:
            flags.append("short_row_by_content")
            absent = by_content
        if not fits:
            flags.append("short_row_unfit")
        if any(roles[i] not in inheritable for i in absent):
            flags.append("short_row")
    out: list[str | None] = []
    it = iter(cells)
    for i in range(width):
        out.append(None if i in absent else next(it, None))
    return out, flags


def _new_row(table_no: int, row_no: int, g: GridRow) -> TaskRow:
    return TaskRow(
        table_no=table_no,
        row_no=row_no,
        task_seq=None,
        sub_seq=1,
        line_start=g.line_start,
        line_end=g.line_end,
    )


def add_people(row: TaskRow, people: list[str]) -> None:
    """People printed in a unit cell go to responsible_person (flag person_in_unit_cell)."""
    if not people:
        return
    known = row.responsible_person.split("、") if row.responsible_person else []
    row.responsible_person = "、".join(dict.fromkeys([*known, *people]))
    if "person_in_unit_cell" not in row.flags:
        row.flags.append("person_in_unit_cell")


def _set_role(row: TaskRow, role: str, value: str) -> None:
    """Write one cell's value into the row under its role (several columns of a role are joined)."""
    if role in UNIT_ROLES:
        raw_attr = f"{role}_raw"
        prev = getattr(row, raw_attr)
        setattr(row, raw_attr, value if prev is None else prev + "\n" + value)
        names, people = units.split_unit_cell(value.split("\n"))
        getattr(row, role).extend(names)
        add_people(row, people)
        return
    attr = {"task": "task_text", "progress": "progress_text", "status": "status_reported"}.get(role, role)
    if role == "status":
        value = value.strip()  # as printed, surrounding whitespace aside
    else:
        value = _text(value) or ""
    prev = getattr(row, attr)
    setattr(row, attr, value if not prev else prev + "\n" + value)


def _copy_role(row: TaskRow, above: TaskRow, role: str) -> bool:
    """Copy one role's values from the row above; False if the row above has nothing there."""
    if role in UNIT_ROLES:
        if not getattr(above, role) and getattr(above, f"{role}_raw") is None:
            return False
        setattr(row, role, list(getattr(above, role)))
        setattr(row, f"{role}_raw", getattr(above, f"{role}_raw"))
        return True
    attr = {"task": "task_text", "progress": "progress_text", "status": "status_reported"}.get(role, role)
    if getattr(above, attr) is None:
        return False
    setattr(row, attr, getattr(above, attr))
    return True


def rows_from_grid(
    grid_rows: list[GridRow],
    spec: SourceSpec,
    ledger: LineLedger,
    *,
    table_no: int = 1,
    inherit_roles: tuple[str, ...] = DEFAULT_INHERIT,
    empty_inherits: bool = True,
    header_given: bool | list[str | None] = False,
) -> tuple[list[TaskRow], list[tuple[str, str]]]:
    """Map a grid onto task rows. Returns (rows, header cells with their roles).

    ``header_given``: the first row is the header even if its names are not known (roles None);
    a list gives the header's roles (a two-level header the reader resolved).
    ``empty_inherits``: whether a blank cell in an inheritable role means "merged with the cell
    above" (docx/PDF readers) rather than "printed empty" (readers that resolve rowspans or leave
    rowspanned cells out, like the pipe text). ``spec.options['empty_cells_inherit']`` overrides."""
    empty_inherits = bool(spec.options.get("empty_cells_inherit", empty_inherits))
    inheritable = set(inherit_roles)
    roles: list[str | None] | None = None
    headers: list[tuple[str, str]] = []
    rows: list[TaskRow] = []
    section: str | None = None
    above: TaskRow | None = None

    for g in grid_rows:
        span = range(g.line_start, g.line_end + 1)
        if roles is None:
            roles = list(header_given) if isinstance(header_given, list) else header_roles(g.cells, spec.columns)
            if roles is None and header_given:  # options.header_line: this row is the header
                roles = columns.finalise_roles(
                    g.cells, [columns.role_for_header(c, spec.columns) for c in g.cells], spec.columns
                )
            if roles is not None:
                headers = [(c, r or "unknown") for c, r in zip(g.cells, roles, strict=False)]
                _claim(ledger, span, "header")
            elif is_section_heading(g.cells):
                section = _text(next(c for c in g.cells if c.strip()))
                _claim(ledger, span, "section_heading")
            else:
                _quarantine(ledger, span, "grid row before the table header")
            continue
        if is_section_heading(g.cells):
            section = _text(next(c for c in g.cells if c.strip()))
            above = None  # a full-width heading row ends every rowspan above it
            _claim(ledger, span, "section_heading")
            continue
        if not any(c.strip() for c in g.cells):
            _claim(ledger, span, "filler")
            continue
        if header_roles(g.cells, spec.columns) == roles:
            _claim(ledger, span, "header")  # the header printed again, e.g. on a new page
            continue
        row = _map_row(g, roles, headers, table_no, len(rows) + 1, above, inheritable, empty_inherits)
        if "short_row_unfit" in row.flags:
            n_cells = sum(1 for c in g.cells if c.strip())
            _quarantine(ledger, span, f"row has {n_cells} cells for {len(roles)} header columns and its cells "
                                      "do not fit the columns by content (not shifted)")
            continue
        if "seq" in roles and row.task_seq is None and "missing_seq" in row.flags and above is not None:
            # no 序号 cell at all under a numbered row: a continuation sub-row of that task
            row.task_seq, row.sub_seq = above.task_seq, above.sub_seq + 1
            row.flags.append("continuation_row")
        if row.category is None and "category" not in roles:
            row.category = section
        rows.append(row)
        above = row
        for n in span:
            if not ledger.claimed(n):
                ledger.row([n])
    return rows, headers


def _map_row(g: GridRow, roles, headers, table_no, row_no, above, inheritable, empty_inherits) -> TaskRow:
    row = _new_row(table_no, row_no, g)
    values, flags = _aligned(g.cells, roles, inheritable)
    row.flags.extend(flags)
    for i, (role, value) in enumerate(zip(roles, values, strict=False)):
        if role == "ignore":
            continue
        blank = value is None or not value.strip()
        if role == "seq" and value is None:
            row.flags.append("missing_seq")  # the row prints no 序号 cell
            continue
        if role == "seq" and blank:
            row.flags.append("seq_blank")
            continue
        if role in inheritable and (value is None or (blank and empty_inherits)):
            if above is not None and _copy_role(row, above, role):
                row.flags.append(f"inherited_{role}")
            elif value is None:
                row.flags.append(f"missing_{role}")
            continue
        if value is None or blank:
            continue
        if role is None:
            # Unrecognised column: keep its text in remark under its header, never drop it.
            row.remark = (
                row.remark + "\n" if row.remark else ""
            ) + f"{headers[i][0].strip()}: {value.strip()}"
            if "unmapped_column" not in row.flags:
                row.flags.append("unmapped_column")
        elif role == "seq":
            row.task_seq = parse_seq(value)
            if row.task_seq is None:
                row.flags.append("seq_not_integer")
                row.remark = (row.remark + "\n" if row.remark else "") + f"序号: {value.strip()}"
        else:
            _set_role(row, role, value)
    return row


def _claim(ledger: LineLedger, span: range, kind: str) -> None:
    for n in span:
        if not ledger.claimed(n):
            ledger.add_furniture(n, kind)


def _quarantine(ledger: LineLedger, span: range, reason: str) -> None:
    for n in span:
        if not ledger.claimed(n):
            ledger.add_quarantine(n, reason)

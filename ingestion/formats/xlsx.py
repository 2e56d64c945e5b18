"""Workbooks: .xlsx (openpyxl) and legacy .xls (xlrd, read with formatting_info so merged ranges
are known).

Every non-empty sheet is one grid (``Document.tables``, one per sheet, in workbook order); the
grid mapper finds the header wherever it is (title rows above it become furniture), and a second
different header further down starts another table. Merged ranges: the top-left value is repeated
down the rows of the range in its first column (flag ``merged_cell``); columns to the right inside
the range are empty. Values: whole numbers print without '.0', dates as ISO dates, text as is (a
line break typed in a cell, Alt+Enter, is a paragraph break).

Provenance: line = sheet row number, sheet after sheet (see ``ingestion.formats``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ingestion.errors import FormatError
from ingestion.formats import Document, FileHead, render_cells
from ingestion.layouts import Layout
from ingestion.layouts.grid import GridRow


def _value(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v).replace("\r\n", "\n").replace("\r", "\n")


def _add_sheet(doc: Document, name: str, values: list[list[str]], merges: list[tuple[int, int, int, int]]) -> None:
    """``values`` row-major (0-based); ``merges`` as (first_row, last_row, first_col, last_col),
    0-based inclusive."""
    merged_rows: set[int] = set()
    for r0, r1, c0, c1 in merges:
        if r0 >= len(values):
            continue
        top = values[r0][c0] if c0 < len(values[r0]) else ""
        for r in range(r0, min(r1, len(values) - 1) + 1):
            row = values[r]
            while len(row) <= c1:
                row.append("")
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    row[c] = top if c == c0 else ""
            if r > r0 and top.strip():
                merged_rows.add(r)
    while values and not any(v.strip() for v in values[-1]):
        values.pop()
    if not values:
        return
    offset = len(doc.lines)
    doc.sheet_offsets[name] = offset
    width = max(len(r) for r in values)
    grid: list[GridRow] = []
    for r, row in enumerate(values):
        row = row + [""] * (width - len(row))
        line = offset + r + 1
        doc.lines.append(render_cells(row))
        grid.append(GridRow(row, line, line))
        if r in merged_rows:
            doc.flag(grid[-1], "merged_cell")
    doc.tables.append(grid)
    doc.table_names.append(f"sheet {name!r}")


def read(path: Path, spec, name: str, kind: str = "xlsx") -> Document:
    doc = Document(path=path, kind=kind, lines=[], encoding=f"binary ({kind})")
    if kind == "xls":
        _read_xls(path, name, doc)
    else:
        _read_xlsx(path, name, doc)
    if not doc.tables:
        raise FormatError(name, "workbook has no cells with text in any sheet")
    return doc


def _read_xlsx(path: Path, name: str, doc: Document) -> None:
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError) as e:
        raise FormatError(name, "not a readable .xlsx workbook (corrupt or not an Office Open XML "
                          f"spreadsheet): {type(e).__name__}: {e}") from None
    for ws in wb.worksheets:
        values = [[_value(v) for v in row] for row in ws.iter_rows(values_only=True)]
        merges = [(m.min_row - 1, m.max_row - 1, m.min_col - 1, m.max_col - 1) for m in ws.merged_cells.ranges]
        _add_sheet(doc, ws.title, values, merges)


def _read_xls(path: Path, name: str, doc: Document) -> None:
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), formatting_info=True)
    except Exception as e:  # noqa: BLE001 - xlrd raises XLRDError, CompDocError, AssertionError … on bad input
        raise FormatError(name, "not a readable .xls workbook (corrupt, encrypted, or not a BIFF "
                          f"spreadsheet - a legacy .doc is also OLE2): {type(e).__name__}: {e}") from None
    for sh in book.sheets():
        values: list[list[str]] = []
        for r in range(sh.nrows):
            row = []
            for c in range(sh.ncols):
                cell = sh.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    try:
                        row.append(_value(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)))
                    except Exception:  # noqa: BLE001 - an impossible date prints as the number
                        row.append(_value(cell.value))
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    row.append(_value(bool(cell.value)))
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                    row.append("")
                else:
                    row.append(_value(cell.value))
            values.append(row)
        merges = [(r0, r1 - 1, c0, c1 - 1) for r0, r1, c0, c1 in sh.merged_cells]
        _add_sheet(doc, sh.name, values, merges)


_OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")


def sniff(fh: FileHead) -> str | None:
    if fh.head.startswith(_OLE2):
        return "xls"  # OLE2 compound file (a legacy .doc is refused by the xls reader)
    if fh.has_member("xl/"):
        return "xlsx"
    if fh.zip_members is not None and not fh.has_member("word/") and fh.ext == "xlsx":
        return "xlsx"  # a zip named .xlsx: the reader says what is wrong with it
    return None


LAYOUTS = [Layout("xlsx", ".xlsx / .xls workbook (merged ranges)", read=read, kinds=("xlsx", "xls"),
                  sniff=sniff, detect_order=20)]

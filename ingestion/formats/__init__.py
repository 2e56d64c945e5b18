"""Bulletins in the formats they really come in: HTML pages, .xlsx/.xls workbooks, .docx, PDF.

``read_document(path, spec) -> Document`` turns a file into what the shared grid mapper
(``ingestion.layouts.grid.rows_from_grid``) needs: tables as lists of ``GridRow`` with merged cells
already resolved, and the text outside tables as paragraphs. ``ingestion.layouts.document`` then
builds a ``LineLedger`` over ``Document.lines`` and maps each table (table_no 1, 2, …).

Provenance (``TaskRow.line_start`` / ``line_end``) - what a "line" is, per format:

* **html**: the real line of the source file (decoded text, 1-based). A row's span runs from the
  line of its ``<tr>`` to the line of its last content (``</tr>``); ``Document.lines`` is the page
  source, so every source line (markup, script, title, table rows) is accounted for. A minified
  page puts several rows on one line: they then share that line.
* **xlsx / xls**: the sheet row number. ``Document.lines`` has one line per sheet row (cells joined
  by ' | '), sheet after sheet; for the first sheet line n *is* row n, for a later sheet line n is
  row ``n - Document.sheet_offsets[sheet]`` of that sheet (``Document.locate(n)`` says which).
* **docx / pdf**: the line number in a canonical text rendering of the document, one line per
  paragraph or table row in reading order (pdf: page by page, top to bottom; text lines and table
  rows interleaved by position). ``Document.lines`` *is* that rendering (cells joined by ' | ',
  a line break inside a cell shown as '⏎'), so ``bulletins preview`` can show it, and the ledger
  accounts for every paragraph and table row exactly as it does for the lines of a text file.

Merged cells are resolved from the file (HTML rowspan/colspan, xlsx/xls merged ranges, docx
gridSpan/vMerge, PDF cells spanning grid slots): a cell merged *down* is repeated into every row it
spans and those rows are flagged ``merged_cell``; a cell merged *across* keeps its text in its first
column and leaves the other columns empty (repeating it would copy e.g. a full-width section
heading into every column, or progress text into the status column).

Errors are ``ingestion.errors.FormatError`` (a ``SourceReadError``): the file and what is wrong.

Each reader module declares its layout (``LAYOUTS``, see ``ingestion.layouts``); ``read_document``
dispatches on the file kind through that registry.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ingestion import layouts
from ingestion.errors import FormatError, IngestError
from ingestion.layouts.grid import GridRow


@dataclass
class Paragraph:
    """Text outside the tables, on one line of ``Document.lines``.

    ``kind`` is the reader's own knowledge of what it is ('title' for an HTML <title>/<h1>,
    'metadata' for script/style, 'filler' for markup-only lines), or None: classified by text."""

    line_no: int
    text: str
    kind: str | None = None


@dataclass
class Document:
    path: Path
    kind: str  # a file kind of a document layout (html, xlsx, xls, docx, pdf)
    lines: list[str]  # the ledger's lines (see module docstring)
    tables: list[list[GridRow]] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    encoding: str = "binary"
    # per table (index into tables): a name for messages, e.g. 'sheet 汇总表', 'page 2'
    table_names: list[str] = field(default_factory=list)
    # xlsx/xls: sheet name -> line offset (line = offset + sheet row)
    sheet_offsets: dict[str, int] = field(default_factory=dict)
    # html: the visible text of each line of ``lines`` (markup, scripts and styles blanked), same
    # numbering; what a narrative parser reads when the page has no table
    text_lines: list[str] | None = None

    @staticmethod
    def flag(row: GridRow, flag: str) -> None:
        """A flag for the task row made from ``row`` ('merged_cell', 'split_across_pages')."""
        if flag not in row.flags:
            row.flags.append(flag)

    def locate(self, line_no: int) -> str:
        """Where a line of this document is, in the document's own terms."""
        if self.sheet_offsets:
            name, off = None, 0
            for sheet, o in self.sheet_offsets.items():
                if o < line_no:
                    name, off = sheet, o
            return f"sheet {name!r} row {line_no - off}"
        return f"line {line_no}"


def render_cells(cells: list[str]) -> str:
    """One line of a canonical rendering for a table row: cells joined by ' | ', trailing empty
    cells dropped, a line break inside a cell shown as '⏎'."""
    cells = [re.sub(r"\s*\n\s*", "⏎", c.strip()) for c in cells]
    while cells and not cells[-1]:
        cells.pop()
    return " | ".join(cells)


@dataclass(frozen=True)
class FileHead:
    """What format sniffers look at: the first bytes, the extension, a zip's member names."""

    head: bytes
    ext: str  # lower case, no dot
    zip_members: tuple[str, ...] | None  # None when the file is not a zip container

    @classmethod
    def of(cls, path: Path) -> FileHead | None:
        try:
            with open(path, "rb") as f:
                head = f.read(2048)
        except OSError:
            return None
        members: tuple[str, ...] | None = None
        if head.startswith(b"PK\x03\x04"):
            try:
                with zipfile.ZipFile(path) as z:
                    members = tuple(z.namelist())
            except zipfile.BadZipFile:
                members = ()
        return cls(head, path.suffix.lower().lstrip("."), members)

    def has_member(self, prefix: str) -> bool:
        return any(n.startswith(prefix) for n in self.zip_members or ())


def detect_kind(path: Path) -> str | None:
    """The document kind of a file, None for a text file: each document layout's ``sniff`` (magic
    bytes, zip members, markup) in ``detect_order``, then the extension."""
    fh = FileHead.of(path)
    if fh is None:
        return None
    for lay in layouts.all_layouts():
        kind = lay.sniff(fh) if lay.sniff is not None else None
        if kind is not None:
            return kind
    if fh.zip_members is not None:
        return None  # a zip no format claims (its extension is not xlsx/docx) is not a document
    if fh.ext in layouts.document_kinds():
        return fh.ext  # right extension, wrong content: the reader will say what is wrong
    return None


def read_document(path: Path, spec, kind: str | None = None, display_name: str | None = None) -> Document:
    """Read ``path`` as ``kind`` (detected when None) with the reader of the layout owning that kind."""
    name = display_name or str(path)
    path = Path(path)
    if not path.is_file():
        raise FormatError(name, "file not found")
    if path.stat().st_size == 0:
        raise FormatError(name, "file is empty")
    kind = kind or detect_kind(path)
    layout = layouts.for_kind(kind) if kind else None
    if kind is None or layout is None or layout.read is None:
        raise FormatError(name, f"not a recognised document format ({', '.join(layouts.document_kinds())})")
    try:
        return layout.read(path, spec, name, kind)
    except IngestError:
        raise
    except Exception as e:  # noqa: BLE001  a library's error on a damaged file: say which file and kind
        raise FormatError(name, f"cannot be read as {kind} (damaged or not really a {kind} file?): "
                                f"{type(e).__name__}: {e}") from e

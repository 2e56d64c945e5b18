"""PDFs with a text layer (pdfplumber). Scanned PDFs (no text layer) and PDFs that need a
password are refused with a clear error; OCR is not done here.

* Tables: ``page.find_tables()`` with pdfplumber's default ruling-line strategy (a table drawn
  with borders, as exported from Word/Excel/WPS); ``spec.options['pdf_table_settings']`` is passed
  through for other layouts (e.g. ``{"vertical_strategy": "text"}``).
* Merged cells: a grid slot with no cell of its own is covered by a cell that spans into it. If that
  cell starts in a row above and in this column, its text is repeated (flag ``merged_cell``);
  otherwise (merged across) the slot is empty.
* Cell text: pdfplumber gives a cell's visual lines; a line break is a soft wrap (joined, with a
  space only between two Latin letters/digits) unless the line ends a sentence (。;!?:) or the next
  one starts a numbered item (1. / (1) / 一、), which starts a new paragraph ('\\n').
* Tables across pages: a table that opens a page (only page-header chrome above it) with the same
  number of columns as the table that closed the previous page continues it. A repeated header row
  is furniture (see ``ingestion.layouts.document``); a first row without a 序号 while the table has a
  序号 column is the rest of the row cut by the page break: its cells are appended to that row
  (flag ``split_across_pages``).
* Text outside tables: its text lines (``extract_text_lines``), classified by text.

Provenance: line = one line per text line or table row, page by page, top to bottom (see
``ingestion.formats``).
"""

from __future__ import annotations

import re
from pathlib import Path

from ingestion.errors import FormatError
from ingestion.formats import Document, FileHead, Paragraph, render_cells
from ingestion.formats.script import simplify
from ingestion.furniture import is_page_number
from ingestion.layouts import Layout
from ingestion.layouts.grid import GridRow, header_roles, parse_seq

_SENTENCE_END = re.compile(r"[。;;!!??::]$")
_ITEM_START = re.compile(r"^\s*(?:\d{1,3}[.、.)]|[((][一二三四五六七八九十\d]{1,3}[))]|[一二三四五六七八九十]{1,3}、)")
_TOL = 1.5


def join_wraps(text: str | None) -> str:
    """A PDF cell's visual lines -> paragraphs joined by '\\n' (soft wraps joined)."""
    if not text:
        return ""
    out: list[str] = []
    for line in (ln.strip() for ln in text.split("\n")):
        if not line:
            continue
        if not out or _SENTENCE_END.search(out[-1]) or _ITEM_START.match(line):
            out.append(line)
        elif out[-1][-1:].isascii() and out[-1][-1:].isalnum() and line[:1].isascii() and line[:1].isalnum():
            out[-1] += " " + line
        else:
            out[-1] += line
    return "\n".join(out)


def _encrypted(e: BaseException) -> bool:
    """Whether an exception (or what it wraps) says the PDF is encrypted."""
    seen: list[object] = [e]
    visited: set[int] = set()
    while seen:
        x = seen.pop()
        if isinstance(x, BaseException) and id(x) not in visited:
            visited.add(id(x))
            if type(x).__name__ in ("PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning"):
                return True
            seen.extend([*x.args, x.__cause__, x.__context__])
    return False


def _is_chrome(text: str) -> bool:
    return is_page_number(text, bare_number=True)


def _resolve(table) -> tuple[list[list[str]], list[bool]]:
    """Cell texts of a pdfplumber table with covered slots resolved; per row whether a cell was
    repeated from a vertical merge."""
    raw = table.extract()
    xs = sorted({c[0] for c in table.cells})
    bounds = xs + [table.bbox[2]]
    out: list[list[str]] = []
    merged: list[bool] = []
    for i, row in enumerate(table.rows):
        texts = raw[i] if i < len(raw) else []
        cells: list[str] = []
        was_merged = False
        for j, box in enumerate(row.cells):
            if box is not None:
                cells.append(join_wraps(texts[j] if j < len(texts) else ""))
                continue
            cx = (bounds[j] + bounds[j + 1]) / 2 if j + 1 < len(bounds) else bounds[j] + 1
            cy = (row.bbox[1] + row.bbox[3]) / 2
            cover = next((c for c in table.cells if c[0] - _TOL <= cx <= c[2] + _TOL and c[1] - _TOL <= cy <= c[3] + _TOL), None)
            down = cover is not None and cover[1] < row.bbox[1] - _TOL
            first_col = cover is not None and j < len(xs) and abs(cover[0] - xs[j]) <= _TOL
            if down and first_col and out and j < len(out[-1]):
                cells.append(out[-1][j])
                was_merged = was_merged or bool(out[-1][j].strip())
            else:
                cells.append("")
        out.append(cells)
        merged.append(was_merged)
    return out, merged


def read(path: Path, spec, name: str) -> Document:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    options = getattr(spec, "options", {}) or {}
    settings = options.get("pdf_table_settings") or {}
    columns = getattr(spec, "columns", None) or {}
    try:
        pdf = pdfplumber.open(str(path))
    except (PDFPasswordIncorrect, PDFEncryptionError) as e:
        raise FormatError(name, "encrypted PDF (needs a password or uses unsupported encryption): "
                          f"{type(e).__name__}") from None
    except Exception as e:  # noqa: BLE001 - pdfminer raises many types on a damaged file; pdfplumber wraps them
        if _encrypted(e):
            raise FormatError(name, "encrypted PDF (needs a password or uses unsupported encryption)") from None
        raise FormatError(name, f"not a readable PDF (damaged or not a PDF): {type(e).__name__}: {e}") from None
    doc = Document(path=path, kind="pdf", lines=[], encoding="binary (pdf)")
    with pdf:
        try:
            pages = list(pdf.pages)
            if not pages:
                raise FormatError(name, "PDF has no pages")
            if not any(p.chars for p in pages):
                raise FormatError(name, "PDF has no text layer (a scanned image?); OCR it to text first")
            _read_pages(doc, pages, settings, columns)
        except FormatError:
            raise
        except (PDFPasswordIncorrect, PDFEncryptionError, PDFSyntaxError, PdfminerException) as e:
            if _encrypted(e):
                raise FormatError(name, "encrypted PDF (needs a password)") from None
            raise FormatError(name, f"damaged PDF: {type(e).__name__}: {e}") from None
    return doc


def _read_pages(doc: Document, pages, settings: dict, columns: dict) -> None:

    open_grid: list[GridRow] | None = None  # the table that closed the previous page
    open_width = 0
    for pno, page in enumerate(pages, 1):
        tables = page.find_tables(settings) if settings else page.find_tables()
        boxes = [t.bbox for t in tables]

        def outside(obj, boxes=boxes) -> bool:
            cx = (obj["x0"] + obj["x1"]) / 2
            cy = (obj["top"] + obj["bottom"]) / 2
            return not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)

        items: list[tuple[float, int, object]] = []
        for tl in page.filter(outside).extract_text_lines():
            if tl["text"].strip():
                items.append((tl["top"], 0, tl["text"].strip()))
        for k, t in enumerate(tables):
            items.append((t.bbox[1], 1, k))
        items.sort(key=lambda it: (it[0], it[1]))

        substantive_seen = False
        closing: tuple[list[GridRow], int] | None = None
        for _, what, payload in items:
            if what == 0:
                text = str(payload)
                doc.lines.append(text)
                doc.paragraphs.append(Paragraph(len(doc.lines), text, "metadata" if _is_chrome(text) else None))
                if not _is_chrome(text):
                    substantive_seen = True
                    closing = None
                continue
            assert isinstance(payload, int)  # a table's index
            table = tables[payload]
            cells_rows, merged = _resolve(table)
            width = max((len(r) for r in cells_rows), default=0)
            continues = open_grid is not None and not substantive_seen and width == open_width
            grid: list[GridRow] = open_grid if continues and open_grid is not None else []
            first_new = len(grid)
            for cells, m in zip(cells_rows, merged, strict=False):
                doc.lines.append(render_cells(cells))
                n = len(doc.lines)
                grid.append(GridRow(cells, n, n))
                if m:
                    doc.flag(grid[-1], "merged_cell")
            if continues:
                _join_split_row(doc, grid, first_new, columns, simplify)
            else:
                doc.tables.append(grid)
                doc.table_names.append(f"page {pno} table {payload + 1}")
            substantive_seen = True
            closing = (grid, width)
        open_grid, open_width = closing if closing is not None else (None, 0)


def _join_split_row(doc: Document, grid: list[GridRow], first_new: int, columns: dict, simplify) -> None:
    """Append the remainder of a row cut by a page break to the row it belongs to."""
    roles = None
    for g in grid[:first_new]:
        roles = header_roles([simplify(c) for c in g.cells], columns)
        if roles is not None:
            break
    if roles is None or "seq" not in roles:
        return
    seq_col = roles.index("seq")
    i = first_new
    if i < len(grid) and header_roles([simplify(c) for c in grid[i].cells], columns) is not None:
        i += 1  # the header repeated on the new page
    if i >= len(grid) or first_new == 0:
        return
    cont, prev = grid[i], grid[first_new - 1]
    if parse_seq(prev.cells[seq_col] if seq_col < len(prev.cells) else "") is None:
        return
    if seq_col >= len(cont.cells) or cont.cells[seq_col].strip() or not any(c.strip() for c in cont.cells):
        return
    joined = []
    for k in range(max(len(prev.cells), len(cont.cells))):
        a = prev.cells[k] if k < len(prev.cells) else ""
        b = cont.cells[k] if k < len(cont.cells) else ""
        joined.append(join_wraps(a + "\n" + b) if a and b and a != b else (a or b))
    prev.cells = joined
    prev.line_end = cont.line_end
    doc.flag(prev, "split_across_pages")
    for flag in cont.flags:
        doc.flag(prev, flag)
    del grid[i]


def sniff(fh: FileHead) -> str | None:
    return "pdf" if fh.head.startswith(b"%PDF") else None


LAYOUTS = [Layout("pdf", "text-layer PDF (tables by ruling lines)", read=lambda path, spec, name, kind: read(path, spec, name),
                  kinds=("pdf",), sniff=sniff, detect_order=10)]

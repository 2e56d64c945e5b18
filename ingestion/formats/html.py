"""HTML pages with real ``<table>`` markup (bs4 with the stdlib ``html.parser``, which records the
source line of every tag).

* Data tables are the *leaf* tables (a table with no table inside it); an outer layout table is
  page chrome. Several data tables per page are read in document order.
* Rows: every ``<tr>`` of a leaf table; cells ``<td>``/``<th>``. rowspan/colspan are resolved into
  a rectangular grid: a cell spanning rows is repeated into the rows below (flag ``merged_cell``),
  a cell spanning columns keeps its text in the first column (others empty).
* Cell text: ``<br>`` and block elements (``<p>``, ``<div>``, ``<li>``, headings) end a paragraph
  ('\\n'); other whitespace (source line breaks, &nbsp;) is a single space; paragraphs are stripped.
* Provenance: a row spans the source lines from its ``<tr>`` to its last content. Every other
  source line is a ``Paragraph``: markup-only -> 'filler', inside <script>/<style>/comments ->
  'metadata', <title>/<h1>-<h3>/<caption> -> 'title', any other visible text -> classified by
  its text (title / metadata / preamble) in ``ingestion.layouts.document``.
"""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

from ingestion.errors import FormatError, SourceReadError
from ingestion.formats import Document, FileHead, Paragraph
from ingestion.layouts import Layout
from ingestion.layouts.grid import GridRow
from ingestion.reader import decode_bytes, split_lines

_BLOCK = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section", "article"}
_SPACE = re.compile(r"[ \t\r\n\f\v\u00a0\u200b\ufeff]+")
_PARA = "\x00"  # paragraph mark while collecting cell text
_CHROME = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>|<!--.*?-->", re.DOTALL | re.IGNORECASE)
_TITLE = re.compile(r"<(title|h1|h2|h3|caption)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>", re.DOTALL)


def _blank_out(text: str, pattern: re.Pattern, keep: str = " ") -> str:
    """Replace every match by spaces, keeping its line breaks (so line numbers stay)."""
    return pattern.sub(lambda m: re.sub(r"[^\n]", keep, m.group(0)), text)


def _marks(text: str, pattern: re.Pattern) -> set[int]:
    """0-based line indexes touched by a match."""
    out: set[int] = set()
    for m in pattern.finditer(text):
        a = text.count("\n", 0, m.start())
        b = a + m.group(0).count("\n")
        out.update(range(a, b + 1))
    return out


def cell_text(cell) -> str:
    """A cell's paragraphs joined by '\\n'."""
    from bs4 import NavigableString, Tag
    from bs4.element import Comment, Doctype

    parts: list[str] = []

    def walk(node) -> None:
        for child in node.children:
            if isinstance(child, (Comment, Doctype)):
                continue
            if isinstance(child, NavigableString):
                parts.append(str(child))
            elif isinstance(child, Tag):
                name = child.name.lower()
                if name in ("script", "style"):
                    continue
                if name == "br":
                    parts.append(_PARA)
                    continue
                block = name in _BLOCK
                if block:
                    parts.append(_PARA)
                walk(child)
                if block:
                    parts.append(_PARA)

    walk(cell)
    text = "".join(parts)
    paras = [_SPACE.sub(" ", p).strip() for p in text.split(_PARA)]
    return "\n".join(p for p in paras if p)


def _end_line(tag) -> int:
    """The source line of the last thing inside ``tag`` (its closing tag's line in practice)."""
    from bs4 import NavigableString, Tag

    line = tag.sourceline or 1
    for d in tag.descendants:
        if isinstance(d, Tag):
            if d.sourceline:
                line = d.sourceline
        elif isinstance(d, NavigableString):
            line += str(d).count("\n")
    return line


def _span(cell, attr: str) -> int:
    try:
        return max(1, min(int(str(cell.get(attr, "1")).strip() or 1), 1000))
    except ValueError:
        return 1


def _fill_pending(cells: list[str], pending: dict[int, tuple[int, str]], filled: set[int]) -> bool:
    """Fill the next slot of the row if a rowspan from above covers it."""
    col = len(cells)
    if col not in pending:
        return False
    left, text = pending[col]
    cells.append(text)
    filled.add(col)
    if left <= 1:
        del pending[col]
    else:
        pending[col] = (left - 1, text)
    return True


def read_table(table, doc: Document) -> list[GridRow]:
    """The grid of one leaf table, rowspans and colspans resolved."""
    grid: list[GridRow] = []
    pending: dict[int, tuple[int, str]] = {}  # column -> (rows still covered, text to repeat)
    trs = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    for tr in trs:
        start = tr.sourceline or 1
        end = max(start, _end_line(tr))
        cells: list[str] = []
        filled: set[int] = set()  # covered slots filled from above, and spans registered here
        fresh: set[int] = set()  # columns whose rowspan starts in this row

        for td in tr.find_all(["td", "th"], recursive=False):
            while _fill_pending(cells, pending, filled):
                pass
            text = cell_text(td)
            rs, cs = _span(td, "rowspan"), _span(td, "colspan")
            col = len(cells)
            cells.append(text)
            cells.extend([""] * (cs - 1))
            if rs > 1:
                for k in range(cs):
                    pending[col + k] = (rs - 1, text if k == 0 else "")
                    filled.add(col + k)  # registered by this row: starts counting on the next
                    fresh.add(col + k)
        while pending and max(pending) >= len(cells):
            if not _fill_pending(cells, pending, filled):
                cells.append("")
        # Overlapping spans (malformed markup): a covered slot a cell was written over still
        # counts down, so later rows stay aligned.
        for col in [c for c in pending if c < len(cells) and c not in filled]:
            left, text = pending[col]
            if left <= 1:
                del pending[col]
            else:
                pending[col] = (left - 1, text)
        if not cells:
            continue
        grid.append(GridRow(cells, start, end))
        if any(c in filled and c < len(cells) and cells[c].strip() and c not in fresh for c in range(len(cells))):
            doc.flag(grid[-1], "merged_cell")
    return grid


def read(path: Path, spec, name: str) -> Document:
    from bs4 import BeautifulSoup

    try:
        text, encoding = decode_bytes(path.read_bytes(), name, getattr(spec, "encoding", None))
    except SourceReadError as e:
        raise FormatError(e.file, e.problem) from None
    lines = split_lines(text)
    joined = "\n".join(lines)
    visible = _blank_out(_blank_out(joined, _CHROME), _TAG).split("\n")
    if not _SPACE.sub("", html_lib.unescape("".join(visible))):
        raise FormatError(name, "HTML page has no text (empty page, or only markup and scripts)")
    soup = BeautifulSoup(joined, "html.parser")
    doc = Document(path=path, kind="html", lines=lines, encoding=encoding)
    doc.text_lines = [_SPACE.sub(" ", html_lib.unescape(v)).strip() for v in visible]

    table_lines: set[int] = set()
    for k, table in enumerate(t for t in soup.find_all("table") if t.find("table") is None):
        grid = read_table(table, doc)
        if grid:
            doc.tables.append(grid)
            doc.table_names.append(f"table {k + 1}")
            for g in grid:
                table_lines.update(range(g.line_start, g.line_end + 1))

    # Everything else, line by line: what is visible there once chrome and tags are gone.
    chrome = _marks(joined, _CHROME)
    titles = _marks(joined, _TITLE)
    for i, line in enumerate(lines):
        n = i + 1
        if n in table_lines or not line.strip():
            continue
        shown = doc.text_lines[i] if i < len(doc.text_lines) else ""
        if not shown:
            kind = "metadata" if i in chrome else "filler"
        elif i in titles:
            kind = "title"
        else:
            kind = None
        doc.paragraphs.append(Paragraph(n, shown or line.strip(), kind))
    return doc


_EXTENSIONS = ("html", "htm", "shtml", "xhtml")


def sniff(fh: FileHead) -> str | None:
    """An .html-like extension, or markup at the start (tried after the binary formats)."""
    if fh.zip_members is not None:
        return None
    start = fh.head.lstrip().lower()
    if fh.ext in _EXTENSIONS or start.startswith((b"<!doctype html", b"<html")) or (b"<table" in start and b"<tr" in start):
        return "html"
    return None


LAYOUTS = [Layout("html", "HTML page with <table> (rowspan/colspan from the markup)",
                  read=lambda path, spec, name, kind: read(path, spec, name), kinds=("html",), sniff=sniff, detect_order=40)]

"""``Document`` -> ``ParseResult``: the layout every document format (html / xlsx / docx / pdf) goes
through once its reader (``ingestion/formats``) has made the ``Document``.

1. A ``LineLedger`` over ``Document.lines``.
2. Script: if the document is printed in Traditional characters, every cell and paragraph is
   matched through its Simplified view (``ingestion.formats.script``) and the row texts are
   restored to the printed characters afterwards; issue ``traditional_script``.
3. Paragraphs (text outside tables) are furniture: the reader's own kind, else by text -
   metadata (发布时间, 来源, 浏览 …, page numbers), title (the first text before any table, a
   caption such as '…完成情况表', '附件1'), otherwise preamble.
4. Each table grid is cut into tables at its header rows (``grid.header_roles``): rows above the
   first header are furniture (title / metadata / preamble by text); a row repeating the current
   header (a header printed again on every page) is furniture 'header'; a *different* header
   starts the next table; two header rows in a row are a two-row header (the upper one, group
   cells, is furniture 'header'; the lower one names the columns). Each table goes through ``rows_from_grid`` with ``empty_inherits=False``
   (the readers resolved merged cells from the file, so an empty cell is printed empty;
   ``spec.options['empty_cells_inherit']`` overrides), table_no 1, 2, … over the whole document.
   A grid with no header row is quarantined line by line with the reason - except, on an HTML
   page that has a data table, a headerless table (navigation, footer) is page text. Rows after the last
   numbered row that hold a single text (not a heading) are notes under the table ('注:…'):
   furniture (metadata / preamble), not task rows.
5. Rows get the reader's flags (``merged_cell``, ``split_across_pages``).
"""

from __future__ import annotations

from ingestion.columns import normalise_header
from ingestion.formats import Document
from ingestion.formats import script as script_mod
from ingestion.furniture import is_caption, is_page_chrome, is_page_number
from ingestion.layouts.grid import GridRow, header_roles, is_section_heading, parse_seq, rows_from_grid
from ingestion.model import LineLedger, ParseResult, SourceIssue, TaskRow


def classify_text(text: str, before_tables: bool, first: bool) -> str:
    """Furniture kind of a paragraph outside the tables."""
    t = text.strip()
    if not t:
        return "blank"
    if is_page_number(t) or is_page_chrome(t):
        return "metadata"
    if is_caption(t):
        return "title"
    if first and before_tables and len(t) <= 60:
        return "title"
    return "preamble"


def _same_header(a: list[str], b: list[str]) -> bool:
    na = [normalise_header(c) for c in a if c.strip()]
    nb = [normalise_header(c) for c in b if c.strip()]
    return na == nb


def _split_at_headers(grid: list[GridRow], view: list[list[str]], spec) -> tuple[list[int], list[tuple[int, int]], list[int]]:
    """Indexes of rows before the first header, (start, end) index ranges of tables (each starting
    at its header), indexes of repeated header rows."""
    headers = [i for i, cells in enumerate(view) if header_roles(cells, spec.columns) is not None]
    if not headers:
        return list(range(len(grid))), [], []
    pre = list(range(headers[0]))
    tables: list[tuple[int, int]] = []
    repeated: list[int] = []
    start = headers[0]
    for h in headers[1:]:
        if h == start + 1:
            # A two-row header (group cells above the column names, rowspanned ones repeated):
            # the upper row is header furniture, the lower one names the columns.
            repeated.append(start)
            start = h
        elif _same_header(view[h], view[start]):
            repeated.append(h)
        else:
            tables.append((start, h))
            start = h
    tables.append((start, len(grid)))
    return pre, tables, repeated


def _trailing_notes(view_rows: list[GridRow], idx: list[int], spec) -> list[int]:
    """Rows after the last numbered row that hold one text only, not a 序号 and not a heading:
    notes under the table ('注:…', '填报人:…'), not task rows."""
    roles = header_roles(view_rows[idx[0]].cells, spec.columns)
    if not roles or "seq" not in roles:
        return []
    col = roles.index("seq")
    numbered = [i for i in idx[1:] if col < len(view_rows[i].cells) and parse_seq(view_rows[i].cells[col]) is not None]
    if not numbered:
        return []
    out = []
    for i in idx:
        if i <= numbered[-1]:
            continue
        texts = [c for c in view_rows[i].cells if c.strip()]
        if len(texts) == 1 and not is_section_heading(view_rows[i].cells) and parse_seq(texts[0]) is None:
            out.append(i)
    return out


def _add_reader_flags(originals: list[GridRow], chunk: list[GridRow], t_rows: list[TaskRow]) -> None:
    """Give each task row the flags its reader put on its grid row. rows_from_grid makes one task
    row per data row (after the header, not a section heading, not empty), in order."""
    data = [o for o, v in zip(originals[1:], chunk[1:], strict=False) if not is_section_heading(v.cells) and any(c.strip() for c in v.cells)]
    if len(data) == len(t_rows):
        pairs = list(zip(data, t_rows, strict=False))
    else:  # the mapper changed its rules: fall back to matching spans
        by_span = {(o.line_start, o.line_end): o for o in originals}
        pairs = [(by_span[(r.line_start, r.line_end)], r) for r in t_rows if (r.line_start, r.line_end) in by_span]
    for g, r in pairs:
        for flag in g.flags:
            if flag not in r.flags:
                r.flags.append(flag)


def _claim(ledger: LineLedger, g: GridRow, kind: str) -> None:
    for n in range(g.line_start, g.line_end + 1):
        if not ledger.claimed(n):
            if kind == "quarantine":
                ledger.add_quarantine(n, "table rows without a recognised header row (序号 / 重点工作 / 牵头单位 / 完成情况 …)")
            elif not ledger.text(n).strip():
                ledger.add_furniture(n, "blank")
            else:
                ledger.add_furniture(n, kind)


def parse_document(doc: Document, spec, layout: str) -> ParseResult:
    ledger = LineLedger(doc.lines)
    texts = [c for grid in doc.tables for g in grid for c in g.cells] + [p.text for p in doc.paragraphs]
    traditional = script_mod.is_traditional(texts, (spec.options or {}).get("script"))
    conv = script_mod.simplify if traditional else (lambda s: s)
    issues: list[SourceIssue] = [script_mod.issue(texts)] if traditional else []

    first_table_line = min((grid[0].line_start for grid in doc.tables if grid), default=len(doc.lines) + 1)
    first = True
    for p in doc.paragraphs:
        if ledger.claimed(p.line_no):
            continue
        kind = p.kind or classify_text(conv(p.text), p.line_no < first_table_line, first)
        if p.kind is None:
            first = False
        if kind == "blank":
            continue  # LineLedger.finish records it
        ledger.add_furniture(p.line_no, kind)

    rows: list[TaskRow] = []
    headers: dict[int, list[tuple[str, str]]] = {}
    segments: list[script_mod.Segment] = []
    table_no = 0
    any_header = any(header_roles([conv(c) for c in g.cells], spec.columns) is not None
                     for grid in doc.tables for g in grid)
    for grid in doc.tables:
        view_rows = [GridRow([conv(c) for c in g.cells], g.line_start, g.line_end) for g in grid]
        if traditional:
            segments += [script_mod.Segment(g.line_start, g.line_end, "\n".join(g.cells), "\n".join(v.cells))
                         for g, v in zip(grid, view_rows, strict=False)]
        pre, tables, repeated = _split_at_headers(grid, [v.cells for v in view_rows], spec)
        for i in repeated:
            _claim(ledger, grid[i], "header")
        if not tables:
            # A page's layout tables (navigation, footer) have no header: page text, when some other
            # table of the page is the data table. Otherwise nothing could be read: quarantine.
            chrome = doc.kind == "html" and any_header
            for i in pre:
                text = " ".join(c.strip() for c in view_rows[i].cells if c.strip())
                _claim(ledger, grid[i], classify_text(text, False, False) if chrome else "quarantine")
            continue
        seen_text = False
        for i in pre:
            text = " ".join(c.strip() for c in view_rows[i].cells if c.strip())
            kind = classify_text(text, True, not seen_text) if text else "blank"
            seen_text = seen_text or bool(text)
            _claim(ledger, grid[i], kind)
        rep = set(repeated)
        for start, end in tables:
            table_no += 1
            idx = [i for i in range(start, end) if i not in rep]
            for i in _trailing_notes(view_rows, idx, spec):
                text = " ".join(c.strip() for c in view_rows[i].cells if c.strip())
                _claim(ledger, grid[i], "metadata" if is_page_chrome(text) else "preamble")
                idx.remove(i)
            chunk = [view_rows[i] for i in idx]
            t_rows, t_headers = rows_from_grid(chunk, spec, ledger, table_no=table_no, empty_inherits=False)
            header_cells = grid[start].cells
            headers[table_no] = [(header_cells[k] if k < len(header_cells) else c, r) for k, (c, r) in enumerate(t_headers)]
            _add_reader_flags([grid[i] for i in idx], chunk, t_rows)
            rows.extend(t_rows)

    if traditional:
        segments += [script_mod.Segment(p.line_no, p.line_no, p.text) for p in doc.paragraphs]
        restorer = script_mod.Restorer(segments)
        for r in rows:
            restorer.restore_row(r)
    return ParseResult.from_ledger(layout, ledger, rows, issues=issues, headers=headers)

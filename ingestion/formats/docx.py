"""Word documents (.docx, python-docx): body paragraphs and tables in reading order.

Tables are read from the XML so that merges are exact: ``w:gridSpan`` (merged across: the text
stays in the first grid column, the others are empty), ``w:vMerge`` (merged down: a 'continue'
cell takes the text of the cell above in the same grid column, flag ``merged_cell``) and
``w:gridBefore`` (leading empty grid columns). A cell's paragraphs are joined with '\\n'.

Provenance: line = one line per body paragraph or table row, in document order (see
``ingestion.formats``). A document without tables yields only paragraphs; the dispatcher then
falls back to the narrative layout.
"""

from __future__ import annotations

from pathlib import Path

from ingestion.errors import FormatError
from ingestion.formats import Document, FileHead, Paragraph, render_cells
from ingestion.layouts import Layout
from ingestion.layouts.grid import GridRow

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _para_text(p) -> str:
    """Text of a w:p: runs' text, w:tab as a space, w:br / w:cr as a line break."""
    out: list[str] = []
    for el in p.iter():
        tag = el.tag
        if tag == f"{W}t":
            out.append(el.text or "")
        elif tag == f"{W}tab":
            out.append(" ")
        elif tag in (f"{W}br", f"{W}cr"):
            out.append("\n")
    return "".join(out)


def _cell_text(tc) -> str:
    paras: list[str] = []
    for p in tc.iterchildren(f"{W}p"):
        for piece in _para_text(p).split("\n"):
            if piece.strip():
                paras.append(piece.strip())
    return "\n".join(paras)


def _int_attr(el, path: str, default: int) -> int:
    found = el.find(path)
    if found is None:
        return default
    try:
        return int(found.get(f"{W}val"))
    except (TypeError, ValueError):
        return default


def _table_rows(tbl) -> list[tuple[list[str], list[bool]]]:
    """Rows of a w:tbl as (cells per grid column, whether the cell continues a vertical merge)."""
    rows: list[tuple[list[str], list[bool]]] = []
    above: list[str] = []
    for tr in tbl.iterchildren(f"{W}tr"):
        cells: list[str] = []
        cont: list[bool] = []
        trpr = tr.find(f"{W}trPr")
        before = _int_attr(trpr, f"{W}gridBefore", 0) if trpr is not None else 0
        cells.extend([""] * before)
        cont.extend([False] * before)
        for tc in tr.iterchildren(f"{W}tc"):
            tcpr = tc.find(f"{W}tcPr")
            span = _int_attr(tcpr, f"{W}gridSpan", 1) if tcpr is not None else 1
            vmerge = tcpr.find(f"{W}vMerge") if tcpr is not None else None
            col = len(cells)
            if vmerge is not None and vmerge.get(f"{W}val", "continue") != "restart":
                text = above[col] if col < len(above) else ""
                cells.append(text)
                cont.append(True)
            else:
                cells.append(_cell_text(tc))
                cont.append(False)
            cells.extend([""] * (max(span, 1) - 1))
            cont.extend([False] * (max(span, 1) - 1))
        rows.append((cells, cont))
        above = cells
    return rows


def _blocks(parent):
    """Body paragraphs and tables in order, looking inside content controls (w:sdt)."""
    for el in parent.iterchildren():
        if el.tag == f"{W}sdt":
            content = el.find(f"{W}sdtContent")
            if content is not None:
                yield from _blocks(content)
        else:
            yield el


def read(path: Path, spec, name: str) -> Document:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        d = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as e:
        raise FormatError(name, "not a readable .docx document (corrupt, encrypted, or a legacy "
                          f".doc): {type(e).__name__}: {e}") from None
    doc = Document(path=path, kind="docx", lines=[], encoding="binary (docx)")
    for el in _blocks(d.element.body):
        if el.tag == f"{W}p":
            text = " ".join(t.strip() for t in _para_text(el).split("\n") if t.strip())
            doc.lines.append(text)
            if text:
                doc.paragraphs.append(Paragraph(len(doc.lines), text))
        elif el.tag == f"{W}tbl":
            grid: list[GridRow] = []
            for cells, cont in _table_rows(el):
                doc.lines.append(render_cells(cells))
                n = len(doc.lines)
                grid.append(GridRow(cells, n, n))
                if any(c and t.strip() for c, t in zip(cont, cells, strict=False)):
                    doc.flag(grid[-1], "merged_cell")
            if grid:
                doc.tables.append(grid)
                doc.table_names.append(f"table {len(doc.tables)}")
    if not any(line.strip() for line in doc.lines):
        raise FormatError(name, ".docx document has no text")
    return doc


def sniff(fh: FileHead) -> str | None:
    if fh.has_member("word/") or (fh.zip_members is not None and not fh.has_member("xl/") and fh.ext == "docx"):
        return "docx"
    return None


LAYOUTS = [Layout("docx", ".docx tables (vMerge) and paragraphs", read=lambda path, spec, name, kind: read(path, spec, name),
                  kinds=("docx",), sniff=sniff, detect_order=30)]

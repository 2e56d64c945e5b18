"""Pick the layout parser for a source and run it. Plain Python: no Dagster here."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ingestion.model import ParseResult
from ingestion.reader import SourceText, read_text_file
from ingestion.registry import RegisteredSource, SourceSpec


class LayoutError(Exception):
    """The file's layout matches no parser (or not the one its YAML names)."""


Parser = Callable[[list[str], SourceSpec], ParseResult]


def _parsers() -> dict[str, Parser]:
    # Imported lazily so a broken optional layout does not stop the others from loading.
    from ingestion.layouts import cell_lines, labelled, narrative, pipe

    return {
        "cell_lines": cell_lines.parse,
        "pipe": pipe.parse,
        "delimited": pipe.parse,  # the pipe layout with another delimiter (options.delimiter)
        "labelled": labelled.parse,
        "narrative": narrative.parse,
    }


def detect_layout(lines: list[str]) -> str:
    """Guess the layout of a text bulletin from its shape."""
    nonblank = [ln.strip() for ln in lines if ln.strip()]
    if not nonblank:
        raise LayoutError("no text")
    piped = sum(1 for ln in nonblank if ln.endswith("|") or ln.startswith("|"))
    if piped / len(nonblank) > 0.3:
        return "pipe"
    tabbed = sum(1 for ln in nonblank if "\t" in ln)
    if tabbed / len(nonblank) > 0.3:
        return "delimited"
    from ingestion.columns import is_header_cell
    from ingestion.layouts.labelled import looks_labelled

    if looks_labelled(nonblank):
        return "labelled"
    headers = sum(1 for ln in nonblank[:400] if is_header_cell(ln))
    if headers >= 3:
        return "cell_lines"
    long_lines = sum(1 for ln in nonblank if len(ln) > 150)
    if long_lines / len(nonblank) > 0.5:
        return "narrative"
    raise LayoutError(
        "no table header (序号 / 重点工作 / 牵头单位 / 完成情况 …) found and the text is not "
        "narrative paragraphs; name the layout in the source YAML"
    )


@dataclass
class ParsedSource:
    text: SourceText  # for html/xlsx/docx/pdf: the Document's lines (see ingestion.formats)
    layout: str
    result: ParseResult
    sha256: str
    document: object | None = None  # ingestion.formats.Document for non-text formats


def _document_kind(path: Path, layout: str) -> str | None:
    """The document format to read ``path`` as, or None for a text bulletin."""
    from ingestion import formats

    if layout == "auto":
        return formats.detect_kind(path)
    if layout == "xlsx":
        return "xls" if formats.detect_kind(path) == "xls" else "xlsx"
    return layout if layout in formats.LAYOUTS else None


def _parse_document(path: Path, spec: SourceSpec, name: str, kind: str) -> ParsedSource:
    from ingestion import formats
    from ingestion.formats.layout import parse_document
    from ingestion.model import SourceIssue

    doc = formats.read_document(path, spec, kind, display_name=name)
    layout = "xlsx" if kind == "xls" else kind
    if doc.tables:
        result = parse_document(doc, spec, layout)
    else:
        # No table in the document: its paragraphs are narrative.
        layout = "narrative"
        result = _parsers()["narrative"](doc.text_lines or doc.lines, spec)
        result.issues.append(SourceIssue("no_table", f"{kind} document without a table: read as narrative"))
    if not result.rows and layout != "narrative":
        raise LayoutError(f"{name}: {kind} document: no task rows found under a recognised table header "
                          f"(序号 / 重点工作 / 牵头单位 / 完成情况 …); name the columns in the source YAML")
    cov = result.coverage()
    if not cov.complete:
        raise AssertionError(f"{name}: {kind} reader left lines unaccounted: {cov}")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    text = SourceText(path=path, encoding=doc.encoding, lines=doc.lines)
    return ParsedSource(text=text, layout=layout, result=result, sha256=sha, document=doc)


def parse_file(path: Path, spec: SourceSpec, display_name: str | None = None) -> ParsedSource:
    name = display_name or str(path)
    kind = _document_kind(Path(path), spec.layout)
    if kind is not None:
        return _parse_document(Path(path), spec, name, kind)
    text = read_text_file(path, spec.encoding, display_name=name)
    # Traditional characters: parse a Simplified view, restore the printed text (formats/script.py).
    from ingestion.formats import script

    traditional = script.is_traditional(text.lines, spec.options.get("script"))
    lines = [script.simplify(ln) for ln in text.lines] if traditional else text.lines
    layout = spec.layout
    if layout == "auto":
        try:
            layout = detect_layout(lines)
        except LayoutError as e:
            raise LayoutError(f"{name}: layout not recognised: {e}") from None
    parsers = _parsers()
    if layout not in parsers:
        raise LayoutError(f"{name}: layout {layout!r} has no text parser; known: {', '.join(sorted(parsers))}")
    try:
        result = parsers[layout](lines, spec)
    except LayoutError as e:
        raise LayoutError(f"{name}: {e}") from None
    if traditional:
        script.Restorer.for_lines(text.lines, lines).restore_result(result, text.lines)
        result.issues.append(script.issue(text.lines))
    if not result.rows and layout != "narrative":
        raise LayoutError(f"{name}: layout {layout!r} found no task rows; is this the right layout?")
    cov = result.coverage()
    if not cov.complete:
        raise AssertionError(f"{name}: parser {layout} left lines unaccounted: {cov}")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    return ParsedSource(text=text, layout=layout, result=result, sha256=sha)


def parse_source(src: RegisteredSource) -> ParsedSource:
    return parse_file(src.file_path, src.spec, display_name=src.relative_file())

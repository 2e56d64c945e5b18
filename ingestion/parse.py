"""Pick the layout for a source and run it. Plain Python: no Dagster here.

Which layouts exist, how a text layout is detected and which function reads it all come from the
layout registry (``ingestion.layouts``); this module only sequences read -> parse -> checks."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ingestion import formats, layouts, memo
from ingestion.errors import IngestError, LayoutError
from ingestion.formats import Document, script
from ingestion.layouts import finishing
from ingestion.layouts.document import parse_document
from ingestion.model import ParseResult, SourceIssue
from ingestion.reader import SourceText, check_size, read_text_file
from ingestion.registry import RegisteredSource, SourceSpec


def detect_layout(lines: list[str], overrides: dict[str, str] | None = None) -> str:
    """Guess the layout of a text bulletin from its shape (each layout's ``detect``, in order);
    ``overrides``: the YAML's ``columns:``, header names a detector should know too."""
    nonblank = [ln.strip() for ln in lines if ln.strip()]
    if not nonblank:
        raise LayoutError("no text")
    found = layouts.detect_text(nonblank, overrides)
    if found is None:
        raise LayoutError(
            "no table header (序号 / 重点工作 / 牵头单位 / 完成情况 …) found and the text is not "
            "narrative paragraphs; name the layout in the source YAML"
        )
    return found


@dataclass
class ParsedSource:
    text: SourceText  # for html/xlsx/docx/pdf: the Document's lines (see ingestion.formats)
    layout: str
    result: ParseResult
    sha256: str
    document: Document | None = None  # for non-text formats


def _document_kind(path: Path, layout: str) -> str | None:
    """The file kind to read ``path`` as (html, xlsx, xls, docx, pdf), or None for a text bulletin."""
    if layout == layouts.AUTO:
        return formats.detect_kind(path)
    lay = layouts.get(layout)
    if not lay.is_document:
        return None
    detected = formats.detect_kind(path)
    return detected if detected in lay.kinds else lay.kinds[0]


def _check_complete(result: ParseResult, name: str, what: str) -> None:
    cov = result.coverage()
    if not cov.complete:
        raise AssertionError(f"{name}: {what} left lines unaccounted: {cov}")


def _parse_document(path: Path, spec: SourceSpec, name: str, kind: str) -> ParsedSource:
    doc = formats.read_document(path, spec, kind, display_name=name)
    owner = layouts.for_kind(kind)
    layout = owner.name if owner else kind
    if doc.tables:
        result = parse_document(doc, spec, layout)
    else:
        # No table in the document: its paragraphs are narrative.
        layout = "narrative"
        result = layouts.get(layout).parse(doc.text_lines or doc.lines, spec)  # type: ignore[misc]
        result.issues.append(SourceIssue("no_table", f"{kind} document without a table: read as narrative"))
    if not result.rows and layout != "narrative":
        raise LayoutError(f"{kind} document: no task rows found under a recognised table header "
                          f"(序号 / 重点工作 / 牵头单位 / 完成情况 …); name the columns in the source YAML",
                          file=name, layout=layout)
    _check_complete(result, name, f"{kind} reader")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    text = SourceText(path=path, encoding=doc.encoding, lines=doc.lines)
    return ParsedSource(text=text, layout=layout, result=result, sha256=sha, document=doc)


def parse_file(path: Path, spec: SourceSpec, display_name: str | None = None) -> ParsedSource:
    name = display_name or str(path)
    memo.new_file()  # the classifiers' memos are per file (ingestion/memo.py)
    check_size(Path(path), name)  # before any reader opens it (README "Limits")
    kind = _document_kind(Path(path), spec.layout)
    if kind is not None:
        return _parse_document(Path(path), spec, name, kind)
    text = read_text_file(path, spec.encoding, display_name=name)
    # Traditional characters: parse a Simplified view, restore the printed text (formats/script.py).
    traditional = script.is_traditional(text.lines, spec.options.get("script"))
    lines = [script.simplify(ln) for ln in text.lines] if traditional else text.lines
    # comment lines and another bulletin's lines are kept from the parser (layouts/finishing.py)
    lines, masked = finishing.mask_lines(lines, spec, name)
    layout = spec.layout
    if layout == layouts.AUTO:
        try:
            layout = detect_layout(lines, spec.columns)
        except LayoutError as e:
            raise LayoutError(f"layout not recognised: {e.problem}", file=name) from None
    parser = layouts.get(layout).parse
    if parser is None:
        raise LayoutError(f"layout {layout!r} has no text parser", file=name, layout=layout)
    try:
        result = parser(lines, spec)
    except IngestError as e:
        raise e.at(name) from None
    finishing.finish(result, lines, text.lines, masked, spec)
    if traditional:
        script.Restorer.for_lines(text.lines, lines).restore_result(result, text.lines)
        result.issues.append(script.issue(text.lines))
    if not result.rows and layout != "narrative":
        raise LayoutError(f"layout {layout!r} found no task rows; is this the right layout?", file=name, layout=layout)
    _check_complete(result, name, f"parser {layout}")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    return ParsedSource(text=text, layout=layout, result=result, sha256=sha)


def parse_source(src: RegisteredSource) -> ParsedSource:
    return parse_file(src.file_path, src.spec, display_name=src.relative_file())

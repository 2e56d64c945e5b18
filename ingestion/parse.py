"""Pick the layout parser for a source and run it. Plain Python: no Dagster here."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ingestion.model import ParseResult
from ingestion.reader import SourceText, read_text_file
from ingestion.registry import RegisteredSource, SourceSpec


class LayoutError(Exception):
    """The file's layout matches no parser (or not the one its YAML names)."""


Parser = Callable[[list[str], SourceSpec], ParseResult]


def _parsers() -> dict[str, Parser]:
    # Imported lazily so a broken optional layout does not stop the others from loading.
    from ingestion.layouts import cell_lines, narrative, pipe

    return {"cell_lines": cell_lines.parse, "pipe": pipe.parse, "narrative": narrative.parse}


def detect_layout(lines: list[str]) -> str:
    """Guess the layout of a text bulletin from its shape."""
    nonblank = [ln.strip() for ln in lines if ln.strip()]
    if not nonblank:
        raise LayoutError("no text")
    piped = sum(1 for ln in nonblank if ln.endswith("|") or ln.startswith("|"))
    if piped / len(nonblank) > 0.3:
        return "pipe"
    from ingestion.columns import is_header_cell

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
    text: SourceText
    layout: str
    result: ParseResult
    sha256: str


def parse_file(path: Path, spec: SourceSpec, display_name: str | None = None) -> ParsedSource:
    name = display_name or str(path)
    text = read_text_file(path, spec.encoding, display_name=name)
    layout = spec.layout
    if layout == "auto":
        try:
            layout = detect_layout(text.lines)
        except LayoutError as e:
            raise LayoutError(f"{name}: layout not recognised: {e}") from None
    parsers = _parsers()
    if layout not in parsers:
        raise LayoutError(f"{name}: layout {layout!r} has no text parser; known: {', '.join(sorted(parsers))}")
    try:
        result = parsers[layout](text.lines, spec)
    except LayoutError as e:
        raise LayoutError(f"{name}: {e}") from None
    if not result.rows and layout != "narrative":
        raise LayoutError(f"{name}: layout {layout!r} found no task rows; is this the right layout?")
    cov = result.coverage()
    if not cov.complete:
        raise AssertionError(f"{name}: parser {layout} left lines unaccounted: {cov}")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    return ParsedSource(text=text, layout=layout, result=result, sha256=sha)


def parse_source(src: RegisteredSource) -> ParsedSource:
    return parse_file(src.file_path, src.spec, display_name=src.relative_file())

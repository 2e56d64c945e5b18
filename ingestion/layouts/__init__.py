"""The layout registry: every value ``source.yaml`` may give as ``layout:``, in one place.

A layout is declared once, by the module that implements it, as a module-level
``LAYOUTS = [Layout(...)]``: text layouts in ``ingestion/layouts/<name>.py`` (a ``parse(lines,
spec)``), document formats in ``ingestion/formats/<name>.py`` (a ``read(path, spec, name, kind)``
whose ``Document`` goes through ``ingestion.layouts.document``). The registry finds those modules
itself (private ``_*.py`` helpers are skipped), so adding a text layout is one new module plus
its tests. Everything else derives from it:

* the ``SourceSpec.layout`` schema and its error message (``names()``);
* detection of a text layout (``detect_text``: each layout's ``detect`` in ``detect_order``) and
  of a document's kind (``ingestion.formats.detect_kind``: each document layout's ``sniff``);
* dispatch: ``ingestion.parse`` calls ``get(name).parse``; ``ingestion.formats.read_document``
  calls the ``read`` of the layout owning a file kind (``for_kind``).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ingestion.formats import Document, FileHead
    from ingestion.model import ParseResult
    from ingestion.registry import SourceSpec

AUTO = "auto"  # not a layout: "detect it" (what `bulletins add` starts from)
# Packages whose modules declare LAYOUTS.
_PLUGIN_PACKAGES = ("ingestion.layouts", "ingestion.formats")

TextParser = Callable[[list[str], "SourceSpec"], "ParseResult"]
DocumentReader = Callable[[Path, "SourceSpec", str, str], "Document"]
# a text's non-blank lines (stripped) and the YAML's ``columns:`` -> does it have this layout?
Detector = Callable[[list[str], dict[str, str]], bool]
Sniffer = Callable[["FileHead"], "str | None"]  # a document file -> the kind it is, or None


@dataclass(frozen=True)
class Layout:
    """One ``layout:`` value. Exactly one of ``parse`` (text) or ``read`` (document) is set."""

    name: str
    summary: str
    parse: TextParser | None = None
    read: DocumentReader | None = None
    # documents: the file kinds (``ingestion.formats.detect_kind``) this layout reads, first = default
    kinds: tuple[str, ...] = ()
    # text: does this text (its non-blank lines, stripped) have this layout? Tried in detect_order.
    detect: Detector | None = None
    # documents: which of ``kinds`` a file is (magic bytes, zip members); tried in detect_order
    sniff: Sniffer | None = None
    detect_order: int = 100

    def __post_init__(self) -> None:
        if (self.parse is None) == (self.read is None):
            raise ValueError(f"layout {self.name!r}: give exactly one of parse (text) or read (document)")
        if self.read is not None and not self.kinds:
            raise ValueError(f"layout {self.name!r}: a document layout names the file kinds it reads")

    @property
    def is_document(self) -> bool:
        return self.read is not None


@cache
def _registry() -> dict[str, Layout]:
    found: dict[str, Layout] = {}
    for package_name in _PLUGIN_PACKAGES:
        package = importlib.import_module(package_name)
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
            if info.name.startswith("_"):
                continue
            module = importlib.import_module(f"{package_name}.{info.name}")
            for layout in getattr(module, "LAYOUTS", ()):
                if layout.name in found or layout.name == AUTO:
                    raise ValueError(f"layout {layout.name!r} declared twice ({module.__name__})")
                found[layout.name] = layout
    return found


def all_layouts() -> list[Layout]:
    """Text layouts in detection order, then document formats."""
    return sorted(_registry().values(), key=lambda lay: (lay.is_document, lay.detect_order, lay.name))


def names() -> tuple[str, ...]:
    """Every valid ``layout:`` value, ``auto`` first."""
    return (AUTO, *(lay.name for lay in all_layouts()))


def get(name: str) -> Layout:
    try:
        return _registry()[name]
    except KeyError:
        raise KeyError(f"unknown layout {name!r}; known: {', '.join(names())}") from None


def text_layouts() -> list[Layout]:
    return [lay for lay in all_layouts() if not lay.is_document]


def document_kinds() -> tuple[str, ...]:
    """Every file kind a document layout reads (html, xlsx, xls, docx, pdf)."""
    return tuple(k for lay in all_layouts() for k in lay.kinds)


def for_kind(kind: str) -> Layout | None:
    """The document layout that reads files of ``kind`` ('xls' -> the xlsx layout)."""
    return next((lay for lay in all_layouts() if kind in lay.kinds), None)


def detect_text(nonblank: list[str], overrides: dict[str, str] | None = None) -> str | None:
    """The first text layout (in ``detect_order``) whose ``detect`` accepts these lines;
    ``overrides`` (a source's ``columns:``) are header names a detector knows too."""
    for lay in text_layouts():
        if lay.detect is not None and lay.detect(nonblank, overrides or {}):
            return lay.name
    return None

"""Every error ingestion raises about a source, with what it is about as fields.

Callers (CLI, Dagster assets, the headless build) read ``file`` / ``field`` / ``problem`` instead
of parsing the message back; ``str(error)`` is the message a person reads, always starting with
the file it is about. This module imports nothing from the package, so any module may use it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


class IngestError(Exception):
    """Base class: a source cannot be ingested. ``file`` names it (None when not yet known)."""

    def __init__(self, problem: str, file: str | Path | None = None):
        self.problem = problem
        self.file = str(file) if file is not None else None
        super().__init__(problem)

    def __str__(self) -> str:
        return f"{self.file}: {self.problem}" if self.file else self.problem

    def at(self, file: str | Path) -> IngestError:
        """The same error naming ``file`` (kept if it already names one)."""
        if self.file is None:
            self.file = str(file)
        return self


@dataclass(frozen=True)
class FieldProblem:
    """One wrong field of a source.yaml: its dotted location and what was expected."""

    field: str | None  # None: the file as a whole (malformed YAML, not a mapping)
    problem: str

    def __str__(self) -> str:
        return f"field '{self.field}': {self.problem}" if self.field else self.problem


class RegistryError(IngestError):
    """A registry entry (``data/sources/<folder>/source.yaml``) is invalid."""

    def __init__(self, path: Path | None, problems: Sequence[FieldProblem] | str, field: str | None = None):
        self.path = Path(path) if path is not None else None
        self.problems = [FieldProblem(field, problems)] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(str(p) for p in self.problems), self.path)

    @property
    def fields(self) -> list[str]:
        return [p.field for p in self.problems if p.field]

    @property
    def folder(self) -> str | None:
        """The entry's folder name under the registry (by convention its source_id)."""
        return self.path.parent.name if self.path is not None else None


class SourceReadError(IngestError):
    """A bulletin file cannot be read (missing, empty, binary, undecodable)."""

    def __init__(self, file: str | Path | None, problem: str):
        super().__init__(problem, file)


class FormatError(SourceReadError):
    """A document (html, xlsx/xls, docx, pdf) cannot be read."""


class LayoutError(IngestError):
    """The text matches no layout, or not the one its YAML names. ``layout`` is the layout tried."""

    def __init__(self, problem: str, file: str | Path | None = None, layout: str | None = None):
        self.layout = layout
        super().__init__(problem, file)


class FetchError(IngestError):
    """A bulletin URL cannot be fetched (not http(s), no answer, a non-2xx status, too large, too
    many redirects). ``file`` is the URL."""

    def __init__(self, url: str, problem: str):
        super().__init__(problem, url)


class RawCheckError(IngestError):
    """A source's rows fail an error-level raw GX check; they were not committed."""

    def __init__(self, source_id: str, failures: Sequence[str], file: str | Path | None = None):
        self.source_id = source_id
        self.failures = list(failures)
        super().__init__("blocking raw check(s) failed, rows not loaded (the previous load is kept): "
                         + "; ".join(self.failures), file)

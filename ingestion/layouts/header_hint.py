"""Where a table header probably is, for `bulletins add` / `preview` when no layout found one.

Nothing here parses rows: it finds the first line that looks like a header (several short cells
split by '|' or a tab, or a run of short one-cell lines such as a cell-per-paragraph export) so
that the command can say which of its cells the header vocabulary (``ingestion.columns``) does
not know and write a ``source.yaml`` the person can finish with ``columns:`` / ``header_line``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingestion import columns

_PUNCT = re.compile(r"[。,,;;!?!?::]")
_MAX_CELL = 20  # a header cell a person would name is short; longer text is data
MIN_CELLS = 3


@dataclass
class HeaderHint:
    line_no: int  # 1-based line of the first header cell
    cells: list[str]
    delimiter: str | None  # '|' / '\t' when the cells share a line, None for one cell a line

    def roles(self, overrides: dict[str, str] | None = None) -> list[tuple[str, str | None]]:
        return [(c, columns.role_for_header(c, overrides)) for c in self.cells]

    def unrecognised(self, overrides: dict[str, str] | None = None) -> list[str]:
        return [c for c, r in self.roles(overrides) if r is None]


def _short(cell: str) -> bool:
    c = cell.strip()
    return 0 < len(columns.normalise_header(c)) <= _MAX_CELL and not _PUNCT.search(c) and not c.isdigit()


def find_header(lines: list[str], max_lines: int = 400) -> HeaderHint | None:
    """The first delimited line with >= 3 short cells, else the first run of >= 3 short lines
    (blank lines between them allowed) with at least one known header name."""
    for n, ln in enumerate(lines[:max_lines], 1):
        for delim in ("|", "\t"):
            if delim in ln:
                cells = [c.strip() for c in ln.split(delim) if c.strip()]
                if len(cells) >= MIN_CELLS and all(_short(c) for c in cells):
                    return HeaderHint(n, cells, delim)
    run: list[tuple[int, str]] = []
    for n, ln in enumerate(lines[:max_lines], 1):
        t = ln.strip().strip("|").strip()
        if not t:
            continue
        if _short(t):
            run.append((n, t))
            continue
        if len(run) >= MIN_CELLS and any(columns.is_header_cell(c) for _, c in run):
            break
        run = []
    if len(run) >= MIN_CELLS and any(columns.is_header_cell(c) for _, c in run):
        # the header is the tail of the run that starts at its first known name
        first = next(k for k, (_, c) in enumerate(run) if columns.is_header_cell(c))
        run = run[first:]
        return HeaderHint(run[0][0], [c for _, c in run], None)
    return None


def parse_columns_option(text: str) -> dict[str, str]:
    """'内容与要求=task,进展情况=progress' -> {'内容与要求': 'task', '进展情况': 'progress'}."""
    out: dict[str, str] = {}
    for part in re.split(r"[,,;;]", text):
        if not part.strip():
            continue
        name, sep, role = part.partition("=")
        if not sep or not name.strip() or not role.strip():
            raise ValueError(f"--columns: {part.strip()!r} is not HEADER=role (e.g. '内容与要求=task')")
        out[name.strip()] = role.strip()
    return out

"""Which columns a short row is missing, judged by what its cells hold (issue #12).

A printed row with fewer cells than its header is missing some: rowspanned cells (a lead unit
merged with the row above), a cell the export dropped, or the 序号 of a continuation sub-row. The
old rule took the leftmost inheritable columns as the absent ones; that shifts every later cell
when the gap is elsewhere. Here every choice of absent columns is scored by how well each cell
fits the column it would land in (a 序号 is a number, a unit cell names units, a status cell a
status word, a unit name is not progress text) and the best is kept; ties go to the old rule.
When even the best choice puts a cell where it clearly does not belong the row does not fit."""

from __future__ import annotations

import re
from itertools import combinations

from ingestion import units
from ingestion.memo import per_file

UNIT_ROLES = ("lead_units", "cooperating_units")
_SENTENCE = re.compile(r"[。;;!?!?]")
_SEQ = re.compile(r"^\s*[((]?\d{1,4}[))]?[.、.]?\s*$")
MAX_MISSING = 4  # beyond this the combinations are not worth scoring: keep the old rule

BAD = -3.0


@per_file  # pure; best_absent asks it of the same cells for every choice
def cell_fit(role: str | None, text: str) -> float:
    t = text.strip()
    if not t:
        return 0.0
    if role == "seq":
        return 2.0 if _SEQ.match(t) else BAD
    if role in UNIT_ROLES:
        names, _people = units.split_unit_cell(t.split("\n"))
        if names and all(units.looks_like_unit(n) for n in names) and not _SENTENCE.search(t):
            return 2.0
        return BAD if (len(t) > 12 or _SENTENCE.search(t)) else -1.0
    if role == "status":
        from ingestion.layouts._cells_tokens import is_status

        return 2.0 if is_status(t) else -1.0
    if _SEQ.match(t):
        return BAD  # a bare number is a 序号, not text
    if role in ("task", "progress", "period_target", "remark", "category") and units.looks_like_unit(t) and len(t) <= 12:
        return -1.0
    return 0.5 if role == "progress" and _SENTENCE.search(t) else 0.0


def best_absent(cells: list[str], roles: list[str | None], default: set[int]) -> tuple[set[int], bool]:
    """(absent column indexes, fits) for a row of ``len(cells) < len(roles)`` cells."""
    width, missing = len(roles), len(roles) - len(cells)
    if missing <= 0 or missing > MAX_MISSING:
        return default, True

    def score(absent: set[int]) -> tuple[float, float]:
        it = iter(cells)
        total, worst = 0.0, 0.0
        for i in range(width):
            if i in absent:
                continue
            f = cell_fit(roles[i], next(it))
            total += f
            worst = min(worst, f)
        return total, worst

    # best fit; among equals, cells fill the leftmost columns (the absent ones trail)
    scored = [(score(set(c)), sum(c), set(c)) for c in combinations(range(width), missing)]
    (total, worst), _, best = max(scored, key=lambda x: (x[0], x[1]))
    default_score = score(default)
    if default_score == (total, worst):
        return default, worst > BAD  # the old rule where content cannot tell them apart
    return best, worst > BAD

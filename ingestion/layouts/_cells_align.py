"""Assign the tokens of one numbered row to the table's columns.

The export prints a row's cells one after another, in header order, but a cell may take zero
lines (dropped by the export), one line, or several (units one per line, numbered paragraphs).
Where the cells end is found by a monotone segmentation that maximises the sum of per-cell
plausibility scores (dynamic programming over token position × column). Each score looks only at
the tokens of one cell and the column's role, so the same rules serve every column order.

Continuation sub-rows (a task printed with a second lead-unit row, without its own 序号 and task
cell) are handled by letting the column sequence repeat, from the first column after the task,
at a fixed cost per repetition.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ingestion import units
from ingestion.layouts._cells_tokens import (
    Token,
    is_person,
    is_short,
    is_status,
    is_title_like,
    is_unit,
    is_unit_fragment,
    numbered_paragraph,
)

MISSING = -3.0  # a column with no line at all: possible (the export drops cells) but unusual
EMPTY_CELL = 0.5  # a nbsp line standing for an empty cell is (weak) evidence of a cell
EMPTY_TASK = -1.0  # a numbered row practically always has a task text
EXTRA_EMPTY = -0.05  # a stray empty paragraph inside a multi-line cell (merged-cell padding): nearly free
# A continuation sub-row without a line for a column: usually a cell merged with the one above
# (the same leader, the same cooperating units), so a gap there is less surprising.
MISSING_MERGED = -1.0
SUB_ROW = -5.0  # opening a continuation sub-row: rare, needs clear evidence
NEG = -1e9
# Longest cell considered (lines). Real cells have < 20; the cap keeps a runaway row (a 序号 the
# parser missed) from making the segmentation cubic.
MAX_CELL_LINES = 60
MAX_TABLE_CELL_LINES = 30  # the same for align_table, which runs over a whole table body

# --- per-cell plausibility scores ---------------------------------------------------------------
# Log-odds-like points: positive = this looks like a cell of the column, negative = unlikely. Only
# differences matter (the segmentation maximises the sum); the magnitudes were set by reading the
# seed layouts, and tests/test_layout_cell_lines.py pins the rows they produce.
EXTRA_LINE_ONE_LINE_CELL = -4.0  # each line beyond the first in a one-line cell (person, status)
PERSON_NAME = 3.0  # a person cell that reads as a name
PERSON_IS_UNIT = -4.0  # a unit name in a person column: likelier the unit cell after a dropped person
PERSON_SHORT = 0.5  # short text of no clear kind
PERSON_OTHER = -3.0
UNIT_LINE = 1.5  # per line of a unit cell: a whole unit name
UNIT_FRAGMENT_LINE = 0.5  # ... a piece of a unit name broken over lines
UNIT_FOREIGN_LINE = -4.0  # ... a line that is no part of a unit name
UNIT_UNFINISHED = -3.0  # the cell's lines joined do not end like a unit name (局, 委, 中心 …)
STATUS_WORD = 3.0  # a status cell holding a status word (the vocabulary or the source's words)
STATUS_SHORT = 0.5
STATUS_OTHER = -2.0
REMARK_IS_UNIT = 0.0  # a unit name in the remark column: likelier the next sub-row's lead unit
REMARK_TEXT = 0.5
EXTRA_LINE_REMARK = -3.0
TASK_CELL = 2.0  # a task cell: group title line(s) + one task line
TASK_TITLE_BONUS = 0.5  # prefer 'title, task' over 'title as the task, task line pushed right'
EXTRA_LINE_TASK = -3.0  # each task line beyond one
WRAPPED_NAME_LINE = -0.5  # a task line that is the tail of a name broken over paragraphs ('…税收' + '比重')
CATEGORY_TITLE = 1.0  # a category cell: one short title
CATEGORY_NUMBERED = -3.0  # a numbered name ('2、…') is the next task, not a category
EXTRA_LINE_CATEGORY = -2.0
TARGET_FRAGMENT = -2.0  # tables without 序号: a bare fragment ('比重') as a target is a broken name
PERIOD_TARGET_CELL = 1.0
PERIOD_TARGET_BREAK = -3.0  # a later line that does not continue the target's numbered list
FOREIGN_LINE = -2.0  # a later line of a paragraph cell that looks like another column's cell
PROGRESS_CELL = 1.0
PROGRESS_PARAGRAPH = 0.3  # per paragraph: progress cells are the long ones
PROGRESS_LIST_RESTART = -2.0  # a numbered list restarting at 1: a new cell began
OTHER_CELL = 0.5  # a column of no scored role
EXTRA_LINE_OTHER = -1.0

# Roles that belong to the task as a whole and are not repeated by a continuation sub-row.
TASK_LEVEL_ROLES = ("seq", "category", "task")


@dataclass
class Cell:
    role: str
    tokens: list[Token]

    @property
    def body(self) -> list[Token]:
        return [t for t in self.tokens if not t.empty]


def score_cell(role: str, toks: Sequence[Token], status_words: dict[str, str] | None = None) -> float:
    if not toks:
        return MISSING
    body = [t.text for t in toks if not t.empty]
    n_empty = len(toks) - len(body)
    if not body:
        return (EMPTY_TASK if role == "task" else EMPTY_CELL) + EXTRA_EMPTY * (n_empty - 1)
    return _ROLE_SCORERS.get(role, _score_other)(body, status_words) + EXTRA_EMPTY * n_empty


def _one_line(body: list[str], first: float) -> float:
    return first + EXTRA_LINE_ONE_LINE_CELL * (len(body) - 1)


def _score_person(body, _sw) -> float:
    s = body[0]
    # A unit name here is likelier a unit cell after a dropped person cell (MISSING costs less).
    first = (
        PERSON_NAME if is_person(s)
        else PERSON_IS_UNIT if is_unit(s) or is_unit_fragment(s)
        else PERSON_SHORT if is_short(s)
        else PERSON_OTHER
    )
    return _one_line(body, first)


def _score_units(body, _sw) -> float:
    total = 0.0
    for s in body:
        total += UNIT_LINE if is_unit(s) else UNIT_FRAGMENT_LINE if is_unit_fragment(s) else UNIT_FOREIGN_LINE
    joined = "".join(body).replace(" ", "").replace("\u00a0", "")
    return total if units.ends_like_unit(joined) else total + UNIT_UNFINISHED


def _score_status(body, sw) -> float:
    s = body[0]
    return _one_line(body, STATUS_WORD if is_status(s, sw) else STATUS_SHORT if is_short(s) else STATUS_OTHER)


def _score_remark(body, _sw) -> float:
    return (REMARK_IS_UNIT if is_unit(body[0]) else REMARK_TEXT) + EXTRA_LINE_REMARK * (len(body) - 1)


def _score_task(body, _sw) -> float:
    """Task cell = optional group title line(s) + ONE task line. The title is rewarded a little so
    that 'title, task' is preferred over 'title as the task, task line pushed right'."""
    titles = 0
    while titles < len(body) - 1 and is_title_like(body[titles]):
        titles += 1
    rest = len(body) - titles
    # a name broken over two paragraphs ('…收入中税收' + '比重'): the line before stops on a
    # character, not punctuation, and the fragment is a few characters without digits
    wraps = sum(1 for k in range(titles + 1, len(body)) if _wraps(body[k - 1], body[k]))
    return (TASK_CELL + (TASK_TITLE_BONUS if titles else 0.0) + EXTRA_LINE_TASK * (rest - 1 - wraps)
            + WRAPPED_NAME_LINE * wraps)


_OPEN_END = re.compile(r"[\u4e00-\u9fff]$")
_FRAGMENT_LINE = re.compile(r"^[\u4e00-\u9fff]{1,4}$")


def _wraps(prev: str, cur: str) -> bool:
    return bool(_OPEN_END.search(prev.strip())) and bool(_FRAGMENT_LINE.match(cur.strip()))


def _score_period_target(body, sw) -> float:
    """Period target = ONE line, or a numbered list 1., 2., … that continues without restarting.
    (Where target and progress are both free text this is the boundary rule: the progress cell
    starts at the first line that is neither the target line nor the next item of its list.)"""
    score = PERIOD_TARGET_CELL + _foreign_lines(body, sw)
    prev = numbered_paragraph(body[0])
    for s in body[1:]:
        n = numbered_paragraph(s)
        if n is not None and prev is not None and n == prev + 1:
            prev = n
        else:
            score += PERIOD_TARGET_BREAK
    return score


def _foreign_lines(body: list[str], sw) -> float:
    """Penalty for later lines of a paragraph cell that look like another column's cell (a status
    word, a unit name, a person's name): the paragraph cell most likely ended before them."""
    return FOREIGN_LINE * sum(1 for s in body[1:] if is_status(s, sw) or is_unit(s) or is_person(s))


def _score_progress(body, sw) -> float:
    """Any number of paragraphs; a numbered list that restarts at 1 means a new cell began."""
    score = PROGRESS_CELL + PROGRESS_PARAGRAPH * len(body) + _foreign_lines(body, sw)
    seen_number = False
    for s in body:
        n = numbered_paragraph(s)
        if n is not None:
            if seen_number and n == 1:
                score += PROGRESS_LIST_RESTART
            seen_number = True
    return score


_NUMBERED_NAME = re.compile(r"^\s*\d{1,3}[、.．]\D")


def _score_category(body, _sw) -> float:
    """A category is one short title; a numbered name ('2、规上工业增加值增长') is the next task."""
    first = CATEGORY_NUMBERED if _NUMBERED_NAME.match(body[0]) else CATEGORY_TITLE if is_title_like(body[0]) else 0.0
    return first + EXTRA_LINE_CATEGORY * (len(body) - 1)


def _score_other(body, _sw) -> float:
    return OTHER_CELL + EXTRA_LINE_OTHER * (len(body) - 1)


_ROLE_SCORERS: dict[str, Callable] = {
    "category": _score_category,
    "leader": _score_person,
    "responsible_person": _score_person,
    "lead_units": _score_units,
    "cooperating_units": _score_units,
    "status": _score_status,
    "remark": _score_remark,
    "task": _score_task,
    "period_target": _score_period_target,
    "progress": _score_progress,
}


def align_row(
    tokens: Sequence[Token],
    roles: Sequence[str],
    max_sub_rows: int = 3,
    status_words: dict[str, str] | None = None,
) -> list[list[Cell]]:
    """Split ``tokens`` (the row's lines after its 序号) into sub-rows of cells.

    ``roles`` are the table's column roles after 序号, in header order. Returns one list of
    ``Cell`` per sub-row: the first has every column, continuation sub-rows only the columns
    after the task-level ones.
    """
    sub_roles = [r for r in roles if r not in TASK_LEVEL_ROLES]
    program = list(roles)
    ends = {len(program)}  # program positions where a row may end
    for _ in range(max_sub_rows if sub_roles else 0):
        program += sub_roles
        ends.add(len(program))
    starts = {len(roles) + k * len(sub_roles) for k in range(max_sub_rows)} if sub_roles else set()

    n, m = len(tokens), len(program)
    cache: dict[tuple[str, int, int], float] = {}

    def cell(role: str, i: int, k: int) -> float:
        key = (role, i, k)
        if key not in cache:
            cache[key] = score_cell(role, tokens[i:k], status_words)
        return cache[key]

    best = [[NEG] * (n + 1) for _ in range(m + 1)]
    back = [[0] * (n + 1) for _ in range(m + 1)]
    best[0][0] = 0.0
    for j in range(m):
        penalty = SUB_ROW if j in starts else 0.0
        gap = MISSING_MERGED if j >= len(roles) else MISSING
        role = program[j]
        for i in range(n + 1):
            if best[j][i] == NEG:
                continue
            base = best[j][i] + penalty
            for k in range(i, min(n, i + MAX_CELL_LINES) + 1):
                s = base + (cell(role, i, k) if k > i else gap)
                if s > best[j + 1][k]:
                    best[j + 1][k] = s
                    back[j + 1][k] = i
    end = max(ends, key=lambda j: (best[j][n], -j))
    if best[end][n] == NEG:  # a runaway row (a missed 序号?): keep its lines, in one text cell
        return [_unaligned(tokens, roles)]
    cells: list[Cell] = []
    k = n
    for j in range(end, 0, -1):
        i = back[j][k]
        cells.append(Cell(program[j - 1], list(tokens[i:k])))
        k = i
    cells.reverse()
    rows = [cells[: len(roles)]]
    for s in range(len(roles), len(cells), len(sub_roles) or 1):
        rows.append(cells[s : s + len(sub_roles)])
    return rows


def _unaligned(tokens: Sequence[Token], roles: Sequence[str]) -> list[Cell]:
    """All lines in the progress column (else the last one); every other column has no line, so
    the row carries 'no_cell:' flags for a person to look at."""
    home = "progress" if "progress" in roles else roles[-1]
    return [Cell(r, list(tokens) if r == home else []) for r in roles]


def split_task_cell(cell: Cell) -> tuple[str | None, str | None]:
    """(group title, task text) of a task cell; the title lines are those before the task line."""
    body = [t.text for t in cell.body]
    titles: list[str] = []
    while len(titles) < len(body) - 1 and is_title_like(body[len(titles)]):
        titles.append(body[len(titles)])
    rest = body[len(titles) :]
    # '持续深化亩均论英雄' + '改革。': a task sentence broken before its last word, not a title
    # over a task (a task is more than a word or two and a full stop).
    if titles and len(rest) == 1 and len(rest[0].strip()) <= _TASK_TAIL_MAX and rest[0].rstrip().endswith(("。", ".")):
        return None, "".join(t.strip() for t in body)
    return (" ".join(titles) or None), ("\n".join(rest) or None)


_TASK_TAIL_MAX = 4  # characters, full stop included ('改革。')


def _table_cell(role: str, toks: Sequence[Token], status_words: dict[str, str] | None) -> float:
    """``score_cell`` for a table without 序号, where nothing else anchors a row: a bare fragment
    of a few characters ('比重') is the tail of a name broken over paragraphs, not a target."""
    score = score_cell(role, toks, status_words)
    body = [t.text for t in toks if not t.empty]
    if role == "period_target" and len(body) == 1 and _FRAGMENT_LINE.match(body[0].strip()):
        score += TARGET_FRAGMENT
    return score


def align_table(
    tokens: Sequence[Token], roles: Sequence[str], status_words: dict[str, str] | None = None
) -> list[list[Cell]]:
    """Split a whole table body into rows when there is no 序号 to start them (opt-in).

    The same cell scores, over a cyclic column sequence: after the last column the next row
    begins at the first. Rows are only as good as the columns are distinctive (a unit or status
    column between free-text columns anchors them); continuation sub-rows are not recognised.
    """
    n, c = len(tokens), len(roles)
    best = [[NEG] * c for _ in range(n + 1)]  # best[i][j]: i tokens used, column j next
    back: list[list[tuple[int, int] | None]] = [[None] * c for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n + 1):
        for j in range(c):
            if best[i][j] == NEG:
                continue
            nxt = (j + 1) % c
            # A row must consume at least one line, so a column 0 cell never is empty - unless it
            # is a category printed once per group (rows after the first of a group leave it out).
            lo = i + 1 if j == 0 and roles[0] != "category" else i
            for k in range(lo, min(n, i + MAX_TABLE_CELL_LINES) + 1):
                s = best[i][j] + (_table_cell(roles[j], tokens[i:k], status_words) if k > i else MISSING)
                if s > best[k][nxt]:
                    best[k][nxt] = s
                    back[k][nxt] = (i, j)
    # The table must end after a whole row; if that is impossible, keep it as one text cell.
    if n == 0 or best[n][0] == NEG:
        return [_unaligned(tokens, roles)] if n else []
    cells: list[Cell] = []
    i, j = n, 0
    while (step := back[i][j]) is not None:
        pi, pj = step
        cells.append(Cell(roles[pj], list(tokens[pi:i])))
        i, j = pi, pj
    cells.reverse()
    return [cells[s : s + c] for s in range(0, len(cells), c)]

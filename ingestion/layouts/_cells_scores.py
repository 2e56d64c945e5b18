"""Per-cell plausibility scores of the cell_lines layout: how much a run of lines looks like one
cell of a column, by the column's role. Each score looks only at the tokens of one cell.

``score_cell`` is the definition, one cell at a time. ``ScoreTable`` gives the same numbers for
every cell of a row at once (each role × start line × up to ``window`` lines), from classifier
answers worked out once per line and prefix counts over them (``_Counts``: a cell's score is a few
subtractions), so a row costs time linear in its lines; tests/test_cells_scores.py holds it equal
to ``score_cell``, bit for bit, on every cell of the seeds. ``line_bound`` bounds a cell's score
from above by a sum over its lines, which lets the aligner skip sub-rows that cannot win.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence

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



# --- every cell of a row at once ------------------------------------------------------------------


class _Line:
    """The classifier answers for one non-empty line, worked out once per row."""

    __slots__ = ("bracket", "ends_unit", "fragment", "numbered", "numbered_name", "person", "short", "squeezed", "status", "text",
                 "title", "unit", "wraps_prev")

    def __init__(self, text: str, status_words: dict[str, str] | None):
        self.text = text
        self.status = is_status(text, status_words)
        self.unit = is_unit(text)
        self.person = is_person(text)
        self.fragment = is_unit_fragment(text)
        self.short = is_short(text)
        self.title = is_title_like(text)
        self.numbered = numbered_paragraph(text)
        self.numbered_name = bool(_NUMBERED_NAME.match(text))
        self.squeezed = text.replace(" ", "").replace("\u00a0", "")
        self.bracket = "(" in self.squeezed or "（" in self.squeezed  # ends_like_unit drops bracketed notes
        self.ends_unit = self.squeezed.endswith(_SUFFIXES)  # a cell ending in this line ends like a unit
        self.wraps_prev = False  # _wraps(previous non-empty line, this one); set by ScoreTable

    @property
    def foreign(self) -> bool:  # looks like another column's cell (see _foreign_lines)
        return self.status or self.unit or self.person

    @property
    def kind(self) -> tuple[bool, ...]:
        """The answers ``line_bound`` reads (not the text): lines of one kind share a bound."""
        return (self.status, self.unit, self.person, self.fragment, self.short, self.title, self.numbered_name)

    @classmethod
    def of_kind(cls, kind: tuple[bool, ...]) -> _Line:
        line = cls.__new__(cls)
        line.status, line.unit, line.person, line.fragment, line.short, line.title, line.numbered_name = kind
        return line


# The value of a cell's first line, by role (the rest of the cell is counted by _first_line_run).
_FIRST: dict[str, Callable[[_Line], float]] = {
    "leader": lambda ln: (PERSON_NAME if ln.person else PERSON_IS_UNIT if ln.unit or ln.fragment
                          else PERSON_SHORT if ln.short else PERSON_OTHER),
    "status": lambda ln: STATUS_WORD if ln.status else STATUS_SHORT if ln.short else STATUS_OTHER,
    "remark": lambda ln: REMARK_IS_UNIT if ln.unit else REMARK_TEXT,
    "category": lambda ln: CATEGORY_NUMBERED if ln.numbered_name else CATEGORY_TITLE if ln.title else 0.0,
}
_FIRST["responsible_person"] = _FIRST["leader"]
_PER_EXTRA_LINE = {"leader": EXTRA_LINE_ONE_LINE_CELL, "responsible_person": EXTRA_LINE_ONE_LINE_CELL,
                   "status": EXTRA_LINE_ONE_LINE_CELL, "remark": EXTRA_LINE_REMARK,
                   "category": EXTRA_LINE_CATEGORY}

_Lines = Sequence["_Line | None"]  # None: an empty token
_Table = list[list[float]]  # table[i][k - i - 1]: the cell of lines i .. k - 1


def _empty_only(role: str, n_empty: int) -> float:
    return (EMPTY_TASK if role == "task" else EMPTY_CELL) + EXTRA_EMPTY * (n_empty - 1)


class _Counts:
    """What the tables read of a row's lines, as prefix counts (``x[k]``: over lines ``0 .. k-1``),
    so a cell's score is a few subtractions instead of a walk over its lines."""

    def __init__(self, lines: _Lines):
        n = len(lines)
        self.n = n
        self.body = [0] * (n + 1)  # non-empty lines
        self.foreign = [0] * (n + 1)  # non-empty lines that look like another column's cell
        self.ones = [0] * (n + 1)  # lines numbered 1
        self.unit_points = [0.0] * (n + 1)  # UNIT_LINE / UNIT_FRAGMENT_LINE / UNIT_FOREIGN_LINE
        self.joined = [0] * (n + 1)  # lines whose unit ending may need the cell's lines joined
        self.brackets = [0] * (n + 1)  # lines with an opening bracket
        for q, ln in enumerate(lines):
            self.body[q + 1] = self.body[q] + (ln is not None)
            self.foreign[q + 1] = self.foreign[q] + (ln is not None and ln.foreign)
            self.ones[q + 1] = self.ones[q] + (ln is not None and ln.numbered == 1)
            self.unit_points[q + 1] = self.unit_points[q] + (
                0.0 if ln is None else UNIT_LINE if ln.unit else UNIT_FRAGMENT_LINE if ln.fragment else UNIT_FOREIGN_LINE)
            self.joined[q + 1] = self.joined[q] + (ln is not None and (ln.bracket or len(ln.squeezed) < _TAIL))
            self.brackets[q + 1] = self.brackets[q] + (ln is not None and ln.bracket)
        # first non-empty line / first numbered line at or after q (n: none); last non-empty before k
        self.first = [n] * (n + 1)
        self.first_numbered = [n] * (n + 1)
        for q in range(n - 1, -1, -1):
            ln = lines[q]
            self.first[q] = q if ln is not None else self.first[q + 1]
            self.first_numbered[q] = q if ln is not None and ln.numbered is not None else self.first_numbered[q + 1]
        self.last = [-1] * (n + 1)
        for k in range(1, n + 1):
            self.last[k] = k - 1 if lines[k - 1] is not None else self.last[k - 1]
        # the task table reads the non-empty lines alone: their run of title lines, name wraps
        body = [ln for ln in lines if ln is not None]
        self.titles_from = [0] * (len(body) + 1)
        for c in range(len(body) - 1, -1, -1):
            self.titles_from[c] = self.titles_from[c + 1] + 1 if body[c].title else 0
        self.wraps = [0] * (len(body) + 1)
        for c, ln in enumerate(body):
            self.wraps[c + 1] = self.wraps[c] + ln.wraps_prev


def _empty_cells(role: str, i: int, hi: int) -> list[float]:
    """Cells of empty lines only: lines i .. k - 1 for k = i + 1 .. hi."""
    empty = EMPTY_TASK if role == "task" else EMPTY_CELL
    return [empty + EXTRA_EMPTY * (k - i - 1) for k in range(i + 1, hi + 1)]


def _first_line_table(role: str, lines: _Lines, c: _Counts, window: int) -> _Table:
    """Cells whose score is the first line's value plus a cost per further line."""
    first_of, per_line = _FIRST.get(role), _PER_EXTRA_LINE.get(role, EXTRA_LINE_OTHER)
    body = c.body
    out = []
    for i in range(c.n):
        hi, f, b0 = min(c.n, i + window), c.first[i], c.body[i]
        if f >= hi:
            out.append(_empty_cells(role, i, hi))
            continue
        first = first_of(lines[f]) if first_of is not None else OTHER_CELL  # type: ignore[arg-type]
        out.append((_empty_cells(role, i, f) if f > i else []) + [
            first + per_line * (body[k] - b0 - 1) + EXTRA_EMPTY * (k - i - body[k] + b0) for k in range(f + 1, hi + 1)])
    return out


def _units_table(role: str, lines: _Lines, c: _Counts, window: int) -> _Table:
    body, points, last, joined = c.body, c.unit_points, c.last, c.joined
    out = []
    for i in range(c.n):
        hi, f, b0 = min(c.n, i + window), c.first[i], c.body[i]
        row = _empty_cells(role, i, min(f, hi)) if f > i else []
        for k in range(f + 1, hi + 1):
            ln = lines[last[k]]
            # a cell ends like a unit if its last line does, unless a bracket (notes are dropped,
            # and may span lines) or a short last line ('办)') makes it read the lines joined
            ends = (ln.ends_unit if joined[k] == joined[i] or (not ln.bracket and len(ln.squeezed) >= _TAIL  # type: ignore[union-attr]
                                                               and c.brackets[k] == c.brackets[i])
                    else _joined_ends_like_unit(lines, i, k, c.brackets[k] > c.brackets[i]))
            value = points[k] - points[i] if ends else points[k] - points[i] + UNIT_UNFINISHED
            row.append(value + EXTRA_EMPTY * (k - i - body[k] + b0))
        out.append(row)
    return out


def _joined_ends_like_unit(lines: _Lines, i: int, k: int, bracket: bool) -> bool:
    """Do lines i .. k - 1, joined, end like a unit name? (Without a bracket, only the last
    ``_TAIL`` characters matter: walk back that far.)"""
    if bracket:
        return units.ends_like_unit("".join(ln.squeezed for ln in lines[i:k] if ln is not None))
    tail = ""
    q = k - 1
    while q >= i and len(tail) < _TAIL:
        ln = lines[q]
        if ln is not None:
            tail = ln.squeezed + tail
        q -= 1
    return tail.endswith(_SUFFIXES)


_SUFFIXES = tuple(units.UNIT_SUFFIXES)
_TAIL = max(map(len, _SUFFIXES))


def _task_table(role: str, lines: _Lines, c: _Counts, window: int) -> _Table:
    """Title lines, then one task line; later lines cost, but less if they wrap a name."""
    body, titles_from, wraps_upto = c.body, c.titles_from, c.wraps
    out = []
    for i in range(c.n):
        hi, f, a = min(c.n, i + window), c.first[i], c.body[i]
        row = _empty_cells(role, i, min(f, hi)) if f > i else []
        lead = titles_from[a]
        for k in range(f + 1, hi + 1):
            size = body[k] - a
            titles = lead if lead < size else size - 1
            rest = size - titles
            wraps = wraps_upto[a + size] - wraps_upto[a + titles + 1]
            row.append(TASK_CELL + (TASK_TITLE_BONUS if titles else 0.0) + EXTRA_LINE_TASK * (rest - 1 - wraps)
                       + WRAPPED_NAME_LINE * wraps + EXTRA_EMPTY * (k - i - size))
        out.append(row)
    return out


def _period_target_table(role: str, lines: _Lines, c: _Counts, window: int) -> _Table:
    """One line, or a numbered list that continues (1., 2., …) from the cell's first line."""
    body, foreign = c.body, c.foreign
    out = []
    for i in range(c.n):
        hi, f, b0 = min(c.n, i + window), c.first[i], c.body[i]
        row = _empty_cells(role, i, min(f, hi)) if f > i else []
        if f < hi:
            chained = _list_continues(lines, f, hi)
            f1 = foreign[f + 1]
            for k in range(f + 1, hi + 1):
                size = body[k] - b0
                breaks = size - 1 - chained[k - f - 1]
                # integers until the last term: the order of the additions cannot change a bit
                row.append(PERIOD_TARGET_CELL + FOREIGN_LINE * (foreign[k] - f1) + PERIOD_TARGET_BREAK * breaks
                           + EXTRA_EMPTY * (k - i - size))
        out.append(row)
    return out


def _list_continues(lines: _Lines, f: int, hi: int) -> list[int]:
    """``out[k - f - 1]``: of lines f+1 .. k-1, how many continue line f's numbered list."""
    out = [0]
    prev = lines[f].numbered  # type: ignore[union-attr]
    count = 0
    for q in range(f + 1, hi):
        ln = lines[q]
        if ln is not None and prev is not None and ln.numbered is not None and ln.numbered == prev + 1:
            prev = ln.numbered
            count += 1
        out.append(count)
    return out


def _progress_table(role: str, lines: _Lines, c: _Counts, window: int) -> _Table:
    """Any number of paragraphs; a numbered list that restarts at 1 means a new cell began."""
    body, foreign, ones = c.body, c.foreign, c.ones
    out = []
    for i in range(c.n):
        hi, f, b0, g = min(c.n, i + window), c.first[i], c.body[i], c.first_numbered[i]
        row = _empty_cells(role, i, min(f, hi)) if f > i else []
        if f < hi:
            f1, g1 = foreign[f + 1], ones[min(g + 1, c.n)]
            for k in range(f + 1, hi + 1):
                size = body[k] - b0
                value = PROGRESS_CELL + PROGRESS_PARAGRAPH * size + FOREIGN_LINE * (foreign[k] - f1)
                for _ in range(ones[k] - g1 if k > g else 0):  # lines numbered 1 after the first numbered one
                    value += PROGRESS_LIST_RESTART
                row.append(value + EXTRA_EMPTY * (k - i - size))
        out.append(row)
    return out


_TABLES: dict[str, Callable[[str, _Lines, _Counts, int], _Table]] = {
    "lead_units": _units_table,
    "cooperating_units": _units_table,
    "task": _task_table,
    "period_target": _period_target_table,
    "progress": _progress_table,
}


class ScoreTable:
    """``score_cell(role, tokens[i:k], status_words)`` for every start ``i`` and end
    ``i < k <= min(len(tokens), i + window)``: ``for_role(role)[i][k - i - 1]``."""

    def __init__(self, tokens: Sequence[Token], status_words: dict[str, str] | None, window: int):
        self._lines: list[_Line | None] = [None if t.empty else _Line(t.text, status_words) for t in tokens]
        prev: _Line | None = None
        for ln in self._lines:
            if ln is not None:
                ln.wraps_prev = prev is not None and _wraps(prev.text, ln.text)
                prev = ln
        self._window = window
        self._by_role: dict[tuple[object, ...], _Table] = {}
        self._counts: _Counts | None = None

    def sub_row_bound(self, roles: Sequence[str], gap: float) -> list[float]:
        """``bound[i]``: at most how much more than ``gap`` per column a run of cells of ``roles``
        can score over the lines from ``i`` on (``bound[len(tokens)] == 0``): each line adds the
        most it can add to a cell of any role, as the first line of its cell or not."""
        roles = tuple(roles)
        out = [0.0] * (len(self._lines) + 1)
        for i in range(len(self._lines) - 1, -1, -1):
            ln = self._lines[i]
            out[i] = out[i + 1] + _most_a_line_adds(roles, gap, None if ln is None else ln.kind)
        return out

    def for_role(self, role: str) -> _Table:
        key = _scoring_key(role)  # roles scored alike (lead and cooperating units) share one table
        table = self._by_role.get(key)
        if table is None:
            if self._counts is None:
                self._counts = _Counts(self._lines)
            build = _TABLES.get(role, _first_line_table)
            table = build(role, self._lines, self._counts, self._window) + [[]]
            self._by_role[key] = table
        return table


# --- an upper bound on a cell's score, as a sum over its lines ------------------------------------
# score_cell(role, cell) <= sum of line_bound(role, line, is the cell's first line?) over the cell.
# The aligner uses it to skip continuation sub-rows that cannot beat the row it already has
# (_cells_align.align_row); tests/test_cells_scores.py holds it above score_cell on every cell.
# What a role can earn per line beyond the cell's fixed part (the other parts only lose points):
_PER_LINE_GAIN = {"progress": PROGRESS_PARAGRAPH}  # and unit lines (UNIT_LINE …), by the line
# The most a role's cell can score apart from its per-line gains (task: title bonus included).
_CELL_MAX = {"task": TASK_CELL + TASK_TITLE_BONUS, "period_target": PERIOD_TARGET_CELL, "progress": PROGRESS_CELL,
             "lead_units": 0.0, "cooperating_units": 0.0}


@functools.lru_cache(maxsize=4096)  # keyed by classifier answers, not text: a few hundred kinds
def _most_a_line_adds(roles: tuple[str, ...], gap: float, kind: tuple[bool, ...] | None) -> float:
    line = None if kind is None else _Line.of_kind(kind)
    return max((max(line_bound(r, line, True) - gap, line_bound(r, line, False)) for r in roles), default=0.0)


def line_bound(role: str, line: _Line | None, first: bool) -> float:
    """What one line can add to its cell's score at most. ``first``: the cell's first non-empty
    line (or, in a cell of empty lines only, its first line), which carries the cell's fixed part."""
    if line is None:  # an empty token: only a cell of empty lines scores it, as its first
        return (EMPTY_TASK if role == "task" else EMPTY_CELL) if first else 0.0
    if role in ("lead_units", "cooperating_units"):
        gain = UNIT_LINE if line.unit else UNIT_FRAGMENT_LINE if line.fragment else UNIT_FOREIGN_LINE
    else:
        gain = _PER_LINE_GAIN.get(role) or 0.0
    if not first:
        return gain
    first_of = _FIRST.get(role)
    fixed = first_of(line) if first_of is not None else _CELL_MAX.get(role, OTHER_CELL)
    return fixed + gain


def _scoring_key(role: str) -> tuple[object, ...]:
    """What a role's scores depend on: its run, and for a first-line run its first-line rule and
    per-line cost; every run reads the role itself only as ``role == "task"`` (``_empty_only``)."""
    build = _TABLES.get(role, _first_line_table)
    if build is _first_line_table:
        return (build, _FIRST.get(role), _PER_EXTRA_LINE.get(role, EXTRA_LINE_OTHER), role == "task")
    return (build, role == "task")

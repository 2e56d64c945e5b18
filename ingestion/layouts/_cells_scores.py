"""Per-cell plausibility scores of the cell_lines layout: how much a run of lines looks like one
cell of a column, by the column's role. Each score looks only at the tokens of one cell.

``score_cell`` is the definition, one cell at a time. ``ScoreTable`` gives the same numbers for
every cell of a row at once (each role × start line × up to ``window`` lines), computed
incrementally from classifier answers worked out once per line, so a row costs time linear in its
lines; tests/test_cells_scores.py holds it equal to ``score_cell``, bit for bit, on every cell of
the seeds.
"""

from __future__ import annotations

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

    __slots__ = ("bracket", "fragment", "numbered", "person", "short", "squeezed", "status", "text", "title", "unit",
                 "wraps_prev")

    def __init__(self, text: str, status_words: dict[str, str] | None):
        self.text = text
        self.status = is_status(text, status_words)
        self.unit = is_unit(text)
        self.person = is_person(text)
        self.fragment = is_unit_fragment(text)
        self.short = is_short(text)
        self.title = is_title_like(text)
        self.numbered = numbered_paragraph(text)
        self.squeezed = text.replace(" ", "").replace("\u00a0", "")
        self.bracket = "(" in self.squeezed or "（" in self.squeezed  # ends_like_unit drops bracketed notes
        self.wraps_prev = False  # _wraps(previous non-empty line, this one); set by ScoreTable

    @property
    def foreign(self) -> bool:  # looks like another column's cell (see _foreign_lines)
        return self.status or self.unit or self.person


# The value of a cell's first line, by role (the rest of the cell is counted by _first_line_run).
_FIRST: dict[str, Callable[[_Line], float]] = {
    "leader": lambda ln: (PERSON_NAME if ln.person else PERSON_IS_UNIT if ln.unit or ln.fragment
                          else PERSON_SHORT if ln.short else PERSON_OTHER),
    "status": lambda ln: STATUS_WORD if ln.status else STATUS_SHORT if ln.short else STATUS_OTHER,
    "remark": lambda ln: REMARK_IS_UNIT if ln.unit else REMARK_TEXT,
    "category": lambda ln: (CATEGORY_NUMBERED if _NUMBERED_NAME.match(ln.text)
                            else CATEGORY_TITLE if ln.title else 0.0),
}
_FIRST["responsible_person"] = _FIRST["leader"]
_PER_EXTRA_LINE = {"leader": EXTRA_LINE_ONE_LINE_CELL, "responsible_person": EXTRA_LINE_ONE_LINE_CELL,
                   "status": EXTRA_LINE_ONE_LINE_CELL, "remark": EXTRA_LINE_REMARK,
                   "category": EXTRA_LINE_CATEGORY}

_Lines = Sequence["_Line | None"]  # None: an empty token


def _empty_only(role: str, n_empty: int) -> float:
    return (EMPTY_TASK if role == "task" else EMPTY_CELL) + EXTRA_EMPTY * (n_empty - 1)


def _first_line_run(role: str, lines: _Lines, i: int, hi: int) -> list[float]:
    """Cells whose score is the first line's value plus a cost per further line."""
    first_of, per_line = _FIRST.get(role), _PER_EXTRA_LINE.get(role, EXTRA_LINE_OTHER)
    if all(ln is not None for ln in lines[i:hi]):  # no empty line (the usual row): one comprehension
        first = first_of(lines[i]) if first_of is not None else OTHER_CELL  # type: ignore[arg-type]
        return [first + per_line * (n_body - 1) for n_body in range(1, hi - i + 1)]
    out: list[float] = []
    n_empty = n_body = 0
    first = OTHER_CELL
    for q in range(i, hi):
        ln = lines[q]
        if ln is None:
            n_empty += 1
        else:
            n_body += 1
            if n_body == 1 and first_of is not None:
                first = first_of(ln)
        out.append(_empty_only(role, n_empty) if not n_body
                   else first + per_line * (n_body - 1) + EXTRA_EMPTY * n_empty)
    return out


def _units_run(role: str, lines: _Lines, i: int, hi: int) -> list[float]:
    out: list[float] = []
    n_empty = n_body = 0
    total = 0.0
    parts: list[str] = []  # the cell's lines, squeezed
    tail = ""  # the joined lines' last characters: enough for ends_like_unit without brackets
    bracket = False
    for q in range(i, hi):
        ln = lines[q]
        if ln is None:
            n_empty += 1
        else:
            n_body += 1
            total += UNIT_LINE if ln.unit else UNIT_FRAGMENT_LINE if ln.fragment else UNIT_FOREIGN_LINE
            parts.append(ln.squeezed)
            tail = (tail + ln.squeezed)[-_TAIL:]
            bracket = bracket or ln.bracket
        if not n_body:
            out.append(_empty_only(role, n_empty))
            continue
        ends = units.ends_like_unit("".join(parts)) if bracket else tail.endswith(_SUFFIXES)
        value = total if ends else total + UNIT_UNFINISHED
        out.append(value + EXTRA_EMPTY * n_empty)
    return out


_SUFFIXES = tuple(units.UNIT_SUFFIXES)
_TAIL = max(map(len, _SUFFIXES))


def _task_run(role: str, lines: _Lines, i: int, hi: int) -> list[float]:
    out: list[float] = []
    n_empty = 0
    body: list[_Line] = []
    lead = 0  # leading title-like lines
    wraps_upto = [0]  # wraps_upto[k]: lines 1..k of the body that wrap a name from the line before
    for q in range(i, hi):
        ln = lines[q]
        if ln is None:
            n_empty += 1
        else:
            if body:  # body[-1] is the line before ln that is not empty
                wraps_upto.append(wraps_upto[-1] + ln.wraps_prev)
            if lead == len(body) and ln.title:
                lead += 1
            body.append(ln)
        if not body:
            out.append(_empty_only(role, n_empty))
            continue
        size = len(body)
        titles = min(lead, size - 1)
        rest = size - titles
        wraps = wraps_upto[size - 1] - wraps_upto[titles]
        value = (TASK_CELL + (TASK_TITLE_BONUS if titles else 0.0) + EXTRA_LINE_TASK * (rest - 1 - wraps)
                 + WRAPPED_NAME_LINE * wraps)
        out.append(value + EXTRA_EMPTY * n_empty)
    return out


def _period_target_run(role: str, lines: _Lines, i: int, hi: int) -> list[float]:
    out: list[float] = []
    n_empty = n_body = foreign = 0
    prev: int | None = None
    breaks = 0
    for q in range(i, hi):
        ln = lines[q]
        if ln is None:
            n_empty += 1
        else:
            n_body += 1
            if n_body == 1:
                prev = ln.numbered
            else:
                foreign += ln.foreign
                if ln.numbered is not None and prev is not None and ln.numbered == prev + 1:
                    prev = ln.numbered
                else:
                    breaks += 1
        if not n_body:
            out.append(_empty_only(role, n_empty))
            continue
        value = PERIOD_TARGET_CELL + FOREIGN_LINE * foreign
        for _ in range(breaks):
            value += PERIOD_TARGET_BREAK
        out.append(value + EXTRA_EMPTY * n_empty)
    return out


def _progress_run(role: str, lines: _Lines, i: int, hi: int) -> list[float]:
    out: list[float] = []
    n_empty = n_body = foreign = restarts = 0
    seen_number = False
    for q in range(i, hi):
        ln = lines[q]
        if ln is None:
            n_empty += 1
        else:
            n_body += 1
            if n_body > 1:
                foreign += ln.foreign
            if ln.numbered is not None:
                if seen_number and ln.numbered == 1:
                    restarts += 1
                seen_number = True
        if not n_body:
            out.append(_empty_only(role, n_empty))
            continue
        value = PROGRESS_CELL + PROGRESS_PARAGRAPH * n_body + FOREIGN_LINE * foreign
        for _ in range(restarts):
            value += PROGRESS_LIST_RESTART
        out.append(value + EXTRA_EMPTY * n_empty)
    return out


_RUNS: dict[str, Callable[[str, _Lines, int, int], list[float]]] = {
    "lead_units": _units_run,
    "cooperating_units": _units_run,
    "task": _task_run,
    "period_target": _period_target_run,
    "progress": _progress_run,
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
        self._by_role: dict[tuple[object, ...], list[list[float]]] = {}

    def for_role(self, role: str) -> list[list[float]]:
        key = _scoring_key(role)  # roles scored alike (lead and cooperating units) share one table
        table = self._by_role.get(key)
        if table is None:
            run = _RUNS.get(role, _first_line_run)
            n = len(self._lines)
            table = [run(role, self._lines, i, min(n, i + self._window)) for i in range(n)] + [[]]
            self._by_role[key] = table
        return table


def _scoring_key(role: str) -> tuple[object, ...]:
    """What a role's scores depend on: its run, and for a first-line run its first-line rule and
    per-line cost; every run reads the role itself only as ``role == "task"`` (``_empty_only``)."""
    run = _RUNS.get(role, _first_line_run)
    if run is _first_line_run:
        return (run, _FIRST.get(role), _PER_EXTRA_LINE.get(role, EXTRA_LINE_OTHER), role == "task")
    return (run, role == "task")

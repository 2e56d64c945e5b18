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

from collections.abc import Sequence
from dataclasses import dataclass

from ingestion.layouts._cells_scores import (
    _FRAGMENT_LINE,
    MISSING,
    TARGET_FRAGMENT,
    ScoreTable,
    score_cell,
)
from ingestion.layouts._cells_tokens import Token, is_title_like

# A continuation sub-row without a line for a column: usually a cell merged with the one above
# (the same leader, the same cooperating units), so a gap there is less surprising.
MISSING_MERGED = -1.0
SUB_ROW = -5.0  # opening a continuation sub-row: rare, needs clear evidence
NEG = -1e9
# Longest cell considered (lines). Real cells have < 20; the cap keeps a runaway row (a 序号 the
# parser missed) from making the segmentation cubic.
MAX_CELL_LINES = 60
_ROUNDING = 1e-6  # far above float error in a row's score sums, far below any score step
MAX_TABLE_CELL_LINES = 30  # the same for align_table, which runs over a whole table body


# Roles that belong to the task as a whole and are not repeated by a continuation sub-row.
TASK_LEVEL_ROLES = ("seq", "category", "task")


@dataclass
class Cell:
    role: str
    tokens: list[Token]

    @property
    def body(self) -> list[Token]:
        return [t for t in self.tokens if not t.empty]



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

    Time is linear in the row's lines: every cell score (each role × start line × up to
    ``MAX_CELL_LINES`` lines) is computed once, incrementally (``_cells_scores``), and the
    segmentation visits each (column, start, end) once, of the continuation sub-rows only those
    that could still win.
    """
    sub_roles = [r for r in roles if r not in TASK_LEVEL_ROLES]
    n_blocks = max_sub_rows if sub_roles else 0
    program = list(roles) + sub_roles * n_blocks
    n, m = len(tokens), len(program)
    table = ScoreTable(tokens, status_words, MAX_CELL_LINES)
    best = [[NEG] * (n + 1) for _ in range(m + 1)]
    back = [[0] * (n + 1) for _ in range(m + 1)]
    best[0][0] = 0.0
    _columns(best, back, table, program, 0, len(roles), MISSING)
    ends = [len(roles)]  # program positions where a row may end: after the row, after each sub-row
    bound: list[float] | None = None
    for _ in range(n_blocks):
        j0 = ends[-1]
        # Open another continuation sub-row only if it could beat the best row so far: it costs
        # SUB_ROW and a gap per column, and its cells can earn at most `bound` over the lines left.
        # Skipping it changes nothing (the end chosen below is the best one, ties included; the
        # margin covers rounding in the float sums).
        if bound is None:
            bound = table.sub_row_bound(sub_roles, MISSING_MERGED)
        ceiling = SUB_ROW + MISSING_MERGED * len(sub_roles) + _ROUNDING
        so_far = max(best[e][n] for e in ends)
        if all(v == NEG or v + ceiling + bound[i] < so_far for i, v in enumerate(best[j0])):
            break
        _columns(best, back, table, program, j0, j0 + len(sub_roles), MISSING_MERGED, opens_sub_row=True)
        ends.append(j0 + len(sub_roles))
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


def _columns(best: list[list[float]], back: list[list[int]], table: ScoreTable, program: Sequence[str],
             lo: int, hi: int, gap: float, opens_sub_row: bool = False) -> None:
    """Extend the segmentation over program columns ``lo .. hi - 1`` (``best[lo]`` is known): the
    best score of the first ``j`` columns ending before token ``k`` in ``best[j][k]``, and where
    column ``j``'s cell began in ``back[j][k]`` (first best kept)."""
    n = len(best[0]) - 1
    for j in range(lo, hi):
        penalty = SUB_ROW if opens_sub_row and j == lo else 0.0
        scores = table.for_role(program[j])
        cur, nxt, bk = best[j], best[j + 1], back[j + 1]
        for i in range(n + 1):
            if cur[i] == NEG:
                continue
            base = cur[i] + penalty
            # k == i: the column has no line; k > i: the cell tokens[i:k], scores[i][k - i - 1]
            s = base + gap
            if s > nxt[i]:
                nxt[i] = s
                bk[i] = i
            k = i
            for sc in scores[i]:
                k += 1
                s = base + sc
                if s > nxt[k]:
                    nxt[k] = s
                    bk[k] = i


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

"""Steps every text layout shares, run around the layout parser (``ingestion.parse``):

* **comment lines** (``options.comment_prefix``, e.g. ``"# "``): lines a person added to a saved
  page to record where it came from. The parser never sees them (they are blanked); afterwards
  they are furniture ``metadata``, never items.
* **one bulletin of several in a file** (``options.line_range: [first, last]``): the other
  lines are furniture ``other_bulletin`` (register the file once per bulletin).
* **a cut last row**: an excerpt or a page saved before it finished loading ends inside its last
  row. When the file's last non-blank line belongs to the last row and does not end the way a
  complete cell ends (sentence punctuation, a closing quote or bracket, the cell delimiter, a unit
  name or a status word), the row is flagged ``truncated_row``; a quarantined last line gets
  "cut off" added to its reason. ``options.last_row_cut: true|false`` overrides the guess.
* **labels inside a progress cell** (``进展情况:… 下步打算:…``): the progress keeps what follows
  its own label; a plan or problem label and its text move to ``remark`` (flag
  ``progress_inline_labels``), so plans are not read as progress.
* **a 序号 inside the task name** (``3、…``) of a table with no 序号 column, when they count up.
* **stated totals in prose** (``ingestion.layouts.totals``) when the layout found none itself.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ingestion.errors import LayoutError
from ingestion.model import FurnitureLine, ParseResult

if TYPE_CHECKING:
    from ingestion.registry import SourceSpec

TRUNCATED = "truncated_row"

# How a complete line ends: sentence end, closing quote/bracket, a cell delimiter, a percent.
_MAX_CELL_LINE = 30  # a unit or status cell is short; a longer line is prose
_COMPLETE_END = re.compile(r"[。!?!?;;::”\"’』」))\]】|》%]\s*$")


def comment_prefix(spec: SourceSpec) -> str | None:
    p = spec.options.get("comment_prefix")
    return str(p) if p else None


def line_range(spec: SourceSpec, total: int, name: str | None = None) -> tuple[int, int]:
    """``options.line_range: [first, last]`` (1-based, inclusive): the lines of this bulletin when
    one file holds several; the default is the whole file."""
    r = spec.options.get("line_range")
    if not r:
        return 1, total
    if not (isinstance(r, list) and len(r) == 2 and all(isinstance(x, int) and x >= 1 for x in r) and r[0] <= r[1]):
        raise LayoutError(f"options.line_range must be [first, last] line numbers, got {r!r}", file=name)
    return r[0], min(r[1], total)


def mask_lines(lines: list[str], spec: SourceSpec, name: str | None = None) -> tuple[list[str], dict[int, str]]:
    """Blank the lines the parser must not read (comment lines, lines of another bulletin);
    returns the lines and {line number: the furniture kind it becomes}."""
    prefix = comment_prefix(spec)
    first, last = line_range(spec, len(lines), name)
    out: list[str] = []
    masked: dict[int, str] = {}
    for n, ln in enumerate(lines, 1):
        if not first <= n <= last and ln.strip():
            masked[n] = "other_bulletin"
        elif prefix and ln.lstrip().startswith(prefix):
            masked[n] = "metadata"
        out.append("" if n in masked else ln)
    return out, masked


def restore_masked(result: ParseResult, lines: list[str], masked: dict[int, str]) -> None:
    """The blank furniture a parser recorded for a masked line becomes its real kind and text."""
    if not masked:
        return
    result.furniture = [f for f in result.furniture if f.line_no not in masked]
    result.quarantine = [q for q in result.quarantine if q.line_no not in masked]
    row_lines = {n for r in result.rows for n in range(r.line_start, r.line_end + 1)}
    for n, kind in masked.items():
        if n not in row_lines:
            result.furniture.append(FurnitureLine(n, lines[n - 1], kind))
    result.furniture.sort(key=lambda f: f.line_no)


def line_looks_complete(text: str) -> bool:
    """Does a line end the way a complete cell or sentence ends?"""
    from ingestion import units
    from ingestion.layouts._cells_tokens import is_status

    t = text.strip()
    if not t:
        return True
    if _COMPLETE_END.search(t):
        return True
    if len(t) > _MAX_CELL_LINE:
        # prose that stops without punctuation was cut, unless it ends in a cell of its own (a
        # flattened table's last unit name: '… 区住建局')
        m = re.search(r"\s(\S{2,15})$", t)
        if m is None:
            return False
        cell = m.group(1)
        return (units.looks_like_unit(cell) and cell.startswith(units.UNIT_PREFIXES)) or is_status(cell)
    last = re.split(r"[\s、,,]+", t)[-1]
    return units.ends_like_unit(last) or is_status(last)


def flag_cut_last_row(result: ParseResult, lines: list[str], spec: SourceSpec) -> None:
    """Flag (or mark in quarantine) the row the file ends inside; see the module docstring."""
    forced = spec.options.get("last_row_cut")
    last = max((n for n, ln in enumerate(lines, 1) if ln.strip()), default=None)  # masked lines are blank
    if last is None or forced is False:
        return
    if forced is not True and line_looks_complete(lines[last - 1]):
        return
    for r in reversed(result.rows):  # the last row printed on that line
        if r.line_start <= last <= r.line_end and TRUNCATED not in r.flags:
            r.flags.append(TRUNCATED)
            return
    for q in result.quarantine:
        if q.line_no == last and "cut off" not in q.reason:
            q.reason += "; the file ends inside it (cut off)"
            return


def add_prose_totals(result: ParseResult, lines: list[str], spec: SourceSpec) -> None:
    """Stated totals from the prose of a bulletin (summary paragraphs, headings, quarantined text),
    when the layout parser found none. Lines inside numbered items are not read: their counts are
    the item's own sub-totals ('10项重点任务中,2项…')."""
    if result.stated_totals:
        return
    from ingestion.layouts.totals import totals_in_text

    item_lines = {
        n
        for r in result.rows
        if "narrative_paragraph" not in r.flags and "listed_item" not in r.flags
        for n in range(r.line_start, r.line_end + 1)
    }
    # the heading line of a heading + paragraph row names the work (a target), it states no total
    item_lines |= {r.line_start for r in result.rows if "heading_and_paragraph" in r.flags and r.line_end > r.line_start}
    metadata = {f.line_no for f in result.furniture if f.kind in ("metadata", "header", "filler")}
    for n, ln in enumerate(lines, 1):
        if n in item_lines or n in metadata or not ln.strip():
            continue
        result.stated_totals.extend(totals_in_text(ln, n, spec.status_words))
    # a heading printed with its items on one line ('五、…不能全部完成的任务有3项。一是…')
    done = {t.line_no for t in result.stated_totals}
    for r in result.rows:
        if r.category and r.line_start not in done and "narrative_item" in r.flags:
            title = r.category.split(" / ")[-1]
            if title in lines[r.line_start - 1]:
                result.stated_totals.extend(totals_in_text(title, r.line_start, spec.status_words))
                done.add(r.line_start)


# A label inside a progress cell: its own (进展情况:) or one that starts plans / problems.
_PROGRESS_LABEL = re.compile(r"(?:^|(?<=[\s。;;]))(进展情况|完成情况|工作进展|推进情况)[::]")
_OTHER_LABEL = re.compile(
    r"(?:^|(?<=[\s。;;]))((?:下一?步(?:工作)?(?:打算|计划|安排|措施|工作)|存在(?:的)?问题(?:及(?:原因|建议))?|困难和问题|工作打算))[::]"
)


def split_progress_labels(result: ParseResult) -> None:
    """See the module docstring; rows without such labels are untouched."""
    for r in result.rows:
        text = r.progress_text
        if not text:
            continue
        m = _OTHER_LABEL.search(text)
        own = _PROGRESS_LABEL.match(text.strip())
        if not m and not own:
            continue
        progress, rest = (text[: m.start()], text[m.start() :]) if m else (text, "")
        if own:
            progress = progress.strip()[own.end() - own.start() :]
        r.progress_text = progress.strip() or None
        if rest.strip():
            r.remark = rest.strip() if not r.remark else r.remark + "\n" + rest.strip()
        if "progress_inline_labels" not in r.flags:
            r.flags.append("progress_inline_labels")


# '3、一般公共预算收入…': the 序号 printed inside the name of a table without a 序号 column
_SEQ_IN_NAME = re.compile(r"^\s*(\d{1,3})[、.．](?!\d)")


def seq_from_task_names(result: ParseResult) -> None:
    """A table with no 序号 whose task names carry numbers that count up (1、 2、 3、 …) takes them as
    its 序号 (flag ``seq_in_task``); any other numbering is left alone."""
    tables: dict[int, list] = {}
    for r in result.rows:
        tables.setdefault(r.table_no, []).append(r)
    for rows in tables.values():
        if len(rows) < 2 or any(r.task_seq is not None for r in rows):
            continue
        nums = [_SEQ_IN_NAME.match(r.task_text or "") for r in rows]
        values = [int(m.group(1)) for m in nums if m is not None]
        if len(values) != len(rows):
            continue
        if all(b == a + 1 for a, b in zip(values, values[1:], strict=False)):
            for r, v in zip(rows, values, strict=True):
                r.task_seq = v
                r.flags.append("seq_in_task")


def finish(result: ParseResult, lines: list[str], printed: list[str], masked: dict[int, str], spec: SourceSpec) -> None:
    """Every step above, in order, after the layout parser ran on ``lines`` (the parser's view:
    masked, Simplified); ``printed`` are the file's lines as printed."""
    from ingestion.layouts.listed import add_listed_rows

    restore_masked(result, printed, masked)
    add_listed_rows(result, lines, spec)
    flag_cut_last_row(result, lines, spec)
    split_progress_labels(result)
    seq_from_task_names(result)
    add_prose_totals(result, lines, spec)

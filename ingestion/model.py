"""What a parser produces: task rows, recognised furniture, quarantined lines, stated totals.

Every parser works on a list of text lines (1-based line numbers refer to the raw file) and
records what happened to each line in a ``LineLedger``. A line ends up in exactly one of:

* a task row's span (``TaskRow.line_start``..``line_end``),
* furniture: a recognised header, title, section heading, page boilerplate or blank line,
* quarantine: kept with a reason, so nothing vanishes silently.

``ParseResult.coverage()`` proves that every line is accounted for.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

# The status enum of the mart contract: what every printed status word and every inference maps to.
# dbt (dbt_project.yml vars.statuses) and the GX suites check against it (tests/test_vocabularies.py).
STATUS_ENUM = ("completed", "ahead", "on_track", "behind", "not_applicable", "unknown")
# How the mart's status was decided (dbt int_task_status): printed, inferred from the text, neither.
STATUS_METHODS = ("reported", "inferred", "none")
# How sure an inferred status is (mart status_confidence): a figure against its target or the
# author's own verdict, a phrase, a period-aware default reading (ingestion.normalize.status).
STATUS_CONFIDENCE = ("high", "medium", "low")

# Canonical column roles. Header names map onto these (see ingestion/columns.py).
ROLES = (
    "seq",  # 序号
    "category",  # 分类 / a category title
    "task",  # 重点工作 / 年度目标 / 目标与任务
    "leader",  # 分管领导
    "lead_units",  # 牵头单位 / 牵头责任单位
    "responsible_person",  # 责任人
    "cooperating_units",  # 配合单位 / 责任单位
    "period_target",  # 季度目标 / 进度安排
    "progress",  # 完成情况 / 进展情况 / 落实情况
    "status",  # 完成状况 / 是否达序
    "remark",  # 备注
)

# Furniture kinds: lines that are recognised but carry no task content.
FURNITURE_KINDS = (
    "blank",  # empty or whitespace-only
    "title",  # document title, attachment captions
    "metadata",  # 发布时间, 信息来源, 浏览次数 … page chrome
    "header",  # the table header cells
    "section_heading",  # 一、/(一) headings that become a row's category
    "preamble",  # narrative paragraphs before/after a table (summary, requirements, signature)
    "filler",  # layout filler such as a lone '|' line
    "other_bulletin",  # lines of another bulletin saved in the same file (outside options.line_range)
)


# Row flags: what a parser or reader says about a row (``TaskRow.flags``, the mart's ``flags``).
# Every flag raised anywhere is listed here (tests/test_vocabularies.py checks the code and the
# seeds against it); a flag ending in '_' or ':' takes a column role after it.
FLAGS: dict[str, str] = {
    # cells and columns (grid mapper, cell_lines)
    "inherited_": "a rowspanned cell of this role, copied from the row above (inherited_lead_units …)",
    "missing_": "no cell of this role and nothing above to inherit it from",
    "no_cell:": "cell_lines: the header has this column but the row printed no cell for it",
    "inherited_task": "cell_lines: a continuation sub-row carrying its parent's task text",
    "extra_cells": "more cells than header columns; the surplus is joined into the last column",
    "short_row": "fewer cells than header columns, more than rowspans explain",
    "unmapped_column": "a column with no known role; its text is kept in remark under its header",
    "merged_cell": "reader: a cell merged down from the row above (HTML rowspan, xlsx/docx merges)",
    "split_across_pages": "reader (PDF): a row continued on the next page, joined",
    "labelled_cells": "labelled layout: cells came from labels (【完成情况】…), not columns",
    # 序号
    "seq_blank": "the 序号 cell is empty",
    "seq_not_integer": "the 序号 cell is not a number (kept in remark)",
    "seq_gap": "the 序号 skips numbers (followed up to cell_lines.MAX_SEQ_GAP)",
    "seq_missing": "labelled layout: an item without a number",
    "seq_not_clean": "narrative: item numbers do not count up cleanly, so task_seq is None",
    # narrative
    "narrative_item": "narrative: a numbered work item",
    "narrative_paragraph": "narrative: a paragraph opening with a heading sentence",
    "fragment_start": "narrative: text before the first marker, the tail of an item cut off before it",
    "no_section_context": "narrative: no chapter says whether this is progress, plan or problem",
    "forward_plan": "narrative: under a plan chapter; text in remark, not progress",
    "problem_statement": "narrative: a problem or shortcoming; text in remark, not progress",
    "masked_figures": "figures printed masked (xx, ***), never read as numbers",
    "figures_missing": "figures deleted outright (共个, 约万元)",
    "heading_and_paragraph": "narrative: a heading line (the task) and the paragraph after it (its progress)",
    "status_from_heading": "narrative: status_reported is the word of the list heading above ('…未达序时的任务分别为:')",
    # issue #12 shapes (layouts/finishing.py, listed.py, row_fit.py, labelled.py, run_together.py)
    "truncated_row": "the file ends inside this row (an excerpt or a page cut off): not complete",
    "listed_item": "options.listed_items: a task named in a list inside a sentence (A、B、C等…<status>)",
    "status_from_list": "status_reported is the word the sentence listing this task gives it",
    "short_row_by_content": "fewer cells than columns: which are missing decided by the cells' content, not position",
    "short_row_unfit": "fewer cells than columns and no column order fits their content (the row is quarantined)",
    "missing_seq": "the row prints no 序号 cell at all",
    "continuation_row": "a row with no 序号 cell under a numbered row: a sub-row of that task",
    "person_in_unit_cell": "a unit cell also names a person ('市民政局 张某某'); the person is in responsible_person",
    "inline_labels": "labelled layout: fields in parentheses on the task line ('(责任单位:区发改局)')",
    "lead_from_text": "labelled layout: no unit cell; the lead unit is the one the text says leads ('X牵头')",
    "progress_inline_labels": "the progress cell had its own labels ('下步打算:'); plans/problems moved to remark",
    "seq_in_task": "no 序号 column: the 序号 is the number printed in the task name ('3、…'), counting up",
    "cells_inferred": "run_together: cell boundaries inferred from header names and content (no delimiter)",
    "cells_not_split": "run_together: more than two text columns; the later ones stay in the last",
}


def is_known_flag(flag: str) -> bool:
    if flag in FLAGS:
        return True
    return any(flag.startswith(p) and flag[len(p):] in ROLES for p in FLAGS if p.endswith(("_", ":")))


@dataclass
class TaskRow:
    """One printed task row (or continuation sub-row) of one table, cells by canonical role."""

    table_no: int
    row_no: int  # 1-based order of the row within its table, as printed
    task_seq: int | None  # the printed 序号; None when the table has no 序号 column
    sub_seq: int  # 1 for the row carrying the 序号, 2… for continuation rows
    line_start: int
    line_end: int
    category: str | None = None
    task_text: str | None = None
    period_target: str | None = None
    progress_text: str | None = None
    lead_units: list[str] = field(default_factory=list)
    cooperating_units: list[str] = field(default_factory=list)
    leader: str | None = None
    responsible_person: str | None = None
    status_reported: str | None = None
    remark: str | None = None
    # Cells as printed (before splitting units), for audit and re-parsing.
    lead_units_raw: str | None = None
    cooperating_units_raw: str | None = None
    # What a parser raises about this row, e.g. 'inherited_lead_units', 'masked_figures',
    # 'narrative_item': one of FLAGS.
    flags: list[str] = field(default_factory=list)


@dataclass
class StatedTotal:
    """A figure the bulletin states about itself, e.g. '分解成155小项,其中完成的工作有93项'."""

    metric: str  # 'rows', 'tasks', 'completed', 'on_track', 'behind'
    value: int
    line_no: int
    text: str
    table_no: int | None = None


@dataclass
class QuarantinedLine:
    line_no: int
    text: str
    reason: str


@dataclass
class FurnitureLine:
    line_no: int
    text: str
    kind: str


@dataclass
class SourceIssue:
    """A source-level fact a person must know, e.g. 'no jurisdiction stated'."""

    code: str
    message: str


class LineLedger:
    """Records the disposition of every line. Parsers call it; ``finish`` closes the books."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        self._disposition: dict[int, str] = {}
        self.furniture: list[FurnitureLine] = []
        self.quarantine: list[QuarantinedLine] = []

    def _claim(self, line_no: int, what: str) -> None:
        prev = self._disposition.get(line_no)
        if prev is not None and prev != what:
            raise ValueError(f"line {line_no} claimed twice: {prev} and {what}")
        self._disposition[line_no] = what

    def text(self, line_no: int) -> str:
        return self.lines[line_no - 1]

    def claimed(self, line_no: int) -> bool:
        return line_no in self._disposition

    def row(self, line_nos: Iterable[int]) -> None:
        for n in line_nos:
            self._claim(n, "row")

    def add_furniture(self, line_no: int, kind: str) -> None:
        if kind not in FURNITURE_KINDS:
            raise ValueError(f"unknown furniture kind {kind!r}")
        self._claim(line_no, "furniture")
        self.furniture.append(FurnitureLine(line_no, self.text(line_no), kind))

    def add_quarantine(self, line_no: int, reason: str) -> None:
        self._claim(line_no, "quarantine")
        self.quarantine.append(QuarantinedLine(line_no, self.text(line_no), reason))

    def finish(self) -> None:
        """Blank lines nobody claimed are furniture; anything else unclaimed is quarantined."""
        for n in range(1, len(self.lines) + 1):
            if n in self._disposition:
                continue
            if not self.lines[n - 1].strip():
                self.add_furniture(n, "blank")
            else:
                self.add_quarantine(n, "not recognised by the layout parser")
        self.furniture.sort(key=lambda f: f.line_no)
        self.quarantine.sort(key=lambda q: q.line_no)

    def counts(self) -> dict[str, int]:
        out = {"row": 0, "furniture": 0, "quarantine": 0}
        for what in self._disposition.values():
            out[what] += 1
        return out


@dataclass
class Coverage:
    total_lines: int
    row_lines: int
    furniture_lines: int
    quarantined_lines: int

    @property
    def accounted(self) -> int:
        return self.row_lines + self.furniture_lines + self.quarantined_lines

    @property
    def complete(self) -> bool:
        return self.accounted == self.total_lines


@dataclass
class ParseResult:
    layout: str
    total_lines: int
    rows: list[TaskRow]
    furniture: list[FurnitureLine]
    quarantine: list[QuarantinedLine]
    stated_totals: list[StatedTotal] = field(default_factory=list)
    issues: list[SourceIssue] = field(default_factory=list)
    # table_no -> the header cells as printed, and the role each was given
    headers: dict[int, list[tuple[str, str]]] = field(default_factory=dict)

    @classmethod
    def from_ledger(cls, layout: str, ledger: LineLedger, rows: list[TaskRow], **kw) -> ParseResult:
        ledger.finish()
        return cls(
            layout=layout,
            total_lines=len(ledger.lines),
            rows=rows,
            furniture=ledger.furniture,
            quarantine=ledger.quarantine,
            **kw,
        )

    def coverage(self) -> Coverage:
        row_lines: set[int] = set()
        for r in self.rows:
            row_lines.update(range(r.line_start, r.line_end + 1))
        furn = {f.line_no for f in self.furniture}
        quar = {q.line_no for q in self.quarantine}
        # A row span may include blank separator lines that are also recorded as furniture;
        # count each line once, rows first.
        furn -= row_lines
        quar -= row_lines
        return Coverage(self.total_lines, len(row_lines), len(furn), len(quar))

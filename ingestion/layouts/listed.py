"""Tasks a bulletin names in a list inside a sentence, each with the status the sentence gives
them (``options.listed_items: true``; any text layout):

* ``A、B、C等(N个子项目)<status>``: ``洋西溪整治工程、…、停车场改造工程等5个子项目已完成任务``;
* ``…<status>N项,(分别)为 A、B、C``: the list after a clause that counts a status;
* quoted items ``“A”,“B”`` in a sentence that counts a status: ``已经完成…共计19项。主要是“A”,“B”等``.

A status is a word of the shared vocabulary or of the source's ``status_words`` (``完成情况不够理想:
behind``); a list needs at least ``MIN_ITEMS`` names (a pair split by 、 is too often one name).
Each name becomes a row flagged ``listed_item`` with the word as ``status_reported``; the
sentence's other text stays in the source file only. Opt-in because a summary sentence with a
list is common in bulletins whose table already has the rows.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ingestion.layouts.totals import PINYIN_GLOSS, _status_in, _words, list_status_word
from ingestion.model import ParseResult, TaskRow

if TYPE_CHECKING:
    from ingestion.registry import SourceSpec

MIN_ITEMS = 3
_CLAUSE = re.compile(r"[,,;;。!?!?]")
_QUOTED = re.compile(r"[“\"]([^”\"]{4,80})[”\"]")
_LIST_AFTER = re.compile(r"^(?:分别|主要|具体)?(?:为|是|有|包括)[::]?")
MAX_ITEM = 40


def _clauses(text: str) -> list[str]:
    # a clause boundary never falls inside quotes
    out: list[str] = []
    cur: list[str] = []
    depth = 0
    for ch in text:
        if ch in "“":
            depth += 1
        elif ch in "”" and depth:
            depth -= 1
        if depth == 0 and _CLAUSE.match(ch):
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out


def _names(text: str) -> list[str]:
    names = [n.strip() for n in text.split("、")]
    return names if len(names) >= MIN_ITEMS and all(0 < len(n) <= MAX_ITEM for n in names) else []


def listed_items(text: str, status_words: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(name, status word as printed) for every listed task in one line of prose."""
    text = PINYIN_GLOSS.sub("", text)
    words = _words(status_words)
    out: list[tuple[str, str]] = []
    clauses = _clauses(text)
    prev_word: str | None = None
    for clause in clauses:
        c = clause.strip()
        if not c:
            continue
        # 'A、B、C等…<status>'
        k = c.find("等")
        if k > 0:
            hit = _status_in(c[k + 1 :], words, last=True)
            names = _names(c[:k])
            if hit and names:
                out.extend((n, hit[2]) for n in names)
                prev_word = None
                continue
        # '…<status>N项,为 A、B、C'
        m = _LIST_AFTER.match(c)
        if m and prev_word:
            names = _names(c[m.end() :])
            if names:
                out.extend((n, prev_word) for n in names)
                continue
        prev_word = list_status_word(c, status_words)
    # quoted items in a sentence that counts a status
    if not out:
        word = None
        for sentence in re.split(r"(?<=[。;;])", text):
            word = list_status_word(sentence, status_words) or word
            quoted = _QUOTED.findall(sentence)
            if word and len(quoted) >= 2:
                out.extend((q.strip(), word) for q in quoted)
    return out


def add_listed_rows(result: ParseResult, lines: list[str], spec: SourceSpec) -> None:
    """Rows for listed tasks on prose lines (quarantined, preamble, or paragraph rows); a paragraph
    row on such a line is replaced by the listed rows."""
    if not spec.options.get("listed_items"):
        return
    item_lines = {n for r in result.rows if "narrative_paragraph" not in r.flags
                  for n in range(r.line_start, r.line_end + 1)}
    chrome = {f.line_no for f in result.furniture if f.kind in ("metadata", "header", "filler", "other_bulletin")}
    table_no = max((r.table_no for r in result.rows), default=0)
    new_rows: list[TaskRow] = []
    for n, ln in enumerate(lines, 1):
        if n in item_lines or n in chrome or not ln.strip():
            continue
        items = listed_items(ln, spec.status_words)
        if not items:
            continue
        table_no += 1
        for k, (name, word) in enumerate(items, 1):
            new_rows.append(TaskRow(table_no=table_no, row_no=k, task_seq=None, sub_seq=1, line_start=n,
                                    line_end=n, task_text=name, status_reported=word,
                                    flags=["listed_item", "status_from_list"]))
    if not new_rows:
        return
    listed_lines = {r.line_start for r in new_rows}
    result.rows = [r for r in result.rows if not (r.line_start in listed_lines and r.line_end in listed_lines
                                                 and "narrative_paragraph" in r.flags)]
    result.rows.extend(new_rows)
    result.rows.sort(key=lambda r: (r.line_start, r.table_no, r.row_no))
    result.furniture = [f for f in result.furniture if f.line_no not in listed_lines]
    result.quarantine = [q for q in result.quarantine if q.line_no not in listed_lines]

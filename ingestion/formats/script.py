"""Traditional-character bulletins: a Simplified *matching view*, original text in the cells.

Every recogniser in the project (header names in ``columns``, unit suffixes in ``units``, status
words, section headings) is written in Simplified characters. A bulletin printed in Traditional
characters (序號 / 重點工作 / 牽頭單位 / 序時推進 …) is therefore parsed in two steps, in this one
place, for the text layouts and the document formats alike:

1. ``MatchingView``: every line (or cell) is converted with OpenCC ``t2s``. The conversion is kept
   **length-preserving** (a line whose phrase conversion would change its length is converted
   character by character), so character *i* of the Simplified view is character *i* of the
   original. The parser runs on the Simplified view: detection, header roles, unit splitting,
   section headings all work unchanged.
2. ``Restorer.restore_result``: every text the parser put into a ``TaskRow`` (task, progress,
   status, unit names, raw unit cells, remark, category …), the header cells, furniture and
   quarantine lines are mapped back to the characters *as printed*, by locating the value in the
   Simplified text of the row's own line span (then anywhere in the document, then character by
   character). So ``task_text`` keeps '重點工作…', ``status_reported`` keeps '序時推進', unit names
   keep '區發改委'; the status vocabulary (``normalize.vocabulary.clean``) converts to Simplified
   itself when it maps status words.

The source gets a ``SourceIssue('traditional_script', …)`` so a person knows. Detection: at least
``MIN_CHANGED`` CJK characters and ``MIN_SHARE`` of them change under t2s; ``spec.options['script']``
('traditional' / 'simplified') overrides.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import overload

from opencc import OpenCC

from ingestion.model import ParseResult, SourceIssue, TaskRow

MIN_CHANGED = 3
MIN_SHARE = 0.08
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


@lru_cache(maxsize=1)
def _converter() -> OpenCC:
    return OpenCC("t2s")


def t2s(text: str) -> str:
    """OpenCC Traditional -> Simplified (may change the length; ``simplify`` keeps it). The one
    converter of the package: the status vocabulary's matching key uses it too."""
    return _converter().convert(text)


@lru_cache(maxsize=20000)
def _char(ch: str) -> str:
    out = _converter().convert(ch)
    return out if len(out) == 1 else ch


def simplify(text: str) -> str:
    """Length-preserving Traditional -> Simplified conversion of one string."""
    if not text or not _CJK.search(text):
        return text
    out = _converter().convert(text)
    if len(out) == len(text):
        return out
    return "".join(_char(c) for c in text)


def script_stats(texts: list[str]) -> tuple[int, int]:
    """(CJK characters, CJK characters that t2s changes): each distinct character converted once."""
    cjk = "".join(_CJK_RUN.findall("\n".join(texts)))
    # str.count per distinct character that converts (none in a Simplified text): C loops only
    return len(cjk), sum(cjk.count(ch) for ch in set(cjk) if _char(ch) != ch)


def is_traditional(texts: list[str], option: str | None = None) -> bool:
    if option in ("traditional", "simplified"):
        return option == "traditional"
    total, changed = script_stats(texts)
    return changed >= MIN_CHANGED and changed / max(total, 1) >= MIN_SHARE


def issue(texts: list[str]) -> SourceIssue:
    total, changed = script_stats(texts)
    return SourceIssue(
        "traditional_script",
        f"printed in Traditional characters ({changed} of {total} CJK characters differ from "
        f"Simplified); matched through an OpenCC t2s view, cells kept as printed",
    )


@dataclass
class Segment:
    """A piece of the source as printed (a line, or a grid row's cells joined by '\\n') and the
    line span it occupies."""

    line_start: int
    line_end: int
    original: str
    simplified: str = ""

    def __post_init__(self) -> None:
        if not self.simplified:
            self.simplified = simplify(self.original)


@dataclass
class Restorer:
    """Maps Simplified values produced by a parser back to the original characters."""

    segments: list[Segment]
    _starts: list[int] = field(default_factory=list, init=False)
    _doc_s: str = field(default="", init=False)
    _doc_o: str = field(default="", init=False)
    _charmap: dict[str, str] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.segments.sort(key=lambda s: (s.line_start, s.line_end))
        self._starts = [s.line_start for s in self.segments]
        self._doc_s = "\n".join(s.simplified for s in self.segments)
        self._doc_o = "\n".join(s.original for s in self.segments)
        votes: dict[str, dict[str, int]] = {}
        for s_ch, o_ch in zip(self._doc_s, self._doc_o, strict=False):
            if s_ch != o_ch:
                votes.setdefault(s_ch, {}).setdefault(o_ch, 0)
                votes[s_ch][o_ch] += 1
        # the most frequent original of each Simplified character (the first seen on a tie)
        self._charmap = {s: max(v.items(), key=lambda kv: kv[1])[0] for s, v in votes.items()}

    @classmethod
    def for_lines(cls, lines: list[str], simplified: list[str]) -> Restorer:
        return cls([Segment(n, n, o, s) for n, (o, s) in enumerate(zip(lines, simplified, strict=False), 1)])

    def _span(self, line_start: int, line_end: int) -> tuple[str, str]:
        lo = bisect.bisect_left(self._starts, line_start)
        hi = bisect.bisect_right(self._starts, line_end)
        segs = [s for s in self.segments[max(lo - 1, 0) : hi] if s.line_end >= line_start and s.line_start <= line_end]
        return "\n".join(s.simplified for s in segs), "\n".join(s.original for s in segs)

    @overload
    def text(self, value: str, span: tuple[int, int] | None = None) -> str: ...
    @overload
    def text(self, value: None, span: tuple[int, int] | None = None) -> None: ...
    @overload
    def text(self, value: str | None, span: tuple[int, int] | None = None) -> str | None: ...

    def text(self, value: str | None, span: tuple[int, int] | None = None) -> str | None:
        """The original characters of ``value`` (a Simplified string the parser produced)."""
        if value is None or value == "" or not _CJK.search(value):
            return value
        if span is not None:
            s, o = self._span(*span)
            hit = _locate(value, s, o)
            if hit is not None:
                return hit
        hit = _locate(value, self._doc_s, self._doc_o)
        if hit is not None:
            return hit
        if span is not None:
            s, o = self._span(*span)
            sub = _subsequence(value, s, o)
            if sub is not None:
                return sub
        return "".join(self._charmap.get(c, c) for c in value)

    def restore_row(self, row: TaskRow) -> None:
        span = (row.line_start, row.line_end)
        for attr in ("category", "task_text", "period_target", "progress_text", "leader",
                     "responsible_person", "status_reported", "remark", "lead_units_raw",
                     "cooperating_units_raw"):
            setattr(row, attr, self.text(getattr(row, attr), span))
        row.lead_units = [self.text(u, span) for u in row.lead_units]
        row.cooperating_units = [self.text(u, span) for u in row.cooperating_units]

    def restore_result(self, result: ParseResult, lines: list[str] | None = None) -> None:
        """Rows, headers, stated totals; furniture and quarantine texts from ``lines`` (the
        original lines of the ledger) when given."""
        for r in result.rows:
            self.restore_row(r)
        result.headers = {t: [(self.text(c), role) for c, role in cells] for t, cells in result.headers.items()}
        for st in result.stated_totals:
            st.text = self.text(st.text, (st.line_no, st.line_no))
        if lines is not None:
            for f in result.furniture:
                f.text = lines[f.line_no - 1]
            for q in result.quarantine:
                q.text = lines[q.line_no - 1]


def _locate(value: str, s: str, o: str) -> str | None:
    """``value`` as one piece, or each of its '\\n' paragraphs, found verbatim in ``s``."""
    i = s.find(value)
    if i >= 0:
        return o[i : i + len(value)]
    if "\n" in value:
        out, pos = [], 0
        for para in value.split("\n"):
            j = s.find(para, pos)
            if j < 0:
                j = s.find(para)
                if j < 0:
                    return None
            out.append(o[j : j + len(para)])
            pos = j + len(para)
        return "\n".join(out)
    return None


def _subsequence(value: str, s: str, o: str) -> str | None:
    """Characters of ``value`` matched in order in ``s`` (for values the parser assembled, e.g. a
    unit name joined across a line break or with spaces removed)."""
    out, pos, found = [], 0, 0
    for c in value:
        j = s.find(c, pos)
        if j < 0:
            out.append(c)
            continue
        out.append(o[j])
        pos = j + 1
        found += 1
    return "".join(out) if found else None

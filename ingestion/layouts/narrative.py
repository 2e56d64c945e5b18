"""Narrative work summaries without a table (seed: anonymised fragments, one paragraph run a line).

What is extracted
-----------------
Each non-blank physical line is treated as one fragment (``table_no`` = its position among the
non-blank lines), because numbering restarts in every fragment. Within a fragment the
enumeration markers give the structure:

=========  ================  =====================================================
level      marker            role
=========  ================  =====================================================
chapter    ``一、`` ``二、``     section title; its words say what follows (progress,
                             plan, problems)
group      ``(一)``            a work item, or - when ``1、`` items follow it - the
                             title of those items
item       ``1、`` ``2.``      a work item
point      ``一是`` ``二是``     a work item when nothing coarser encloses it, else a
                             paragraph of the enclosing item's body
=========  ================  =====================================================

A work item becomes a ``TaskRow`` flagged ``narrative_item``: ``task_text`` is its heading (up to
the first 。;: or the next marker), ``progress_text`` its body with enclosed points as
paragraphs, ``category`` the titles above it joined with ' / '. ``task_seq`` is the printed item
number only when the items of one run (same level, same title) count up by one and no other
run in the fragment reuses the number; otherwise None with ``seq_not_clean``.

Unnumbered text (before the first marker, or a chapter's lead-in) is split into paragraphs at
whitespace after a sentence end. A paragraph that opens with a short heading sentence
(``发展后劲不断增强。…``) is a row flagged ``narrative_paragraph``; a heading with nothing after
it titles the items that follow; a paragraph without a heading at the start of a fragment is the
tail of an item cut off before it (``fragment_start``).

Items under a chapter about plans (计划, 思路, 打算 …) or problems (问题, 不足 …), or whose own
heading states a shortcoming (不够, 缓慢 …), are not progress. A line holding nothing else is
quarantined with that reason; on a line that also has progress they are kept as rows flagged
``forward_plan`` / ``problem_statement`` with the text in ``remark`` and no ``progress_text``.
Items whose fragment gives no chapter at all are flagged ``no_section_context``: they may be
plans as well as progress, and the text alone does not say reliably.

Masked figures (``***.*万元``, ``xx.x%``, ``XX万元``, ``xxxx年``) flag ``masked_figures``;
figures deleted outright (``共个``, ``约亩``, ``约万元``) flag ``figures_missing``. Nothing here
reads a number out of the text; the masks stay verbatim in the row text.

Page chrome and headings (issue #12): before a line is read for items, ``line_kind`` takes page
chrome (``furniture.PAGE_CHROME``, breadcrumbs, link bars ``a | b | c``, bulleted metadata
lists), navigation (short lines before the first paragraph) and titles as furniture. A heading on
a line of its own (``一、…``, ``(二)…``, ``下一步工作要求:``) encloses the lines below it: its title
is their category, a plan / problem title makes them plans / problems, and a heading that counts
a status (``17项未达序时的目标任务分别为:``) gives every item listed under it that status word
(``status_from_heading``). A heading followed by one unheaded paragraph, or a line followed by a
line that opens with progress (``已…``, ``截至…``), is one row (``heading_and_paragraph``): the
heading is the task, the paragraph its progress (task / progress paragraphs alternating).

Not extracted: lead units, periods, status (the text has no cells for them); single-letter
masks of words (``由D政、工会``) are not recognised as masks; a heading that runs into its body
without punctuation (``(一)…企业层级一是…``) is cut only at the next marker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING

from ingestion.layouts import Layout
from ingestion.model import LineLedger, ParseResult, SourceIssue, TaskRow
from ingestion.normalize import figures

if TYPE_CHECKING:
    from ingestion.registry import SourceSpec

CN_DIGITS = "一二三四五六七八九十"
_SENTENCE_END = "。;;!?!?"
_HEAD_STOP = re.compile(r"[。;;::!?!?]")
_TITLE_STOP = re.compile(r"[,,。;;::!?!?\s]")

CHAPTER = re.compile(rf"([{CN_DIGITS}]{{1,3}})、")
GROUP = re.compile(rf"[((]([{CN_DIGITS}]{{1,3}})[))]")
ITEM = re.compile(r"(?<![0-9A-Za-z.．、第xX*])(\d{1,2})[、.．](?!\d)")
POINT = re.compile(rf"([{CN_DIGITS}])是")
_NOT_POINT_BEFORE = "统唯之第"  # 统一是 / 唯一是 / 之一是 are words, not points

# Chapter kinds, tested in this order on the chapter title.
PROBLEM_WORDS = re.compile(r"问题|不足|短板|差距|困难")
PROGRESS_WORDS = re.compile(r"完成情况|工作情况|进展|做法|成效|成绩|回顾|开展情况|落实情况|主要工作")
PLAN_WORDS = re.compile(r"计划|思路|打算|安排|下一步|明年|来年|展望")
# A title ends after the last of these words ('明年工作思路明年,…' -> '明年工作思路').
_TITLE_END = re.compile(r"情况|做法|问题|不足|思路|计划|打算|安排|工程|项目|成效|回顾")
# An item heading that states a shortcoming is a problem statement, not progress.
SHORTCOMING = re.compile(r"不够|不足|短板|滞后|薄弱|缓慢|欠缺|不到位|不健全|不完善|偏低|不高|不强|不明显")

# A requirement addressed to the units ('各县区、各部门要…', '相关责任单位务必…'): a plan.
REQUIREMENT = re.compile(r"(?:各[\u4e00-\u9fff、]{1,12}?|相关[\u4e00-\u9fff]{0,6}单位|责任单位)(?:要|务必|必须)(?!求)")

# A counter word right after a word that needs a number before it: the figure was deleted.
MISSING_FIGURE = re.compile(
    r"(?:共|约|涉及|等|余|完成|支出|审核|报批|项目|协议)(?:个|亩|户|份|笔|亿元|万元|元)(?![别人体性])"
)

MAX_HEADING = 20  # chars of a paragraph's first sentence for it to count as a heading


def cn_number(s: str) -> int:
    """'三' -> 3, '十二' -> 12, '二十' -> 20."""
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + CN_DIGITS.index(s[1]) + 1
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (CN_DIGITS.index(tens) + 1) * 10 + (CN_DIGITS.index(ones) + 1 if ones else 0)
    return CN_DIGITS.index(s) + 1


@dataclass
class Marker:
    level: str
    num: int
    start: int
    end: int


def find_markers(text: str) -> list[Marker]:
    """Enumeration markers in one line, in order."""
    found: list[Marker] = []
    for m in CHAPTER.finditer(text):
        before = text[m.start() - 1] if m.start() else ""
        # a chapter starts a line or a sentence: '第一、二季度' is not one
        if not before or before in _SENTENCE_END or before.isspace():
            found.append(Marker("chapter", cn_number(m.group(1)), m.start(), m.end()))
    for m in GROUP.finditer(text):
        found.append(Marker("group", cn_number(m.group(1)), m.start(), m.end()))
    for m in ITEM.finditer(text):
        found.append(Marker("item", int(m.group(1)), m.start(), m.end()))
    last_point = 0
    for m in POINT.finditer(text):
        num = CN_DIGITS.index(m.group(1)) + 1
        before = text[m.start() - 1] if m.start() else ""
        at_break = not before or before in _SENTENCE_END or before.isspace() or before in ",,"
        # glued to a heading ('…企业层级一是要…') only the first point or the next one counts
        if (before and before in _NOT_POINT_BEFORE) or not (at_break or num == 1 or num == last_point + 1):
            continue
        found.append(Marker("point", num, m.start(), m.end()))
        last_point = num
    found.sort(key=lambda k: k.start)
    out: list[Marker] = []
    for k in found:  # drop overlaps, first wins
        if not out or k.start >= out[-1].end:
            out.append(k)
    return out


def split_heading(text: str) -> tuple[str, str]:
    """(heading, body): the heading runs to the first 。;: (kept out of both)."""
    m = _HEAD_STOP.search(text)
    if not m:
        return text.strip(), ""
    return text[: m.start()].strip(), text[m.end() :].strip()


def split_title(text: str) -> tuple[str, str]:
    """A chapter title: up to the first punctuation or space, cut after its last title word."""
    m = _TITLE_STOP.search(text)
    title = text[: m.start()] if m else text
    ends = list(_TITLE_END.finditer(title))
    if ends:
        title = title[: ends[-1].end()]
    return title.strip(), re.sub(r"^[\s,,。::]+|\s+$", "", text[len(title) :])


def paragraphs(text: str) -> list[str]:
    """Unnumbered text split at whitespace that follows a sentence end."""
    return [p.strip() for p in re.split(rf"(?<=[{_SENTENCE_END}])\s+", text) if p.strip()]


def chapter_kind(title: str) -> str | None:
    for words, kind in ((PROBLEM_WORDS, "problem"), (PROGRESS_WORDS, "progress"), (PLAN_WORDS, "plan")):
        if words.search(title):
            return kind
    return None


@dataclass
class Piece:
    """One extracted unit before it becomes a row."""

    kind: str  # 'item' | 'paragraph'
    level: str | None
    num: int | None
    heading: str | None
    body: list[str]
    titles: list[str]
    context: str | None  # 'progress' | 'plan' | 'problem' | None (no chapter)
    run: int | None = None
    flags: list[str] = field(default_factory=list)


def _paragraph_pieces(
    text: str, titles: list[str], context: str | None, at_start: bool
) -> tuple[list[Piece], str | None]:
    """Pieces of an unnumbered run; returns them and a trailing heading-only title, if any."""
    pieces: list[Piece] = []
    paras = paragraphs(text)
    trailing_title = None
    for i, p in enumerate(paras):
        head, body = split_heading(p)
        has_head = 0 < len(head) <= MAX_HEADING
        if has_head and not body and i == len(paras) - 1:
            trailing_title = head  # titles the numbered items after it
            continue
        ctx = context
        if ctx is None and REQUIREMENT.search(p):
            ctx = "plan"  # '各县区、各部门要…': what the units must do, not what was done
        piece = Piece(
            "paragraph", None, None, head if has_head else None, [body] if has_head else [p], titles, ctx
        )
        if at_start and i == 0 and not has_head:
            piece.flags.append("fragment_start")
        pieces.append(piece)
    return pieces, trailing_title


def pieces_of_line(text: str, outer_title: str | None = None, outer_context: str | None = None) -> list[Piece]:
    """Pieces of one line; ``outer_title`` / ``outer_context`` come from a heading printed on a
    line of its own above (``下一步工作要求:``), which encloses this line until a new chapter."""
    markers = find_markers(text)
    pieces: list[Piece] = []
    chapter: str | None = outer_title
    context: str | None = outer_context
    group_title: str | None = None
    lead_title: str | None = None
    owner: Piece | None = None  # the item that takes enclosed points into its body
    run = 0
    prev_key = None
    declared: list[tuple[int, str, list[str], str | None]] = []  # (position, title, parents, context)

    def titles() -> list[str]:
        return [t for t in (chapter, group_title, lead_title) if t]

    def declare(title: str | None) -> None:
        if title:
            declared.append((len(pieces), title, titles()[:-1], context))

    lead = text[: markers[0].start] if markers else text
    if lead.strip():
        ps, lead_title = _paragraph_pieces(lead, titles(), context, at_start=True)
        pieces.extend(ps)
        declare(lead_title)
    for i, mk in enumerate(markers):
        seg = text[mk.end : markers[i + 1].start if i + 1 < len(markers) else len(text)]
        if mk.level == "chapter":
            chapter, body = split_title(seg)
            context, group_title, lead_title, owner = chapter_kind(chapter), None, None, None
            declare(chapter)
            if body:
                ps, lead_title = _paragraph_pieces(body, titles(), context, at_start=False)
                pieces.extend(ps)
                declare(lead_title)
            continue
        heading, body = split_heading(seg)
        if mk.level == "group" and _has_items(markers, i):
            group_title, lead_title, owner = heading, None, None
            declare(group_title)
            if body:
                pieces.append(Piece("paragraph", None, None, None, [body], titles(), context))
            continue
        if mk.level == "point" and owner is not None:
            owner.body.append(text[mk.start : mk.end] + seg.strip())
            continue
        if mk.level == "group":
            group_title, lead_title = None, None  # a new (二) closes the title of (一)'s items
        key = (mk.level, tuple(titles()))
        if key != prev_key:
            run, prev_key = run + 1, key
        ctx = context
        if ctx is None and SHORTCOMING.search(heading):
            ctx = "problem"
        piece = Piece("item", mk.level, mk.num, heading, [body] if body else [], titles(), ctx, run)
        pieces.append(piece)
        owner = piece if mk.level != "point" else None
    return _keep_unused_titles(pieces, declared)


def _keep_unused_titles(pieces: list[Piece], declared) -> list[Piece]:
    """A title no row sits under (e.g. a chapter heading right before the next chapter) becomes a
    heading-only paragraph row, so its words do not vanish."""
    used = {t for p in pieces for t in p.titles}
    for pos, title, parents, context in reversed(declared):  # children first: they use parents
        if title not in used:
            pieces.insert(pos, Piece("paragraph", None, None, title, [], parents, context))
            used.update(parents)
    return pieces


def _has_items(markers: list[Marker], i: int) -> bool:
    """Does a group marker enclose '1、' items (before the next group or chapter)?"""
    for mk in markers[i + 1 :]:
        if mk.level in ("chapter", "group"):
            return False
        if mk.level == "item":
            return True
    return False


def assign_seq(pieces: list[Piece]) -> dict[int, int]:
    """id(piece) -> task_seq for progress items in runs that count up by one, unambiguously."""
    runs: dict[int | None, list[Piece]] = {}
    for p in pieces:
        if p.kind == "item" and p.context in ("progress", None):
            runs.setdefault(p.run, []).append(p)
    # every item has its printed number (num)
    clean = {r: ps for r, ps in runs.items()
             if all(a.num is not None and b.num == a.num + 1 for a, b in pairwise(ps))}
    owners: dict[int | None, list[int | None]] = {}
    for r, ps in clean.items():
        for p in ps:
            owners.setdefault(p.num, []).append(r)
    ambiguous = {r for rs in owners.values() if len(rs) > 1 for r in rs}
    return {id(p): p.num for r, ps in clean.items() if r not in ambiguous for p in ps if p.num is not None}


def _flags(p: Piece) -> list[str]:
    flags = ["narrative_item" if p.kind == "item" else "narrative_paragraph", *p.flags]
    text = " ".join([p.heading or "", *p.body])
    if figures.masked_figures(text):  # one definition of a masked figure (a masked name is none)
        flags.append("masked_figures")
    if MISSING_FIGURE.search(text):
        flags.append("figures_missing")
    if p.context is None:
        flags.append("no_section_context")
    elif p.context == "plan":
        flags.append("forward_plan")
    elif p.context == "problem":
        flags.append("problem_statement")
    return flags


def _quarantine_reason(pieces: list[Piece]) -> str:
    if not any(p.kind == "item" or p.heading for p in pieces):
        return "narrative paragraph without a work item"
    parts = []
    kinds = {p.context for p in pieces}
    if "problem" in kinds:
        parts.append("problem statement (存在的问题 / a shortcoming)")
    if "plan" in kinds:
        parts.append("forward-looking plan")
    chapters = list(dict.fromkeys(p.titles[0] for p in pieces if p.titles))
    where = f" (section: {' | '.join(chapters)})" if chapters else ""
    return " and ".join(parts) + ", not progress" + where


def _is_row_line(pieces: list[Piece]) -> bool:
    """A line gives rows if it has a progress (or context-free) work item or headed paragraph;
    a lone unheaded paragraph is not enough."""
    return any(p.context in ("progress", None) and (p.kind == "item" or p.heading) for p in pieces)


# --- page chrome and heading lines --------------------------------------------------------------
_SENT_PUNCT = re.compile(r"[。,,;;!?!?]")
_BULLET = re.compile(r"^\s*[•·▪●◦■□◆]\s*")
_BREADCRUMB = re.compile(r"所在的?位置|>.*>|》.*》.*》")
_MAX_NAV = 8  # a navigation entry ('政务公开', '部  门') is a few characters
_MAX_TITLE = 60


def _starts_with_marker(text: str) -> bool:
    mk = find_markers(text)
    return bool(mk) and mk[0].start == 0


def _is_link_bar(text: str) -> bool:
    """'中国政府网 | 重庆市人民政府网 | …' or '索 引 号 | 1137…/2021-00445 | 公开方式 | 主动公开 |'."""
    cells = [c.strip() for c in text.split("|")]
    filled = [c for c in cells if c]
    return len(cells) >= 3 and bool(filled) and all(len(c) <= 40 and not _SENT_PUNCT.search(c) for c in filled)


def line_kind(text: str, body_started: bool) -> str | None:
    """Furniture kind of a narrative line that carries no work item, or None.

    Before the first paragraph, short lines without sentence punctuation are the site's
    navigation and the bulletin's titles; a bulleted line is a metadata list entry."""
    from ingestion.furniture import is_page_chrome
    from ingestion.layouts._cells_tokens import is_attachment_label

    t = text.strip()
    squashed = re.sub(r"\s+", "", t)
    if len(t) <= 100 and (is_page_chrome(t) or is_page_chrome(squashed) or _BREADCRUMB.search(t) or _is_link_bar(t)):
        return "metadata"
    if _BULLET.match(t) and len(t) <= _MAX_TITLE:
        return "metadata"
    if _starts_with_marker(t) or _SENT_PUNCT.search(t):
        return None
    if is_attachment_label(t) or re.search(r"附件[::]?$", t):
        return "title"
    if t.endswith((":", ":")):
        return "section_heading"
    if len(re.sub(r"\s+", "", t)) <= _MAX_NAV and not body_started:
        return "metadata"
    if len(t) <= _MAX_TITLE:
        return "title"
    return None


def heading_only(pieces: list[Piece]) -> str | None:
    """The title when a line is only a heading ('一、主要指标任务完成情况', '(二)…情况')."""
    if len(pieces) == 1 and pieces[0].kind == "paragraph" and not any(b for b in pieces[0].body):
        return pieces[0].heading
    if len(pieces) == 1 and pieces[0].kind == "item" and not pieces[0].body and pieces[0].level in ("chapter", "group"):
        return pieces[0].heading
    return None


def _rows_of_line(pieces: list[Piece], fragment: int, n: int, before: int, outer_status: str | None) -> list[TaskRow]:
    """The rows of one line's pieces; ``outer_status``: a list heading's status word."""
    seqs = assign_seq(pieces)
    out: list[TaskRow] = []
    for p in pieces:
        row = TaskRow(
            table_no=fragment,
            row_no=before + len(out) + 1,
            task_seq=seqs.get(id(p)),
            sub_seq=1,
            line_start=n,
            line_end=n,
            category=" / ".join(p.titles) or None,
            task_text=p.heading or None,
            flags=_flags(p),
        )
        body = "\n".join(b for b in p.body if b) or None
        if p.context in ("plan", "problem"):
            row.remark = body  # not progress: kept, but out of progress_text
        else:
            row.progress_text = body
        if p.kind == "item" and row.task_seq is None and p.context in ("progress", None):
            row.flags.append("seq_not_clean")
        if outer_status and p.kind == "item":
            row.status_reported = outer_status  # the list's own word for every item in it
            row.flags.append("status_from_heading")
        out.append(row)
    return out


def parse(lines: list[str], spec: SourceSpec) -> ParseResult:
    from ingestion.layouts.run_together import PROGRESS_OPENING
    from ingestion.layouts.totals import list_status_word

    ledger = LineLedger(lines)
    rows: list[TaskRow] = []
    fragment = 0
    body_started = False
    # A heading printed on a line of its own encloses the lines below it: its title is their
    # category, its words their context (plan / problem), a count of a status in it
    # ('17项未达序时的目标任务分别为:') the status of every item listed under it.
    chapter: str | None = None
    group: str | None = None
    outer_context: str | None = None
    outer_status: str | None = None
    pending: tuple[int, str] | None = None  # a heading line whose paragraph may follow

    def outer_title() -> str | None:
        return " / ".join(t for t in (chapter, group) if t) or None

    def close_pending() -> None:
        nonlocal pending
        if pending is not None:
            ledger.add_furniture(pending[0], "section_heading")
            pending = None

    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        text = line.strip()
        kind = line_kind(text, body_started)
        if kind in ("metadata", "title"):
            close_pending()
            ledger.add_furniture(n, kind)
            continue
        pieces = [] if kind else pieces_of_line(text, outer_title(), outer_context)
        title = re.sub(r"[::]+$", "", text) if kind == "section_heading" else heading_only(pieces)
        marker = find_markers(text)[:1]
        if title is not None and marker and marker[0].start == 0 and marker[0].level in ("chapter", "group"):
            title = re.sub(r"[::]+$", "", text[marker[0].end :].strip())  # the whole heading, as printed
        opens_progress = bool(PROGRESS_OPENING.match(text))
        if pending is not None and title is not None and opens_progress:
            title = None  # '已开工6个。' under '完成老旧小区改造10个。': the progress, not a heading
        if title is not None:
            close_pending()
            if marker and marker[0].start == 0 and marker[0].level == "chapter":
                chapter, group = title, None
            else:
                group = title
            outer_context = chapter_kind(title) or chapter_kind(chapter or "")
            outer_status = list_status_word(title, spec.status_words)
            pending = (n, title)
            continue
        body_started = True
        fragment += 1
        own_plan = any(p.context in ("plan", "problem") for p in pieces)
        if ((not _is_row_line(pieces) or opens_progress) and pending is not None and not own_plan
                and outer_context in ("progress", None)):
            # a heading line, then its paragraph: the heading names the work, the paragraph is
            # its progress
            start, head = pending
            pending = None
            rows.append(TaskRow(
                table_no=fragment, row_no=1, task_seq=None, sub_seq=1, line_start=start, line_end=n,
                category=chapter if group else None, task_text=head, progress_text=text,
                flags=[*_flags(Piece("paragraph", None, None, head, [text], [], outer_context)), "heading_and_paragraph"],
            ))
            ledger.row(range(start, n + 1))
            continue
        close_pending()
        if not _is_row_line(pieces):
            ledger.add_quarantine(n, _quarantine_reason(pieces))
            continue
        rows.extend(_rows_of_line(pieces, fragment, n, len([r for r in rows if r.table_no == fragment]), outer_status))
        ledger.row([n])
    close_pending()
    issues = [
        SourceIssue(
            "narrative_only",
            "narrative text without a table: rows are numbered work items and headed paragraphs; "
            "no lead units, status or period cells exist; see ingestion/layouts/narrative.py",
        )
    ]
    return ParseResult.from_ledger("narrative", ledger, rows, issues=issues)


def looks_narrative(nonblank: list[str], overrides: dict[str, str] | None = None) -> bool:
    """Detection: prose. Most lines are long paragraphs (over 150 characters); or most of the text
    is in paragraphs over 80 characters (a page whose navigation and metadata are many short lines
    around a few paragraphs); or at least three lines, and half of them, are sentences."""
    if sum(1 for ln in nonblank if len(ln) > 150) / len(nonblank) > 0.5:
        return True
    if sum(len(ln) for ln in nonblank if len(ln) > 80) / sum(len(ln) for ln in nonblank) > 0.5:
        return True
    sentences = sum(1 for ln in nonblank if re.search(r"[。;;::!?!?]", ln))
    return sentences >= 3 and sentences / len(nonblank) >= 0.5


LAYOUTS = [
    Layout("narrative", "narrative text without a table (numbered items extracted, the rest quarantined)",
           parse=parse, detect=looks_narrative, detect_order=50),
]

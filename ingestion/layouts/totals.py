"""Totals a bulletin states about itself in prose, for ``raw.stated_totals``.

A count is a number followed by a counter (``17个``, ``55项``, ``5件``); ``第6项`` (an item's own
number), ``N个百分点`` and ``N个月`` are not counts. What the count counts comes from the words
around it, in this order:

1. a status word right after it in the same clause: ``17项未达序时…``, ``13个子项目进展滞后``;
2. a status word before it in its clause (``达到序时进度44项``, ``欠进度的有17个``), or, when
   the count is introduced by 共计 / 的有 / 为 …, anywhere earlier in its sentence
   (``一、已经完成的指标任务,共计19项``); the earliest (then longest) word wins, so
   ``已完成和提前完成24个`` is completed and ``未达到序时进度`` is not ``达到序时进度``;
3. otherwise ``细化为 / 分解成 N`` is ``rows`` (the items the bulletin was broken into) and
   ``共 N 项`` / ``明确 N 项`` / ``N项任务中`` is ``tasks``.

A status word is any word of the shared vocabulary (``ingestion.normalize.vocabulary``) or of the
source's ``status_words``; it does not count when a figure stands between it and the count
(``完成90%以上的12个``) or when it is negated or in the future (``不能全部完成``, ``确保完成``):
then the bulletin's own words belong under ``status_words:``. Pinyin glosses a converter left in
the text (``進(jìn)度``) are ignored.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ingestion.model import StatedTotal

COUNT = re.compile(r"(?<![第\d.])(\d+)\s*(?:个|项|件|条)(?!百分点|月|小时|工作日|\d)")
_SENTENCE = re.compile(r"[。;;!?!?]")
_CLAUSE = re.compile(r"[,,。;;!?!?::]")
_DIGIT = re.compile(r"\d")
_ROWS_BEFORE = re.compile(r"(?:分解|细化|细分|分成|拆分)[^,,。;;\d]{0,4}?[成为]$")
_TASKS_BEFORE = re.compile(r"(?:共计|共有|合计|总计|共|明确|确定)$")
_TASKS_AFTER = re.compile(r"^[^,,。;;\d]{0,8}?中(?:[,,]|$)")
_INTRODUCED = re.compile(r"(?:共计|共有|合计|总计|共|的有|有|为)$")
_NOT_A_STATUS_BEFORE = re.compile(r"(?:不|未能|没有|没|无法|能够|能|确保|有望|争取|力争|将|要)$")
_AFTER_WINDOW = 20
# After a completion word, a noun it governs ('完成选址') makes it an action; these may follow a
# status word: 的/了, a joiner, 任务/目标/工作 ('已完成任务'), a counter or 情况 is not.
_ACTION_OBJECT = re.compile(r"^[\u4e00-\u9fff](?<![的了和及或与、任目工情年全项个件条率度])")
# '150项目标任务', '69项重点任务': a count of the bulletin's tasks
_TASK_NOUN_AFTER = re.compile(r"^(?:目标任务|重点任务|指标任务|重点工作任务|工作任务)")
_JOINED = re.compile(r"^[^,,。;;!?!?::]{0,16}$")
_JOINERS = re.compile(r"和|及|与|以及")


@lru_cache(maxsize=1)
def _vocabulary_words() -> tuple[str, ...]:
    from ingestion.normalize.vocabulary import VOCABULARY_CSV, _load

    return tuple(w for w, s in _load(str(VOCABULARY_CSV)).items() if len(w) >= 2 and s != "unknown")


def _words(extra: dict[str, str] | None) -> dict[str, str]:
    """The vocabulary's status words and the source's own (read only: shared between calls)."""
    return _words_for(tuple((extra or {}).items()))


@lru_cache(maxsize=256)
def _words_for(extra: tuple[tuple[str, str], ...]) -> dict[str, str]:
    from ingestion.normalize.vocabulary import VOCABULARY_CSV, _load

    vocab = _load(str(VOCABULARY_CSV))
    out = {w: vocab[w] for w in _vocabulary_words()}
    out.update({re.sub(r"\s+", "", k): v for k, v in extra})
    return out


def _status_in(text: str, words: dict[str, str], last: bool = False) -> tuple[str, int, str] | None:
    """(status, end offset, word) of the earliest (then longest) status word in ``text`` that is not
    negated or in the future and has no figure between it and the end of ``text``."""
    best: tuple[int, int, str] | None = None
    for w, status in words.items():
        if w not in text:  # most words: one C-level scan instead of a regex search
            continue
        for m in re.finditer(re.escape(w), text):
            if _NOT_A_STATUS_BEFORE.search(text[: m.start()]):
                continue
            if _DIGIT.search(text[m.end() :]) and not last:
                continue
            if text.startswith("情况", m.end()):
                continue  # '完成情况', '进展情况': the noun 'how it went', not a status
            if w.endswith("完成") and _ACTION_OBJECT.match(text[m.end() :]):
                continue  # '完成选址', '完成老旧小区改造': the verb with its object, not a status
            key = (m.start(), -len(w))
            if best is None or key < (best[0], -best[1]):
                best = (m.start(), len(w), status)
    if best is None:
        return None
    return best[2], best[0] + best[1], text[best[0] : best[0] + best[1]]


# A pinyin gloss a converter left after a character ('進(jìn)度'): not part of the words.
PINYIN_GLOSS = re.compile(r"(?<=[\u4e00-\u9fff])[((][a-zA-Z\u00e0-\u01dc\u0300-\u036f]{1,8}[))]")


def totals_in_text(text: str, line_no: int, status_words: dict[str, str] | None = None) -> list[StatedTotal]:
    found = [t for t, _ in _totals(PINYIN_GLOSS.sub("", text), line_no, status_words)]
    for t in found:
        t.text = text.strip()  # the line as printed
    return found


def list_status_word(text: str, status_words: dict[str, str] | None = None) -> str | None:
    """The status word of a heading that counts the items listed under it
    ('17项未达序时的目标任务分别为'), as printed; None when it states no count of a status."""
    for _total, word in _totals(PINYIN_GLOSS.sub("", text), 0, status_words):
        if word:
            return word
    return None


def _totals(text: str, line_no: int, status_words: dict[str, str] | None) -> list[tuple[StatedTotal, str | None]]:
    words = _words(status_words)
    out: list[tuple[StatedTotal, str | None]] = []
    seen: set[tuple[str, int]] = set()
    found: list[tuple[re.Match[str], str | None, str | None]] = []
    for m in COUNT.finditer(text):
        value = int(m.group(1))
        sent_start = max((s.end() for s in _SENTENCE.finditer(text, 0, m.start())), default=0)
        clause_start = max((c.end() for c in _CLAUSE.finditer(text, 0, m.start())), default=0)
        prev_count = max((p.end() for p in COUNT.finditer(text, 0, m.start())), default=0)
        after_end = min([c.start() for c in _CLAUSE.finditer(text, m.end())] + [len(text)])
        after = text[m.end() : min(after_end, m.end() + _AFTER_WINDOW)]
        before_clause = text[max(clause_start, prev_count) : m.start()]
        metric = word = None
        hit = _status_in(after, words, last=True)
        if hit and _DIGIT.search(after[: hit[1] - len(hit[2])]):
            hit = None  # another figure comes first: the word is about that one
        if hit is None:
            window = before_clause
            if _INTRODUCED.search(before_clause):
                window = text[max(sent_start, prev_count) : m.start()]
            hit = _status_in(window, words)
        if hit:
            metric, _, word = hit
        if metric is None:
            if _ROWS_BEFORE.search(before_clause):
                metric = "rows"
            elif (_TASKS_BEFORE.search(before_clause) or _TASKS_AFTER.search(text[m.end() :])
                  or _TASK_NOUN_AFTER.search(text[m.end() :])):
                metric = "tasks"
        found.append((m, metric, word))
    # 'A项…和B项…均按进度推进': a count joined to the next one shares its status
    for i in range(len(found) - 2, -1, -1):
        m, metric, word = found[i]
        nxt, nmetric, nword = found[i + 1]
        gap = text[m.end() : nxt.start()]
        if metric is None and nword and _JOINED.match(gap) and _JOINERS.search(gap):
            found[i] = (m, nmetric, nword)
    for m, metric, word in found:
        value = int(m.group(1))
        if metric is None or (metric, value) in seen:
            continue
        seen.add((metric, value))
        out.append((StatedTotal(metric, value, line_no, text.strip()), word))
    return out

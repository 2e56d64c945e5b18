"""Task identity across one jurisdiction's bulletins of one year: which printed rows are the same task.

A city's bulletins through a year repeat the year's task list, not verbatim: 序号 renumbered,
wording trimmed, tasks split into parts or merged, lead units renamed, layouts changed. This module
links each printed row (``raw.task_rows``) to a task (``task_key``), in period order, by four
signals, each weighted (``WEIGHTS``, the one home of the matching rule):

* ``text`` — the task text, punctuation and spaces removed: the longest common subsequence
  (rapidfuzz ``LCSseq``) as a share of both texts (Indel ratio) or, discounted by
  ``CONTAIN_FACTOR``, of the shorter one (a trimmed or extended wording);
* ``lead_units`` — the closest pair of lead units, by the same measure (县经信局 ↔ 县经济和信息化局);
* ``seq`` — the printed 序号: 1 when equal, falling linearly to 0 at ``SEQ_SPAN`` places apart;
* ``category`` — the group title (numbering such as ``一、`` removed), by the Indel ratio.

A signal that one of the two rows lacks (no 序号, no category) is left out and the weights of the
others renormalised. A pair links only when its text similarity is at least ``TEXT_MIN`` and the
weighted score at least ``LINK_MIN``. Each later row is compared with every row of every earlier
period of the same jurisdiction-year (a task may skip a period); its score for a task is the best
over that task's rows. Rows are then assigned one to one, best score first (ties broken by row
and task order, so the result is deterministic), with these outcomes (``MATCH_METHODS``):

* ``seq_and_text`` / ``text`` — linked to a task, with the same 序号 as the row it matched, or not;
* ``new`` — nothing scores enough: the row starts a task;
* ``ambiguous`` — two tasks within ``AMBIGUITY_MARGIN`` of each other: not guessed, the row starts
  a task of its own and ``candidate_keys`` names both for a person to decide;
* ``split`` — the row is a part of a task another row of the same period already took (its text
  lies within the task's, ``CONTAIN_MIN``): it gets the same key;
* ``merge`` — the row holds two or more earlier tasks (each one's text within the row's, and the
  row the best of its period for each): its key is the best one's, and a secondary link
  (``is_primary = false``) joins it to each of the others;
* ``sub_row`` — a continuation row (``sub_seq`` > 1) belongs to its numbered row's task.

Keys are stable: ``task_key`` is the jurisdiction, the year and a digest of the row that first
printed the task (source, table, row). Matching runs forward in period order, so adding a later
period never changes an earlier row's link or any existing key; re-running gives the same keys.
(Adding a period *before* the others can change which row is a task's first.)

``link_rows`` is pure; ``relink`` writes ``raw.task_links`` for the jurisdiction-years of a source
inside the caller's transaction (``ingestion.load.write_source`` / ``remove_source``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd
from rapidfuzz import process
from rapidfuzz.distance import LCSseq

# ----------------------------------------------------------------------------- the rule, as data

WEIGHTS: dict[str, float] = {"text": 0.55, "lead_units": 0.20, "seq": 0.15, "category": 0.10}
TEXT_MIN = 0.55          # a pair whose texts are less alike than this never links
LINK_MIN = 0.65          # the weighted score a link needs
AMBIGUITY_MARGIN = 0.03  # a second task this close to the best one: ambiguous, not guessed
CONTAIN_FACTOR = 0.9     # a text held inside a longer one counts for this much of full likeness
CONTAIN_MIN_CHARS = 6    # texts shorter than this are compared whole only
CONTAIN_MIN = 0.8        # the part's share found in the whole for a split or a merge
SEQ_SPAN = 4             # 序号 this many places apart carry no evidence

MATCH_METHODS: dict[str, str] = {
    "new": "matches no earlier task: starts one (every row of a jurisdiction-year's first period)",
    "seq_and_text": "linked by its text, printed under the same 序号 as the row it matched",
    "text": "linked by its text, under another 序号 (renumbered) or none",
    "split": "a part of a task another row of the period also reports: same key",
    "merge": "holds two or more earlier tasks: key of the best, secondary links to the others",
    "ambiguous": "two earlier tasks score within AMBIGUITY_MARGIN: not linked, candidates kept",
    "sub_row": "a continuation row (sub_seq > 1): the task of its numbered row",
}

TASK_LINKS_DDL = """
create table if not exists raw.task_links (
    task_group varchar not null,      -- jurisdiction|year (or source:<id> when either is unknown)
    source_id varchar not null, table_no integer not null, row_no integer not null,
    task_key varchar not null,
    is_primary boolean not null,      -- false: a merged row's link to a further task
    match_method varchar not null,    -- ingestion.tasks.MATCH_METHODS
    match_score double,               -- the link's score; for new/ambiguous the best candidate's
    candidate_keys varchar[],         -- ambiguous: the tasks it could not choose between
    matched_source_id varchar, matched_table_no integer, matched_row_no integer,
    primary key (source_id, table_no, row_no, task_key)
);
"""

_PUNCT_OR_SPACE = re.compile(r"[\s\u3000]+")
_CATEGORY_NUMBERING = re.compile(r"^[(（]?[一二三四五六七八九十百\d]+[)）、.．]?\s*")


def norm_text(text: str | None) -> str:
    """Letters, digits and the marks that carry meaning (% ‰ ~): spaces and punctuation removed."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = _PUNCT_OR_SPACE.sub("", text)
    return "".join(ch for ch in text if ch in "%‰~" or not unicodedata.category(ch).startswith(("P", "S")))


def norm_category(text: str | None) -> str:
    return norm_text(_CATEGORY_NUMBERING.sub("", (text or "").strip()))


# ----------------------------------------------------------------------------- rows and links


@dataclass(frozen=True)
class MatchRow:
    """One printed row as the matcher sees it."""

    source_id: str
    table_no: int
    row_no: int
    task_seq: int | None
    sub_seq: int
    task_text: str | None
    category: str | None = None
    lead_units: tuple[str, ...] = ()
    period_end: dt.date | None = None

    @property
    def ref(self) -> tuple[str, int, int]:
        return (self.source_id, self.table_no, self.row_no)


@dataclass(frozen=True)
class Link:
    source_id: str
    table_no: int
    row_no: int
    task_key: str
    match_method: str
    match_score: float | None
    is_primary: bool = True
    candidate_keys: tuple[str, ...] = ()
    matched: tuple[str, int, int] | None = None

    @property
    def ref(self) -> tuple[str, int, int]:
        return (self.source_id, self.table_no, self.row_no)


def make_key(group: str, row: MatchRow) -> str:
    """The task's key: its jurisdiction-year and a digest of the row that first printed it."""
    digest = hashlib.sha1(f"{row.source_id}/{row.table_no}/{row.row_no}".encode()).hexdigest()[:10]
    return f"{group.replace('|', '-')}-{digest}"


# ----------------------------------------------------------------------------- the signals


def _likeness(lcs: np.ndarray, la: np.ndarray, lb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(likeness, containment) from LCS lengths: the Indel ratio, or the shorter text's share
    found in the longer one, discounted; containment alone for the split / merge rules."""
    la2, lb2 = la[:, None].astype(float), lb[None, :].astype(float)
    total = la2 + lb2
    shorter = np.minimum(la2, lb2)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(total > 0, 2 * lcs / total, 0.0)
        contain = np.where(shorter >= CONTAIN_MIN_CHARS, lcs / np.maximum(shorter, 1), 0.0)
    return np.maximum(ratio, CONTAIN_FACTOR * contain), contain


def _text_matrices(a: Sequence[str], b: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    if not a or not b:
        z = np.zeros((len(a), len(b)))
        return z, z
    lcs = process.cdist(a, b, scorer=LCSseq.similarity, workers=1).astype(float)
    la = np.array([len(x) for x in a])
    lb = np.array([len(x) for x in b])
    return _likeness(lcs, la, lb)


def _set_likeness(sets: list[tuple[str, ...]]) -> np.ndarray:
    """Likeness between unit sets (ids into ``sets``): the closest pair of units."""
    units = sorted({u for s in sets for u in s})
    if not units:
        return np.zeros((len(sets), len(sets)))
    pos = {u: i for i, u in enumerate(units)}
    unit_sim, _ = _text_matrices(units, units)
    out = np.zeros((len(sets), len(sets)))
    for i, si in enumerate(sets):
        for j, sj in enumerate(sets):
            if si and sj:
                out[i, j] = unit_sim[np.ix_([pos[u] for u in si], [pos[u] for u in sj])].max()
    return out


@dataclass
class _Features:
    """Per row: normalised text, seq, category id, unit-set id (for vectorised scoring)."""

    texts: list[str]
    seqs: np.ndarray        # float, nan when none
    cat_ids: np.ndarray     # -1 when none
    unit_ids: np.ndarray    # -1 when none
    cat_sim: np.ndarray
    unit_sim: np.ndarray


def _features(rows: Sequence[MatchRow]) -> _Features:
    cats = [norm_category(r.category) for r in rows]
    cat_vocab = sorted({c for c in cats if c})
    units = [tuple(sorted({norm_text(u) for u in r.lead_units} - {""})) for r in rows]
    unit_vocab = sorted({u for u in units if u})
    cat_sim = _text_matrices(cat_vocab, cat_vocab)[0] if cat_vocab else np.zeros((0, 0))
    return _Features(
        texts=[norm_text(r.task_text) for r in rows],
        seqs=np.array([np.nan if r.task_seq is None else float(r.task_seq) for r in rows]),
        cat_ids=np.array([cat_vocab.index(c) if c else -1 for c in cats], dtype=int),
        unit_ids=np.array([unit_vocab.index(u) if u else -1 for u in units], dtype=int),
        cat_sim=cat_sim,
        unit_sim=_set_likeness(unit_vocab),
    )


def _lookup(sim: np.ndarray, ia: np.ndarray, ib: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    present = (ia[:, None] >= 0) & (ib[None, :] >= 0)
    if sim.size == 0:
        return np.zeros(present.shape), present
    return sim[np.ix_(np.maximum(ia, 0), np.maximum(ib, 0))], present


def pair_scores(f: _Features, ia: np.ndarray, ib: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(score, text likeness, containment) of rows ``ia`` against rows ``ib`` of one feature set:
    the weighted mean of the signals both rows have; 0 where the texts are less alike than TEXT_MIN."""
    text, contain = _text_matrices([f.texts[i] for i in ia], [f.texts[j] for j in ib])
    sa, sb = f.seqs[ia][:, None], f.seqs[ib][None, :]
    seq_present = ~np.isnan(sa) & ~np.isnan(sb)
    seq = np.where(seq_present, np.clip(1 - np.abs(np.nan_to_num(sa) - np.nan_to_num(sb)) / SEQ_SPAN, 0, 1), 0)
    cat, cat_present = _lookup(f.cat_sim, f.cat_ids[ia], f.cat_ids[ib])
    units, unit_present = _lookup(f.unit_sim, f.unit_ids[ia], f.unit_ids[ib])
    num = WEIGHTS["text"] * text
    den = np.full(text.shape, WEIGHTS["text"])
    for name, value, present in (("seq", seq, seq_present), ("category", cat, cat_present),
                                 ("lead_units", units, unit_present)):
        num = num + np.where(present, WEIGHTS[name] * value, 0)
        den = den + np.where(present, WEIGHTS[name], 0)
    score = np.where(text >= TEXT_MIN, num / den, 0.0)
    return score, text, contain


# ----------------------------------------------------------------------------- linking


@dataclass
class _Task:
    key: str
    rows: list[int] = field(default_factory=list)  # indexes into the group's rows


def _periods(rows: Sequence[MatchRow]) -> list[list[int]]:
    """Row indexes per source, sources in period order (end date, then id; undated last)."""
    by_source: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        by_source.setdefault(r.source_id, []).append(i)
    order = sorted(by_source, key=lambda s: (rows[by_source[s][0]].period_end or dt.date.max, s))
    return [sorted(by_source[s], key=lambda i: (rows[i].table_no, rows[i].row_no)) for s in order]


def _is_sub_row(rows: Sequence[MatchRow], i: int, head: dict[tuple[str, int, int], int]) -> int | None:
    r = rows[i]
    if r.sub_seq > 1 and r.task_seq is not None:
        return head.get((r.source_id, r.table_no, r.task_seq))
    return None


def link_rows(group: str, rows: Sequence[MatchRow]) -> list[Link]:
    """Every row of one jurisdiction-year linked to a task (pure, deterministic: the rows are put
    in period order first, so the order they come in does not matter)."""
    rows = sorted(rows, key=lambda r: (r.period_end or dt.date.max, r.source_id, r.table_no, r.row_no))
    f = _features(rows)
    tasks: list[_Task] = []
    task_of_row: dict[int, int] = {}
    links: list[Link] = []
    for period in _periods(rows):
        head: dict[tuple[str, int, int], int] = {}
        heads: list[int] = []
        subs: list[tuple[int, int]] = []
        for i in period:
            h = _is_sub_row(rows, i, head)
            if h is None:
                r = rows[i]
                if r.task_seq is not None:
                    head.setdefault((r.source_id, r.table_no, r.task_seq), i)
                heads.append(i)
            else:
                subs.append((i, h))
        links.extend(_link_period(group, rows, f, heads, tasks, task_of_row))
        for i, h in subs:
            t = task_of_row[h]
            task_of_row[i] = t
            tasks[t].rows.append(i)
            links.append(Link(rows[i].source_id, rows[i].table_no, rows[i].row_no, task_key=tasks[t].key, match_method="sub_row", match_score=None,
                              matched=rows[h].ref))
    return links


def _task_matrix(values: np.ndarray, earlier: list[int], tasks: list[_Task],
                 task_of_row: dict[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Reduce a row × earlier-row matrix to row × task (max over the task's rows), with argmax."""
    col_task = np.array([task_of_row[j] for j in earlier])
    out = np.zeros((values.shape[0], len(tasks)))
    arg = np.zeros((values.shape[0], len(tasks)), dtype=int)
    for t in range(len(tasks)):
        cols = np.flatnonzero(col_task == t)
        sub = values[:, cols]
        best = sub.argmax(axis=1)
        out[:, t] = sub[np.arange(sub.shape[0]), best]
        arg[:, t] = cols[best]
    return out, arg


def _link_period(group: str, rows: Sequence[MatchRow], f: _Features, heads: list[int],
                 tasks: list[_Task], task_of_row: dict[int, int]) -> list[Link]:
    earlier = sorted(task_of_row)
    if not heads:
        return []
    if not earlier:
        return [_new_task(group, rows, i, tasks, task_of_row, None) for i in heads]
    ia, ib = np.array(heads), np.array(earlier)
    score_rr, _, contain_rr = pair_scores(f, ia, ib)
    score, arg = _task_matrix(score_rr, earlier, tasks, task_of_row)
    contain, _ = _task_matrix(contain_rr, earlier, tasks, task_of_row)
    row_len = np.array([len(f.texts[i]) for i in heads])
    task_len = np.array([max(len(f.texts[j]) for j in tk.rows) for tk in tasks])
    n_tasks = score.shape[1]
    decided: dict[int, Link] = {}
    secondary: list[tuple[int, Link]] = []
    taken: set[int] = set()
    pairs = sorted(((-score[r, t], r, t) for r, t in zip(*np.nonzero(score >= LINK_MIN), strict=True)))
    for neg, r, t in pairs:
        if r in decided or t in taken:
            continue
        i = heads[r]
        rivals = [t2 for t2 in range(n_tasks) if t2 != t and t2 not in taken
                  and score[r, t2] >= -neg - AMBIGUITY_MARGIN and score[r, t2] >= LINK_MIN]
        merged = [t2 for t2 in range(n_tasks) if t2 != t and t2 not in taken and score[r, t2] >= LINK_MIN
                  and contain[r, t2] >= CONTAIN_MIN and task_len[t2] < row_len[r]
                  and int(score[:, t2].argmax()) == r]
        if rivals and not set(rivals) <= set(merged):
            cands = tuple(sorted(tasks[x].key for x in (t, *rivals)))
            decided[r] = _new_task(group, rows, i, tasks, task_of_row, -neg, "ambiguous", cands)
            continue
        taken.add(t)
        matched = rows[earlier[arg[r, t]]]
        method = "seq_and_text" if rows[i].task_seq is not None and rows[i].task_seq == matched.task_seq else "text"
        if merged:
            method = "merge"
        decided[r] = _attach(rows, i, t, tasks, task_of_row, method, -neg, matched.ref)
        for t2 in merged:
            taken.add(t2)
            secondary.append((r, Link(rows[i].source_id, rows[i].table_no, rows[i].row_no, task_key=tasks[t2].key, match_method="merge",
                                      match_score=round(float(score[r, t2]), 4), is_primary=False,
                                      matched=rows[earlier[arg[r, t2]]].ref)))
    for r, i in enumerate(heads):
        if r in decided:
            continue
        best = int(score[r].argmax())
        if (score[r, best] >= LINK_MIN and best in taken and contain[r, best] >= CONTAIN_MIN
                and row_len[r] < task_len[best]):
            decided[r] = _attach(rows, i, best, tasks, task_of_row, "split", float(score[r, best]),
                                 rows[earlier[arg[r, best]]].ref)
        else:
            best_score = float(score[r, best]) if score[r, best] > 0 else None
            decided[r] = _new_task(group, rows, i, tasks, task_of_row, best_score)
    return [decided[r] for r in range(len(heads))] + [lk for _, lk in sorted(secondary, key=lambda x: x[0])]


def _attach(rows: Sequence[MatchRow], i: int, t: int, tasks: list[_Task], task_of_row: dict[int, int],
            method: str, score: float, matched: tuple[str, int, int]) -> Link:
    tasks[t].rows.append(i)
    task_of_row[i] = t
    return Link(rows[i].source_id, rows[i].table_no, rows[i].row_no, task_key=tasks[t].key, match_method=method, match_score=round(float(score), 4),
                matched=matched)


def _new_task(group: str, rows: Sequence[MatchRow], i: int, tasks: list[_Task], task_of_row: dict[int, int],
              best: float | None, method: str = "new", candidates: tuple[str, ...] = ()) -> Link:
    tasks.append(_Task(make_key(group, rows[i]), [i]))
    task_of_row[i] = len(tasks) - 1
    return Link(rows[i].source_id, rows[i].table_no, rows[i].row_no, task_key=tasks[-1].key, match_method=method,
                match_score=None if best is None else round(float(best), 4), candidate_keys=candidates)


# ----------------------------------------------------------------------------- the warehouse

_GROUP_SQL = """
    case when period_year is null or coalesce(region_code, province, city, county) is null
         then 'source:' || source_id
         else coalesce(region_code, concat_ws('/', province, city, county)) || '|' || period_year end
"""


def groups_of(con: duckdb.DuckDBPyConnection, source_id: str) -> set[str]:
    """The jurisdiction-year a loaded source belongs to (empty when it is not loaded)."""
    rows = con.execute(f"select {_GROUP_SQL} from raw.sources where source_id = ?", [source_id]).fetchall()
    return {r[0] for r in rows}


def _group_rows(con: duckdb.DuckDBPyConnection, group: str) -> list[MatchRow]:
    df = con.execute(
        f"""
        select t.source_id, t.table_no, t.row_no, t.task_seq, t.sub_seq, t.task_text, t.category,
               t.lead_units, s.period_end
        from raw.task_rows t join raw.sources s using (source_id)
        where {_GROUP_SQL} = ?
        order by t.source_id, t.table_no, t.row_no
        """,
        [group],
    ).fetchall()
    return [MatchRow(sid, tno, rno, seq, sub, text, cat, tuple(units or ()), end)
            for sid, tno, rno, seq, sub, text, cat, units, end in df]


def relink(con: duckdb.DuckDBPyConnection, groups: Iterable[str], source_id: str | None = None) -> int:
    """Re-match the given jurisdiction-years and replace their ``raw.task_links`` (and any
    links of ``source_id`` left in another group) on ``con``, inside the caller's transaction."""
    con.execute(TASK_LINKS_DDL)
    if source_id is not None:
        con.execute("delete from raw.task_links where source_id = ?", [source_id])
    written = 0
    for group in sorted(set(groups)):
        con.execute("delete from raw.task_links where task_group = ?", [group])
        links = link_rows(group, _group_rows(con, group))
        if not links:
            continue
        frame = pd.DataFrame([
            {"task_group": group, "source_id": lk.source_id, "table_no": lk.table_no, "row_no": lk.row_no,
             "task_key": lk.task_key, "is_primary": lk.is_primary, "match_method": lk.match_method,
             "match_score": lk.match_score, "candidate_keys": list(lk.candidate_keys),
             "matched_source_id": lk.matched[0] if lk.matched else None,
             "matched_table_no": lk.matched[1] if lk.matched else None,
             "matched_row_no": lk.matched[2] if lk.matched else None}
            for lk in links
        ])
        con.register("task_links_in", frame)
        con.execute(f"insert into raw.task_links ({', '.join(frame.columns)}) "
                    f"select {', '.join(frame.columns)} from task_links_in")
        con.unregister("task_links_in")
        written += len(frame)
    return written

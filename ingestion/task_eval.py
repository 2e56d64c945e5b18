"""Precision and recall of task links against a hand-made reading (``make match-report``).

An answer key (``tests/data/task_matching/*_answer_key.csv``: ``source_id,task_seq,tasks``) says
which task(s) of the year each printed row reports on. Two rows of *different* periods are a true
link when they share a task; the matcher links them when they share a ``task_key`` (primary or
merge link). Precision = true links found / links made, recall = true links found / true links.
"""

from __future__ import annotations

import csv
import itertools
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from ingestion import tasks
from ingestion.parse import parse_source
from ingestion.registry import REPO_ROOT, RegisteredSource, load_registry

FIXTURES = REPO_ROOT / "tests" / "data" / "task_matching"
SETS: dict[str, tuple[Path, Path]] = {
    # name: (registry folder, answer key); only the sources the answer key names are matched
    "qingxi (tuning set)": (FIXTURES / "qingxi", FIXTURES / "qingxi_answer_key.csv"),
    "songling (held out)": (FIXTURES / "songling", FIXTURES / "songling_answer_key.csv"),
    "shaoxing 2020 (real pair)": (REPO_ROOT / "data" / "sources", FIXTURES / "shaoxing_answer_key.csv"),
}

RowId = tuple[str, int]  # (source_id, task_seq)


@dataclass
class Score:
    true_links: int
    made: int
    found: int
    false_links: list[tuple[RowId, RowId]]
    missed: list[tuple[RowId, RowId]]

    @property
    def precision(self) -> float:
        return self.found / self.made if self.made else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.true_links if self.true_links else 1.0


def match_rows(src: RegisteredSource) -> list[tasks.MatchRow]:
    """A registered source's parsed rows as the matcher sees them."""
    parsed = parse_source(src)
    end = src.spec.period.span.end if src.spec.period else None
    return [tasks.MatchRow(src.source_id, r.table_no, r.row_no, r.task_seq, r.sub_seq, r.task_text, r.category,
                           tuple(r.lead_units), end) for r in parsed.result.rows]


def read_key(path: Path) -> dict[RowId, set[str]]:
    with open(path, encoding="utf-8") as f:
        return {(r["source_id"], int(r["task_seq"])): set(r["tasks"].split("|")) for r in csv.DictReader(f)}


def link_fixture(folder: Path, only: tuple[str, ...] | None = None) -> tuple[list[tasks.MatchRow], list[tasks.Link]]:
    reg = load_registry(folder)
    if reg.errors:
        raise ValueError(f"{folder}: {reg.errors}")
    rows = [r for src in reg.sources if only is None or src.source_id in only for r in match_rows(src)]
    return rows, tasks.link_rows("fixture|0", rows)


def predicted_keys(rows: list[tasks.MatchRow], links: list[tasks.Link]) -> dict[RowId, set[str]]:
    seq_of = {r.ref: (r.source_id, r.task_seq) for r in rows if r.task_seq is not None}
    out: dict[RowId, set[str]] = defaultdict(set)
    for lk in links:
        if lk.ref in seq_of:
            out[seq_of[lk.ref]].add(lk.task_key)
    return out


def cross_period_pairs(labels: dict[RowId, set[str]]) -> set[tuple[RowId, RowId]]:
    return {(a, b) for a, b in itertools.combinations(sorted(labels), 2)
            if a[0] != b[0] and labels[a] & labels[b]}


def score(gold: dict[RowId, set[str]], predicted: dict[RowId, set[str]]) -> Score:
    missing = sorted(set(gold) - set(predicted))
    if missing:
        raise ValueError(f"rows of the answer key the parser did not give: {missing}")
    true_pairs = cross_period_pairs(gold)
    made = cross_period_pairs({k: v for k, v in predicted.items() if k in gold})
    return Score(len(true_pairs), len(made), len(true_pairs & made), sorted(made - true_pairs),
                 sorted(true_pairs - made))


def key_sources(gold: dict[RowId, set[str]]) -> tuple[str, ...]:
    """The sources an answer key labels: the ones its set is matched over."""
    return tuple(sorted({source_id for source_id, _ in gold}))


def evaluate(name: str) -> tuple[Score, list[tasks.Link]]:
    folder, key = SETS[name]
    gold = read_key(key)
    rows, links = link_fixture(folder, key_sources(gold))
    return score(gold, predicted_keys(rows, links)), links


def main() -> int:
    print(f"{'set':<28} {'true links':>10} {'made':>5} {'found':>6} {'precision':>10} {'recall':>7}  methods")
    for name in SETS:
        s, links = evaluate(name)
        methods: dict[str, int] = defaultdict(int)
        for lk in links:
            methods[lk.match_method] += 1
        print(f"{name:<28} {s.true_links:>10} {s.made:>5} {s.found:>6} {s.precision:>10.3f} {s.recall:>7.3f}  "
              + ", ".join(f"{m} {n}" for m, n in sorted(methods.items())))
        for a, b in s.false_links:
            print(f"    false link: {a} ~ {b}")
        for a, b in s.missed:
            print(f"    missed:     {a} ~ {b}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

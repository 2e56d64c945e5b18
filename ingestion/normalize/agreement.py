"""How well the text-only status inference agrees with a careful reading of the text, and (where a
bulletin prints a status) with the print. No warehouse: the registered seeds are parsed (about a
second) and every row goes through the same ``signals.row_signals`` the raw load uses.

The reading (``tests/data/status_reading.csv``, protocol in ``docs/status-reading.md``) is data
made by reading the text, never from the rules' output. Columns: source_id, table_no, task_seq,
sub_seq, row_no, status, clarity (``clear`` / ``ambiguous``), cue; lines starting with ``#`` are comments.

``report()`` returns one ``SourceAgreement`` per source; ``format_report()`` prints them
(``bulletins agreement``)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ingestion.model import STATUS_ENUM
from ingestion.registry import DEFAULT_SOURCES_DIR, REPO_ROOT, load_registry

READING_CSV = REPO_ROOT / "tests" / "data" / "status_reading.csv"
KEY = ("source_id", "table_no", "row_no")


@dataclass(frozen=True)
class InferredRow:
    source_id: str
    table_no: int
    row_no: int
    task_seq: int | None
    sub_seq: int
    inferred: str
    rule: str | None
    evidence: str | None
    confidence: str | None
    reported: str | None  # the printed status normalised, None where nothing is printed


@dataclass(frozen=True)
class ReadingRow:
    source_id: str
    table_no: int
    row_no: int
    task_seq: int | None
    sub_seq: int
    status: str
    clarity: str
    cue: str


@dataclass
class Score:
    """Inferred (columns) against a reference (rows): agreement and per-status precision/recall."""

    pairs: list[tuple[str, str]]  # (reference, inferred)

    @property
    def n(self) -> int:
        return len(self.pairs)

    @property
    def agree(self) -> int:
        return sum(1 for ref, inf in self.pairs if ref == inf)

    @property
    def agreement(self) -> float | None:
        return self.agree / self.n if self.n else None

    def matrix(self) -> dict[str, dict[str, int]]:
        m = {r: dict.fromkeys(STATUS_ENUM, 0) for r in STATUS_ENUM}
        for ref, inf in self.pairs:
            m[ref][inf] += 1
        return m

    def hits(self, status: str) -> tuple[int, int, int]:
        """(true positives, inferred as status, referenced as status)."""
        tp = sum(1 for ref, inf in self.pairs if ref == inf == status)
        return tp, sum(1 for _, inf in self.pairs if inf == status), sum(1 for ref, _ in self.pairs if ref == status)

    def precision(self, status: str) -> float | None:
        tp, inferred, _ = self.hits(status)
        return tp / inferred if inferred else None

    def recall(self, status: str) -> float | None:
        tp, _, ref = self.hits(status)
        return tp / ref if ref else None


@dataclass
class SourceAgreement:
    source_id: str
    rows: int
    unknown: int
    reading_clear: Score
    reading_all: Score
    printed: Score  # against the printed status, rows where one is printed
    reading_vs_print: Score = field(default_factory=lambda: Score([]))  # the reader against the print: a ceiling
    reading_clear_firm: Score = field(default_factory=lambda: Score([]))  # clear rows a figure or a phrase decided
    low: int = 0  # rows decided by a low-confidence default reading
    unmatched_reading: list[ReadingRow] = field(default_factory=list)  # labels naming no parsed row

    @property
    def unknown_share(self) -> float:
        return self.unknown / self.rows if self.rows else 0.0

    @property
    def labelled(self) -> int:
        return self.reading_all.n


def infer_sources(sources_dir: Path = DEFAULT_SOURCES_DIR) -> list[InferredRow]:
    """Parse every registered source and infer each row's status as the raw load would."""
    from ingestion.normalize.signals import reading_period, row_signals
    from ingestion.parse import parse_source

    reg = load_registry(sources_dir)
    if reg.errors:
        raise ValueError("registry errors: " + "; ".join(str(e) for e in reg.errors))
    out: list[InferredRow] = []
    for src in reg.sources:
        parsed = parse_source(src)
        words = src.spec.status_words or None
        for r in parsed.result.rows:
            s = row_signals(r, reading_period(src.spec), words)
            out.append(InferredRow(
                src.source_id, r.table_no, r.row_no, r.task_seq, r.sub_seq, s["status_inferred"],
                s["inference_rule"], s["inference_evidence"], s.get("status_confidence"),
                s["status_reported_norm"]))
    return out


def _int(v: str | None) -> int | None:
    v = (v or "").strip()
    return int(v) if v else None


def load_reading(path: Path = READING_CSV) -> list[ReadingRow]:
    """The labelled reading; a status outside the enum or a clarity other than clear/ambiguous is an
    error naming the file and the line."""
    if not Path(path).is_file():
        return []
    out: list[ReadingRow] = []
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read().splitlines(keepends=True)
    kept = [(n, ln) for n, ln in enumerate(text, 1) if not ln.startswith("#")]  # '#' lines are comments
    reader = csv.DictReader(ln for _, ln in kept)
    for rec in reader:
        i = kept[reader.line_num - 1][0]  # the file's own line number, comments counted
        st, cl = (rec.get("status") or "").strip(), (rec.get("clarity") or "").strip()
        if st not in STATUS_ENUM:
            raise ValueError(f"{path}:{i}: status {st!r} is not one of {', '.join(STATUS_ENUM)}")
        if cl not in ("clear", "ambiguous"):
            raise ValueError(f"{path}:{i}: clarity {cl!r} is not clear/ambiguous")
        out.append(ReadingRow(rec["source_id"].strip(), int(rec["table_no"]), int(rec["row_no"]),
                              _int(rec.get("task_seq")), _int(rec.get("sub_seq")) or 1, st, cl,
                              (rec.get("cue") or "").strip()))
    return out


def report(inferred: Iterable[InferredRow], reading: Iterable[ReadingRow]) -> list[SourceAgreement]:
    rows = list(inferred)
    by_key = {(r.source_id, r.table_no, r.row_no): r for r in rows}
    out: dict[str, SourceAgreement] = {}
    for r in rows:
        sa = out.get(r.source_id)
        if sa is None:
            sa = out[r.source_id] = SourceAgreement(r.source_id, 0, 0, Score([]), Score([]), Score([]))
        sa.rows += 1
        sa.unknown += r.inferred == "unknown"
        sa.low += r.confidence == "low"
        if r.reported is not None:
            sa.printed.pairs.append((r.reported, r.inferred))
    for lab in reading:
        sa = out.get(lab.source_id)
        row = by_key.get((lab.source_id, lab.table_no, lab.row_no))
        # A label whose 序号 no longer names the parsed row (the parser changed) is not scored.
        if sa is None or row is None or (lab.task_seq is not None and row.task_seq != lab.task_seq):
            if sa is not None:
                sa.unmatched_reading.append(lab)
            continue
        sa.reading_all.pairs.append((lab.status, row.inferred))
        if row.reported is not None:
            sa.reading_vs_print.pairs.append((row.reported, lab.status))
        if lab.clarity == "clear":
            sa.reading_clear.pairs.append((lab.status, row.inferred))
            if row.confidence in ("high", "medium"):
                sa.reading_clear_firm.pairs.append((lab.status, row.inferred))
    return [out[k] for k in sorted(out)]


def _f(v: float | None) -> str:
    return "  n/a" if v is None else f"{v:5.2f}"


def _score_lines(name: str, s: Score, matrix: bool) -> list[str]:
    if not s.n:
        return [f"  {name}: no rows"]
    lines = [f"  {name}: agreement {s.agree}/{s.n} = {s.agreement:.2f}"]
    for st in STATUS_ENUM:
        tp, inf, ref = s.hits(st)
        if inf or ref:
            lines.append(f"    {st:15s} precision {_f(s.precision(st))} ({tp}/{inf})  "
                         f"recall {_f(s.recall(st))} ({tp}/{ref})")
    if matrix:
        m = s.matrix()
        lines.append("    reference \\ inferred " + " ".join(f"{c[:8]:>8s}" for c in STATUS_ENUM))
        for r in STATUS_ENUM:
            if any(m[r].values()):
                lines.append(f"    {r:21s} " + " ".join(f"{m[r][c]:8d}" for c in STATUS_ENUM))
    return lines


def format_report(results: list[SourceAgreement], matrix: bool = False) -> str:
    lines: list[str] = []
    for sa in results:
        lines.append(f"== {sa.source_id}: {sa.rows} rows, inferred unknown {sa.unknown} "
                     f"({100 * sa.unknown_share:.1f} %), {sa.labelled} read "
                     f"({sa.reading_clear.n} clear)")
        lines.append(f"  decided by a low-confidence default reading: {sa.low} rows")
        if sa.labelled:
            lines += _score_lines("reading, clear rows", sa.reading_clear, matrix)
            f = sa.reading_clear_firm
            if f.n:
                lines.append(f"  (clear rows a figure or a phrase decided: {f.agree}/{f.n} = {f.agreement:.2f})")
            lines += _score_lines("reading, all read rows", sa.reading_all, matrix)
        else:
            lines.append("  reading: no labelled rows for this source yet")
        if sa.unmatched_reading:
            lines.append(f"  {len(sa.unmatched_reading)} labels name no parsed row (not scored)")
        if sa.printed.n:
            lines += _score_lines("printed status", sa.printed, matrix)
            if sa.reading_vs_print.n:
                r = sa.reading_vs_print
                lines.append(f"  (the reading itself agrees with the print on {r.agree}/{r.n} = {r.agreement:.2f})")
    lines += summary_lines(results)
    return "\n".join(lines)


def _ratio(s: Score) -> str:
    return f"{s.agree}/{s.n} = {s.agreement:.2f}" if s.n else "—"


def _precision(s: Score, status: str) -> str:
    tp, inferred, _ = s.hits(status)
    return f"{tp}/{inferred}" if inferred else "—"


def summary_lines(results: list[SourceAgreement]) -> list[str]:
    """One line per labelled source (clear-row agreement, completed precision on clear rows, unknown
    share), then every labelled source pooled."""
    labelled = [sa for sa in results if sa.labelled]
    if not labelled:
        return []
    out = ["", "== summary: clear rows agree | completed precision (clear) | unknown share",
           *(f"  {sa.source_id:<28} {_ratio(sa.reading_clear):>16} | {_precision(sa.reading_clear, 'completed'):>7} | "
             f"{100 * sa.unknown_share:5.1f} %" for sa in labelled)]
    pooled = Score([p for sa in labelled for p in sa.reading_clear.pairs])
    out.append(f"  {'all labelled sources':<28} {_ratio(pooled):>16} | {_precision(pooled, 'completed'):>7} |")
    return out


def main(sources_dir: Path = DEFAULT_SOURCES_DIR, reading_csv: Path = READING_CSV, matrix: bool = False) -> str:
    return format_report(report(infer_sources(sources_dir), load_reading(reading_csv)), matrix)

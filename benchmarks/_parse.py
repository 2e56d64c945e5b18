"""Parse throughput against the floor of reading the same bytes and splitting them into lines.

The corpus is copies of every registered source's bulletin (round robin) until it holds
``corpus_mb`` MB. Every copy but the first of each bulletin has its figures perturbed
(``perturb``: the digits after the first of every number of two or more digits, drawn afresh per
copy; years, dates, serial marks and lines that are only a number, a 序号 cell, are kept), so the
copies' figure lines differ (~10 % of a table bulletin's lines; the rest, unit names and status
words, repeat as they do across real bulletins). The parser's memos are per file
(``ingestion/memo.py``) whatever the corpus; a copy that would parse to a different number of
rows is kept verbatim instead (counted in the row's detail). Both passes run over the same files
in the same process, warm: the floor reads each file, decodes it with the encoding the reader
detected and splits it into lines; the parse runs ``ingestion.parse.parse_file`` (read, detect,
layout parser, furniture, coverage check).
"""

from __future__ import annotations

import random
import re
import time
from collections import defaultdict
from pathlib import Path

from _common import Row

# A number of two or more digits not followed by a date or serial mark: its tail is perturbed.
_FIGURE = re.compile(r"(?<![\d.．])(\d)(\d+)(?![\d年月日号季期、．.])")


def perturb(text: str, rng: random.Random) -> str:
    """``text`` with the digits after the first of every figure redrawn (years, dates, serials and
    lines that are only a number, a 序号 cell, kept)."""

    def redraw(m: re.Match[str]) -> str:
        return m.group(1) + "".join(rng.choice("0123456789") for _ in m.group(2))

    return "".join(ln if ln.strip().isdigit() else _FIGURE.sub(redraw, ln) for ln in text.splitlines(keepends=True))


def make_corpus(target_mb: float, folder: Path) -> tuple[list[tuple[Path, object, str]], int]:
    """(files, copies kept verbatim because the perturbed copy parsed to a different row count)."""
    from ingestion.parse import parse_file
    from ingestion.registry import load_registry

    seeds = []
    for s in load_registry().sources:
        parsed = parse_file(s.file_path, s.spec)
        if parsed.document is None:  # text bulletins (every seed)
            seeds.append((s.file_path, s.spec, parsed.text.encoding, len(parsed.result.rows)))
    rng = random.Random(13)
    files, total, i, verbatim = [], 0, 0, 0
    while total < target_mb * 1024 * 1024:
        path, spec, enc, n_rows = seeds[i % len(seeds)]
        dst = folder / f"{i:05d}_{path.name}"
        raw = path.read_bytes()
        dst.write_bytes(raw if i < len(seeds) else perturb(raw.decode(enc), rng).encode(enc))
        if i >= len(seeds) and len(parse_file(dst, spec).result.rows) != n_rows:
            dst.write_bytes(raw)
            verbatim += 1
        files.append((dst, spec, enc))
        total += dst.stat().st_size
        i += 1
    return files, verbatim


def _floor(files) -> float:
    t = time.perf_counter()
    n = 0
    for path, _spec, enc in files:
        n += len(path.read_bytes().decode(enc).splitlines())
    return time.perf_counter() - t


def _parse(files) -> tuple[float, int, dict[str, list[float]]]:
    from ingestion.parse import parse_file

    by_layout: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    rows = 0
    t0 = time.perf_counter()
    for path, spec, _enc in files:
        t = time.perf_counter()
        parsed = parse_file(path, spec)
        acc = by_layout[parsed.layout]
        acc[0] += path.stat().st_size
        acc[1] += time.perf_counter() - t
        rows += len(parsed.result.rows)
    return time.perf_counter() - t0, rows, by_layout


def rows(tmp: Path, corpus_mb: float) -> list[Row]:
    from concurrent.futures import ProcessPoolExecutor

    from ingestion.parse import parse_file
    from ingestion.registry import load_registry

    folder = tmp / "corpus"
    folder.mkdir()
    # built (and its copies test-parsed) in another process: this one's caches stay cold
    with ProcessPoolExecutor(max_workers=1) as pool:
        files, verbatim = pool.submit(make_corpus, corpus_mb, folder).result()
    for s in load_registry().sources:  # warm: imports, vocabularies (the seeds' own first copies)
        parse_file(s.file_path, s.spec)
    mb = sum(p.stat().st_size for p, _, _ in files) / 1024 / 1024
    floor = min(_floor(files) for _ in range(3))
    dt, n_rows, by_layout = _parse(files)
    layouts = ", ".join(f"{k} {b / 1024 / 1024 / t:.1f}" for k, (b, t) in sorted(by_layout.items()))
    return [
        Row(f"read+split floor ({len(files)} files, {mb:.0f} MB)", f"{mb / floor:.0f} MB/s", "",
            f"read, decode, splitlines; figures perturbed per copy ({verbatim} copies verbatim)"),
        Row("parse throughput (one core)", f"{mb / dt:.2f} MB/s", ">= 20 MB/s",
            f"{mb / floor / (mb / dt):.0f}x slower than the floor; {n_rows / dt:,.0f} rows/s; MB/s by layout: {layouts}"),
    ]

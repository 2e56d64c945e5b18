"""Parse throughput against the floor of reading the same bytes and splitting them into lines.

The corpus is copies of every registered source's bulletin (round robin) until it holds
``corpus_mb`` MB. Both passes run over the same files in the same process, warm: the floor reads
each file, decodes it with the encoding the reader detected and splits it into lines; the parse
runs ``ingestion.parse.parse_file`` (read, detect, layout parser, furniture, coverage check).
"""

from __future__ import annotations

import shutil
import time
from collections import defaultdict
from pathlib import Path

from _common import Row


def make_corpus(target_mb: float, folder: Path) -> list[tuple[Path, object, str]]:
    from ingestion.parse import parse_file
    from ingestion.registry import load_registry

    seeds = []
    for s in load_registry().sources:
        parsed = parse_file(s.file_path, s.spec)
        if parsed.document is None:  # text bulletins (every seed)
            seeds.append((s.file_path, s.spec, parsed.text.encoding))
    files, total, i = [], 0, 0
    while total < target_mb * 1024 * 1024:
        path, spec, enc = seeds[i % len(seeds)]
        dst = folder / f"{i:05d}_{path.name}"
        shutil.copyfile(path, dst)
        files.append((dst, spec, enc))
        total += dst.stat().st_size
        i += 1
    return files


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
    folder = tmp / "corpus"
    folder.mkdir()
    files = make_corpus(corpus_mb, folder)
    mb = sum(p.stat().st_size for p, _, _ in files) / 1024 / 1024
    floor = min(_floor(files) for _ in range(3))
    dt, n_rows, by_layout = _parse(files)
    layouts = ", ".join(f"{k} {b / 1024 / 1024 / t:.1f}" for k, (b, t) in sorted(by_layout.items()))
    return [
        Row(f"read+split floor ({len(files)} files, {mb:.0f} MB)", f"{mb / floor:.0f} MB/s", "", "read, decode, splitlines"),
        Row("parse throughput (one core)", f"{mb / dt:.2f} MB/s", ">= 20 MB/s",
            f"{mb / floor / (mb / dt):.0f}x slower than the floor; {n_rows / dt:,.0f} rows/s; MB/s by layout: {layouts}"),
    ]

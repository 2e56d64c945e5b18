"""Benchmark: full build on the seeds split by stage, and parse throughput on a synthetic corpus.

    .venv/bin/python benchmarks/bench_build.py [--corpus-mb 100] [--skip-build]

Stages (seeds): parse (read + layout parser + derived signals), load (raw schema writes),
dbt (`dbt build`: models + dbt tests), checks (every Great Expectations suite). The synthetic
corpus replicates the seed bulletins until it holds at least --corpus-mb MB of text and parses
every copy with its layout, reporting MB/s, rows/s and peak memory. Targets live here, never in
timed unit tests.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_stages(db: Path) -> list[tuple[str, float, str]]:
    from ingestion import load
    from ingestion.parse import parse_source
    from ingestion.pipeline import derive, source_meta
    from ingestion.registry import load_registry

    out = []
    reg = load_registry()
    t0 = time.perf_counter()
    prepared = []
    for src in reg.sources:
        parsed = parse_source(src)
        meta, region_rows, issues = source_meta(src, parsed)
        parsed.result.issues.extend(issues)
        prepared.append((src, parsed, meta, region_rows, derive(parsed, src)))
    t_parse = time.perf_counter() - t0
    rows = sum(len(p[1].result.rows) for p in prepared)
    out.append(("parse (5 seeds)", t_parse, f"{rows} rows"))

    t0 = time.perf_counter()
    for _src, parsed, meta, region_rows, derived in prepared:
        load.write_source(db, meta, parsed.result, derived=derived, regions=region_rows)
    out.append(("load raw", time.perf_counter() - t0, f"{len(prepared)} sources"))

    env = {**os.environ, "WAREHOUSE_PATH": str(db)}
    dbt = str(Path(sys.executable).with_name("dbt"))
    t0 = time.perf_counter()
    subprocess.run(
        [dbt, "build", "--project-dir", "dbt_project", "--profiles-dir", "dbt_project", "--quiet"],
        cwd=REPO, env=env, check=True,
    )
    out.append(("dbt build", time.perf_counter() - t0, "models + tests"))

    t0 = time.perf_counter()
    from expectations import runner, suites

    n_ok = n = 0
    for name in suites.DATASETS:
        res = runner.validate(name, db)
        n += 1
        n_ok += bool(res.success)
    out.append(("GX checks", time.perf_counter() - t0, f"{n_ok}/{n} suites pass (incl. GX import)"))
    return out


def make_corpus(target_mb: float, folder: Path) -> list[tuple[Path, object]]:
    """Copies of each seed (round robin) until the corpus holds target_mb MB."""
    from ingestion.registry import load_registry

    seeds = [(s.file_path, s.spec) for s in load_registry().sources]
    files: list[tuple[Path, object]] = []
    total = 0
    i = 0
    while total < target_mb * 1024 * 1024:
        path, spec = seeds[i % len(seeds)]
        dst = folder / f"{i:05d}_{path.name}"
        shutil.copyfile(path, dst)
        files.append((dst, spec))
        total += dst.stat().st_size
        i += 1
    return files


def bench_throughput(target_mb: float) -> list[tuple[str, float, str]]:
    from ingestion.parse import parse_file

    with tempfile.TemporaryDirectory(prefix="bw_corpus_") as tmp:
        files = make_corpus(target_mb, Path(tmp))
        size = sum(p.stat().st_size for p, _ in files) / 1024 / 1024
        t0 = time.perf_counter()
        rows = 0
        for path, spec in files:
            rows += len(parse_file(path, spec).result.rows)
        dt = time.perf_counter() - t0
    return [
        (f"parse corpus ({len(files)} files, {size:.1f} MB)", dt,
         f"{size / dt:.2f} MB/s, {rows / dt:,.0f} rows/s, {rows:,} rows, peak RSS {_rss_mb():.0f} MB"),
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus-mb", type=float, default=100.0)
    ap.add_argument("--skip-build", action="store_true", help="only the parse throughput")
    args = ap.parse_args()
    results = []
    if not args.skip_build:
        with tempfile.TemporaryDirectory(prefix="bw_bench_") as tmp:
            results += bench_stages(Path(tmp) / "bench.duckdb")
    results += bench_throughput(args.corpus_mb)
    w = max(len(r[0]) for r in results)
    print(f"{'stage':<{w}}  {'seconds':>8}  detail")
    for name, secs, detail in results:
        print(f"{name:<{w}}  {secs:>8.2f}  {detail}")


if __name__ == "__main__":
    main()

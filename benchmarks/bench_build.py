"""`make bench`: every figure of issue #13 in one table, from one run.

    .venv/bin/python benchmarks/bench_build.py [--corpus-mb 30] [--query-rows 1000000,10000000]
        [--scale 100,1000,10000] [--scale-build 100] [--incremental-sources 100] [--lake-sources 200]
        [--skip-build] [--skip-incremental-100] [--skip-lake] [--skip-queries] [--skip-scale]
        [--only parse|incremental100|lake]

* build: seed build vs a bare Dagster+dbt materialize, one-source rebuild vs full rebuild, no-op
  rebuild, cold dbt parse (benchmarks/_stack.py; each a fresh interpreter, as a user runs it);
* incremental100: one-source rebuild vs full build at 100 synthetic registered sources, each in a
  county of its own (``--incremental-sources N`` for another count; benchmarks/_incremental.py);
* parse: MB/s on a corpus of the registered bulletins vs the read+split floor (benchmarks/_parse.py);
* lake: N synthetic sources staged in the raw lake by 1 and by 2 processes (the writer lock held
  throughout), then loaded by the one writer (benchmarks/_lake.py);
* queries: the README's queries and a region/period filter on marts inflated to 1 M and 10 M rows
  in a temporary DuckDB (benchmarks/_queries.py; needs the build's warehouse, or --warehouse);
* scale: registry load, definitions load, sensor tick and ingestion at 100 / 1,000 / 10,000
  synthetic registered sources (benchmarks/_scale.py).

Targets are printed beside the figures; nothing here asserts (timings are not tests). On a shared
machine the figures move with the load: the table prints the load average at start and end.
Everything is written under one temporary folder, removed at the end; subprocess logs go to
``--log`` (default: a file in that folder, kept only when a step fails).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

from _common import Row  # noqa: E402


def _ints(text: str) -> list[int]:
    return [int(x.replace("_", "")) for x in text.split(",") if x.strip()]


def _print(rows: list[Row], load: tuple[str, str], seconds: float) -> None:
    w1 = max(len(r.figure) for r in rows)
    w2 = max(len(r.value) for r in rows)
    w3 = max(len(r.target) for r in rows)
    print(f"\n{'figure':<{w1}}  {'value':>{w2}}  {'target':<{w3}}  detail")
    print(f"{'-' * w1}  {'-' * w2}  {'-' * w3}  ------")
    for r in rows:
        print(f"{r.figure:<{w1}}  {r.value:>{w2}}  {r.target:<{w3}}  {r.detail}")
    print(f"\nload average (1 min) at start {load[0]}, at end {load[1]}; {os.cpu_count()} cores; bench took {seconds:.0f} s")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus-mb", type=float, default=30.0)
    ap.add_argument("--query-rows", default="1000000,10000000")
    ap.add_argument("--scale", default="100,1000,10000")
    ap.add_argument("--scale-build", type=int, default=100, help="Dagster-build every partition up to this many sources")
    ap.add_argument("--skip-build", action="store_true")
    ap.add_argument("--skip-queries", action="store_true")
    ap.add_argument("--skip-scale", action="store_true")
    ap.add_argument("--incremental-sources", type=int, default=100, metavar="N",
                    help="registered sources of the one-source vs full build figure (default 100)")
    ap.add_argument("--skip-incremental-100", action="store_true",
                    help="skip the one-source vs full build figure at --incremental-sources sources")
    ap.add_argument("--lake-sources", type=int, default=200, metavar="N",
                    help="synthetic sources staged in the raw lake by 1 and by 2 processes, then loaded (default 200)")
    ap.add_argument("--skip-lake", action="store_true", help="skip the raw lake figures")
    ap.add_argument("--only", choices=["parse", "incremental100", "lake"],
                    help="just this figure (parse: the parse row and its floor; incremental100: the "
                         "one-source vs full build at --incremental-sources sources; lake: staging in "
                         "1 vs 2 processes and the one-writer load at --lake-sources sources)")
    ap.add_argument("--warehouse", type=Path, help="a built warehouse for the queries (default: the bench's own build)")
    ap.add_argument("--log", type=Path)
    args = ap.parse_args()
    if args.incremental_sources < 1:
        ap.error("--incremental-sources must be at least 1 (--skip-incremental-100 skips that figure)")
    skip_parse = False
    if args.only == "parse":
        args.skip_build = args.skip_queries = args.skip_scale = args.skip_incremental_100 = args.skip_lake = True
    elif args.only == "incremental100":
        args.skip_build = args.skip_queries = args.skip_scale = skip_parse = args.skip_lake = True
    elif args.only == "lake":
        args.skip_build = args.skip_queries = args.skip_scale = skip_parse = args.skip_incremental_100 = True

    import _incremental
    import _lake
    import _parse
    import _queries
    import _scale
    import _stack

    t0 = time.time()
    load0 = f"{os.getloadavg()[0]:.2f}"
    results: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bw_bench_") as name:
        tmp = Path(name)
        log = args.log or tmp / "bench.log"
        warehouse = args.warehouse
        try:
            if not args.skip_build:
                stack_rows, built = _stack.rows(tmp, log)
                results += stack_rows
                warehouse = warehouse or built
            if not args.skip_incremental_100:
                results += _incremental.rows(tmp, log, args.incremental_sources)
            if not skip_parse:
                results += _parse.rows(tmp, args.corpus_mb)
            if not args.skip_lake:
                results += _lake.rows(tmp, args.lake_sources)
            if not args.skip_queries:
                if warehouse is None:
                    results.append(Row("queries", "skipped", "", "no warehouse: run without --skip-build or give --warehouse"))
                else:
                    results += _queries.rows(warehouse, tmp, _ints(args.query_rows))
            if not args.skip_scale:
                results += _scale.rows(tmp, _ints(args.scale), args.scale_build, log)
        except SystemExit as e:
            kept = Path(tempfile.gettempdir()) / "bw_bench_failed.log"
            if log.exists():
                kept.write_text(log.read_text(encoding="utf-8", errors="replace"), encoding="utf-8")
            print(e, f"\n(log kept in {kept})", file=sys.stderr)
            return 1
    _print(results, (load0, f"{os.getloadavg()[0]:.2f}"), time.time() - t0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

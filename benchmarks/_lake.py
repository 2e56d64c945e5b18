"""The raw lake: staging scales out, loading stays one writer.

On ``benchmarks/_scale.py``'s synthetic registry of N sources (one small real bulletin copied N
times), each source is parsed and staged into a raw lake (``ingestion.pipeline.stage``: parse,
derive, Parquet files, manifest swap; no warehouse lock), first by one process, then by two
processes at once into a second lake, while the writer's lock of that warehouse is held the whole
time (staging never waits for it). Then one ``ingestion.load.sync_lake`` loads every staged source
into the raw schema, with the raw GX suites once over the batch (``expectations.runner.check_sources``),
as the ``raw_tables`` asset does.
"""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

from _common import Row, ratio


def _stage_all(args: tuple[str, str, list[str]]) -> int:
    sources, db, ids = args
    from ingestion.pipeline import stage
    from ingestion.registry import load_registry

    reg = load_registry(Path(sources))
    for sid in ids:
        stage(reg.get(sid), Path(db))
    return len(ids)


def stage_with(sources: Path, db: Path, ids: list[str], processes: int) -> float:
    """Seconds to stage ``ids`` with ``processes`` worker processes (interpreter start included)."""
    chunks = [ids[i::processes] for i in range(processes)]
    t = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        done = pool.map(_stage_all, [(str(sources), str(db), c) for c in chunks])
    assert sum(done) == len(ids)
    return time.perf_counter() - t


def rows(tmp: Path, n: int) -> list[Row]:
    import _scale

    from expectations.runner import check_sources
    from ingestion.lake import lake_root, staged_ids
    from ingestion.load import hold_lock, lock_path, sync_lake
    from ingestion.registry import load_registry

    sources = _scale.make_registry(tmp / f"lake_reg{n}", n)
    ids = [s.source_id for s in load_registry(sources).sources]
    one = stage_with(sources, tmp / "lake1" / "warehouse.duckdb", ids, 1)
    db = tmp / "lake2" / "warehouse.duckdb"
    db.parent.mkdir(parents=True)
    with hold_lock(lock_path(db), timeout_s=0, message="the benchmark holds the writer lock"):
        two = stage_with(sources, db, ids, 2)
    assert len(staged_ids(lake_root(db))) == n
    t = time.perf_counter()
    res = sync_lake(db, check=check_sources)
    t_sync = time.perf_counter() - t
    assert len(res.loaded) == n and not res.skipped, res.skipped
    return [
        Row(f"stage {n} sources in the raw lake, 1 process", f"{one:.1f} s", "",
            f"{one / n * 1000:.0f} ms a source: parse, derive, Parquet, manifest swap"),
        Row(f"stage {n} sources, 2 processes at once", f"{two:.1f} s", "scales out",
            f"{ratio(one, two)} faster than 1 process, with the warehouse's writer lock held throughout"),
        Row(f"load {n} staged sources (one writer, one transaction)", f"{t_sync:.1f} s", "",
            f"{t_sync / n * 1000:.1f} ms a source, raw GX suites once over the batch"),
    ]

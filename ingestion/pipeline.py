"""One source from file to the ``raw`` schema: read, parse, derive, load. Shared by the Dagster
ingestion asset, the command line and the tests, so they cannot drift apart."""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass
from pathlib import Path

from ingestion import duplicates, load, periods, regions
from ingestion.errors import RegistryError
from ingestion.lake import lake_root
from ingestion.model import Coverage, SourceIssue
from ingestion.normalize import signals
from ingestion.parse import ParsedSource, parse_source
from ingestion.registry import REPO_ROOT, RegisteredSource

DEFAULT_DB = REPO_ROOT / "data" / "warehouse.duckdb"


@dataclass
class IngestSummary:
    source_id: str
    layout: str
    encoding: str
    rows: int
    tables: int
    coverage: Coverage
    quarantined: int
    written: dict[str, int]


def source_meta(src: RegisteredSource, parsed: ParsedSource) -> tuple[dict, list[dict], list[SourceIssue]]:
    """The raw.sources row, the regions to upsert, and source-level issues."""
    spec = src.spec
    issues: list[SourceIssue] = []
    region_rows: list[dict] = []
    region_code = None
    if spec.jurisdiction is not None:
        try:
            region = regions.resolve(spec.jurisdiction)
        except regions.RegionError as e:
            raise RegistryError(src.yaml_path, str(e), field="jurisdiction") from e
        region_code = region.region_code
        region_rows = [asdict(r) for r in regions.ancestors(region)]
    else:
        issues.append(SourceIssue("no_jurisdiction", spec.unknown_reason or "jurisdiction not stated"))
    if spec.period is None:
        issues.append(SourceIssue("no_period", spec.unknown_reason or "period not stated"))
    j = spec.jurisdiction
    meta = {
        "source_id": spec.source_id,
        "source_file": src.relative_file(),
        "file_sha256": parsed.sha256,
        "encoding": parsed.text.encoding,
        "layout": parsed.layout,
        "title": spec.title,
        "province": j.province if j else None,
        "city": j.city if j else None,
        "county": j.county if j else None,
        "region_code": region_code,
        **periods.raw_columns(spec.period.span if spec.period else None),
        "publisher": spec.publisher,
        "published": spec.published,
        "url": spec.url,
        "unknown_reason": spec.unknown_reason,
    }
    return meta, region_rows, issues


def derive(parsed: ParsedSource, src: RegisteredSource) -> dict[str, list[dict]]:
    """Per-row signals and headline indicators (ingestion.normalize)."""
    return signals.derive_tables(parsed.result.rows, src.spec)


def error_text(e: BaseException) -> str:
    """An error as the report, the Dagster UI and raw.ingest_log show it: ``Type: message``."""
    return f"{type(e).__name__}: {e}"


def failure_text(src: RegisteredSource, e: Exception) -> str:
    """What raw.ingest_log keeps of a failure: the error, always naming the source's file."""
    text = error_text(e)
    return text if src.relative_file() in text else f"{src.relative_file()}: {text}"


def stage(src: RegisteredSource, db_path: Path = DEFAULT_DB) -> IngestSummary:
    """Parse one source and stage it in the warehouse's raw lake (``ingestion.load.stage_source``:
    Parquet files and an atomic manifest swap, no warehouse lock, so sources stage in parallel).
    On any error nothing of this source is staged: the failure is recorded in the lake (it
    reaches raw.ingest_log with the next sync) and re-raised."""
    try:
        parsed = parse_source(src)
        duplicates.drop_repeated_rows(parsed.result, parsed.text.lines)
        meta, region_rows, issues = source_meta(src, parsed)
        parsed.result.issues.extend(issues)
        derived = derive(parsed, src)
        written = load.stage_source(lake_root(db_path), meta, parsed.result, derived=derived,
                                    regions=region_rows)
    except Exception as e:
        load.log_failure(db_path, src.source_id, failure_text(src, e))
        raise
    res = parsed.result
    return IngestSummary(
        source_id=src.source_id,
        layout=parsed.layout,
        encoding=parsed.text.encoding,
        rows=len(res.rows),
        tables=len({r.table_no for r in res.rows}),
        coverage=res.coverage(),
        quarantined=len(res.quarantine),
        written=written,
    )


def ingest_source(src: RegisteredSource, db_path: Path = DEFAULT_DB) -> IngestSummary:
    """Stage one source and load it into the raw schema at once, its raw GX suites run on its rows
    before they are loaded (what the command line and one-process callers do; the Dagster graph
    stages in ``raw_bulletin`` and loads every staged source in ``raw_tables``). On any error, or
    a failed raw check, nothing of this source is changed in the warehouse (the failure is logged
    in raw.ingest_log) and the error is re-raised."""
    from expectations.runner import check_sources

    try:
        summary = stage(src, db_path)
    except Exception:
        load.sync_lake(db_path, only=[])  # records the failure in raw.ingest_log
        raise
    load.load_staged(db_path, src.source_id, check=check_sources)
    return summary


@dataclass
class Staged:
    """What staging one source came to: its summary, or the error text (never raised: one bad
    source must not stop the others)."""

    source: RegisteredSource
    summary: IngestSummary | None
    error: str | None
    seconds: float


def _stage_one(src: RegisteredSource, db_path: Path) -> Staged:
    t = time.monotonic()
    try:
        return Staged(src, stage(src, db_path), None, time.monotonic() - t)
    except Exception as e:  # noqa: BLE001  recorded in the lake by stage(); reported per source
        return Staged(src, None, error_text(e), time.monotonic() - t)


def stage_workers(n_sources: int) -> int:
    """Processes to stage ``n_sources`` with: ``BULLETINS_STAGE_WORKERS``, else one per core;
    never more than the sources (one source stages in this process)."""
    wanted = int(os.environ.get(STAGE_WORKERS_ENV) or os.cpu_count() or 1)
    return max(1, min(wanted, n_sources))


STAGE_WORKERS_ENV = "BULLETINS_STAGE_WORKERS"


def stage_all(sources: Sequence[RegisteredSource], db_path: Path = DEFAULT_DB,
              workers: int | None = None, stage_fn: Callable[[RegisteredSource, Path], Staged] = _stage_one,
              ) -> Iterator[Staged]:
    """Stage every source (``stage``), in a pool of processes when there are several: staging
    takes no warehouse lock, each source has its own lake lock. Yields in ``sources`` order.
    A worker that dies outright (killed, out of memory) breaks the pool: every source it had not
    returned is then staged again alone, so only the one that kills its process is excluded."""
    workers = stage_workers(len(sources)) if workers is None else workers
    if workers <= 1:
        for src in sources:
            yield stage_fn(src, db_path)
        return
    with _pool(workers) as pool:
        futures = [pool.submit(stage_fn, src, db_path) for src in sources]
        for src, fut in zip(sources, futures, strict=True):
            try:
                yield fut.result()
            except BrokenProcessPool:
                yield _stage_alone(stage_fn, src, db_path)


def _pool(workers: int) -> ProcessPoolExecutor:
    # spawn, not fork: the caller may hold threads and open files (the Dagster instance) that a
    # forked child would inherit half-way.
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))


def _stage_alone(stage_fn: Callable[[RegisteredSource, Path], Staged], src: RegisteredSource,
                 db_path: Path) -> Staged:
    with _pool(1) as pool:
        try:
            return pool.submit(stage_fn, src, db_path).result()
        except BrokenProcessPool:
            error = RuntimeError("the process staging it died (killed, or out of memory)")
            load.log_failure(db_path, src.source_id, failure_text(src, error))
            return Staged(src, None, error_text(error), 0.0)

"""Load parse results into the DuckDB ``raw`` schema, through the raw lake (``ingestion.lake``).

Two steps, so that parsing scales out and DuckDB keeps its one writer:

* ``stage_source`` writes one source's tables as Parquet files into the lake and swaps its
  manifest in atomically. It takes no warehouse lock: any number of processes stage at once.
* ``sync_lake`` is the one writer: it takes the exclusive lock beside the database
  (``hold_lock``: ``filelock.FileLock``, released by the OS when its holder dies, so a killed run
  never leaves a held lock) and, in one transaction, replaces the rows of every source whose
  current version is not loaded yet (delete + insert from its Parquet files), so re-running is
  idempotent and a failure, a failed raw check or a SIGKILL leaves every source's previously
  loaded rows intact. A version it cannot use (another raw schema, a missing or truncated file,
  a failed check) is skipped and reported; the source keeps its previous load.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
from filelock import FileLock, Timeout

from ingestion import lake, tasks
from ingestion.errors import IngestError
from ingestion.failpoints import failpoint
from ingestion.labels import region_name_en
from ingestion.model import ParseResult

# Raw checks of staged sources before they are loaded: given a connection whose raw schema holds
# just those sources, the errors of the ones that must not be loaded (source id -> exception).
SourceCheck = Callable[[duckdb.DuckDBPyConnection, list[str]], dict[str, Exception]]

RAW_DDL = """
create schema if not exists raw;
create table if not exists raw.sources (
    source_id varchar primary key,
    source_file varchar not null,
    file_sha256 varchar not null,
    encoding varchar,
    layout varchar,
    title varchar,
    province varchar,
    city varchar,
    county varchar,
    region_code varchar,
    period_label varchar,
    period_type varchar,
    period_year integer,
    period_no integer,
    period_start date,
    period_end date,
    period_end_month integer,
    elapsed_share double,
    publisher varchar,
    published date,
    url varchar,
    unknown_reason varchar,
    total_lines integer,
    row_count integer,
    -- line coverage (ingestion.model.ParseResult.coverage, the one implementation): lines in a
    -- row's span, furniture, quarantine; mart.source_coverage selects these
    row_lines integer,
    furniture_lines integer,
    quarantined_lines integer,
    loaded_at timestamp
);
create table if not exists raw.task_rows (
    source_id varchar not null,
    table_no integer not null,
    row_no integer not null,
    task_seq integer,
    sub_seq integer not null,
    category varchar,
    task_text varchar,
    period_target varchar,
    progress_text varchar,
    lead_units varchar[],
    cooperating_units varchar[],
    lead_units_raw varchar,
    cooperating_units_raw varchar,
    leader varchar,
    responsible_person varchar,
    status_reported varchar,
    remark varchar,
    flags varchar[],
    line_start integer not null,
    line_end integer not null,
    primary key (source_id, table_no, row_no)
);
create table if not exists raw.furniture (
    source_id varchar not null, line_no integer not null, kind varchar not null, text varchar
);
create table if not exists raw.quarantine (
    source_id varchar not null, line_no integer not null, text varchar, reason varchar not null
);
create table if not exists raw.stated_totals (
    source_id varchar not null, table_no integer, metric varchar not null, value integer not null,
    line_no integer, text varchar
);
create table if not exists raw.source_issues (
    source_id varchar not null, code varchar not null, message varchar
);
create table if not exists raw.table_headers (
    source_id varchar not null, table_no integer not null, position integer not null,
    header_text varchar, role varchar
);
-- Derived per row by ingestion.normalize (pure functions of the row text and the period).
create table if not exists raw.row_signals (
    source_id varchar not null, table_no integer not null, row_no integer not null,
    status_inferred varchar not null,       -- completed/ahead/on_track/behind/not_applicable/unknown
    inference_rule varchar,                 -- name of the rule that decided, null when unknown
    inference_evidence varchar,             -- the words or figures the rule matched
    status_confidence varchar,              -- high / medium / low (ingestion.normalize.status.CONFIDENCE)
    completion_pct double,                  -- share of target stated in the text
    masked_figures boolean not null default false,
    -- The printed status cell through the vocabulary (+ the source's own status_words, with
    -- Traditional folded to Simplified): null when the cell is blank, 'unknown' when the word is
    -- not known. Python is the one implementation; dbt reads it.
    status_reported_norm varchar,
    status_conflict boolean not null default false  -- reported vs inferred cannot both be true
);
create table if not exists raw.indicators (
    source_id varchar not null, table_no integer not null, row_no integer not null,
    indicator_code varchar not null, indicator_name varchar,
    target_kind varchar,                     -- ingestion.normalize.indicators.TARGET_KINDS
    target_value double, target_unit varchar, target_text varchar,
    actual_kind varchar, actual_value double, actual_unit varchar, actual_text varchar,
    met boolean,                             -- null when target or actual cannot be compared
    rule varchar,
    indicator_name_en varchar                -- indicator_definitions.csv indicator_name_en
);
-- Every region a source sits in, with its ancestors (GB/T 2260 via cpca).
create table if not exists raw.regions (
    region_code varchar primary key, region_name varchar not null, full_name varchar,
    level varchar, parent_code varchar, province_code varchar, city_code varchar,
    region_name_en varchar                   -- pinyin + kind (ingestion.labels.region_name_en)
);
create table if not exists raw.ingest_log (
    source_id varchar not null, attempted_at timestamp not null, ok boolean not null,
    error varchar, row_count integer
);
-- The lake version (ingestion.lake) each source's rows come from, and versions that were not
-- loaded (with why), so each is reported once.
create table if not exists raw.lake_loaded (
    source_id varchar primary key, version varchar not null, loaded_at timestamp not null
);
create table if not exists raw.lake_rejected (
    source_id varchar not null, version varchar not null, reason varchar not null,
    rejected_at timestamp not null, primary key (source_id, version)
);
"""
# Task identity across a jurisdiction's periods (ingestion/tasks.py), re-matched per jurisdiction-year.
RAW_DDL += tasks.TASK_LINKS_DDL

# Tables holding one source's parse output; replaced as a whole on re-ingest.
PER_SOURCE_TABLES = (
    "raw.task_rows",
    "raw.furniture",
    "raw.quarantine",
    "raw.stated_totals",
    "raw.source_issues",
    "raw.table_headers",
    "raw.row_signals",
    "raw.indicators",
    "raw.sources",
)


def lock_path(db_path: Path) -> Path:
    """The lock file beside the warehouse that its writers and (briefly) its readers take."""
    return db_path.with_name(db_path.name + ".lock")


@contextlib.contextmanager
def hold_lock(path: Path, *, timeout_s: float, message: str) -> Iterator[None]:
    """The one lock helper of the project: an exclusive ``filelock.FileLock`` on ``path``, waited
    for up to ``timeout_s`` seconds (0: do not wait), then ``TimeoutError(message)``. The OS
    releases it when the holding process dies, so a killed build never leaves it held."""
    lock = FileLock(str(path), timeout=timeout_s, is_singleton=False)
    try:
        lock.acquire()
    except Timeout:
        raise TimeoutError(message) from None
    try:
        yield
    finally:
        lock.release()


@contextlib.contextmanager
def writer(db_path: Path, timeout_s: float = 600.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """The one way to write the warehouse: an exclusive lock file, then a short-lived connection."""
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with hold_lock(lock_path(db_path), timeout_s=timeout_s,
                   message=f"{db_path}: another writer held the lock for {timeout_s:.0f}s"):
        con = duckdb.connect(str(db_path))
        try:
            con.execute(RAW_DDL)
            yield con
        finally:
            con.close()


# Staged beside a source's own tables: the regions it sits in (upserted into the shared
# raw.regions on load, never deleted).
STAGED_TABLES = (*PER_SOURCE_TABLES, "raw.regions")
SCHEMA = lake.schema_key(RAW_DDL)


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _frame(records: list[dict], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_records(records, columns=columns)


def source_frames(
    source_meta: dict,
    result: ParseResult,
    derived: dict[str, list[dict]] | None = None,
    regions: list[dict] | None = None,
) -> dict[str, pd.DataFrame]:
    """One source's raw tables as DataFrames: the parse result, the ``derived`` per-row tables
    (e.g. ``{"raw.row_signals": [...]}``) and the regions it sits in, each with its English name
    (``ingestion.labels.region_name_en``)."""
    sid = source_meta["source_id"]
    rows = []
    for r in result.rows:
        d = asdict(r)
        d["source_id"] = sid
        rows.append(d)
    row_cols = [
        "source_id", "table_no", "row_no", "task_seq", "sub_seq", "category", "task_text",
        "period_target", "progress_text", "lead_units", "cooperating_units", "lead_units_raw",
        "cooperating_units_raw", "leader", "responsible_person", "status_reported", "remark", "flags",
        "line_start", "line_end",
    ]
    cov = result.coverage()
    frames = {
        "raw.task_rows": _frame(rows, row_cols),
        "raw.furniture": _frame(
            [{"source_id": sid, **asdict(f)} for f in result.furniture], ["source_id", "line_no", "kind", "text"]
        ),
        "raw.quarantine": _frame(
            [{"source_id": sid, **asdict(q)} for q in result.quarantine], ["source_id", "line_no", "text", "reason"]
        ),
        "raw.stated_totals": _frame(
            [{"source_id": sid, **asdict(t)} for t in result.stated_totals],
            ["source_id", "table_no", "metric", "value", "line_no", "text"],
        ),
        "raw.source_issues": _frame(
            [{"source_id": sid, **asdict(i)} for i in result.issues], ["source_id", "code", "message"]
        ),
        "raw.table_headers": _frame(
            [
                {"source_id": sid, "table_no": t, "position": i + 1, "header_text": h, "role": role}
                for t, cells in result.headers.items()
                for i, (h, role) in enumerate(cells)
            ],
            ["source_id", "table_no", "position", "header_text", "role"],
        ),
        "raw.sources": pd.DataFrame(
            [{**source_meta, "total_lines": result.total_lines, "row_count": len(result.rows),
              "row_lines": cov.row_lines, "furniture_lines": cov.furniture_lines,
              "quarantined_lines": cov.quarantined_lines, "loaded_at": _utcnow()}]
        ),
    }
    for table, records in (derived or {}).items():
        if table not in PER_SOURCE_TABLES:
            raise ValueError(f"{table} is not a per-source raw table")
        frames[table] = pd.DataFrame([{"source_id": sid, **r} for r in records])
    if regions:
        frames["raw.regions"] = pd.DataFrame(
            [{**{k: reg[k] for k in ("region_code", "region_name", "full_name", "level", "parent_code",
                                      "province_code", "city_code")},
              "region_name_en": region_name_en(reg["region_name"])} for reg in regions]
        )
    return frames


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _memory_raw() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the raw DDL: where a source's rows take the DDL's types, keys and
    NOT NULLs before they are staged, and where a batch is checked before it is loaded."""
    con = duckdb.connect(":memory:")
    con.execute(RAW_DDL)
    return con


def _insert(table: str) -> str:
    """Per-source tables are replaced as a whole; raw.regions is shared by sources: upserted."""
    return f"insert or replace into {table}" if table == "raw.regions" else f"insert into {table}"


def _insert_frame(con: duckdb.DuckDBPyConnection, table: str, df: pd.DataFrame) -> None:
    if df.empty:
        return
    con.register("df_in", df)
    try:
        con.execute(f"{_insert(table)} by name select * from df_in")
    finally:
        con.unregister("df_in")


def stage_source(
    root: Path,
    source_meta: dict,
    result: ParseResult,
    derived: dict[str, list[dict]] | None = None,
    regions: list[dict] | None = None,
) -> dict[str, int]:
    """Write one source's raw tables into the lake at ``root`` as a new version and make it the
    source's current one (no warehouse lock; the raw checks run when it is loaded, ``sync_lake``).
    Returns rows per table."""
    sid = lake.check_id(source_meta["source_id"])
    frames = source_frames(source_meta, result, derived, regions)
    con = _memory_raw()
    try:
        for table, df in frames.items():
            _insert_frame(con, table, df)
        with lake.staging(root, sid) as (_, version):
            files = {}
            for table in STAGED_TABLES:
                path = lake.table_file(root, sid, version, table)
                where = "" if table == "raw.regions" else " where source_id = $sid"
                con.execute(f"copy (select * from {table}{where}) to {_quoted(path)} (format parquet)",
                            {"sid": sid} if where else None)
                files[table] = len(frames.get(table, ()))
            failpoint("ingest.before_commit")  # files written, the manifest not yet swapped in
            lake.publish(root, lake.Manifest(source_id=sid, version=version, schema=SCHEMA,
                                             staged_at=_utcnow().isoformat(), row_count=len(result.rows),
                                             files=files))
    finally:
        con.close()
    return {t: n for t, n in files.items() if t in frames}


@dataclass
class SyncResult:
    loaded: list[str] = field(default_factory=list)  # sources whose new version is now in raw.*
    skipped: dict[str, str] = field(default_factory=dict)  # not loaded by this sync, and why
    errors: dict[str, Exception] = field(default_factory=dict)  # of those, the ones a check refused
    held_back: dict[str, str] = field(default_factory=dict)  # every source whose current version is refused
    failures_logged: int = 0  # failed attempts moved from the lake into raw.ingest_log


def _to_load(root: Path, loaded: dict[str, str], rejected: set[tuple[str, str]],
             only: list[str] | None) -> tuple[list[lake.Manifest], dict[str, str]]:
    """Current manifests not yet loaded (nor refused before), and sources whose manifest is unreadable."""
    staged = lake.staged_ids(root)
    wanted = staged if only is None else sorted(set(only) & set(staged))
    out, bad = [], {}
    for sid in wanted:
        try:
            m = lake.read_manifest(root, sid)
        except lake.LakeError as e:
            bad[sid] = str(e)
            continue
        if m is not None and loaded.get(sid) != m.version and (sid, m.version) not in rejected:
            out.append(m)
    return out, bad


def _unusable(con: duckdb.DuckDBPyConnection, root: Path, m: lake.Manifest) -> str | None:
    """Why a staged version cannot be loaded (None when it can); reads the files' row counts
    (Parquet metadata) through ``con``."""
    if m.format != lake.FORMAT:
        return f"lake format {m.format}, this code reads format {lake.FORMAT}: stage the source again"
    if m.schema != SCHEMA:
        return "staged under other raw columns (ingestion/load.py changed since): stage the source again"
    for table, n in m.files.items():
        path = lake.table_file(root, m.source_id, m.version, table)
        try:
            got = con.execute(f"select count(*) from read_parquet({_quoted(path)})").fetchone()
        except duckdb.Error as e:
            return f"{path}: unreadable ({type(e).__name__}: {str(e).splitlines()[0]})"
        if got is None or got[0] != n:
            return f"{path}: {got[0] if got else 0} rows, the manifest says {n}"
    return None


def _read_version(con: duckdb.DuckDBPyConnection, root: Path, m: lake.Manifest) -> None:
    """Insert one staged version's rows into ``con``'s raw tables (regions upserted)."""
    for table, n in m.files.items():
        if n:
            path = lake.table_file(root, m.source_id, m.version, table)
            con.execute(f"{_insert(table)} by name select * from read_parquet({_quoted(path)})")


def _failing(root: Path, versions: list[lake.Manifest], check: SourceCheck) -> dict[str, Exception]:
    """Run ``check`` once over the whole batch, on an in-memory copy of just those sources."""
    con = _memory_raw()
    try:
        for m in versions:
            _read_version(con, root, m)
        errors = check(con, [m.source_id for m in versions])
        files = dict(con.execute("select source_id, source_file from raw.sources").fetchall())
    finally:
        con.close()
    for sid, err in errors.items():  # name the bulletin, as every ingest error does
        if isinstance(err, IngestError) and sid in files:
            err.at(files[sid])
    return errors


def sync_lake(db_path: Path, only: list[str] | None = None, check: SourceCheck | None = None,
              timeout_s: float = 600.0) -> SyncResult:
    """Load every staged version that is not in the warehouse yet (or just ``only``'s) into the
    raw schema, in one transaction: the single writer of the raw layer. Versions that cannot be
    used or that ``check`` refuses are skipped and recorded once in raw.ingest_log and
    raw.lake_rejected; their sources keep their previous load. Failed attempts recorded in the
    lake move into raw.ingest_log."""
    db_path = Path(db_path)
    root = lake.lake_root(db_path)
    out = SyncResult()
    with writer(db_path, timeout_s) as con:
        loaded = dict(con.execute("select source_id, version from raw.lake_loaded").fetchall())
        rejected = {(s, v) for s, v in con.execute("select source_id, version from raw.lake_rejected").fetchall()}
        candidates, unreadable = _to_load(root, loaded, rejected, only)
        out.skipped.update(unreadable)
        refused: list[tuple[lake.Manifest, str]] = []
        usable = []
        for m in candidates:
            reason = _unusable(con, root, m)
            if reason:
                refused.append((m, reason))
            else:
                usable.append(m)
        if check is not None and usable:
            out.errors = _failing(root, usable, check)
            refused += [(m, f"raw checks failed: {out.errors[m.source_id]}") for m in usable
                        if m.source_id in out.errors]
            usable = [m for m in usable if m.source_id not in out.errors]
        out.skipped.update({m.source_id: reason for m, reason in refused})
        failures = lake.pending_failures(root)
        now = _utcnow()
        con.execute("begin transaction")
        try:
            groups: set[str] = set()
            for m in usable:
                groups |= tasks.groups_of(con, m.source_id)  # the jurisdiction-year it was in, to re-match
                for table in PER_SOURCE_TABLES:
                    con.execute(f"delete from {table} where source_id = ?", [m.source_id])
                con.execute("delete from raw.task_links where source_id = ?", [m.source_id])
                _read_version(con, root, m)
                groups |= tasks.groups_of(con, m.source_id)
                con.execute("insert or replace into raw.lake_loaded values (?, ?, ?)", [m.source_id, m.version, now])
                con.execute("insert into raw.ingest_log values (?, ?, true, null, ?)", [m.source_id, now, m.row_count])
                out.loaded.append(m.source_id)
            if groups:
                tasks.relink(con, groups)
            for m, reason in refused:
                con.execute("insert into raw.lake_rejected values (?, ?, ?, ?)", [m.source_id, m.version, reason, now])
                con.execute("insert into raw.ingest_log values (?, ?, false, ?, null)", [m.source_id, now, reason])
            for _, rec in failures:
                con.execute("insert into raw.ingest_log values (?, ?, false, ?, null)",
                            [rec.get("source_id"), rec.get("attempted_at") or now, rec.get("error")])
            failpoint("sync.before_commit")
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
        out.held_back = _held_back(con, root)
    for path, _ in failures:
        path.unlink(missing_ok=True)
    out.failures_logged = len(failures)
    return out


def _held_back(con: duckdb.DuckDBPyConnection, root: Path) -> dict[str, str]:
    """Sources whose current staged version was refused: what the warehouse has of them is older."""
    refused = {(s, v): r for s, v, r in con.execute(
        "select source_id, version, reason from raw.lake_rejected").fetchall()}
    out = {}
    for sid in lake.staged_ids(root):
        with contextlib.suppress(lake.LakeError):
            m = lake.read_manifest(root, sid)
            if m is not None and (sid, m.version) in refused:
                out[sid] = refused[(sid, m.version)]
    return out


def write_source(
    db_path: Path,
    source_meta: dict,
    result: ParseResult,
    derived: dict[str, list[dict]] | None = None,
    regions: list[dict] | None = None,
    check: SourceCheck | None = None,
) -> dict[str, int]:
    """Stage one source and load it at once (what one process ingesting one source does)."""
    written = stage_source(lake.lake_root(db_path), source_meta, result, derived, regions)
    load_staged(db_path, source_meta["source_id"], check)
    return written


def load_staged(db_path: Path, source_id: str, check: SourceCheck | None = None) -> None:
    """Load one staged source now. If ``check`` refuses it its error is raised (it names the
    bulletin); if its files cannot be used, a LakeError says why. Either way the source keeps
    its previous load."""
    res = sync_lake(db_path, only=[source_id], check=check)
    if source_id in res.errors:
        raise res.errors[source_id]
    if source_id in res.skipped:
        raise lake.LakeError(f"{source_id}: not loaded: {res.skipped[source_id]}")


def log_failure(db_path: Path, source_id: str, error: str) -> None:
    """Record a failed ingest without touching the source's previously loaded rows (nor taking
    the warehouse lock): it reaches raw.ingest_log with the next sync."""
    lake.log_failure(lake.lake_root(db_path), source_id, error)


def remove_source(db_path: Path, source_id: str) -> None:
    """Drop a source that left the registry: its lake folder first (so no sync loads it again),
    then its rows."""
    lake.remove(lake.lake_root(db_path), source_id)
    with writer(db_path) as con:
        con.execute("begin transaction")
        groups = tasks.groups_of(con, source_id)
        for table in (*PER_SOURCE_TABLES, "raw.lake_loaded", "raw.lake_rejected"):
            con.execute(f"delete from {table} where source_id = ?", [source_id])
        tasks.relink(con, groups, source_id=source_id)
        con.execute("commit")

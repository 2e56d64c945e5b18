"""Write one source's parse result into the DuckDB ``raw`` schema.

DuckDB allows one writer per file: every write here takes an exclusive file lock beside the
database (``hold_lock``: ``filelock.FileLock``, released by the OS when its holder dies, so a
killed run never leaves a held lock), opens the connection only for the write, and replaces the
source's rows inside one transaction (delete + insert + the source's raw checks), so re-running is
idempotent and a failure, a failed raw check or a SIGKILL leaves the previously loaded rows of
every source intact.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import asdict
from pathlib import Path

import duckdb
import pandas as pd
from filelock import FileLock, Timeout

from ingestion import tasks
from ingestion.failpoints import failpoint
from ingestion.labels import region_name_en
from ingestion.model import ParseResult

# Called inside a source's write transaction, before commit: raises to roll the write back.
SourceCheck = Callable[[duckdb.DuckDBPyConnection, str], None]

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


def _frame(records: list[dict], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_records(records, columns=columns)


def write_source(
    db_path: Path,
    source_meta: dict,
    result: ParseResult,
    derived: dict[str, list[dict]] | None = None,
    regions: list[dict] | None = None,
    check: SourceCheck | None = None,
) -> dict[str, int]:
    """Replace everything loaded for ``source_meta['source_id']`` with ``result`` (and the
    ``derived`` per-row tables, e.g. ``{"raw.row_signals": [...]}``) in one transaction.
    ``regions`` are upserted into raw.regions (shared by sources, never deleted), each with its
    English name (``ingestion.labels.region_name_en``). ``check`` runs on the written
    rows before commit; if it raises, the write is rolled back (the source keeps its previous
    load) and the error propagates."""
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
              "quarantined_lines": cov.quarantined_lines,
              "loaded_at": dt.datetime.now(dt.UTC).replace(tzinfo=None)}]
        ),
    }
    for table, records in (derived or {}).items():
        if table not in PER_SOURCE_TABLES:
            raise ValueError(f"{table} is not a per-source raw table")
        frames[table] = pd.DataFrame([{"source_id": sid, **r} for r in records])
    with writer(db_path) as con:
        con.execute("begin transaction")
        try:
            for reg in regions or []:
                con.execute(
                    "insert or replace into raw.regions values (?, ?, ?, ?, ?, ?, ?, ?)",
                    [reg["region_code"], reg["region_name"], reg["full_name"], reg["level"],
                     reg["parent_code"], reg["province_code"], reg["city_code"], region_name_en(reg["region_name"])],
                )
            groups = tasks.groups_of(con, sid)  # the jurisdiction-year it was in, to re-match
            for table in PER_SOURCE_TABLES:
                con.execute(f"delete from {table} where source_id = ?", [sid])
            for table, df in frames.items():
                if df.empty:
                    continue
                con.register("df_in", df)
                cols = ", ".join(df.columns)
                con.execute(f"insert into {table} ({cols}) select {cols} from df_in")
                con.unregister("df_in")
            tasks.relink(con, groups | tasks.groups_of(con, sid), source_id=sid)
            if check is not None:
                check(con, sid)
            con.execute(
                "insert into raw.ingest_log values (?, ?, true, null, ?)",
                [sid, dt.datetime.now(dt.UTC).replace(tzinfo=None), len(result.rows)],
            )
            failpoint("ingest.before_commit")
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    return {t: len(df) for t, df in frames.items()}


def log_failure(db_path: Path, source_id: str, error: str) -> None:
    """Record a failed ingest without touching the source's previously loaded rows."""
    with writer(db_path) as con:
        con.execute(
            "insert into raw.ingest_log values (?, ?, false, ?, null)",
            [source_id, dt.datetime.now(dt.UTC).replace(tzinfo=None), error],
        )


def remove_source(db_path: Path, source_id: str) -> None:
    """Drop a source that left the registry."""
    with writer(db_path) as con:
        con.execute("begin transaction")
        groups = tasks.groups_of(con, source_id)
        for table in PER_SOURCE_TABLES:
            con.execute(f"delete from {table} where source_id = ?", [source_id])
        tasks.relink(con, groups, source_id=source_id)
        con.execute("commit")

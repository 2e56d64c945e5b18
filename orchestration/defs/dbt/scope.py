"""Which sources a scoped dbt build replaces in the incremental marts (docs/scaling.md).

The marts whose rows each belong to one source (``fact_task_progress``, ``task_progress``,
``indicator_progress``, ``bridge_task_unit``, ``source_coverage``, ``source_reconciliation``) are
dbt ``incremental`` models keyed by ``source_id`` (dbt_project.yml, macros/build_scope.sql). After
some sources were re-ingested, a scoped build deletes and re-inserts only the rows of the sources
this module lists in ``raw.build_scope``; any other build is a full refresh.

A changed source can change the mart rows of *other* sources of its jurisdiction: the task links of
a jurisdiction-year are re-matched together (``ingestion.tasks.relink``: ``task_key``,
``match_method``), and a unit's function in ``dim_unit`` is read from every printed form of it in
the region (``task_progress.lead_function_code``). Units and task groups never cross a region code
(a source without one shares with every other source without one), so the scope is the changed
sources and every source of a region one of them is in, before or after its change.

A scoped build runs only when the marts were last built from the dbt project as it is now
(``can_scope``); it neither reloads the seeds nor re-creates the staging views (unchanged), but
runs every dbt test on them and on the marts (``orchestration.definitions`` ``SCOPED_JOB``).

A scope that was written but not built (dbt failed or was skipped behind a failed check) stays in
the table and is added to the next one; it is emptied after a dbt build that succeeded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

SCOPE_TABLE = "raw.build_scope"
# The dbt project fingerprint the marts were last built from (written after a dbt build succeeded).
BUILT_TABLE = "raw.build_marts"
# Where the region of each source as the marts last saw it is read (before the scoped build).
MART_REGIONS_SQL = "select distinct source_id, region_code from mart.task_progress"


def affected_sources(
    changed: Iterable[str], regions_now: Mapping[str, str | None], regions_then: Mapping[str, str | None]
) -> list[str]:
    """The sources whose incremental mart rows may differ after ``changed`` (re-ingested, added or
    removed) sources: those, and every source sharing a region code (``None`` included) with one
    of them, by the raw layer now (``regions_now``) or by the marts before (``regions_then``)."""
    changed = set(changed)
    maps = (regions_now, regions_then)
    regions = {m[s] for m in maps for s in changed if s in m}
    return sorted(changed | {s for m in maps for s, r in m.items() if r in regions})


def _has_table(con, table: str) -> bool:
    """``table`` ('schema.name') exists in the warehouse ``con`` is open on."""
    (n,) = con.execute("select count(*) from information_schema.tables where table_schema || '.' || table_name = ?",
                       [table]).fetchone() or (0,)
    return bool(n)


def _create_tables(con) -> None:
    con.execute(f"create table if not exists {SCOPE_TABLE} (source_id varchar primary key)")
    con.execute(f"create table if not exists {BUILT_TABLE} (project_fingerprint varchar not null)")


def write_scope(db_path: Path, changed: Iterable[str]) -> list[str]:
    """Replace ``raw.build_scope`` with the sources a scoped build of ``changed`` must replace
    (plus any scope left by a build that did not finish). Returns them."""
    from ingestion.load import writer

    with writer(Path(db_path)) as con:
        _create_tables(con)
        pending = [r[0] for r in con.execute(f"select source_id from {SCOPE_TABLE}").fetchall()]
        now = dict(con.execute("select source_id, region_code from raw.sources").fetchall())
        then = dict(con.execute(MART_REGIONS_SQL).fetchall()) if _has_table(con, "mart.task_progress") else {}
        scope = affected_sources({*changed, *pending}, now, then)
        con.execute("begin transaction")
        con.execute(f"delete from {SCOPE_TABLE}")
        if scope:
            con.execute(f"insert into {SCOPE_TABLE} select unnest(?::varchar[])", [scope])
        con.execute("commit")
    return scope


def clear_scope(db_path: Path, project_fingerprint: str) -> None:
    """After a dbt build that succeeded: nothing is pending, and the marts are built from the dbt
    project of ``project_fingerprint``."""
    from ingestion.load import writer

    with writer(Path(db_path)) as con:
        _create_tables(con)
        con.execute("begin transaction")
        con.execute(f"delete from {SCOPE_TABLE}")
        con.execute(f"delete from {BUILT_TABLE}")
        con.execute(f"insert into {BUILT_TABLE} values (?)", [project_fingerprint])
        con.execute("commit")


def built_with(db_path: Path) -> str | None:
    """The dbt project fingerprint (``orchestration.defs.dbt.project.project_fingerprint``) of the
    last dbt build of ``db_path`` that succeeded; None when unknown."""
    rows = _read_if_exists(db_path, BUILT_TABLE, "project_fingerprint")
    return max(rows) if rows else None


def _read_if_exists(db_path: Path, table: str, column: str) -> list[str]:
    """``column`` of ``table`` in the warehouse, [] without either (through the warehouse's one
    writer, ``ingestion.load.writer``: ``make rebuild``'s no-op check must not import GX, ~3 s)."""
    if not Path(db_path).exists():
        return []
    from ingestion.load import writer

    with writer(Path(db_path)) as con:
        return sorted(r[0] for r in con.execute(f"select {column} from {table}").fetchall()) if _has_table(con, table) else []


def pending_scope(db_path: Path) -> list[str]:
    """Sources written to ``raw.build_scope`` by a scoped build whose dbt did not succeed."""
    return _read_if_exists(db_path, SCOPE_TABLE, "source_id")


def can_scope(only: list[str] | None, raw_tables_rebuilt: bool, built: str | None, project: str) -> bool:
    """A build may be scoped when it ingests chosen sources (``--only``, ``make rebuild``), every
    other source's raw rows are as they were (no raw table re-created) and the marts were last
    built from the dbt project as it is now (a dbt edit changes every source's rows, and a scoped
    build neither reloads seeds nor re-creates views)."""
    return bool(only) and not raw_tables_rebuilt and built is not None and built == project

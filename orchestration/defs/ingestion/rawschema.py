"""Raw-schema drift. ``ingestion.load`` creates the raw tables with ``create table if not
exists``: when its DDL gains or changes a column, a warehouse built before keeps the old table
and every ingest into it fails. The raw layer is fully re-derivable from data/sources, so the
headless build drops drifted raw tables and re-ingests every source into fresh ones."""

from __future__ import annotations

from pathlib import Path

import duckdb


def _columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    rows = con.execute(
        "select table_name, column_name, data_type from information_schema.columns "
        "where table_schema = 'raw' order by table_name, ordinal_position"
    ).fetchall()
    out: dict[str, list[tuple[str, str]]] = {}
    for table, col, typ in rows:
        out.setdefault(table, []).append((col, typ))
    return out


def expected_columns() -> dict[str, list[tuple[str, str]]]:
    from ingestion.load import RAW_DDL

    con = duckdb.connect(":memory:")
    try:
        con.execute(RAW_DDL)
        return _columns(con)
    finally:
        con.close()


def drifted_tables(db_path: Path) -> list[str]:
    """Raw tables of the warehouse whose columns differ from ingestion.load's DDL."""
    db_path = Path(db_path)
    if not db_path.exists():
        return []
    from expectations.runner import read_only

    with read_only(db_path) as con:
        have = _columns(con)
    want = expected_columns()
    return sorted(t for t, cols in have.items() if t in want and cols != want[t])


def drop_drifted(db_path: Path) -> list[str]:
    """Drop the drifted raw tables (they are re-created by the next ingest) and forget which lake
    versions are loaded, so every source is loaded again into the fresh tables. Returns their names."""
    drifted = drifted_tables(db_path)
    if drifted:
        from ingestion.load import writer

        with writer(db_path) as con:
            for t in drifted:
                con.execute(f"drop table if exists raw.{t}")
            con.execute("drop table if exists raw.lake_loaded")  # re-created empty by the next writer
    return drifted

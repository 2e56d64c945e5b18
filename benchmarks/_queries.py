"""Mart queries at 1 M and 10 M rows, on a synthetic inflation of a built warehouse's marts.

A temporary DuckDB file (never the real warehouse) gets the mart tables the README's queries
read, each replicated ``f`` times so that ``mart.task_progress`` holds the target row count; copy
``k`` gets its own region (``region_name || '#k'``, ``region_code || k``) and source id, so the
scorecards grow by the same factor (as 130,000 bulletins would make them). ``task_progress`` keeps
the columns the queries and a typical filter touch (keys, region, period, status columns, task
text); the long free-text columns are left out to keep the file small. Each query is run once to
warm up, then timed (median of 3), fetching every result row into Python (``fetchall``).
"""

from __future__ import annotations

from pathlib import Path

from _common import Row, median_time

TASK_COLUMNS = ("source_id", "region_code", "region_name", "period_label", "task_seq", "sub_seq", "task_text",
                "status_reported", "status", "status_method", "status_inferred", "status_rule", "status_evidence",
                "status_confidence", "status_conflict", "comparable", "lead_function_name")
TABLES = ("region_period_scorecard", "function_scorecard", "indicator_progress")
RENAMED = {"region_name": "region_name || '#' || k", "region_code": "region_code || '_' || k",
           "source_id": "source_id || '_' || k"}

# The README's queries 1-4 (as printed there) and a region/period filter.
QUERIES = {
    "1 completion by city and period": """
        select region_name, period_label, task_rows,
               round(100 * inferred_completed_share, 1), round(100 * (inferred_on_track_share + inferred_ahead_share), 1),
               round(100 * inferred_behind_share, 1), round(100 * inferred_unknown_share, 1), printed_rows,
               round(100 * printed_completed_share, 1), round(100 * (printed_on_track_share + printed_ahead_share), 1),
               round(100 * printed_behind_share, 1), status_conflict_rows
        from mart.region_period_scorecard order by period_label, region_name""",
    "2 behind by function": """
        select function_name_zh, region_name, period_label, behind_rows, task_rows
        from mart.function_scorecard where behind_rows > 0
        order by behind_rows desc, function_name_zh, region_name limit 12""",
    "3 headline indicators": """
        select indicator_code, region_name, period_label, target_kind, target_value, actual_kind, actual_value, met
        from mart.indicator_progress
        where indicator_code in ('gdp', 'industrial_value_added', 'fixed_asset_investment', 'retail_sales',
                                 'budget_revenue', 'urban_new_jobs')
        order by indicator_code, region_name""",
    "4 print claims more than text": """
        select region_name, task_seq, sub_seq, status_reported, status_inferred, status_rule, status_evidence
        from mart.task_progress where status_conflict order by region_name, task_seq, sub_seq limit 8""",
    "region/period filter": """
        select status, count(*) as n from mart.task_progress
        where region_name = '相山区#7' and period_label = '2024-Q4' group by status order by status""",
}


def _columns(con, table: str, columns: tuple[str, ...] | None) -> str:
    cols = columns or tuple(r[0] for r in con.execute(
        "select column_name from information_schema.columns where table_catalog = 'src' and table_schema = 'mart' "
        "and table_name = ? order by ordinal_position", [table]).fetchall())
    return ", ".join(f"{RENAMED[c]} as {c}" if c in RENAMED else c for c in cols)


def inflate(warehouse: Path, db: Path, rows: int):
    import duckdb

    con = duckdb.connect(str(db))
    con.execute(f"attach '{warehouse}' as src (read_only)")
    base = con.execute("select count(*) from src.mart.task_progress").fetchone()[0]
    f = max(1, -(-rows // base))
    con.execute("create schema mart")
    for table, cols in (("task_progress", TASK_COLUMNS), *((t, None) for t in TABLES)):
        limit = f" limit {rows}" if table == "task_progress" else ""
        con.execute(f"create table mart.{table} as select {_columns(con, table, cols)} "
                    f"from src.mart.{table}, range({f}) t(k){limit}")
    con.execute("detach src")
    return con, f


def rows(warehouse: Path, tmp: Path, sizes: list[int]) -> list[Row]:
    out = []
    for n in sizes:
        con, f = inflate(warehouse, tmp / f"inflated_{n}.duckdb", n)
        counts = {t: con.execute(f"select count(*) from mart.{t}").fetchone()[0] for t in ("task_progress", *TABLES)}
        times = {name: median_time(lambda q=q, c=con: c.execute(q).fetchall()) for name, q in QUERIES.items()}
        con.close()
        worst = max(times.values())
        out.append(Row(f"queries at {n / 1e6:g} M rows (worst of 5)", f"{worst * 1000:.0f} ms", "< 1 s at 10 M",
                       "; ".join(f"{k} {v * 1000:.0f} ms" for k, v in times.items())
                       + f"; inflated x{f}: " + ", ".join(f"{t} {c:,}" for t, c in counts.items())))
        (tmp / f"inflated_{n}.duckdb").unlink(missing_ok=True)
    return out

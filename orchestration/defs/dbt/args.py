"""The dbt CLI arguments orchestration passes, built by small pure functions (unit-tested in
tests/test_orchestration.py)."""

from __future__ import annotations

import json
from pathlib import Path

# DuckDB has one writer: dbt-duckdb must not open the file from several threads.
THREADS = 1


def warehouse_vars(warehouse: Path) -> str:
    """``--vars`` for profiles.yml, which reads ``var('warehouse_path')`` before WAREHOUSE_PATH:
    the run's warehouse resource decides the file, not this process's environment."""
    return json.dumps({"warehouse_path": str(Path(warehouse).resolve())}, ensure_ascii=False)


# What a warehouse build leaves out, and why (each costs time on every build, none tells about
# the data being built):
# * dbt's unit tests read only their own fixtures, never the warehouse: they test the SQL, so they
#   run where the SQL is tested (tests/test_dbt_models.py), not on every build;
# * dbt's debug log file (logs/dbt.log): Dagster keeps the run's events and dbt's structured
#   output, and writing the file is ~10% of a seed build's dbt time.
BUILD_EXCLUDES = ("--exclude-resource-type", "unit_test")
BUILD_LOGGING = ("--log-level-file", "none")


def build_args(warehouse: Path, threads: int = THREADS, full_refresh: bool = False) -> list[str]:
    """``dbt build`` (seeds, models, data tests) into ``warehouse``. ``full_refresh``
    rebuilds the incremental marts from scratch (every build but a scoped one: the sources a
    scoped build replaces are in a table, ``orchestration.defs.dbt.scope``, not in ``--vars``: a
    change of the vars makes dbt re-parse every file)."""
    return ["build", "--threads", str(threads), "--vars", warehouse_vars(warehouse),
            *BUILD_EXCLUDES, *BUILD_LOGGING] + (["--full-refresh"] if full_refresh else [])


def parse_args(warehouse: Path | None = None) -> list[str]:
    """``dbt parse``: the manifest ``@dbt_assets`` loads. With the build's ``warehouse`` the
    parse carries the build's ``--vars``, so the build's own dbt reuses its partial parse (dbt
    re-parses every file when the vars differ: ~4 s of each build)."""
    return ["parse", "--quiet"] + (["--vars", warehouse_vars(warehouse)] if warehouse is not None else [])


def deps_args() -> list[str]:
    return ["deps", "--quiet"]

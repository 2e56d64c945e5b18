"""Publish what people query while the next build writes the warehouse.

After the marts (and their blocking checks) succeed:

* ``data/published/warehouse.duckdb``: a copy of the whole warehouse, made under the writers' lock
  (``COPY FROM DATABASE`` into a temp file beside the target attached with ``STORAGE_VERSION
  'v1.0.0'``, so DuckDB 1.x opens it as well as 2.x) and swapped in with an atomic ``os.replace``.
  A reader that has the old copy open keeps reading it; new readers get the new one.
* ``data/export/<table>.parquet``: every ``mart`` table, exported from the new copy into a temp
  folder and moved into place file by file (``os.replace``); ``_manifest.json`` lists the tables,
  row counts and the publish time. Parquet files of tables that no longer exist are removed.

Open the published copy read-only: ``duckdb.connect('data/published/warehouse.duckdb', read_only=True)``.
"""


import datetime as dt
import json
import os
import shutil
import time
import uuid
from pathlib import Path

import duckdb
from dagster import AssetExecutionContext, AssetKey, AssetsDefinition, MaterializeResult, MetadataValue, asset

from orchestration.constants import WAREHOUSE_POOL
from orchestration.defs.automation.policies import FRESHNESS, owners_for, refresh_when_upstream_updates
from orchestration.defs.dbt.assets import model_keys
from orchestration.resources import WarehouseResource

PUBLISHED_KEY = AssetKey(["published", "warehouse"])
MART_SCHEMA = "mart"
# The storage format of the published copy: the oldest DuckDB can write, which every DuckDB from
# 0.10 through 1.x and 2.x reads (the build's own file is 2.0's format, which 1.x refuses).
PUBLISHED_STORAGE_VERSION = "v1.0.0"


def publish_warehouse(db_path: Path, published_path: Path, export_dir: Path) -> dict:
    """Copy ``db_path`` to ``published_path`` and export its mart tables to ``export_dir``.
    Returns what was published. Plain Python, used by the asset and the tests."""
    from ingestion.failpoints import failpoint
    from ingestion.load import writer

    db_path, published_path, export_dir = Path(db_path), Path(published_path), Path(export_dir)
    if not db_path.exists():
        raise FileNotFoundError(f"{db_path}: no warehouse to publish")
    t0 = time.monotonic()
    token = uuid.uuid4().hex[:10]
    published_path.parent.mkdir(parents=True, exist_ok=True)
    tmp_db = published_path.with_name(f".{published_path.name}.{token}.tmp")
    tmp_export = export_dir.with_name(f".{export_dir.name}.{token}.tmp")
    remove_stale_temps(published_path, export_dir)
    try:
        # 1. A consistent copy: no other writer while we hold the lock; written table by table in
        #    the older storage format (schemas, tables, views, comments: COPY FROM DATABASE).
        with writer(db_path) as con:
            (catalog,) = con.execute("select current_database()").fetchone() or ("",)
            con.execute(f"attach '{tmp_db}' as published_copy (storage_version '{PUBLISHED_STORAGE_VERSION}')")
            try:
                con.execute(f'copy from database "{catalog}" to published_copy')
            finally:
                con.execute("detach published_copy")
        # 2. Check the copy opens and read the mart tables from it (not from the live file).
        tables: dict[str, int] = {}
        tmp_export.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(tmp_db), read_only=True)
        try:
            names = [
                r[0]
                for r in con.execute(
                    "select table_name from information_schema.tables where table_schema = ? "
                    "and table_type = 'BASE TABLE' order by table_name",
                    [MART_SCHEMA],
                ).fetchall()
            ]
            for name in names:
                (tables[name],) = con.execute(f'select count(*) from {MART_SCHEMA}."{name}"').fetchall()[0]
                out = tmp_export / f"{name}.parquet"
                con.execute(f"copy (select * from {MART_SCHEMA}.\"{name}\") to '{out}' (format parquet)")
        finally:
            con.close()
        # 3. Swap in: the database file atomically, then each Parquet file atomically.
        failpoint("publish.before_swap")
        os.replace(tmp_db, published_path)
        export_dir.mkdir(parents=True, exist_ok=True)
        for name in tables:
            os.replace(tmp_export / f"{name}.parquet", export_dir / f"{name}.parquet")
        for stale in export_dir.glob("*.parquet"):
            if stale.stem not in tables:
                stale.unlink()
        published_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        manifest = {
            "published_at": published_at,
            "warehouse": str(published_path),
            "schema": MART_SCHEMA,
            "tables": {n: {"rows": c, "file": f"{n}.parquet"} for n, c in tables.items()},
        }
        tmp_manifest = export_dir / f"._manifest.{token}.tmp"
        tmp_manifest.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp_manifest, export_dir / "_manifest.json")
    finally:
        tmp_db.unlink(missing_ok=True)
        shutil.rmtree(tmp_export, ignore_errors=True)
    return {
        "published_path": str(published_path),
        "export_dir": str(export_dir),
        "bytes": published_path.stat().st_size,
        "storage_version": PUBLISHED_STORAGE_VERSION,
        "tables": tables,
        "published_at": published_at,
        "seconds": round(time.monotonic() - t0, 3),
    }


def remove_stale_temps(published_path: Path, export_dir: Path) -> list[Path]:
    """Temp copies a killed publish left beside the published copy and the export folder (only
    one publish runs at a time: the build lock). Returns what was removed."""
    stale = [*published_path.parent.glob(f".{published_path.name}.*.tmp"),
             *export_dir.parent.glob(f".{export_dir.name}.*.tmp"), *export_dir.glob("._manifest.*.tmp")]
    for p in stale:
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)
    return stale


def build_publish_asset() -> AssetsDefinition:
    """The publish asset, downstream of every mart model in the dbt manifest."""

    @asset(
        key=PUBLISHED_KEY,
        deps=model_keys(MART_SCHEMA),
        pool=WAREHOUSE_POOL,
        group_name="publish",
        kinds={"duckdb", "parquet"},
        owners=owners_for("published"),
        # Republished by automation in the same run as the marts it copies, once their blocking
        # checks passed (the UI keeps data/published/ current without launching build_warehouse).
        automation_condition=refresh_when_upstream_updates(),
        freshness_policy=FRESHNESS,
        description=(
            "Read-only copy of the warehouse (data/published/warehouse.duckdb, atomic swap) and a Parquet "
            "export of every mart table (data/export/). Runs only after the marts and their blocking checks pass."
        ),
    )
    def published_warehouse(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
        info = publish_warehouse(warehouse.db_path, warehouse.published_path, warehouse.export_path)
        context.log.info(
            f"published {info['published_path']} ({info['bytes']} bytes) and {len(info['tables'])} Parquet files"
        )
        return MaterializeResult(
            metadata={
                "published_path": MetadataValue.path(info["published_path"]),
                "export_dir": MetadataValue.path(info["export_dir"]),
                "bytes": info["bytes"],
                "storage_version": info["storage_version"],
                "mart_tables": len(info["tables"]),
                "rows_per_table": MetadataValue.json(info["tables"]),
                "published_at": info["published_at"],
                "seconds": MetadataValue.float(info["seconds"]),
            }
        )

    return published_warehouse

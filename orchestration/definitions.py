"""The Dagster definitions of bulletin-warehouse (``[tool.dagster] module_name``).

Graph: ``raw_bulletin`` (one partition per registered source) -> dbt ``staging/*`` -> dbt
``mart/*`` -> ``published/warehouse``; GX checks on raw (blocking) and on the marts; dbt tests
as asset checks. Everything that opens the warehouse runs in pool ``duckdb_writer`` (limit 1)
with the in-process executor: DuckDB has one writer per file.

UI:        DAGSTER_HOME=$PWD/.dagster_home .venv/bin/dagster dev -m orchestration.definitions
Headless:  DAGSTER_HOME=$PWD/.dagster_home .venv/bin/python -m orchestration.build
"""

from __future__ import annotations

from pathlib import Path

from orchestration.project import prepare_if_dev
from orchestration.resources import dbt_executable, export_env, sources_dir

# Before the dbt assets are imported: WAREHOUSE_PATH absolute for dbt, and a manifest to read.
_warehouse = export_env()
prepare_if_dev()

from dagster import (
    AssetSelection,
    Definitions,
    define_asset_job,
    in_process_executor,
)
from dagster_dbt import DbtCliResource

from orchestration.assets.dbt import model_names, warehouse_dbt
from orchestration.assets.ingestion import raw_bulletin
from orchestration.assets.publish import PUBLISHED_KEY, published_warehouse
from orchestration.checks.gx import build_gx_checks
from orchestration.constants import RAW_ASSET_KEY
from orchestration.project import DBT_PROJECT_DIR, dbt_project
from orchestration.resources import RegistryResource, WarehouseResource
from orchestration.sensors import source_registry_sensor


def build_definitions(warehouse: str | Path | None = None, sources: str | Path | None = None) -> Definitions:
    """The definitions for a warehouse file and a registry folder (defaults: WAREHOUSE_PATH /
    data/warehouse.duckdb and BULLETIN_SOURCES_DIR / data/sources). Tests pass temp paths."""
    assets = [raw_bulletin, published_warehouse]
    if warehouse_dbt is not None:
        assets.insert(1, warehouse_dbt)

    gx_checks = build_gx_checks(model_names("mart"))

    # One partition of the raw layer per run.
    ingest_job = define_asset_job(
        "ingest_sources",
        # The raw checks validate whole tables: they run once, in build_warehouse, not per source.
        selection=AssetSelection.assets(RAW_ASSET_KEY).without_checks(),  # partitioned by `sources`
        description="Parse one registered source into the raw schema (pick the partition = source id).",
    )

    # Everything after ingestion in one run, so the blocking raw checks gate the dbt models, and the
    # blocking mart checks gate publishing.
    downstream = AssetSelection.checks_for_assets(RAW_ASSET_KEY) | AssetSelection.assets(PUBLISHED_KEY)
    if warehouse_dbt is not None:
        downstream = downstream | AssetSelection.assets(warehouse_dbt)
    build_job = define_asset_job(
        "build_warehouse",
        selection=downstream,
        description=(
            "Raw GX checks (blocking) -> dbt build (staging, marts, dbt tests) -> mart GX checks (blocking) -> "
            "publish. Run after ingesting the sources."
        ),
    )
    # The same without publishing: what the headless build runs when a source failed to ingest, so
    # the published copy stays at the last fully successful build.
    refresh_job = define_asset_job(
        "refresh_marts",
        selection=downstream - AssetSelection.assets(PUBLISHED_KEY),
        description="Raw GX checks (blocking) -> dbt build -> mart GX checks, without publishing.",
    )

    resources = {
        "warehouse": WarehouseResource(path=str(Path(warehouse) if warehouse else _warehouse)),
        "registry": RegistryResource(sources_dir=str(Path(sources) if sources else sources_dir())),
    }
    if dbt_project is not None:
        resources["dbt"] = DbtCliResource(
            project_dir=dbt_project, profiles_dir=str(DBT_PROJECT_DIR), dbt_executable=dbt_executable()
        )

    return Definitions(
        assets=assets,
        asset_checks=gx_checks,
        jobs=[ingest_job, build_job, refresh_job],
        sensors=[source_registry_sensor],
        resources=resources,
        executor=in_process_executor,
    )


defs = build_definitions()

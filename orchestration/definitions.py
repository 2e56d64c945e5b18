"""The Dagster definitions of bulletin-warehouse (``[tool.dagster] module_name``).

Graph: ``raw_bulletin`` (one partition per registered source, staged as Parquet in the raw lake)
-> ``raw_tables`` (the lake loaded into the raw schema) -> dbt ``staging/*`` -> dbt ``mart/*`` ->
``published/warehouse``; GX checks on raw (blocking) and on the marts; dbt tests as asset checks.
Everything that opens the warehouse runs in pool ``duckdb_writer`` (limit 1): DuckDB has one
writer per file. ``raw_bulletin`` opens no warehouse, so its partitions can run in parallel.

The parts live in ``defs/<concern>/`` (ingestion, dbt, quality, publish); this module merges them
and adds the jobs. Loading it reads the environment (WAREHOUSE_PATH, BULLETIN_SOURCES_DIR) and the
dbt manifest, and changes nothing; under ``dagster dev`` the manifest is re-parsed first
(``DbtProject.prepare_if_dev``).

UI:        DAGSTER_HOME=$PWD/.dagster_home .venv/bin/dagster dev -m orchestration.definitions
Headless:  DAGSTER_HOME=$PWD/.dagster_home .venv/bin/python -m orchestration.build
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from dagster import AssetSelection, Definitions, define_asset_job, in_process_executor

from orchestration.constants import RAW_ASSET_KEY
from orchestration.defs.automation import definitions as automation_defs
from orchestration.defs.dbt import definitions as dbt_defs
from orchestration.defs.ingestion import definitions as ingestion_defs
from orchestration.defs.publish import definitions as publish_defs
from orchestration.defs.publish.assets import PUBLISHED_KEY
from orchestration.defs.quality import definitions as quality_defs
from orchestration.defs.report import definitions as report_defs
from orchestration.resources import RegistryResource, WarehouseResource, sources_dir, warehouse_path

if TYPE_CHECKING:
    from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition

INGEST_JOB = "ingest_sources"
BUILD_JOB = "build_warehouse"
REFRESH_JOB = "refresh_marts"
SCOPED_JOB = "build_warehouse_scoped"
# dbt groups (schemas) a scoped build leaves as they are: seeds (CSV lookups) and staging (views).
UNCHANGED_IN_SCOPED_BUILD = ("seeds", "staging")
# Of those, the groups whose tests a scoped build runs again: the staging views read the raw rows
# that changed. The seeds' tests read only the seed tables, which a scoped build never touches
# (it needs the dbt project as when the marts were last built: scope.can_scope).
RETESTED_IN_SCOPED_BUILD = ("staging",)


def jobs() -> list[UnresolvedAssetJobDefinition]:
    ingest = define_asset_job(
        INGEST_JOB,
        selection=AssetSelection.assets(RAW_ASSET_KEY),  # partitioned by `sources`
        description="Parse and stage registered sources in the raw lake (pick partitions = source ids).",
    )
    # Everything after staging in one run: load the lake into the raw schema, then the blocking raw
    # checks gate the dbt models, and the blocking mart checks gate publishing
    # (every asset but raw_bulletin: the dbt seeds too, which nothing in raw feeds).
    downstream = AssetSelection.all() - AssetSelection.assets(RAW_ASSET_KEY)
    build = define_asset_job(
        BUILD_JOB,
        selection=downstream,
        description=(
            "Load the staged sources (raw_tables) -> raw GX checks (blocking) -> dbt build (staging, marts, "
            "dbt tests) -> mart GX checks (blocking) -> publish. Run after staging the sources."
        ),
    )
    # The same without publishing: what the headless build runs when a source failed to ingest, so
    # the published copy stays at the last fully successful build.
    refresh = define_asset_job(
        REFRESH_JOB,
        selection=downstream - AssetSelection.assets(PUBLISHED_KEY).downstream(),
        description="raw_tables -> raw GX checks (blocking) -> dbt build -> mart GX checks, without publishing "
        "(nor the report).",
    )
    # A scoped build (orchestration.defs.dbt.scope): the same, but the seeds and the staging views
    # are neither reloaded nor re-created (the dbt project is as when the marts were last built);
    # the staging views' tests run, on the data that changed beneath them.
    unchanged = AssetSelection.groups(*UNCHANGED_IN_SCOPED_BUILD)
    retested = AssetSelection.groups(*RETESTED_IN_SCOPED_BUILD)
    scoped = define_asset_job(
        SCOPED_JOB,
        selection=(downstream - unchanged) | (retested - retested.without_checks()),  # their checks only
        description=(
            "build_warehouse after some sources were re-ingested (run config: warehouse_dbt scope): "
            "the incremental marts replace only their rows; seeds and staging views are left as they are."
        ),
    )
    return [ingest, build, refresh, scoped]


def build_definitions(warehouse: str | Path | None = None, sources: str | Path | None = None) -> Definitions:
    """The definitions for a warehouse file and a registry folder (defaults: WAREHOUSE_PATH /
    data/warehouse.duckdb and BULLETIN_SOURCES_DIR / data/sources). Tests pass temp paths."""
    shared = Definitions(
        jobs=jobs(),
        resources={
            "warehouse": WarehouseResource(path=str(Path(warehouse) if warehouse else warehouse_path())),
            "registry": RegistryResource(sources_dir=str(Path(sources) if sources else sources_dir())),
        },
        executor=in_process_executor,
    )
    return Definitions.merge(
        ingestion_defs.defs(), dbt_defs.defs(), quality_defs.defs(), publish_defs.defs(), report_defs.defs(),
        automation_defs.defs(), shared
    )


defs = build_definitions()

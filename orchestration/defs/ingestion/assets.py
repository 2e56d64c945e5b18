"""Ingestion in two assets, so parsing scales out while DuckDB keeps one writer:

* ``raw_bulletin``: one partition per registered source. Each materialisation calls
  ``ingestion.pipeline.stage`` (parse, derive, write the source's tables as Parquet into the raw
  lake with an atomic manifest swap). No warehouse lock, no pool: partitions run in parallel
  (multiprocess executor, or a distributed deployment sharing the lake folder).
* ``raw_tables``: the raw schema of the warehouse. One materialisation loads every staged version
  not loaded yet, in one transaction (``ingestion.load.sync_lake``), its raw GX suites run once
  over the batch first; a source they refuse keeps its previous load and is listed in the
  ``skipped`` metadata. It runs in the ``duckdb_writer`` pool.
"""


import contextlib

from dagster import (
    AssetExecutionContext,
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
)

from orchestration.constants import RAW_ASSET_KEY, RAW_TABLES_KEY, WAREHOUSE_POOL, source_partitions
from orchestration.defs.automation.policies import owners_for, refresh_when_upstream_updates
from orchestration.defs.ingestion.staged import (
    failure_description,
    failure_metadata,
    staged_log_line,
    staged_metadata,
)
from orchestration.resources import RegistryResource, WarehouseResource


@asset(
    key=RAW_ASSET_KEY,
    partitions_def=source_partitions,
    group_name="ingestion",
    owners=owners_for("raw"),
    kinds={"python", "parquet"},
    description=(
        "One registered bulletin parsed and staged in the raw lake (<warehouse>.lake/sources/<id>/: one "
        "Parquet file per raw table, swapped in atomically; no warehouse lock, so partitions run in "
        "parallel). Partition key = source_id in data/sources. raw_tables loads it into the warehouse."
    ),
)
def raw_bulletin(
    context: AssetExecutionContext, warehouse: WarehouseResource, registry: RegistryResource
) -> MaterializeResult:
    from ingestion.errors import RegistryError
    from ingestion.pipeline import error_text, stage

    source_id = context.partition_key
    reg = registry.load()
    try:
        src = reg.get(source_id)
    except RegistryError:
        invalid = [e for e in reg.errors if e.folder == source_id]
        raise Failure(
            description=(
                f"source {source_id!r} is not a valid entry of the registry ({registry.sources_dir})"
                + (f": {invalid[0]}" if invalid else "; it was removed or renamed")
            ),
            metadata={"registry_errors": MetadataValue.md("\n".join(f"- {e}" for e in reg.errors) or "none")},
            allow_retries=False,
        ) from None

    try:
        summary = stage(src, warehouse.db_path)
    except Exception as e:
        # stage leaves the source's previous version current and records the failure in the lake
        # (raw.ingest_log has it after the next raw_tables); surface its message as the step's failure.
        error = error_text(e)
        raise Failure(description=failure_description(src, error), metadata=failure_metadata(src, error),
                      allow_retries=False) from e
    context.log.info(staged_log_line(summary))
    return MaterializeResult(metadata=staged_metadata(src, summary, warehouse.db_path))


# raw_tables metadata: sources not loaded by this sync, and why (orchestration.build reads it).
SKIPPED_KEY = "skipped"


def drift_hint(db_path) -> str:
    """When loading fails on a Binder/Catalog error: which raw tables predate a column change."""
    from orchestration.defs.ingestion.rawschema import drifted_tables

    with contextlib.suppress(Exception):
        drifted = drifted_tables(db_path)
        if drifted:
            return (f" (raw table(s) {', '.join(drifted)} predate a change of their columns in "
                    "ingestion/load.py: run `python -m orchestration.build`, which re-creates them "
                    "and re-ingests every source)")
    return ""


@asset(
    key=RAW_TABLES_KEY,
    deps=[RAW_ASSET_KEY],
    pool=WAREHOUSE_POOL,
    group_name="ingestion",
    owners=owners_for("raw"),
    kinds={"duckdb"},
    automation_condition=refresh_when_upstream_updates(),
    description=(
        "The raw schema of the warehouse (raw.sources, raw.task_rows, raw.furniture, raw.quarantine, "
        "raw.row_signals, raw.indicators, …): every source staged by raw_bulletin and not loaded yet, "
        "loaded in one transaction by the one writer after its raw GX suites pass on the batch. A source "
        "they refuse keeps its previous load (metadata 'skipped')."
    ),
)
def raw_tables(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    from expectations.runner import check_sources
    from ingestion.load import sync_lake

    try:
        res = sync_lake(warehouse.db_path, check=check_sources)
    except Exception as e:
        hint = drift_hint(warehouse.db_path) if ("Binder Error" in str(e) or "Catalog Error" in str(e)) else ""
        raise Failure(description=f"loading the raw lake into {warehouse.db_path} failed: "
                                  f"{type(e).__name__}: {e}{hint}", allow_retries=False) from e
    for sid, reason in res.skipped.items():
        context.log.warning(f"{sid} not loaded (its previous load is kept): {reason}")
    context.log.info(f"loaded {len(res.loaded)} staged source(s); {len(res.skipped)} skipped; "
                     f"{res.failures_logged} failed attempt(s) recorded in raw.ingest_log")
    return MaterializeResult(metadata={
        "loaded": len(res.loaded),
        "loaded_sources": MetadataValue.json(res.loaded),
        SKIPPED_KEY: MetadataValue.json(res.skipped),
        "held_back": MetadataValue.json(res.held_back),
        "failed_attempts_logged": res.failures_logged,
        "warehouse": str(warehouse.db_path),
    })

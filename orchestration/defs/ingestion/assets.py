"""Ingestion: one partition of ``raw_bulletin`` per registered source. Each materialisation calls
``ingestion.pipeline.ingest_source`` (parse, derive, replace the source's rows in the ``raw``
schema in one transaction) and nothing else."""


import contextlib

from dagster import (
    AssetExecutionContext,
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
)

from orchestration.constants import RAW_ASSET_KEY, WAREHOUSE_POOL, source_partitions
from orchestration.defs.automation.policies import owners_for
from orchestration.resources import RegistryResource, WarehouseResource


@asset(
    key=RAW_ASSET_KEY,
    partitions_def=source_partitions,
    pool=WAREHOUSE_POOL,
    group_name="ingestion",
    owners=owners_for("raw"),
    kinds={"python", "duckdb"},
    description=(
        "One registered bulletin parsed into the raw schema (raw.sources, raw.task_rows, raw.furniture, "
        "raw.quarantine, raw.row_signals, raw.indicators, …). Partition key = source_id in data/sources."
    ),
)
def raw_bulletin(
    context: AssetExecutionContext, warehouse: WarehouseResource, registry: RegistryResource
) -> MaterializeResult:
    from ingestion.errors import RegistryError
    from ingestion.pipeline import ingest_source

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
        summary = ingest_source(src, warehouse.db_path)
    except Exception as e:
        hint = ""
        if "Binder Error" in str(e) or "Catalog Error" in str(e):
            from orchestration.defs.ingestion.rawschema import drifted_tables

            with contextlib.suppress(Exception):
                drifted = drifted_tables(warehouse.db_path)
                if drifted:
                    hint = (
                        f" (raw table(s) {', '.join(drifted)} predate a change of their columns in "
                        "ingestion/load.py: run `python -m orchestration.build`, which re-creates them "
                        "and re-ingests every source)"
                    )
        # ingest_source leaves the source's previously loaded rows intact and logs the failure
        # in raw.ingest_log; surface its message as the step's failure.
        raise Failure(
            description=f"ingesting {source_id} ({src.relative_file()}) failed: {type(e).__name__}: {e}{hint}",
            metadata={
                "source_file": src.relative_file(),
                "layout (registry)": src.spec.layout,
                "error": MetadataValue.text(f"{type(e).__name__}: {e}"),
            },
            allow_retries=False,
        ) from e

    cov = summary.coverage
    coverage_pct = 100.0 * cov.accounted / cov.total_lines if cov.total_lines else 100.0
    context.log.info(
        f"{source_id}: {summary.rows} rows in {summary.tables} table(s), layout {summary.layout}, "
        f"coverage {cov.accounted}/{cov.total_lines} lines, {summary.quarantined} quarantined"
    )
    return MaterializeResult(
        metadata={
            "rows": summary.rows,
            "tables": summary.tables,
            "coverage": MetadataValue.text(
                f"{cov.accounted}/{cov.total_lines} lines (rows {cov.row_lines}, furniture {cov.furniture_lines}, "
                f"quarantined {cov.quarantined_lines})"
            ),
            "coverage_pct": MetadataValue.float(round(coverage_pct, 2)),
            "coverage_complete": cov.complete,
            "total_lines": cov.total_lines,
            "quarantined_lines": summary.quarantined,
            "layout": summary.layout,
            "encoding": summary.encoding,
            "source_file": src.relative_file(),
            "period": src.spec.period.label if src.spec.period else "not stated",
            "jurisdiction": (
                " ".join(x for x in (src.spec.jurisdiction.province, src.spec.jurisdiction.city,
                                     src.spec.jurisdiction.county) if x)
                if src.spec.jurisdiction
                else "not stated"
            ),
            "written": MetadataValue.json(summary.written),
            "warehouse": str(warehouse.db_path),
        }
    )

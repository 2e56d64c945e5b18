"""What one ``raw_bulletin`` partition records: the metadata of a staged source and the message of
a failed one. One definition for the asset (a run per partition, what the UI launches) and the
headless build (a pool of processes, each partition's materialisation recorded on the instance
without a run: ``orchestration.build.ingest``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from dagster import AssetMaterialization, AssetObservation, MetadataValue

from ingestion.lake import lake_root
from orchestration.constants import RAW_ASSET_KEY

if TYPE_CHECKING:  # the definitions load without the parser; these are only annotations
    from ingestion.pipeline import IngestSummary
    from ingestion.registry import RegisteredSource


def failure_description(src: RegisteredSource, error: str) -> str:
    return f"ingesting {src.source_id} ({src.relative_file()}) failed: {error}"


def failure_metadata(src: RegisteredSource, error: str) -> dict[str, Any]:
    return {
        "source_file": src.relative_file(),
        "layout (registry)": src.spec.layout,
        "error": MetadataValue.text(error),
    }


def coverage_text(summary: IngestSummary) -> str:
    cov = summary.coverage
    return (f"{cov.accounted}/{cov.total_lines} lines (rows {cov.row_lines}, furniture {cov.furniture_lines}, "
            f"quarantined {cov.quarantined_lines})")


def staged_metadata(src: RegisteredSource, summary: IngestSummary, db_path: Path) -> dict[str, Any]:
    cov = summary.coverage
    coverage_pct = 100.0 * cov.accounted / cov.total_lines if cov.total_lines else 100.0
    spec = src.spec
    return {
        "rows": summary.rows,
        "tables": summary.tables,
        "coverage": MetadataValue.text(coverage_text(summary)),
        "coverage_pct": MetadataValue.float(round(coverage_pct, 2)),
        "coverage_complete": cov.complete,
        "total_lines": cov.total_lines,
        "quarantined_lines": summary.quarantined,
        "layout": summary.layout,
        "encoding": summary.encoding,
        "source_file": src.relative_file(),
        "period": spec.period.label if spec.period else "not stated",
        "jurisdiction": (
            " ".join(x for x in (spec.jurisdiction.province, spec.jurisdiction.city, spec.jurisdiction.county) if x)
            if spec.jurisdiction
            else "not stated"
        ),
        "written": MetadataValue.json(summary.written),
        "lake": str(lake_root(db_path)),
    }


def staged_log_line(summary: IngestSummary) -> str:
    cov = summary.coverage
    return (f"{summary.source_id}: {summary.rows} rows in {summary.tables} table(s), layout {summary.layout}, "
            f"coverage {cov.accounted}/{cov.total_lines} lines, {summary.quarantined} quarantined")


def runless_event(src: RegisteredSource, summary: IngestSummary | None, error: str | None, db_path: Path,
                  tags: dict[str, str]) -> AssetMaterialization | AssetObservation:
    """The partition's record when it was staged outside a run: a materialisation with the same
    metadata as the asset's, or an observation carrying the failure (the lake and raw.ingest_log
    have it too)."""
    if summary is not None:
        return AssetMaterialization(asset_key=RAW_ASSET_KEY, partition=src.source_id, tags=tags,
                                    description=staged_log_line(summary),
                                    metadata=staged_metadata(src, summary, db_path))
    return AssetObservation(asset_key=RAW_ASSET_KEY, partition=src.source_id, tags=tags,
                            description=failure_description(src, error or "failed"),
                            metadata=failure_metadata(src, error or "failed"))

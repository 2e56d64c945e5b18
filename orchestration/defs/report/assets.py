"""The report asset: the static HTML report (``reporting``) rendered from the published copy after
every publish, with the scorecard chart shown in the Dagster UI as asset metadata."""


import base64
from typing import TYPE_CHECKING

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    DagsterInstance,
    MaterializeResult,
    MetadataValue,
    asset,
)

from orchestration.defs.automation.policies import FRESHNESS, owners_for, refresh_when_upstream_updates
from orchestration.defs.publish.assets import PUBLISHED_KEY
from orchestration.resources import WarehouseResource

if TYPE_CHECKING:
    from expectations.runner import ValidationOutcome

REPORT_KEY = AssetKey(["report", "html"])


def scorecard_markdown(png: bytes) -> str:
    """The scorecard PNG inlined as a markdown image (the UI renders ``MetadataValue.md``)."""
    return f"![scorecard](data:image/png;base64,{base64.b64encode(png).decode('ascii')})"


def checked_in_run(instance: DagsterInstance, run_id: str) -> "dict[str, ValidationOutcome]":
    """The GX outcomes of the checks that ran earlier in this run (``gx_<suite>``, their metadata
    ``outcome``), by suite: the report's suite pages show them instead of validating again. The
    published copy is the checked warehouse of this run (publish waits for the blocking checks)."""
    from dagster import DagsterEventType

    from expectations.runner import ValidationOutcome
    from orchestration.defs.quality.gx import OUTCOME_KEY

    out: dict[str, ValidationOutcome] = {}
    for record in instance.all_logs(run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION):
        evaluation = record.dagster_event.event_specific_data if record.dagster_event else None
        name = getattr(evaluation, "check_name", "")
        meta = getattr(evaluation, "metadata", {}) or {}
        if name.startswith("gx_") and OUTCOME_KEY in meta:
            out[name.removeprefix("gx_")] = ValidationOutcome.from_json(meta[OUTCOME_KEY].value)
    return out


def build_report_asset() -> AssetsDefinition:
    @asset(
        key=REPORT_KEY,
        deps=[PUBLISHED_KEY],
        group_name="publish",
        kinds={"html", "altair"},
        owners=owners_for("published"),
        automation_condition=refresh_when_upstream_updates(),
        freshness_policy=FRESHNESS,
        description=(
            "Static HTML report of the published warehouse (data/report/index.html): region × period "
            "scorecard, behind tasks by department function, headline indicators, coverage and "
            "reconciliation, status conflicts; one page per GX suite. `make report` renders the same."
        ),
    )
    def report_html(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
        from reporting.build import build_report

        known = checked_in_run(context.instance, context.run_id)
        res = build_report(warehouse.published_path, warehouse.report_path, known_outcomes=known)
        context.log.info(f"report {res.index} ({res.bytes} bytes) in {res.seconds}s; "
                         f"{len(known)} GX suite page(s) from this run's checks")
        return MaterializeResult(
            metadata={
                "report": MetadataValue.path(str(res.index)),
                "scorecard": MetadataValue.md(scorecard_markdown(res.scorecard_png.read_bytes())),
                "scorecard_png": MetadataValue.path(str(res.scorecard_png)),
                "sections": MetadataValue.json(res.sections),
                "quality_pages": MetadataValue.json({k: str(v) for k, v in res.quality_pages.items()}),
                "quality_failed": MetadataValue.json(res.quality_failed),
                "quality_from_run": MetadataValue.json(sorted(known)),
                "bytes": res.bytes,
                "seconds": MetadataValue.float(res.seconds),
            }
        )

    return report_html

"""The report asset: the static HTML report (``reporting``) rendered from the published copy after
every publish, with the scorecard chart shown in the Dagster UI as asset metadata."""


import base64

from dagster import AssetExecutionContext, AssetKey, AssetsDefinition, MaterializeResult, MetadataValue, asset

from orchestration.defs.automation.policies import FRESHNESS, owners_for, refresh_when_upstream_updates
from orchestration.defs.publish.assets import PUBLISHED_KEY
from orchestration.resources import WarehouseResource

REPORT_KEY = AssetKey(["report", "html"])


def scorecard_markdown(png: bytes) -> str:
    """The scorecard PNG inlined as a markdown image (the UI renders ``MetadataValue.md``)."""
    return f"![scorecard](data:image/png;base64,{base64.b64encode(png).decode('ascii')})"


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

        res = build_report(warehouse.published_path, warehouse.report_path)
        context.log.info(f"report {res.index} ({res.bytes} bytes) in {res.seconds}s")
        return MaterializeResult(
            metadata={
                "report": MetadataValue.path(str(res.index)),
                "scorecard": MetadataValue.md(scorecard_markdown(res.scorecard_png.read_bytes())),
                "scorecard_png": MetadataValue.path(str(res.scorecard_png)),
                "sections": MetadataValue.json(res.sections),
                "quality_pages": MetadataValue.json({k: str(v) for k, v in res.quality_pages.items()}),
                "quality_failed": MetadataValue.json(res.quality_failed),
                "bytes": res.bytes,
                "seconds": MetadataValue.float(res.seconds),
            }
        )

    return report_html

"""Great Expectations 1.x suites (``expectations.suites``) as Dagster asset checks.

dagster-ge supports only GX < 1.0, so each check calls ``expectations.runner.validate`` itself
(read-only DuckDB connection -> pandas DataFrame -> GX ephemeral context).

* Raw checks target ``raw_tables`` (the raw schema) and are **blocking**: in a run that also
  builds the dbt models, a failure with ERROR severity stops every asset downstream of
  ``raw_tables`` (staging, marts, publish) from being rebuilt on bad data. (The same suites run on
  each batch of staged sources before ``raw_tables`` loads it, so a bad source is held back there
  and these whole-table checks rarely fail.) (Blocking only acts within one run; the
  headless build and the ``build_warehouse`` job run these checks together with dbt.)
* Mart checks target the mart models and are blocking too, so a bad mart is not published.
* Expectations marked ``severity: warn`` give a WARN result and never block.
"""


import json

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetKey,
    MetadataValue,
    asset_check,
)

from orchestration.constants import RAW_TABLES_KEY, WAREHOUSE_POOL
from orchestration.defs.automation.policies import check_when_target_updates
from orchestration.resources import WarehouseResource

# GX suite name -> (asset key the check is attached to, description). Mart checks are only
# defined for marts that exist in the dbt manifest.
RAW_CHECKS = {
    "raw_task_rows": "raw.task_rows: line_start ≤ line_end, sub_seq ≥ 1, numbered rows have task text, "
    "every row's source is in raw.sources (GX; keys and NOT NULL are the DDL's)",
    "raw_sources": "raw.sources: sha256, region code 6 digits, period label format, "
    "unknown_reason when jurisdiction/period missing (GX)",
    "raw_coverage": "every line of every loaded raw file is accounted for: row span, furniture or "
    "quarantine (GX over a per-source coverage query)",
    "raw_row_signals": "raw.row_signals: one signal per row, inferred status in the status enum, "
    "completion_pct ≥ 0 (GX)",
    "raw_table_headers": "raw.table_headers: one header cell per (source, table, position) (GX)",
}
MART_CHECKS = {
    "mart_task_progress": "mart.task_progress: status / status_method enums, region_code 6 digits and NULL "
    "only for sources without jurisdiction, period_label format, line spans (GX)",
    "mart_dim_region": "mart.dim_region: 6-digit unique codes, parent/province/city codes 6 digits (GX)",
    "mart_dim_period": "mart.dim_period: unique well-formed labels, elapsed_share in [0,1] (GX)",
    "mart_indicator_progress": "mart.indicator_progress: indicator code present, region/period format (GX)",
    "mart_region_period_scorecard": "mart.region_period_scorecard: region/period format, one row per pair (GX)",
}


OUTCOME_KEY = "outcome"


def expectations_markdown(expectations: list[dict], failed_keys: set[str], not_run: bool = False) -> str:
    """Every expectation of the suite, its arguments and whether it passed, as a markdown table."""
    lines = ["| expectation | arguments | severity | result |", "|---|---|---|---|"]
    for e in expectations:
        result = "not run" if not_run else ("**FAILED**" if e["key"] in failed_keys else "passed")
        args = json.dumps(e["arguments"], ensure_ascii=False).replace("|", "\\|")
        lines.append(f"| `{e['expectation']}` | `{args}` | {e['severity']} | {result} |")
    return "\n".join(lines)


def result_from_outcome(outcome, expectations: list[dict] | None = None) -> AssetCheckResult:
    """A Dagster check result from a plain ``ValidationOutcome``: rows checked, the suite's
    expectations (``expectations.runner.describe_suite``) with their results, failures and samples
    of failing values as metadata; ERROR severity if any error-level expectation failed (or the
    validation could not run), WARN if only warnings failed."""
    failures = outcome.failures
    lines = []
    for f in failures:
        lines.append(f"- **[{f.severity}]** {f.describe()}")
        for s in f.samples:
            lines.append(f"    - `{json.dumps(s, ensure_ascii=False)}`")
    metadata = {
        "dataset": outcome.dataset,
        "table": outcome.table,
        "rows_checked": outcome.rows_checked,
        "expectations": outcome.expectations,
        "failed_expectations": len(failures),
        "errors": len(outcome.errors),
        "warnings": len(outcome.warnings),
        "seconds": MetadataValue.float(float(outcome.seconds)),
        # The whole outcome: the report of the same run renders its suite pages from it
        # (orchestration.defs.report.assets.checked_in_run) instead of validating again.
        OUTCOME_KEY: MetadataValue.json(outcome.to_json()),
    }
    if expectations is not None:
        metadata["expectation_list"] = MetadataValue.md(
            expectations_markdown(expectations, {f.key() for f in failures}, not_run=outcome.error is not None))
    if outcome.error:
        metadata["error"] = MetadataValue.text(outcome.error)
    if failures:
        metadata["failures"] = MetadataValue.md("\n".join(lines))
        metadata["failing_samples"] = MetadataValue.json(
            [{"expectation": f.expectation, "columns": f.columns, "unexpected_count": f.unexpected_count,
              "samples": f.samples, "message": f.message} for f in failures]
        )
    passed = outcome.error is None and not failures
    severity = AssetCheckSeverity.ERROR if (outcome.error or outcome.errors) else AssetCheckSeverity.WARN
    return AssetCheckResult(
        passed=passed,
        severity=severity,
        metadata=metadata,
        description=outcome.summary(),
    )


def _make_check(dataset: str, asset_key: AssetKey, description: str) -> AssetChecksDefinition:
    # Under automation: raw checks (whole tables) run once after raw_tables
    # updated, mart checks with their mart, both in the run that rebuilds the marts.
    @asset_check(
        automation_condition=check_when_target_updates(),
        asset=asset_key,
        name=f"gx_{dataset}",
        description=description,
        blocking=True,
        pool=WAREHOUSE_POOL,
        compute_kind="great_expectations",
    )
    def _check(context: AssetCheckExecutionContext, warehouse: WarehouseResource) -> AssetCheckResult:
        from expectations.runner import describe_suite, validate
        from expectations.suites import DATASETS

        outcome = validate(dataset, warehouse.db_path)
        context.log.info(outcome.summary())
        return result_from_outcome(outcome, describe_suite(DATASETS[dataset].suite()))

    return _check


def build_gx_checks(mart_models: set[str]) -> list[AssetChecksDefinition]:
    checks = [_make_check(name, RAW_TABLES_KEY, desc) for name, desc in RAW_CHECKS.items()]
    for name, desc in MART_CHECKS.items():
        model = name.removeprefix("mart_")
        if model in mart_models:
            checks.append(_make_check(name, AssetKey(["mart", model]), desc))
    return checks

"""dbt staging and marts as Dagster assets (``@dbt_assets`` over dbt_project's manifest).

* Asset keys are ``[schema, model]`` (``staging/stg_…``, ``mart/task_progress``, ``seeds/…``).
* Every dbt source in the ``raw`` schema maps onto the ingestion asset ``raw_tables`` (the raw
  schema, loaded from the lake that ``raw_bulletin`` partitions stage), so the lineage reads
  ingestion -> staging -> marts.
* dbt tests become asset checks on their models; ``dbt build`` runs them with the models and
  skips the models downstream of a failing test.
* Every model refreshes itself when what it reads was updated, seeds when their CSV changed, every
  test runs with its model (``defs/automation/policies.py``); owners by layer (a model's own
  ``meta.dagster.owners`` wins); the marts carry a freshness policy.
* The raw layer has no dbt source tests (its invariants are the DDL's and the GX raw suites', see
  models/staging/_sources.yml). ``enable_source_tests_as_checks`` stays off on purpose: it makes
  the dbt op compute checks on ``raw_tables`` itself, and Dagster then no longer makes that op
  wait for the blocking GX checks on ``raw_tables`` (tests/test_orchestration.py
  ``test_failing_blocking_raw_check_stops_dbt_and_publish`` fails with it on).
* One thread, one pool: dbt-duckdb is the only writer while this step runs.
"""

import json
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from typing import Any

from dagster import (
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    AssetSpec,
    AutomationCondition,
    Config,
    apply_freshness_policy,
)
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)
from pydantic import Field

from orchestration.constants import RAW_SCHEMA, RAW_TABLES_KEY, WAREHOUSE_POOL
from orchestration.defs.automation.policies import (
    FRESHNESS,
    check_when_target_updates,
    owners_for,
    refresh_when_upstream_updates,
    reload_when_changed,
)
from orchestration.defs.dbt.args import build_args
from orchestration.defs.dbt.project import dbt_project, project_fingerprint
from orchestration.resources import WarehouseResource


class DbtBuildConfig(Config):
    """Run config of ``warehouse_dbt`` (``ops: {warehouse_dbt: {config: {scope: [...]}}}``)."""

    scope: list[str] | None = Field(
        default=None,
        description=(
            "Sources re-ingested, added or removed since the marts were built: the incremental marts "
            "replace only their rows (and those of the sources sharing their regions). "
            "Unset: a full refresh."
        ),
    )


class WarehouseDbtTranslator(DagsterDbtTranslator):
    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        rtype = dbt_resource_props["resource_type"]
        if rtype == "source":
            if RAW_SCHEMA in (dbt_resource_props.get("source_name"), dbt_resource_props.get("schema")):
                return RAW_TABLES_KEY
            return super().get_asset_key(dbt_resource_props)
        if rtype in ("model", "seed", "snapshot"):
            schema = dbt_resource_props.get("schema") or "main"
            return AssetKey([schema, dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] in ("model", "seed", "snapshot"):
            return dbt_resource_props.get("schema") or "dbt"
        return super().get_group_name(dbt_resource_props)

    def get_automation_condition(self, dbt_resource_props: Mapping[str, Any]) -> AutomationCondition | None:
        if dbt_resource_props["resource_type"] == "seed":
            return reload_when_changed()
        if dbt_resource_props["resource_type"] in ("model", "snapshot"):
            return refresh_when_upstream_updates()
        return super().get_automation_condition(dbt_resource_props)

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> Sequence[str] | None:
        return super().get_owners(dbt_resource_props) or owners_for(dbt_resource_props.get("schema") or "")

    def get_asset_check_spec(
        self, asset_spec: AssetSpec, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None
    ) -> AssetCheckSpec | None:
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        # Every check carries its own condition (see policies.check_when_target_updates).
        return spec._replace(automation_condition=check_when_target_updates()) if spec is not None else None

translator = WarehouseDbtTranslator(
    settings=DagsterDbtTranslatorSettings(
        enable_asset_checks=True,
        # Several raw.* sources share one asset key (raw_tables).
        enable_duplicate_source_asset_keys=True,
    )
)

@cache
def manifest() -> dict[str, Any]:
    path = dbt_project().manifest_path
    if not path.exists():
        raise FileNotFoundError(
            f"{path}: no dbt manifest. Run `python -m orchestration.build` (or `make run`), "
            "`dagster dev` (which parses on load) or `dbt parse --project-dir dbt_project --profiles-dir dbt_project`."
        )
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return manifest

def build_dbt_assets() -> AssetsDefinition:
    @dbt_assets(
        manifest=manifest(),
        project=dbt_project(),
        dagster_dbt_translator=translator,
        pool=WAREHOUSE_POOL,
        name="warehouse_dbt",
    )
    def warehouse_dbt(
        context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource, config: DbtBuildConfig
    ) -> Iterator[Any]:
        """``dbt build --threads 1`` into this run's warehouse: seeds, staging views, mart tables, tests.
        A full refresh, unless the run config names the sources to replace (``scope``)."""
        from ingestion.failpoints import failpoint
        from orchestration.defs.dbt.scope import clear_scope, write_scope

        if config.scope is not None:
            scope = write_scope(warehouse.db_path, config.scope)
            context.log.info(f"scoped build: the incremental marts replace {len(scope)} source(s): {', '.join(scope)}")
        invocation = dbt.cli(build_args(warehouse.db_path, full_refresh=config.scope is None), context=context)
        for event in invocation.stream():
            yield event
            failpoint("dbt.during")
        if invocation.is_successful():
            clear_scope(warehouse.db_path, project_fingerprint())

    return warehouse_dbt.map_asset_specs(_with_mart_freshness)


def _with_mart_freshness(spec: AssetSpec) -> AssetSpec:
    return apply_freshness_policy(spec, FRESHNESS) if spec.key.path[0] == "mart" else spec

def model_keys(schema: str) -> list[AssetKey]:
    """Asset keys of the dbt models in ``schema`` (e.g. every mart), from the manifest."""
    return sorted(
        (
            translator.get_asset_key(n)
            for n in manifest().get("nodes", {}).values()
            if n.get("resource_type") == "model" and n.get("schema") == schema
        ),
        key=lambda k: k.to_user_string(),
    )

def model_names(schema: str) -> set[str]:
    return {k.path[-1] for k in model_keys(schema)}

"""dbt staging and marts as Dagster assets (``@dbt_assets`` over dbt_project's manifest).

* Asset keys are ``[schema, model]`` (``staging/stg_…``, ``mart/task_progress``, ``seeds/…``).
* Every dbt source in the ``raw`` schema maps onto the ingestion asset ``raw_bulletin``, so the
  lineage reads ingestion -> staging -> marts.
* dbt tests become asset checks on their models; ``dbt build`` runs them with the models and
  skips the models downstream of a failing test.
* The raw layer has no dbt source tests (its invariants are the DDL's and the GX raw suites', see
  models/staging/_sources.yml). ``enable_source_tests_as_checks`` stays off on purpose: it makes
  the dbt op compute checks on ``raw_bulletin`` itself, and Dagster then no longer makes that op
  wait for the blocking GX checks on ``raw_bulletin`` (tests/test_orchestration.py
  ``test_failing_blocking_raw_check_stops_dbt_and_publish`` fails with it on).
* One thread, one pool: dbt-duckdb is the only writer while this step runs.
"""

import json
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from dagster import AssetExecutionContext, AssetKey, AssetsDefinition
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from orchestration.constants import RAW_ASSET_KEY, RAW_SCHEMA, WAREHOUSE_POOL
from orchestration.defs.dbt.args import build_args
from orchestration.defs.dbt.project import dbt_project
from orchestration.resources import WarehouseResource


class WarehouseDbtTranslator(DagsterDbtTranslator):
    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        rtype = dbt_resource_props["resource_type"]
        if rtype == "source":
            if RAW_SCHEMA in (dbt_resource_props.get("source_name"), dbt_resource_props.get("schema")):
                return RAW_ASSET_KEY
            return super().get_asset_key(dbt_resource_props)
        if rtype in ("model", "seed", "snapshot"):
            schema = dbt_resource_props.get("schema") or "main"
            return AssetKey([schema, dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] in ("model", "seed", "snapshot"):
            return dbt_resource_props.get("schema") or "dbt"
        return super().get_group_name(dbt_resource_props)

translator = WarehouseDbtTranslator(
    settings=DagsterDbtTranslatorSettings(
        enable_asset_checks=True,
        # Several raw.* sources share one asset key (raw_bulletin).
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
        context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
    ) -> Iterator[Any]:
        """``dbt build --threads 1`` into this run's warehouse: seeds, staging views, mart tables, tests."""
        yield from dbt.cli(build_args(warehouse.db_path), context=context).stream()

    return warehouse_dbt

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

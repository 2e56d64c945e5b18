"""dbt staging and marts as Dagster assets (``@dbt_assets`` over dbt_project's manifest).

* Asset keys are ``[schema, model]`` (``staging/stg_…``, ``mart/task_progress``, ``seeds/…``).
* Every dbt source in the ``raw`` schema maps onto the ingestion asset ``raw_bulletin``, so the
  lineage reads ingestion -> staging -> marts.
* dbt tests become asset checks (dagster-dbt's default); ``dbt build`` runs them with the models
  and skips the models downstream of a failing test.
* One thread, one pool: dbt-duckdb is the only writer while this step runs.
"""


import json
import os
from collections.abc import Mapping
from typing import Any

from dagster import AssetExecutionContext, AssetKey, AssetsDefinition
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from orchestration.constants import RAW_ASSET_KEY, RAW_SCHEMA, WAREHOUSE_POOL
from orchestration.project import dbt_project
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


def load_manifest() -> dict | None:
    if dbt_project is None or not dbt_project.manifest_path.exists():
        return None
    return json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))


def _build_dbt_assets() -> AssetsDefinition | None:
    manifest = load_manifest()
    if manifest is None or not any(
        n.get("resource_type") in ("model", "seed") for n in manifest.get("nodes", {}).values()
    ):
        return None

    @dbt_assets(
        manifest=dbt_project.manifest_path,
        project=dbt_project,
        dagster_dbt_translator=translator,
        pool=WAREHOUSE_POOL,
        name="warehouse_dbt",
    )
    def warehouse_dbt(context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
        """``dbt build --threads 1``: seeds, staging views, mart tables and their tests."""
        # dbt's profile reads WAREHOUSE_PATH: point it at this run's warehouse resource.
        os.environ["WAREHOUSE_PATH"] = str(warehouse.db_path)
        yield from dbt.cli(["build", "--threads", "1"], context=context).stream()

    return warehouse_dbt


warehouse_dbt = _build_dbt_assets()


def model_keys(schema: str) -> list[AssetKey]:
    """Asset keys of the dbt models in ``schema`` (e.g. every mart), from the manifest."""
    manifest = load_manifest() or {}
    return sorted(
        (
            translator.get_asset_key(n)
            for n in manifest.get("nodes", {}).values()
            if n.get("resource_type") == "model" and n.get("schema") == schema
        ),
        key=lambda k: k.to_user_string(),
    )


def model_names(schema: str) -> set[str]:
    return {k.path[-1] for k in model_keys(schema)}

"""dbt: staging and mart models (and their tests as asset checks), and the dbt CLI resource."""

from __future__ import annotations

from dagster import Definitions

from orchestration.defs.dbt.assets import build_dbt_assets
from orchestration.defs.dbt.cli import WarehouseDbtCliResource
from orchestration.defs.dbt.project import DBT_PROJECT_DIR, dbt_project
from orchestration.resources import dbt_executable


def defs() -> Definitions:
    return Definitions(
        assets=[build_dbt_assets()],
        resources={
            "dbt": WarehouseDbtCliResource(
                project_dir=dbt_project(),  # type: ignore[arg-type]  # DbtCliResource.__init__ takes a DbtProject
                profiles_dir=str(DBT_PROJECT_DIR), dbt_executable=dbt_executable(),
            )
        },
    )

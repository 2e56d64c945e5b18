"""The dbt CLI resource of the warehouse: dagster-dbt's ``DbtCliResource`` without two costs it pays
on every ``dbt.cli(...)`` call that this project never uses (issue #13: ~2.5–4.5 s of every build).

* ``_cli_version``: dagster-dbt runs ``dbt --version`` in a subprocess (a second dbt start-up) to
  tell dbt Core from the Fusion engine. The executable is the venv's own dbt (``dbt_executable()``),
  so its version is the installed ``dbt-core``'s (dagster-dbt's ``DBT_PYTHON_VERSION``).
* ``_initialize_dbt_core_adapter``: dagster-dbt loads the dbt project, profile and macros into this
  process to hand an adapter to ``DbtCliInvocation``, which uses it only for
  ``fetch_column_metadata()`` / ``fetch_row_counts()``; the dbt asset calls neither.

Both are private methods of dagster-dbt (pinned in requirements.lock);
``tests/test_incremental_marts.py`` fails if a dagster-dbt upgrade renames them.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from dagster_dbt import DbtCliResource
from dagster_dbt.compat import DBT_PYTHON_VERSION  # the installed dbt-core's, as dagster-dbt parses it


class WarehouseDbtCliResource(DbtCliResource):
    @cached_property
    def _cli_version(self) -> Any:
        assert DBT_PYTHON_VERSION is not None, "dbt-core is not installed"
        return DBT_PYTHON_VERSION

    def _initialize_dbt_core_adapter(self, args: Any) -> Any:
        return None

"""The dbt project (dbt_project/) as a ``DbtProject``, in its own module (``@dbt_assets`` reads
its manifest when the definitions load).

``dbt_project()`` calls ``DbtProject.prepare_if_dev()``: under ``dagster dev`` (and its run
workers) the manifest is re-parsed on every code load; anywhere else it must already exist —
``python -m orchestration.build`` runs ``prepare_manifest()`` first, and so does the tests' conftest.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from orchestration.defs.dbt.args import deps_args, parse_args
from orchestration.resources import REPO_ROOT, dbt_executable

DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"


@cache
def dbt_project() -> DbtProject:
    project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
    project.prepare_if_dev()
    return project


def prepare_manifest() -> Path:
    """``dbt parse`` now, whatever the environment (the headless build and the tests; under
    ``dagster dev``, ``prepare_if_dev`` does it). Returns the manifest's path."""
    project = dbt_project()
    # The venv's dbt (dagster-dbt's own preparer runs `dbt` from PATH, which `make` sets for
    # `dagster dev`; a plain `python -m orchestration.build` need not have the venv on PATH).
    dbt = DbtCliResource(project_dir=project, dbt_executable=dbt_executable())
    if any((Path(project.project_dir) / f).exists() for f in ("packages.yml", "dependencies.yml")):
        dbt.cli(deps_args(), target_path=project.target_path).wait()
    dbt.cli(parse_args(), target_path=project.target_path).wait()
    return Path(project.manifest_path)

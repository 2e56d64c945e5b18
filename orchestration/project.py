"""The dbt project (dbt_project/) as a ``DbtProject``, in its own module so that the manifest can
be prepared before the asset definitions are imported (``@dbt_assets`` reads
``target/manifest.json`` at import time).

* ``dagster dev`` (DAGSTER_IS_DEV_CLI set): ``prepare_if_dev()`` re-parses on every code load.
* anywhere else: the manifest is parsed only when it is missing; ``orchestration.build`` always
  re-parses first (``prepare()``) so a headless build never runs a stale manifest.
"""

from __future__ import annotations

import os
import subprocess
import time
import warnings
from pathlib import Path

from dagster_dbt import DbtProject

from orchestration.resources import REPO_ROOT, dbt_executable, export_env

DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"


def dbt_project_exists() -> bool:
    return (DBT_PROJECT_DIR / "dbt_project.yml").is_file()


dbt_project: DbtProject | None = (
    DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR) if dbt_project_exists() else None
)


def prepare() -> float:
    """``dbt parse`` into the project's target path (runs ``dbt deps`` first if packages are
    declared). Returns the seconds it took. Raises with dbt's output on failure."""
    if dbt_project is None:
        return 0.0
    export_env()
    t0 = time.monotonic()
    base = [dbt_executable()]
    common = ["--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)]
    if any((DBT_PROJECT_DIR / f).exists() for f in ("packages.yml", "dependencies.yml")):
        _run([*base, "deps", "--quiet", *common])
    _run([*base, "parse", "--quiet", *common, "--target-path", str(dbt_project.target_path)])
    if not dbt_project.manifest_path.exists():
        raise RuntimeError(f"dbt parse wrote no manifest at {dbt_project.manifest_path}")
    return time.monotonic() - t0


def _run(cmd: list[str]) -> None:
    proc = subprocess.run(cmd, check=False, cwd=REPO_ROOT, capture_output=True, text=True, env=os.environ.copy())
    if proc.returncode != 0:
        raise RuntimeError(
            f"{' '.join(cmd[:2])} failed (exit {proc.returncode}):\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
        )


def manifest_is_fresh() -> bool:
    """The manifest exists and is newer than every file dbt parses (models, macros, seeds,
    tests, snapshots, analyses, dbt_project.yml, profiles.yml, packages)."""
    if dbt_project is None or not dbt_project.manifest_path.exists():
        return False
    built = dbt_project.manifest_path.stat().st_mtime
    target = Path(dbt_project.target_path).resolve()
    skip = {target, (DBT_PROJECT_DIR / "logs").resolve(), (DBT_PROJECT_DIR / "dbt_packages").resolve()}
    for p in DBT_PROJECT_DIR.rglob("*"):
        if any(p.resolve().is_relative_to(s) for s in skip) or not p.is_file():
            continue
        if p.stat().st_mtime > built:
            return False
    return True


def prepare_if_needed() -> float:
    """Parse unless the manifest is fresh. Returns the seconds spent (0 when skipped)."""
    if dbt_project is None or manifest_is_fresh():
        return 0.0
    return prepare()


def prepare_if_dev() -> None:
    """Parse under ``dagster dev`` (and in its run workers) unless the manifest is already fresh;
    elsewhere only when the manifest is missing."""
    if dbt_project is None:
        return
    if not dbt_project.manifest_path.exists():
        prepare()
    elif os.environ.get("DAGSTER_IS_DEV_CLI") and not manifest_is_fresh():
        try:
            prepare()
        except RuntimeError as e:
            # A dbt project mid-edit must not take the UI down: keep the last good manifest.
            warnings.warn(f"dbt parse failed; using the previous manifest: {e}", stacklevel=2)

"""The process environment of a headless build into its own folder (a test session's seed
warehouse, a benchmark's scratch build): one home, used by tests/conftest.py and benchmarks/.
No Dagster import, so importing it costs nothing."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def build_env(root: Path, sources: Path, **extra: str) -> dict[str, str]:
    """The environment of a headless build into ``root`` from the registry ``sources``: its own
    DAGSTER_HOME (the repo's dagster.yaml), warehouse file and registry, telemetry off, the venv's
    tools first on PATH (dagster-dbt runs ``dbt``)."""
    home = root / "dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / ".dagster_home" / "dagster.yaml", home / "dagster.yaml")
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_IS_DEV_CLI"}
    env.update(DAGSTER_HOME=str(home), WAREHOUSE_PATH=str(root / "warehouse.duckdb"),
               BULLETIN_SOURCES_DIR=str(sources), GX_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1",
               PATH=f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}", **extra)
    return env

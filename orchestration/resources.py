"""Resources: where the warehouse lives, and the dbt CLI.

``WAREHOUSE_PATH`` selects the DuckDB file (absolute, or relative to the repo root; default
``data/warehouse.duckdb``). The same variable is read by dbt's profiles.yml; it is normalised to
an absolute path in this process's environment so dbt (a subprocess that changes into
``dbt_project/``) and ingestion always open the same file.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from dagster import ConfigurableResource

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WAREHOUSE = REPO_ROOT / "data" / "warehouse.duckdb"


def warehouse_path() -> Path:
    raw = os.environ.get("WAREHOUSE_PATH")
    p = Path(raw) if raw else DEFAULT_WAREHOUSE
    if not p.is_absolute():
        p = REPO_ROOT / p
    return p


def export_env() -> Path:
    """Pin WAREHOUSE_PATH (absolute) for dbt subprocesses; put the venv's bin on PATH for dbt."""
    p = warehouse_path()
    os.environ["WAREHOUSE_PATH"] = str(p)
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
    return p


def dbt_executable() -> str:
    exe = Path(sys.executable).parent / "dbt"
    return str(exe) if exe.exists() else "dbt"


class WarehouseResource(ConfigurableResource):
    """The DuckDB warehouse file and where its published copies go.

    Publishing goes beside the warehouse, named after it, so an experiment with another
    WAREHOUSE_PATH never overwrites the published copy of the real warehouse:

    * ``data/warehouse.duckdb`` -> ``data/published/warehouse.duckdb`` and ``data/export/*.parquet``
    * ``data/dev.duckdb``       -> ``data/published/dev.duckdb`` and ``data/export/dev/*.parquet``

    ``PUBLISHED_DIR`` / ``EXPORT_DIR`` (or the fields) override the folders.
    """

    path: str
    published_dir: str | None = None
    export_dir: str | None = None

    @property
    def db_path(self) -> Path:
        return Path(self.path)

    @property
    def published_path(self) -> Path:
        base = self.published_dir or os.environ.get("PUBLISHED_DIR")
        folder = Path(base) if base else self.db_path.parent / "published"
        return folder / self.db_path.name

    @property
    def export_path(self) -> Path:
        base = self.export_dir or os.environ.get("EXPORT_DIR")
        if base:
            return Path(base)
        stem = self.db_path.stem
        return self.db_path.parent / "export" / ("" if stem == "warehouse" else stem)


class RegistryResource(ConfigurableResource):
    """Where the source registry lives (``BULLETIN_SOURCES_DIR``, default data/sources)."""

    sources_dir: str

    def load(self):
        from ingestion.registry import load_registry

        return load_registry(Path(self.sources_dir))


def sources_dir() -> Path:
    raw = os.environ.get("BULLETIN_SOURCES_DIR")
    p = Path(raw) if raw else REPO_ROOT / "data" / "sources"
    return p if p.is_absolute() else REPO_ROOT / p

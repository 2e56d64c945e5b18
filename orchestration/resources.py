"""Resources and paths: where the warehouse, the registry and the Dagster instance live.

``WAREHOUSE_PATH`` selects the DuckDB file (absolute, or relative to the repo root; default
``data/warehouse.duckdb``). Nothing here writes the environment: dbt is told which file to open
by the dbt asset (``--vars {warehouse_path: …}``, see ``defs/dbt/args.py``), so dbt and ingestion
always open the same file as the ``warehouse`` resource.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from dagster import ConfigurableResource

if TYPE_CHECKING:
    from ingestion.registry import Registry

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WAREHOUSE = REPO_ROOT / "data" / "warehouse.duckdb"


def warehouse_path() -> Path:
    raw = os.environ.get("WAREHOUSE_PATH")
    p = Path(raw) if raw else DEFAULT_WAREHOUSE
    if not p.is_absolute():
        p = REPO_ROOT / p
    return p


def dagster_home() -> Path:
    """``DAGSTER_HOME``, default ``.dagster_home`` in the repo (holds dagster.yaml)."""
    raw = os.environ.get("DAGSTER_HOME")
    return Path(raw) if raw else REPO_ROOT / ".dagster_home"


def dbt_executable() -> str:
    """The venv's dbt (beside this interpreter) so no PATH change is needed; else dbt on PATH."""
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

    @property
    def report_path(self) -> Path:
        """The HTML report of the published copy: data/report/ (``REPORT_DIR`` overrides)."""
        base = os.environ.get("REPORT_DIR")
        if base:
            return Path(base)
        stem = self.db_path.stem
        return self.db_path.parent / "report" / ("" if stem == "warehouse" else stem)


class RegistryResource(ConfigurableResource):
    """Where the source registry lives (``BULLETIN_SOURCES_DIR``, default data/sources)."""

    sources_dir: str

    def load(self) -> Registry:
        from ingestion.registry import load_registry

        return load_registry(Path(self.sources_dir))


def sources_dir() -> Path:
    raw = os.environ.get("BULLETIN_SOURCES_DIR")
    p = Path(raw) if raw else REPO_ROOT / "data" / "sources"
    return p if p.is_absolute() else REPO_ROOT / p

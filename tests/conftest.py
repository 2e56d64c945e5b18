"""Shared fixtures: the real seed bulletins as shipped in data/sources, and the seed warehouse.

The seed warehouse (``seed_warehouse``)
---------------------------------------
One real headless build (``python -m orchestration.build``, exactly what ``make run`` runs) of a
temporary copy of ``data/sources`` into a temporary folder, **once per test session**. It starts
in the background as soon as collection finishes (if any selected test needs it), and the tests
that need it are moved to the end of the run, so every other test runs while it builds.

How to add a test against the warehouse (task history, reliability, report, …)::

    import pytest
    pytestmark = pytest.mark.slow          # `make test-fast` skips tests that need the build

    def test_something(seed_con):          # read-only DuckDB connection to the published copy
        assert seed_con.execute("select count(*) from mart.task_progress").fetchone()[0] > 0

    def test_files(seed_warehouse):        # SeedWarehouse: paths, the build's stdout, its env
        assert (seed_warehouse.export / "task_progress.parquet").exists()

Rules: the shared warehouse is **read-only** — never write to ``seed_warehouse.db`` or the
published copy (other tests read them; open them with ``read_only=True``, or use ``seed_con``).
To test something that writes, copy it first: ``seed_warehouse.copy_to(tmp_path)`` gives a
``SeedWarehouse`` of your own (files copied, ~1 s). Do not add new full builds to the tests
(``subprocess … orchestration.build``): build your scenario on a copy, in-process, or with a
tiny registry and ``ingestion.pipeline.ingest_source``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from orchestration.environment import build_env

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")

REPO = Path(__file__).resolve().parent.parent
SOURCES = REPO / "data" / "sources"
VENV_BIN = Path(sys.executable).parent
SEED_FIXTURE = "seed_warehouse"
BUILD_TIMEOUT_S = 900


@pytest.fixture(scope="session")
def registry():
    from ingestion.registry import load_registry

    reg = load_registry(SOURCES)
    assert not reg.errors, reg.errors
    return reg


def tiny_result(n_rows: int, header: str = "序号"):
    """A small, internally consistent parse result: a header line, one line per numbered row
    ('任务i', lead unit 区发改委), a trailing blank line."""
    from ingestion.model import LineLedger, ParseResult, TaskRow

    lines = [header, *[f"{i} 任务{i}" for i in range(1, n_rows + 1)], ""]
    ledger = LineLedger(lines)
    ledger.add_furniture(1, "header")
    rows = []
    for i in range(1, n_rows + 1):
        ledger.row([i + 1])
        rows.append(TaskRow(table_no=1, row_no=i, task_seq=i, sub_seq=1, line_start=i + 1, line_end=i + 1,
                            task_text=f"任务{i}", lead_units=["区发改委"]))
    return ParseResult.from_ledger("test", ledger, rows)


def seed_path(source_id: str) -> Path:
    folder = SOURCES / source_id
    return next(p for p in folder.iterdir() if p.name != "source.yaml")


# ----------------------------------------------------------------------------- seed warehouse


@dataclass
class SeedWarehouse:
    """Where one headless build put everything, and how it ran."""

    root: Path
    sources: Path
    dagster_home: Path
    stdout: str = ""
    seconds: float = 0.0
    env: dict[str, str] = field(default_factory=dict)

    @property
    def db(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def published(self) -> Path:
        return self.root / "published" / "warehouse.duckdb"

    @property
    def export(self) -> Path:
        return self.root / "export"

    def copy_to(self, dest: Path) -> SeedWarehouse:
        """A private copy (registry, warehouse and its raw lake, published copy, export, Dagster
        home) to write to."""
        dest = Path(dest)
        dest.mkdir(parents=True, exist_ok=True)
        for name in ("sources", "published", "export", "dagster_home", self.db.name + ".lake"):
            if (self.root / name).exists():
                shutil.copytree(self.root / name, dest / name, dirs_exist_ok=True)
        shutil.copy2(self.db, dest / self.db.name)
        return SeedWarehouse(dest, dest / "sources", dest / "dagster_home", self.stdout, self.seconds,
                             build_env(dest, dest / "sources"))




class _BackgroundBuild:
    """The session's one build, started early and waited for on first use."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="seed_warehouse_"))
        self.wh = SeedWarehouse(self.root, self.root / "sources", self.root / "dagster_home")
        shutil.copytree(SOURCES, self.wh.sources)
        self.wh.env = build_env(self.root, self.wh.sources)
        self.log = open(self.root / "build.log", "w+", encoding="utf-8")  # noqa: SIM115  closed in wait()
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "orchestration.build", "--no-parse"], cwd=REPO, env=self.wh.env,
            stdout=self.log, stderr=subprocess.STDOUT, text=True,
        )
        self.result: SeedWarehouse | None = None

    def wait(self) -> SeedWarehouse:
        if self.result is None:
            rc = self.proc.wait(timeout=BUILD_TIMEOUT_S)
            self.wh.seconds = time.monotonic() - self.t0
            self.log.seek(0)
            self.wh.stdout = self.log.read()
            self.log.close()
            assert rc == 0, f"the seed build failed (exit {rc}):\n{self.wh.stdout[-6000:]}"
            self.result = self.wh
        return self.result

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)
        if not self.log.closed:
            self.log.close()
        shutil.rmtree(self.root, ignore_errors=True)


_BUILD: _BackgroundBuild | None = None
_MANIFEST_READY = False


def _prepare_manifest() -> None:
    """``dbt parse`` at most once per session, and only when a dbt file changed since the last
    parse (``prepare_manifest`` compares the project's fingerprint; the definitions read the
    manifest when they load)."""
    global _MANIFEST_READY
    if not _MANIFEST_READY:
        from orchestration.defs.dbt.project import prepare_manifest

        prepare_manifest()
        _MANIFEST_READY = True


@pytest.fixture(scope="session")
def dbt_manifest() -> Path:
    """A freshly parsed dbt manifest (dbt_project/target/manifest.json); request it before
    importing ``orchestration.definitions``."""
    from orchestration.defs.dbt.project import dbt_project

    _prepare_manifest()
    return Path(dbt_project().manifest_path)


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests that need the seed warehouse run last (in their usual order), so everything else runs
    while it builds in the background instead of waiting for it."""
    items.sort(key=lambda item: SEED_FIXTURE in getattr(item, "fixturenames", ()))


def pytest_collection_finish(session: pytest.Session) -> None:
    global _BUILD
    if session.config.option.collectonly:
        return
    if any(SEED_FIXTURE in getattr(item, "fixturenames", ()) for item in session.items):
        # The dbt manifest first, in this process: the build (--no-parse) and the tests that
        # import the definitions then read one fresh manifest instead of racing to re-parse it.
        _prepare_manifest()
        _BUILD = _BackgroundBuild()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _BUILD is not None:
        _BUILD.stop()


@pytest.fixture(scope="session")
def seed_warehouse() -> SeedWarehouse:
    """The seed warehouse, built once per session by the real headless build (read-only!)."""
    global _BUILD
    if _BUILD is None:  # e.g. requested dynamically: start it now
        _BUILD = _BackgroundBuild()
    return _BUILD.wait()


@pytest.fixture(scope="session")
def seed_con(seed_warehouse):
    """A read-only connection to the seed warehouse's published copy."""
    import duckdb

    con = duckdb.connect(str(seed_warehouse.published), read_only=True)
    yield con
    con.close()

"""Shared fixtures: the real seed bulletins as shipped in data/sources, and the seed warehouse.

The seed warehouse (``seed_warehouse``)
---------------------------------------
One real headless build (``python -m orchestration.build``, exactly what ``make run`` runs) of a
temporary copy of ``data/sources`` into a temporary folder, **once per run**, shared by all of
pytest-xdist's workers (``SharedBuild``). It starts in the background as soon as collection
finishes (if any selected test needs it), and the tests that need it are moved to the end of the
run, so every other test runs while it builds.

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

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ingestion.load import hold_lock
from ingestion.pipeline import STAGE_WORKERS_ENV
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




def run_uid(config: pytest.Config) -> str:
    """This run's id, the same in pytest-xdist's controller and in each of its workers (the
    controller sets it before starting them); a plain run makes its own."""
    uid = os.environ.get("PYTEST_XDIST_TESTRUNUID") or getattr(config.option, "testrunuid", None)
    if not uid:
        uid = config.option.testrunuid = uuid.uuid4().hex
    return uid


def is_controller(config: pytest.Config) -> bool:
    """The process that outlives the run's tests: a plain pytest or xdist's controller."""
    return not hasattr(config, "workerinput")


class SharedBuild:
    """The run's one seed build, shared by every test process of the run (xdist's workers each
    ask for it; the first starts it, under a file lock). It runs detached and leaves its exit
    code in ``rc``; whoever needs the warehouse waits for that file. The controller removes it
    all when the run ends (and kills a build still going)."""

    def __init__(self, uid: str) -> None:
        self.root = Path(tempfile.gettempdir()) / f"seed_warehouse_{uid}"
        # Staged in the build's own process: the test workers already use every core, a pool
        # would only add spawn time (tests/test_lake.py covers the pool).
        self.wh = SeedWarehouse(self.root, self.root / "sources", self.root / "dagster_home",
                                env=build_env(self.root, self.root / "sources", **{STAGE_WORKERS_ENV: "1"}))
        self.result: SeedWarehouse | None = None

    @property
    def lock(self) -> Path:
        return self.root.with_name(self.root.name + ".lock")

    def start(self) -> None:
        """Start the build unless some process of this run already has."""
        with hold_lock(self.lock, timeout_s=BUILD_TIMEOUT_S, message=f"{self.lock} held for {BUILD_TIMEOUT_S} s"):
            if (self.root / "pid").exists():
                return
            # The dbt manifest first: the build (--no-parse) and the tests that import the
            # definitions then read one fresh manifest instead of racing to re-parse it.
            _prepare_manifest()
            shutil.rmtree(self.root, ignore_errors=True)
            shutil.copytree(SOURCES, self.wh.sources)
            (self.root / "started").write_text(repr(time.time()), encoding="utf-8")
            # The shell writes the exit code once the build has ended (rc.tmp, then renamed: a
            # reader never sees half of it); its own session so no test process's exit ends it.
            cmd = ('"$0" -m orchestration.build --no-parse > "$1/build.log" 2>&1; '
                   'echo $? > "$1/rc.tmp" && mv "$1/rc.tmp" "$1/rc"')
            proc = subprocess.Popen(["sh", "-c", cmd, sys.executable, str(self.root)], cwd=REPO,
                                    env=self.wh.env, start_new_session=True)
            (self.root / "pid").write_text(str(proc.pid), encoding="utf-8")

    def wait(self) -> SeedWarehouse:
        if self.result is None:
            self.start()
            deadline = time.monotonic() + BUILD_TIMEOUT_S
            rc_file = self.root / "rc"
            while not rc_file.exists():
                assert time.monotonic() < deadline, f"the seed build took over {BUILD_TIMEOUT_S} s"
                time.sleep(0.2)
            rc = int(rc_file.read_text(encoding="utf-8"))
            self.wh.seconds = rc_file.stat().st_mtime - float((self.root / "started").read_text(encoding="utf-8"))
            self.wh.stdout = (self.root / "build.log").read_text(encoding="utf-8")
            assert rc == 0, f"the seed build failed (exit {rc}):\n{self.wh.stdout[-6000:]}"
            self.result = self.wh
        return self.result

    def remove(self) -> None:
        """Kill the build if it still runs, then delete its files (the controller, at the end)."""
        pid_file = self.root / "pid"
        if pid_file.exists() and not (self.root / "rc").exists():
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.killpg(int(pid_file.read_text(encoding="utf-8")), signal.SIGKILL)
        shutil.rmtree(self.root, ignore_errors=True)
        self.lock.unlink(missing_ok=True)


_BUILD: SharedBuild | None = None
_MANIFEST_READY = False


def _prepare_manifest() -> None:
    """``dbt parse`` at most once per session, and only when a dbt file changed since the last
    parse (``prepare_manifest`` compares the project's fingerprint, under a lock shared by the
    run's processes; the definitions read the manifest when they load)."""
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


def pytest_configure(config: pytest.Config) -> None:
    global _BUILD
    _BUILD = SharedBuild(run_uid(config))


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests that need the seed warehouse run last (in their usual order), so everything else runs
    while it builds in the background instead of waiting for it."""
    items.sort(key=lambda item: SEED_FIXTURE in getattr(item, "fixturenames", ()))


def pytest_collection_finish(session: pytest.Session) -> None:
    if session.config.option.collectonly or _BUILD is None:
        return
    if any(SEED_FIXTURE in getattr(item, "fixturenames", ()) for item in session.items):
        _BUILD.start()


def pytest_unconfigure(config: pytest.Config) -> None:
    if _BUILD is not None and is_controller(config):
        _BUILD.remove()


@pytest.fixture(scope="session")
def seed_warehouse() -> SeedWarehouse:
    """The seed warehouse, built once per run by the real headless build (read-only!)."""
    assert _BUILD is not None
    return _BUILD.wait()


@pytest.fixture(scope="session")
def seed_con(seed_warehouse):
    """A read-only connection to the seed warehouse's published copy."""
    import duckdb

    con = duckdb.connect(str(seed_warehouse.published), read_only=True)
    yield con
    con.close()

"""The dbt project (dbt_project/) as a ``DbtProject``, in its own module (``@dbt_assets`` reads
its manifest when the definitions load).

``dbt_project()`` calls ``DbtProject.prepare_if_dev()``: under ``dagster dev`` (and its run
workers) the manifest is re-parsed on every code load; anywhere else it must already exist —
``python -m orchestration.build`` runs ``prepare_manifest()`` first, and so does the tests' conftest.

``prepare_manifest()`` skips ``dbt parse`` when the manifest was written from the same project
files (a SHA-256 over every file dbt reads, and dbt's version, stored beside the manifest): most
builds change data, not dbt files, and the parse is ~8 s of a ~50 s seed build (issue #13).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from dagster_dbt import DbtProject

from ingestion.load import hold_lock
from orchestration.defs.dbt.args import deps_args, parse_args
from orchestration.defs.dbt.cli import WarehouseDbtCliResource
from orchestration.resources import REPO_ROOT, dbt_executable, warehouse_path

DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
# What dbt writes or installs itself: not inputs of the manifest.
GENERATED_DIRS = ("target", "logs", "dbt_packages")
FINGERPRINT_FILE = "manifest.fingerprint"
PARSE_LOCK = "parse.lock"
PARSE_LOCK_TIMEOUT_S = 600.0


def project_files(project_dir: Path) -> list[Path]:
    """Every file of the dbt project that ``dbt parse`` may read, in a stable order."""
    root = Path(project_dir)
    return sorted(
        p for p in root.rglob("*")
        if p.is_file() and p.relative_to(root).parts[0] not in GENERATED_DIRS and p.suffix != ".pyc"
    )


def fingerprint(files: Iterable[tuple[str, bytes]], dbt_version: str) -> str:
    """SHA-256 over (relative path, content) pairs and dbt's version: the manifest's inputs."""
    h = hashlib.sha256(dbt_version.encode())
    for rel, data in files:
        h.update(b"\0" + rel.encode() + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()


def project_fingerprint(project_dir: Path = DBT_PROJECT_DIR) -> str:
    from dbt.version import __version__ as dbt_version

    root = Path(project_dir)
    return fingerprint(((p.relative_to(root).as_posix(), p.read_bytes()) for p in project_files(root)),
                       str(dbt_version))


def manifest_stamp(project_dir: Path, args: list[str]) -> str:
    """What the manifest is current for: the project's fingerprint and the parse's arguments."""
    return project_fingerprint(project_dir) + " " + " ".join(args)


def manifest_is_current(manifest: Path, project_dir: Path = DBT_PROJECT_DIR, args: list[str] | None = None) -> bool:
    """The manifest exists and was parsed from the project files as they are now (and, when
    ``args`` are given, with those ``dbt parse`` arguments)."""
    stamp = Path(manifest).with_name(FINGERPRINT_FILE)
    if not (Path(manifest).exists() and stamp.exists()):
        return False
    recorded = stamp.read_text(encoding="utf-8").strip()
    want = manifest_stamp(project_dir, args) if args is not None else project_fingerprint(project_dir)
    return recorded == want if args is not None else recorded.split(" ", 1)[0] == want


@cache
def dbt_project() -> DbtProject:
    project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
    project.prepare_if_dev()
    return project


def prepare_manifest(force: bool = False) -> Path:
    """``dbt parse``, whatever the environment (the headless build and the tests; under
    ``dagster dev``, ``prepare_if_dev`` does it), unless the manifest is current for the project
    files and this environment's warehouse (``force`` parses anyway). Returns the manifest's path.
    The parse carries the warehouse's ``--vars`` so that the build's dbt reuses its partial parse."""
    project = dbt_project()
    manifest = Path(project.manifest_path)
    args = parse_args(warehouse_path())
    if not force and manifest_is_current(manifest, Path(project.project_dir), args):
        return manifest
    # One parse at a time (a build and the tests' workers may prepare at once; two dbt parses
    # writing one target/ leave a torn manifest); whoever waited finds it current.
    manifest.parent.mkdir(parents=True, exist_ok=True)
    with hold_lock(manifest.with_name(PARSE_LOCK), timeout_s=PARSE_LOCK_TIMEOUT_S,
                   message=f"another dbt parse has held {manifest.parent / PARSE_LOCK} for "
                           f"{PARSE_LOCK_TIMEOUT_S:.0f} s"):
        if not force and manifest_is_current(manifest, Path(project.project_dir), args):
            return manifest
        stamp = manifest_stamp(Path(project.project_dir), args)  # before the parse: an edit during it re-parses next time
        # The venv's dbt (dagster-dbt's own preparer runs `dbt` from PATH, which `make` sets for
        # `dagster dev`; a plain `python -m orchestration.build` need not have the venv on PATH).
        dbt = WarehouseDbtCliResource(project_dir=project, dbt_executable=dbt_executable())  # type: ignore[arg-type]  # DbtCliResource.__init__ takes a DbtProject
        if any((Path(project.project_dir) / f).exists() for f in ("packages.yml", "dependencies.yml")):
            dbt.cli(deps_args(), target_path=project.target_path).wait()
        dbt.cli(args, target_path=project.target_path).wait()
        manifest.with_name(FINGERPRINT_FILE).write_text(stamp + "\n", encoding="utf-8")
    return manifest

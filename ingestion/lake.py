"""The raw lake: each source's parse result as its own Parquet files, beside the warehouse.

Staging a source (``ingestion.load.stage_source``) needs no DuckDB write lock: it writes the
source's tables into a fresh version folder and then swaps the source's manifest in with one
``os.replace``, so partitions can be parsed in parallel (several processes, or several machines
sharing the folder) and a reader sees either the previous version or the new one, never half.
One writer (``ingestion.load.sync_lake``) then loads every new version into the ``raw`` schema.

Layout under ``<warehouse>.lake/`` (e.g. ``data/warehouse.duckdb.lake/``)::

    sources/<source_id>/current.json          the manifest of the version to load
    sources/<source_id>/<version>/<table>.parquet
    log/<source_id>/<stamp>-<uuid>.json        failed attempts, until the next sync records them
    locks/<source_id>.lock                     one stager of a source at a time
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ingestion.registry import SOURCE_ID_PATTERN

# Bumped when the folder layout or the manifest's fields change; a manifest of another format is
# not loaded (it is reported and skipped until the source is staged again).
FORMAT = 1
MANIFEST = "current.json"
# A lake folder is named by a source id (the registry's pattern): never a path.
_SAFE_ID = re.compile(SOURCE_ID_PATTERN)


class LakeError(ValueError):
    """A source id that cannot be a lake folder, or a manifest that cannot be read."""


def lake_root(db_path: Path) -> Path:
    """The lake of a warehouse file: ``<name>.lake`` beside it (covered by the warehouse's
    ignore rule and by ``make clean``)."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".lake")


def schema_key(ddl: str) -> str:
    """A short fingerprint of the raw DDL: a version staged under other columns is not loaded."""
    return hashlib.sha256(ddl.encode("utf-8")).hexdigest()[:16]


def check_id(source_id: str) -> str:
    if not isinstance(source_id, str) or not _SAFE_ID.match(source_id):
        raise LakeError(f"{source_id!r} is not a source id (ingestion.registry.SOURCE_ID_PATTERN), so not a "
                        "folder of the raw lake")
    return source_id


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Manifest:
    source_id: str
    version: str
    schema: str
    staged_at: str
    row_count: int
    files: dict[str, int] = field(default_factory=dict)  # raw table -> rows in its Parquet file
    format: int = FORMAT

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        d = json.loads(text)
        return cls(**{k: d[k] for k in ("source_id", "version", "schema", "staged_at", "row_count", "files",
                                         "format")})


def source_dir(root: Path, source_id: str) -> Path:
    return Path(root) / "sources" / check_id(source_id)


def table_file(root: Path, source_id: str, version: str, table: str) -> Path:
    """``raw.task_rows`` of one version -> ``sources/<id>/<version>/task_rows.parquet``."""
    return source_dir(root, source_id) / version / f"{table.removeprefix('raw.')}.parquet"


def new_version() -> str:
    """Sortable and unique across processes and machines."""
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f") + "-" + uuid.uuid4().hex[:8]


@contextlib.contextmanager
def staging(root: Path, source_id: str, timeout_s: float = 600.0) -> Iterator[tuple[Path, str]]:
    """Hold the source's stager lock and yield a fresh version folder to write its files into.
    If the body raises (or the process dies), the folder is never made current; a later stage of
    the source removes it."""
    from ingestion.load import hold_lock

    locks = Path(root) / "locks"
    locks.mkdir(parents=True, exist_ok=True)
    with hold_lock(locks / f"{check_id(source_id)}.lock", timeout_s=timeout_s,
                   message=f"another process has been staging {source_id} for {timeout_s:.0f}s"):
        version = new_version()
        folder = source_dir(root, source_id) / version
        folder.mkdir(parents=True)
        try:
            yield folder, version
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def publish(root: Path, manifest: Manifest) -> None:
    """Make ``manifest`` the source's current version (one rename), then drop every version but
    this one and the one it replaced (a sync reading the previous one may still be running)."""
    folder = source_dir(root, manifest.source_id)
    previous = read_manifest(root, manifest.source_id)
    _write_atomic(folder / MANIFEST, manifest.to_json())
    keep = {manifest.version, previous.version if previous else None}
    for child in folder.iterdir():
        if child.is_dir() and child.name not in keep:
            shutil.rmtree(child, ignore_errors=True)


def read_manifest(root: Path, source_id: str) -> Manifest | None:
    """The source's current manifest; None when it was never staged. LakeError when unreadable."""
    path = source_dir(root, source_id) / MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        return Manifest.from_json(text)
    except (ValueError, KeyError, TypeError) as e:
        raise LakeError(f"{path}: unreadable manifest ({type(e).__name__}: {e})") from e


def staged_ids(root: Path) -> list[str]:
    """Every source with a current manifest."""
    base = Path(root) / "sources"
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if (p / MANIFEST).exists())


def remove(root: Path, source_id: str) -> None:
    shutil.rmtree(source_dir(root, source_id), ignore_errors=True)


# ------------------------------------------------------------------ failed attempts


def log_failure(root: Path, source_id: str, error: str) -> Path:
    """Record a failed attempt in the lake (no warehouse lock); the next sync moves it into
    ``raw.ingest_log``."""
    # An invalid registry entry is logged under its folder's name, which need not be an id.
    name = source_id if _SAFE_ID.match(source_id) else "_" + hashlib.sha256(source_id.encode()).hexdigest()[:12]
    folder = Path(root) / "log" / name
    folder.mkdir(parents=True, exist_ok=True)
    stamp = _now()
    path = folder / f"{stamp.replace(':', '')}-{uuid.uuid4().hex[:8]}.json"
    _write_atomic(path, json.dumps({"source_id": source_id, "attempted_at": stamp, "error": error},
                                   ensure_ascii=False))
    return path


def pending_failures(root: Path) -> list[tuple[Path, dict]]:
    """Failure records not yet in raw.ingest_log, oldest first (unreadable ones are skipped)."""
    base = Path(root) / "log"
    if not base.is_dir():
        return []
    out = []
    for path in sorted(base.glob("*/*.json")):
        try:
            out.append((path, json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, ValueError):
            continue
    return out

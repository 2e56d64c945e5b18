"""Keep the ``sources`` dynamic partitions equal to the registry's source ids. Shared by the
sensor (UI) and the headless build."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from orchestration.constants import SOURCES_PARTITIONS_NAME


@dataclass
class PartitionSync:
    wanted: list[str]
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    registry_errors: list[str] = field(default_factory=list)
    invalid_ids: set[str] = field(default_factory=set)  # folders whose source.yaml is invalid
    errors: list = field(default_factory=list)  # the RegistryErrors themselves
    sources: dict = field(default_factory=dict)  # source id -> RegisteredSource, as read for the sync


def plan_sync(existing: list[str], sources_dir: Path) -> PartitionSync:
    from ingestion.registry import load_registry

    reg = load_registry(Path(sources_dir))
    wanted = [s.source_id for s in reg.sources]
    have = set(existing)
    # An id whose source.yaml is now invalid is kept (its rows stay until the entry is fixed or
    # deleted) rather than dropped on a typo: only ids whose folder has no source.yaml vanish.
    invalid_ids = reg.invalid_folders()
    return PartitionSync(
        wanted=wanted,
        added=[k for k in wanted if k not in have],
        removed=sorted(k for k in have - set(wanted) if k not in invalid_ids),
        registry_errors=[str(e) for e in reg.errors],
        invalid_ids=invalid_ids,
        errors=list(reg.errors),
        sources={s.source_id: s for s in reg.sources},
    )


def sync_partitions(instance, sources_dir: Path) -> PartitionSync:
    """Apply the sync to ``instance`` directly (the headless build)."""
    plan = plan_sync(list(instance.get_dynamic_partitions(SOURCES_PARTITIONS_NAME)), sources_dir)
    if plan.added:
        instance.add_dynamic_partitions(SOURCES_PARTITIONS_NAME, plan.added)
    for key in plan.removed:
        instance.delete_dynamic_partition(SOURCES_PARTITIONS_NAME, key)
    return plan


def registry_stamp(sources_dir: Path) -> str:
    """A fingerprint of everything the registry is read from (``load_registry`` reads
    ``<folder>/source.yaml`` and the file it names): every source folder's entries with their
    sizes and modification times. Stat only, no YAML: ~1,000× cheaper than loading the registry,
    so the sensor can tell "nothing changed" at 10,000 sources without reading 10,000 YAML files."""
    h = hashlib.sha256()
    base = Path(sources_dir)
    if not base.is_dir():
        return "missing"
    with os.scandir(base) as top:
        folders = sorted((e for e in top if e.is_dir()), key=lambda e: e.name)
    for folder in folders:
        with os.scandir(folder.path) as entries:
            for e in sorted(entries, key=lambda e: e.name):
                st = e.stat()
                h.update(f"{folder.name}/{e.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def sensor_cursor(stamp: str, partitions: Iterable[str]) -> str:
    """The sensor's cursor: the registry as stamped and the partitions as they are (or will be
    once the sensor's requests are applied). Equal on the next tick: nothing to do."""
    return hashlib.sha256((stamp + "\n" + "\n".join(sorted(partitions))).encode()).hexdigest()[:32]

"""Rebuild only what changed: ``python -m orchestration.incremental`` (``make rebuild``).

A source is re-parsed and re-loaded only when its *fingerprint* changed: a SHA-256 over its
bulletin file, its source.yaml and the ingestion code (``ingestion/**.py`` and
``ingestion/data/*``, whose edits change every parse; see CONTRIBUTING.md "Which rebuild an edit
needs"). The fingerprints of the sources last ingested without error are kept beside the
warehouse (``<warehouse>.ingested.json``).

* nothing changed (no source, no dbt file, warehouse and published copy present): a no-op;
* some sources changed or were added: ``orchestration.build.run_build(only=those)`` - their
  partitions only, then the downstream run (checks, dbt, publish), with dbt scoped to them: the
  incremental marts replace only the rows of those sources and of the sources sharing their regions
  (``orchestration.defs.dbt.scope``; a scope whose dbt did not succeed is built again next time);
* only dbt files changed: the full build (``run_build``; the manifest is re-parsed).

The manifest itself is cached by ``orchestration.defs.dbt.project.prepare_manifest``.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from orchestration.resources import REPO_ROOT

if TYPE_CHECKING:
    from orchestration.report import BuildReport

INGESTION_DIR = REPO_ROOT / "ingestion"


def digest(parts: Iterable[bytes]) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(hashlib.sha256(p).digest())
    return h.hexdigest()


def code_fingerprint(root: Path = INGESTION_DIR) -> str:
    """Every file of the ingestion package that a parse may run or read (code and its CSVs)."""
    files = sorted(p for p in Path(root).rglob("*") if p.is_file() and p.suffix in (".py", ".csv", ".txt", ".json"))
    return digest(p.relative_to(root).as_posix().encode() + b"\0" + p.read_bytes() for p in files)


def source_fingerprint(bulletin: bytes, source_yaml: bytes, code: str) -> str:
    return digest([bulletin, source_yaml, code.encode()])


@dataclass
class Plan:
    changed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def to_ingest(self) -> list[str]:
        return self.added + self.changed

    @property
    def sources_changed(self) -> bool:
        return bool(self.to_ingest or self.removed)


def plan(current: Mapping[str, str], recorded: Mapping[str, str]) -> Plan:
    """Which sources to ingest, given their fingerprints now and at their last good ingest."""
    out = Plan()
    for sid, fp in current.items():
        if sid not in recorded:
            out.added.append(sid)
        elif recorded[sid] != fp:
            out.changed.append(sid)
        else:
            out.unchanged.append(sid)
    out.removed = sorted(set(recorded) - set(current))
    return out


def state_path(warehouse: Path) -> Path:
    return Path(warehouse).with_name(Path(warehouse).name + ".ingested.json")


def read_state(warehouse: Path) -> dict[str, str]:
    """The recorded fingerprints; none when the warehouse itself is gone (everything is new)."""
    path = state_path(warehouse)
    if not Path(warehouse).exists() or not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def updated_state(recorded: Mapping[str, str], current: Mapping[str, str], ok: Iterable[str],
                  failed: Iterable[str]) -> dict[str, str]:
    """After a build: sources ingested without error take their new fingerprint, failed ones
    lose theirs (so the next rebuild tries them again), removed ones are dropped."""
    state = {k: v for k, v in recorded.items() if k in current}
    for sid in ok:
        state[sid] = current[sid]
    for sid in failed:
        state.pop(sid, None)
    return state


def write_state(warehouse: Path, state: Mapping[str, str]) -> None:
    path = state_path(warehouse)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(dict(sorted(state.items())), indent=1), encoding="utf-8")
    tmp.replace(path)


def current_fingerprints(sources_dir: Path) -> dict[str, str]:
    from ingestion.registry import load_registry

    code = code_fingerprint()
    return {
        s.source_id: source_fingerprint(s.file_path.read_bytes(), s.yaml_path.read_bytes(), code)
        for s in load_registry(Path(sources_dir)).sources
    }


def rebuild(parse: bool = True) -> tuple[str, float, BuildReport | None]:
    """(what was done, seconds, the build report or None for a no-op). ``parse=False``: use the
    dbt manifest as it is (the caller has just parsed it, e.g. the tests' session)."""
    from orchestration.build import run_build
    from orchestration.defs.dbt.project import dbt_project, manifest_is_current
    from orchestration.defs.dbt.scope import pending_scope
    from orchestration.resources import WarehouseResource, sources_dir, warehouse_path

    t = time.monotonic()
    wh = warehouse_path()
    current = current_fingerprints(sources_dir())
    recorded = read_state(wh)
    p = plan(current, recorded)
    dbt_current = manifest_is_current(Path(dbt_project().manifest_path))
    published = WarehouseResource(path=str(wh)).published_path
    pending = pending_scope(wh)  # a scoped build whose dbt failed or was skipped: build it again
    if not p.sources_changed and dbt_current and published.exists() and not pending:
        return "no-op: no source, ingestion code or dbt file changed", time.monotonic() - t, None
    only = sorted({*p.to_ingest, *(s for s in pending if s in current)}) if dbt_current and recorded else None
    only = only or None
    report = run_build(only=only, parse=parse)
    ok = [s.source_id for s in report.sources if s.ok]
    failed = [s.source_id for s in report.sources if not s.ok]
    if report.fatal is None:
        write_state(wh, updated_state(recorded, current, ok, failed))
    what = f"ingested {len(report.sources)} source(s)" + ("" if only else " (full build)")
    return what, time.monotonic() - t, report


def main() -> int:
    """Under the build lock, like ``python -m orchestration.build`` (busy: exit 4), and writing the
    same JSON report beside the warehouse (not for a no-op: the last build's report stays)."""
    from orchestration.build import locked_build
    from orchestration.report import format_report
    from orchestration.resources import warehouse_path

    done: list[tuple[str, float]] = []

    def body() -> BuildReport | None:
        what, secs, report = rebuild(parse="--no-parse" not in sys.argv[1:])
        done.append((what, secs))
        return report

    report = locked_build(warehouse_path(), 0.0, body)
    if report is not None:
        sys.stdout.write(format_report(report, warehouse_path()))
    if done:
        print(f"rebuild: {done[0][0]} in {done[0][1]:.1f} s")
    return 0 if report is None else report.exit_code


if __name__ == "__main__":
    sys.exit(main())

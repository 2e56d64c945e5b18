"""Registry and partition scaling: 100 / 1,000 / 10,000 synthetic registered sources.

Each synthetic source is its own folder in a temp data dir: a copy of one small real bulletin
(rw09, a cell_lines excerpt) with one comment line of its own, and a source.yaml with its own id. At each count:

* registry load: ``load_registry`` over the folder (YAML + schema validation of every entry);
* definitions load: ``import orchestration.definitions`` in a fresh interpreter with
  ``BULLETIN_SOURCES_DIR`` pointing there (the definitions never list sources, so this is flat);
* sensor tick: ``source_registry_sensor`` evaluated against an instance, first when every
  partition is new (it adds them all), then in sync without a cursor (the registry read again),
  then with its cursor (the steady state every 30 s: the folder is stamped, no YAML read);
* ingestion build, in-process: parse + derive every source (``--scale-ingest``); the headless
  build of every partition (``orchestration.build``: staged in a pool of processes, each
  partition recorded on the instance, then one downstream run) only up to ``--scale-build``
  sources.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import yaml
from _common import REPO, Row, run_timed, timed

from orchestration.environment import build_env

TEMPLATE = "rw09_shaoxing_2020q1"


def make_registry(folder: Path, n: int) -> Path:
    src = REPO / "data" / "sources" / TEMPLATE
    spec = yaml.safe_load((src / "source.yaml").read_text(encoding="utf-8"))
    bulletin = (src / spec["file"]).read_bytes()
    for i in range(n):
        d = folder / f"syn{i:06d}"
        d.mkdir(parents=True)
        # a line of its own under the bulletin's comment prefix ('# '): each copy is its own file, as the
        # registry requires (the same file registered twice is refused), and parses like the original
        own = f"{spec['options']['comment_prefix']}synthetic copy {i}\n".encode()
        (d / spec["file"]).write_bytes(bulletin + (b"" if bulletin.endswith(b"\n") else b"\n") + own)
        entry = {**spec, "source_id": f"syn{i:06d}", "period": {**spec["period"], "year": 2015 + i % 10}}
        (d / "source.yaml").write_text(yaml.safe_dump(entry, allow_unicode=True), encoding="utf-8")
    return folder


def _sensor_ticks(sources: Path) -> tuple[float, float, float]:
    import logging

    logging.getLogger("dagster").setLevel(logging.WARNING)  # the tick logs every added partition key
    from dagster import DagsterInstance, SensorResult, build_sensor_context

    from orchestration.constants import SOURCES_PARTITIONS_NAME
    from orchestration.defs.ingestion.sensors import source_registry_sensor
    from orchestration.resources import RegistryResource

    with DagsterInstance.ephemeral() as instance:
        ctx = build_sensor_context(instance=instance, resources={"registry": RegistryResource(sources_dir=str(sources))})
        t_first, res = timed(lambda: source_registry_sensor(ctx))
        assert isinstance(res, SensorResult)
        added = [k for req in res.dynamic_partitions_requests or [] for k in req.partition_keys]
        instance.add_dynamic_partitions(SOURCES_PARTITIONS_NAME, added)
        ctx = build_sensor_context(instance=instance, resources={"registry": RegistryResource(sources_dir=str(sources))})
        t_sync, synced = timed(lambda: source_registry_sensor(ctx))
        assert isinstance(synced, SensorResult) and synced.cursor
        # the steady state every 30 s: the cursor says the folder and the partitions are unchanged
        ctx = build_sensor_context(instance=instance, cursor=synced.cursor,
                                   resources={"registry": RegistryResource(sources_dir=str(sources))})
        t_cursor, _ = timed(lambda: source_registry_sensor(ctx))
    return t_first, t_sync, t_cursor


def _ingest_in_process(sources: Path) -> float:
    from ingestion.parse import parse_source
    from ingestion.pipeline import derive, source_meta
    from ingestion.registry import load_registry

    t = time.perf_counter()
    for src in load_registry(sources).sources:
        parsed = parse_source(src)
        source_meta(src, parsed)
        derive(parsed, src)
    return time.perf_counter() - t


def rows(tmp: Path, counts: list[int], build_max: int, log: Path) -> list[Row]:
    from ingestion.registry import load_registry

    out = []
    per_source: dict[int, float] = {}
    for n in counts:
        sources = make_registry(tmp / f"reg{n}", n)
        t_reg, reg = timed(lambda s=sources: load_registry(s))
        assert len(reg.sources) == n, reg.errors[:3]
        env = build_env(tmp / f"env{n}", sources)
        t_defs = run_timed([sys.executable, "-c", "import orchestration.definitions as d; d.defs.get_repository_def()"],
                           env, log)
        t_first, t_sync, t_cursor = _sensor_ticks(sources)
        t_ing = _ingest_in_process(sources)
        per_source[n] = t_ing / n
        detail = (f"registry load {t_reg:.2f} s; definitions load {t_defs:.1f} s; sensor tick {t_first:.2f} s "
                  f"(adding {n:,}) / {t_sync:.2f} s (in sync, no cursor) / {t_cursor:.2f} s (with its cursor, unchanged); "
                  f"ingest in-process {t_ing:.1f} s "
                  f"({t_ing / n * 1000:.1f} ms/source)")
        if n <= build_max:
            t_build = run_timed([sys.executable, "-m", "orchestration.build", "--no-parse"], env, log)
            detail += f"; headless build of every partition {t_build:.0f} s ({t_build / n:.2f} s/source)"
        out.append(Row(f"{n:,} registered sources", f"{t_ing:.1f} s", "linear", detail))
        shutil.rmtree(sources, ignore_errors=True)
    if len(per_source) > 1:
        lo, hi = sorted(per_source)[-2:]  # the two largest: the smallest count also pays first-call warm-up
        out.append(Row(f"per-source ingest cost {hi:,} vs {lo:,} sources", f"{per_source[hi] / per_source[lo]:.2f}x",
                       "~1.0x (linear)", "per-source seconds at the largest count / at the next one"))
    return out

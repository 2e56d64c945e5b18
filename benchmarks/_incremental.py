"""One-source rebuild against the full rebuild at 100 registered sources (issue #13).

benchmarks/_stack.py measures the same ratio on the 18 seed sources, where a build's fixed cost
(interpreter, definitions, Dagster runs, dbt start-up) dominates. Here the registry is
benchmarks/_scale.py's synthetic one (``make_registry``: one small real bulletin copied ``n``
times, each copy its own file and id), with each copy moved to a county of its own
(``spread_regions``): a scoped dbt build replaces the rows of the changed sources *and of every
source sharing their region* (orchestration/defs/dbt/scope.py), so ``n`` copies of one city would
make every edit an edit of all of them. Each step is a fresh interpreter, as a user runs it:

* warm-up: ``python -m orchestration.incremental`` on a fresh warehouse (a full build; it records
  the sources' fingerprints, which ``python -m orchestration.build`` does not, so a later
  ``make rebuild`` knows what changed);
* full: ``python -m orchestration.build --no-parse`` (every source again; manifest current);
* one source: one bulletin edited (a comment line appended: furniture, the parse stays complete),
  then ``python -m orchestration.incremental`` - that partition, then the scoped dbt build.

The ingest / downstream split of the full build is read from its report
(``<warehouse>.report.json``, ``timings``); ``orchestration.incremental`` writes no such file, so
the one-source rebuild's split is read from the summary it prints (its ``timings:`` line).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml
from _common import Row, ratio, run_timed
from _scale import make_registry

from orchestration.environment import build_env

EDIT_LINE = "edited by the incremental benchmark"
# Report timings that are not the downstream run (whose key is the job's name).
NOT_DOWNSTREAM = {"dbt_parse", "load_definitions", "ingest", "total"}
# The last lines of the summary ``make rebuild`` prints (orchestration.report.format_report, incremental.main).
TIMINGS_LINE = re.compile(r"^timings: (.*)$", re.M)
REBUILD_LINE = re.compile(r"^rebuild: ingested (\d+) source\(s\)( \(full build\))?", re.M)


def spread_regions(folder: Path) -> list[str]:
    """Give every source of ``folder`` a county of its own (GB/T 2260, spread over the code table;
    none under a placeholder city such as 北京市 > 市辖区); returns the region codes, in order."""
    from ingestion import regions

    counties = []
    for code in sorted(regions.code_table()):
        if code.endswith("00"):
            continue
        region = regions.region_for_code(code)
        if region.city_code is not None and not any(
                a.region_name in regions.PLACEHOLDER_NAMES for a in regions.ancestors(region)):
            counties.append(region)
    dirs = sorted(p for p in folder.iterdir() if (p / "source.yaml").exists())
    if len(dirs) > len(counties):
        raise ValueError(f"{len(dirs)} sources but only {len(counties)} counties to give them")
    step = len(counties) // max(len(dirs), 1)
    codes = []
    for i, d in enumerate(dirs):
        region = counties[i * step]
        spec = yaml.safe_load((d / "source.yaml").read_text(encoding="utf-8"))
        spec["jurisdiction"] = region.jurisdiction()
        (d / "source.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
        codes.append(region.region_code)
    return codes


def make_spread_registry(folder: Path, n: int) -> Path:
    """``n`` synthetic sources (benchmarks/_scale.py), each in a county of its own."""
    make_registry(folder, n)
    spread_regions(folder)
    return folder


def edited_source(n: int) -> str:
    """The source the benchmark edits: the middle one."""
    return f"syn{n // 2:06d}"


def edit_source(sources: Path, source_id: str) -> Path:
    """Append a comment line (the source's ``comment_prefix``: furniture) to its bulletin file."""
    spec = yaml.safe_load((sources / source_id / "source.yaml").read_text(encoding="utf-8"))
    path = sources / source_id / spec["file"]
    with open(path, "a", encoding="utf-8") as f:
        f.write(f"{spec['options']['comment_prefix']}{EDIT_LINE}\n")
    return path


def _report(root: Path) -> dict[str, Any]:
    path = root / "warehouse.duckdb.report.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def printed_timings(output: str) -> dict[str, float]:
    """The last ``timings: ingest 3.2s, build_warehouse_scoped 29.3s, ...`` line of a build's output."""
    found = TIMINGS_LINE.findall(output)
    out = {}
    for part in (found[-1].split(", ") if found else []):
        key, _, secs = part.rpartition(" ")
        out[key] = float(secs.rstrip("s"))
    return out


def _split(timings: dict[str, float], ingested: int) -> str:
    """'; ingest 12.3 s (100 sources), build_warehouse 45.6 s' (the downstream run: its job's name), or ''."""
    if "ingest" not in timings:
        return ""
    parts = [f"ingest {timings['ingest']:.1f} s ({ingested} source{'' if ingested == 1 else 's'})"]
    parts += [f"{k} {v:.1f} s" for k, v in timings.items() if k not in NOT_DOWNSTREAM]
    return "; " + ", ".join(parts)


def _output_since(log: Path, offset: int) -> str:
    with open(log, "rb") as f:
        f.seek(offset)
        return f.read().decode("utf-8", errors="replace")


def rows(tmp: Path, log: Path, n: int = 100) -> list[Row]:
    root = tmp / f"incremental{n}"
    sources = make_spread_registry(root / "sources", n)
    env = build_env(root, sources)
    py = sys.executable
    run_timed([py, "-m", "orchestration.incremental"], env, log)  # warm-up: a full build, fingerprints recorded
    t_full = run_timed([py, "-m", "orchestration.build", "--no-parse"], env, log)
    full = _report(root)
    edit_source(sources, edited_source(n))
    offset = log.stat().st_size
    t_one = run_timed([py, "-m", "orchestration.incremental"], env, log)
    output = _output_since(log, offset)
    done = REBUILD_LINE.search(output)
    if done is None or done.group(1) != "1" or done.group(2):
        raise SystemExit(f"the one-source rebuild did not ingest just the edited source "
                         f"({done.group(0) if done else 'no rebuild line'}); see {log}")
    return [
        Row(f"full build ({n:,} sources)", f"{t_full:.1f} s", "",
            "python -m orchestration.build --no-parse, warm"
            + _split(full.get("timings") or {}, len(full.get("sources") or []))),
        Row(f"one-source rebuild ({n:,} sources)", f"{t_one:.1f} s", "<= 0.3x full",
            f"{ratio(t_one, t_full)} the full build; make rebuild{_split(printed_timings(output), 1)}"),
    ]

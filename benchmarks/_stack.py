"""The build as a user meets it, against the bare cost of Dagster + dbt.

* bare stack: a one-model dbt-duckdb project (``select 1``), ``dbt parse`` + ``@dbt_assets``
  materialised in-process by Dagster on a persistent instance, in its own interpreter - the fixed
  cost any Dagster + dbt build pays;
* seed build: ``python -m orchestration.incremental`` on a fresh warehouse (a full build:
  every source, raw GX checks, dbt build, mart GX checks, publish); the dbt manifest is the
  cached one when current (a first build after a dbt edit adds ``dbt parse``, timed apart);
* no-op rebuild: the same command again, nothing changed;
* one-source rebuild: one bulletin edited (a line appended), the same command;
* full rebuild: ``python -m orchestration.build`` (every source again).
"""

from __future__ import annotations

import shutil
import sys
import textwrap
import time
from pathlib import Path

from _common import REPO, Row, ratio, run_timed

from orchestration.environment import build_env

BARE_SCRIPT = '''
import sys
from pathlib import Path
from dagster import DagsterInstance, materialize
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets

root = Path(sys.argv[1])
project = DbtProject(project_dir=root / "proj", profiles_dir=root / "proj")
dbt = DbtCliResource(project_dir=project, dbt_executable=sys.argv[2])
dbt.cli(["parse", "--quiet"], target_path=project.target_path).wait()

@dbt_assets(manifest=project.manifest_path)
def bare(context, dbt: DbtCliResource):
    yield from dbt.cli(["build", "--threads", "1"], context=context).stream()

with DagsterInstance.from_config(str(root / "home")) as instance:
    assert materialize([bare], resources={"dbt": dbt}, instance=instance).success
'''


def _bare_project(root: Path) -> None:
    proj = root / "proj"
    (proj / "models").mkdir(parents=True)
    (proj / "dbt_project.yml").write_text(textwrap.dedent("""\
        name: bare
        version: "1.0"
        profile: bare
        model-paths: ["models"]
        """))
    (proj / "profiles.yml").write_text(textwrap.dedent(f"""\
        bare:
          target: dev
          outputs:
            dev: {{type: duckdb, path: "{root / 'bare.duckdb'}", threads: 1}}
        """))
    (proj / "models" / "one.sql").write_text("select 1 as x\n")
    (root / "home").mkdir()
    shutil.copy(REPO / ".dagster_home" / "dagster.yaml", root / "home" / "dagster.yaml")
    (root / "bare.py").write_text(BARE_SCRIPT)


def bare_stack(tmp: Path, log: Path) -> float:
    root = tmp / "bare"
    _bare_project(root)
    env = build_env(root, REPO / "data" / "sources")
    dbt = str(Path(sys.executable).with_name("dbt"))
    return run_timed([sys.executable, str(root / "bare.py"), str(root), dbt], env, log)


def dbt_parse_cold(log: Path) -> float:
    """``dbt parse`` of the project, forced (what a build pays once after a dbt edit)."""
    t = time.perf_counter()
    from orchestration.defs.dbt.project import prepare_manifest

    prepare_manifest(force=True)
    return time.perf_counter() - t


def seed_builds(tmp: Path, log: Path) -> tuple[dict[str, float], Path]:
    root = tmp / "seed"
    sources = root / "sources"
    shutil.copytree(REPO / "data" / "sources", sources)
    env = build_env(root, sources)
    py = sys.executable
    out = {"full": run_timed([py, "-m", "orchestration.incremental"], env, log)}
    out["noop"] = run_timed([py, "-m", "orchestration.incremental"], env, log)
    edited = next(p for p in (sources / "yijiang_2023q2").iterdir() if p.suffix == ".txt")
    with open(edited, "a", encoding="utf-8") as f:
        f.write("\n")
    out["one_source"] = run_timed([py, "-m", "orchestration.incremental"], env, log)
    out["full_again"] = run_timed([py, "-m", "orchestration.build", "--no-parse"], env, log)
    return out, root / "warehouse.duckdb"


def rows(tmp: Path, log: Path) -> tuple[list[Row], Path]:
    parse = dbt_parse_cold(log)
    bare = bare_stack(tmp, log)
    b, wh = seed_builds(tmp, log)
    return [
        Row("bare Dagster+dbt materialize (1 model)", f"{bare:.1f} s", "", "own interpreter: import, dbt parse, materialize"),
        Row("seed build (18 sources, full)", f"{b['full']:.1f} s", "<= 1.5x bare",
            f"{ratio(b['full'], bare)} the bare stack; manifest cached"),
        Row("dbt parse (cold, once per dbt edit)", f"{parse:.1f} s", "", "skipped when the project fingerprint is current"),
        Row("full rebuild (every source again)", f"{b['full_again']:.1f} s", "", "python -m orchestration.build"),
        Row("one-source rebuild (make rebuild)", f"{b['one_source']:.1f} s", "<= 0.3x full",
            f"{ratio(b['one_source'], b['full_again'])} the full rebuild"),
        Row("no-op rebuild (make rebuild)", f"{b['noop']:.2f} s", "near fixed cost",
            f"{ratio(b['noop'], bare)} the bare stack"),
    ], wh

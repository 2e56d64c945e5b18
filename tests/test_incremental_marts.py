"""A scoped rebuild gives the marts a full build gives (issue #13, docs/scaling.md).

On a copy of the session's seed warehouse: one bulletin edited, one source added to a
jurisdiction-year that already has two (its task links are re-matched, so rows of the *other*
sources change) and one removed; ``python -m orchestration.incremental`` (what ``make rebuild``
runs) re-ingests only those and runs dbt scoped to them. Every mart table must then equal a full
refresh of the same raw layer (``dbt run --full-refresh`` on a copy), row for row (EXCEPT ALL both
ways). One build beyond the session's, plus one dbt run: marker ``incremental``,
``make test-incremental`` (in .ci/run), not ``make test``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration import incremental as inc
from orchestration.defs.dbt.scope import affected_sources

REPO = Path(__file__).resolve().parent.parent
DBT = Path(sys.executable).with_name("dbt")


def test_scope_is_the_changed_sources_and_their_regions():
    now = {"a": "340603", "b": "340603", "c": "330600", "d": None, "e": None, "new": "330600"}
    then = {"a": "340603", "b": "340603", "c": "330600", "d": None, "e": None, "gone": "110101"}
    assert affected_sources(["new"], now, then) == ["c", "new"]
    # a removed source: its region from the marts; a source without region shares with every such source
    assert affected_sources(["gone"], now, then) == ["gone"]
    assert affected_sources(["d"], now, then) == ["d", "e"]
    # a source that moved region: both regions
    assert affected_sources(["a"], {**now, "a": "330600"}, then) == ["a", "b", "c", "new"]
    assert affected_sources([], now, then) == []


def test_a_build_is_scoped_only_on_chosen_sources_and_the_same_dbt_project():
    from orchestration.defs.dbt.scope import can_scope

    assert can_scope(["a"], False, built="fp", project="fp")
    assert not can_scope(None, False, built="fp", project="fp")  # every source: a full refresh
    assert not can_scope(["a"], True, built="fp", project="fp")  # raw tables re-created: all re-ingested
    assert not can_scope(["a"], False, built="old", project="fp")  # a dbt edit since the marts were built
    assert not can_scope(["a"], False, built=None, project="fp")  # never built (or before this record)


def test_scope_table_keeps_what_was_not_built(tmp_path):
    import duckdb as ddb

    from orchestration.defs.dbt.scope import built_with, clear_scope, pending_scope, write_scope

    db = tmp_path / "w.duckdb"
    con = ddb.connect(str(db))
    con.execute("create schema raw; create table raw.sources (source_id varchar, region_code varchar)")
    con.execute("insert into raw.sources values ('a', '1'), ('b', '1'), ('c', '2')")
    con.close()
    assert write_scope(db, ["a"]) == ["a", "b"] and pending_scope(db) == ["a", "b"]
    assert write_scope(db, ["c"]) == ["a", "b", "c"]  # the first scope was never built
    assert built_with(db) is None
    clear_scope(db, "fp")
    assert pending_scope(db) == [] and built_with(db) == "fp"
    assert write_scope(db, ["c"]) == ["c"]


def test_scoped_build_runs_only_with_only():
    from orchestration.build import dbt_scope, downstream_run_config

    assert dbt_scope(["b", "a"], ["gone"], scoped=True) == ["a", "b", "gone"]
    assert dbt_scope(["a"], [], scoped=False) is None
    assert downstream_run_config(None)["ops"]["warehouse_dbt"]["config"] == {"scope": None}


def test_build_args_full_refresh():
    from orchestration.defs.dbt.args import build_args

    assert "--full-refresh" in build_args(Path("w.duckdb"), full_refresh=True)
    assert "--full-refresh" not in build_args(Path("w.duckdb"))


def test_dbt_resource_overrides_exist_in_dagster_dbt():
    """The warehouse's dbt resource overrides two private dagster-dbt members: they must still exist."""
    from dagster_dbt import DbtCliResource

    from orchestration.defs.dbt.cli import WarehouseDbtCliResource
    from orchestration.resources import dbt_executable

    for name in ("_cli_version", "_initialize_dbt_core_adapter"):
        assert name in vars(DbtCliResource), name
    import importlib.metadata

    res = WarehouseDbtCliResource(project_dir=str(REPO / "dbt_project"), dbt_executable=dbt_executable())
    # the installed dbt-core (what `dbt --version` prints, without starting dbt: ~3 s)
    assert str(res._cli_version) == importlib.metadata.version("dbt-core")


# ------------------------------------------------------------------------- against a full build

# Added: a 绍兴 bulletin of 2020 January-February, earlier than the two 绍兴 2020 seeds, printing
# the tasks of the first-quarter one (taken from the loaded rows): the jurisdiction-year is
# re-matched, and the seeds' rows take their task keys from the new source (rows of sources
# that were not re-ingested change in the incremental marts).
ADDED = "zz_shaoxing_2020m02"
SAME_GROUP = "rw09_shaoxing_2020q1"
ADDED_YAML = f"""source_id: {ADDED}
file: bulletin.txt
jurisdiction:
  province: 浙江省
  city: 绍兴市
period:
  year: 2020
  month: 2
layout: pipe
columns:
  序号: seq
  内容与要求: task
  完成情况: progress
  责任单位: lead_units
"""
REMOVED = "rw28_wanzhou_2022h1"
EDITED = "yijiang_2023q2"


def _added_text(db: Path) -> str:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("select task_seq, task_text, lead_units_raw from raw.task_rows where source_id = ? "
                           "order by table_no, row_no", [SAME_GROUP]).fetchall()
    finally:
        con.close()
    assert len(rows) >= 3
    clean = [(seq, " ".join(str(text).replace("|", " ").split()), units) for seq, text, units in rows]
    return "序号 | 内容与要求 | 完成情况 | 责任单位 |\n" + "".join(
        f"{seq} | {text} | 已部署,正在推进。 | {units} |\n" for seq, text, units in clean)


def _change_sources(sources: Path, db: Path) -> None:
    edited = next(p for p in (sources / EDITED).iterdir() if p.name != "source.yaml")
    with open(edited, "a", encoding="utf-8") as f:
        f.write("\n(本表为测试追加的一行说明)\n")
    (sources / ADDED).mkdir()
    (sources / ADDED / "bulletin.txt").write_text(_added_text(db), encoding="utf-8")
    (sources / ADDED / "source.yaml").write_text(ADDED_YAML, encoding="utf-8")
    shutil.rmtree(sources / REMOVED)


def _mart_tables(con: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    return [r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_catalog = ? and table_schema = 'mart' "
        "and table_type = 'BASE TABLE' order by 1", [catalog]).fetchall()]


def _differences(a: Path, b: Path) -> dict[str, tuple[int, int]]:
    """Per mart table: (rows only in ``a``, rows only in ``b``), EXCEPT ALL both ways."""
    con = duckdb.connect(str(a), read_only=True)
    try:
        con.execute(f"attach '{b}' as ref (read_only)")
        (here,) = con.execute("select current_database()").fetchone() or ("",)
        tables = _mart_tables(con, here)
        assert tables == _mart_tables(con, "ref")
        out = {}
        for t in tables:
            cols = ", ".join(f'"{r[0]}"' for r in con.execute(
                "select column_name from information_schema.columns where table_catalog = ? "
                "and table_schema = 'mart' and table_name = ? order by ordinal_position", [here, t]).fetchall())
            q = 'select count(*) from (select {c} from {x}.mart."{t}" except all select {c} from {y}.mart."{t}")'
            only_a = con.execute(q.format(c=cols, x=here, y="ref", t=t)).fetchone()
            only_b = con.execute(q.format(c=cols, x="ref", y=here, t=t)).fetchone()
            out[t] = (only_a[0] if only_a else -1, only_b[0] if only_b else -1)
        return out
    finally:
        con.close()


def _task_keys(db: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("select source_id, row_no, task_key, match_method from mart.task_progress "
                           "order by all").fetchall()
    finally:
        con.close()
    out: dict[str, list[tuple]] = {}
    for sid, *rest in rows:
        out.setdefault(sid, []).append(tuple(rest))
    return out


@pytest.mark.slow
@pytest.mark.incremental
def test_rebuild_of_changed_sources_equals_a_full_build(seed_warehouse, tmp_path):
    wh = seed_warehouse.copy_to(tmp_path / "wh")
    inc.write_state(wh.db, inc.current_fingerprints(wh.sources))  # as if `make rebuild` had built it
    before = _task_keys(wh.db)
    _change_sources(wh.sources, wh.db)

    proc = subprocess.run([sys.executable, "-m", "orchestration.incremental", "--no-parse"], cwd=REPO, env=wh.env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    assert "ingested 2 source(s) in" in proc.stdout, proc.stdout[-2000:]
    for sid in (ADDED, EDITED):
        assert sid in proc.stdout
    # the same JSON report as every build, for this rebuild (the copy had none)
    report = json.loads(wh.db.with_name(wh.db.name + ".report.json").read_text(encoding="utf-8"))
    assert report["exit_code"] == 0 and {s["source_id"] for s in report["sources"]} == {ADDED, EDITED}

    con = duckdb.connect(str(wh.db), read_only=True)
    try:
        loaded = {r[0] for r in con.execute("select distinct source_id from mart.task_progress").fetchall()}
        assert ADDED in loaded and REMOVED not in loaded
        assert con.execute("select count(*) from raw.build_scope").fetchone() == (0,)  # nothing pending
    finally:
        con.close()
    # the scenario reaches a source that was not re-ingested (else a scope of the changed ids would do)
    assert _task_keys(wh.db)[SAME_GROUP] != before[SAME_GROUP]

    ref = tmp_path / "ref.duckdb"
    shutil.copy2(wh.db, ref)
    full = subprocess.run(
        [str(DBT), "run", "--full-refresh", "--threads", "1", "--project-dir", "dbt_project", "--profiles-dir",
         "dbt_project", "--target-path", str(tmp_path / "dbt_target"), "--log-path", str(tmp_path / "dbt_logs"),
         "--vars", json.dumps({"warehouse_path": str(ref)})],
        cwd=REPO, env=wh.env, capture_output=True, text=True, timeout=600)
    assert full.returncode == 0, full.stdout[-4000:]

    diffs = _differences(wh.db, ref)
    assert "task_progress" in diffs and "region_period_scorecard" in diffs
    assert {t: d for t, d in diffs.items() if d != (0, 0)} == {}

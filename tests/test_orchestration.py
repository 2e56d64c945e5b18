"""Dagster orchestration: the definitions load; the asset graph reads ingestion -> staging ->
marts -> publish with GX and dbt checks attached; blocking raw checks stop dbt on bad data; the
sensor syncs partitions; publishing is atomic; the headless build and the UI work end to end."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
SOURCES = REPO / "data" / "sources"
VENV_BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def orch():
    """Import the definitions once, without leaking the WAREHOUSE_PATH it pins into other tests."""
    saved = {k: os.environ.get(k) for k in ("WAREHOUSE_PATH", "PATH")}
    import orchestration.definitions as d

    yield d
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def _keys(graph):
    return {k.to_user_string(): k for k in graph.get_all_asset_keys()}


# ------------------------------------------------------------------------------ the graph


def test_definitions_load_with_jobs_sensor_and_resources(orch):
    defs = orch.defs
    for job in ("ingest_sources", "build_warehouse", "refresh_marts"):
        assert defs.resolve_job_def(job) is not None
    assert defs.resolve_sensor_def("source_registry_sensor") is not None
    repo = defs.get_repository_def()
    assert {"warehouse", "registry", "dbt"} <= set(repo.get_top_level_resources())


def test_asset_graph_ingestion_to_staging_to_marts_to_publish(orch):
    from dagster import AssetKey, DynamicPartitionsDefinition

    graph = orch.defs.resolve_asset_graph()
    keys = _keys(graph)
    raw = AssetKey("raw_bulletin")
    assert raw in graph.get_all_asset_keys()

    # ingestion: one dynamic partition per registered source
    pdef = graph.get(raw).partitions_def
    assert isinstance(pdef, DynamicPartitionsDefinition) and pdef.name == "sources"

    # staging models read the raw layer (every dbt source raw.* maps onto raw_bulletin)
    staging = [k for s, k in keys.items() if s.startswith("staging/")]
    assert staging, "no dbt staging models in the graph"
    assert any(raw in graph.get(k).parent_keys for k in staging)
    for k in staging:  # no dangling source assets for raw.*: they are all raw_bulletin
        assert not any(p.path[0] == "raw" for p in graph.get(k).parent_keys)

    # marts depend (transitively) on ingestion; the contract's marts are there
    marts = {s for s in keys if s.startswith("mart/")}
    assert {"mart/task_progress", "mart/dim_region", "mart/dim_period"} <= marts
    tp = keys["mart/task_progress"]
    ancestors = graph.get_ancestor_asset_keys(tp)
    assert raw in ancestors
    assert any(p.path[0] == "staging" for p in ancestors)

    # publish comes after every mart
    pub = AssetKey(["published", "warehouse"])
    assert {keys[m] for m in marts} <= set(graph.get(pub).parent_keys)


def test_checks_attached_and_blocking(orch):
    from dagster import AssetCheckKey, AssetKey

    graph = orch.defs.resolve_asset_graph()
    check_keys = set(graph.asset_check_keys)
    raw = AssetKey("raw_bulletin")
    for name in ("gx_raw_task_rows", "gx_raw_sources", "gx_raw_coverage", "gx_raw_row_signals"):
        ck = AssetCheckKey(raw, name)
        assert ck in check_keys
        assert graph.get_check_spec(ck).blocking, f"{name} must be blocking"
    for mart in ("task_progress", "dim_region", "dim_period"):
        ck = AssetCheckKey(AssetKey(["mart", mart]), f"gx_mart_{mart}")
        assert ck in check_keys and graph.get_check_spec(ck).blocking

    # dbt tests on models/seeds become asset checks on those assets
    manifest = json.loads((REPO / "dbt_project" / "target" / "manifest.json").read_text())
    model_tests = [n for n in manifest["nodes"].values()
                   if n["resource_type"] == "test" and (n.get("attached_node") or "").startswith(("model.", "seed."))]
    dbt_checks = [ck for ck in check_keys if not ck.name.startswith("gx_")]
    if model_tests:
        assert dbt_checks, "dbt model tests are not surfaced as asset checks"
        assert all(ck.asset_key.path[0] in ("staging", "mart", "seeds") for ck in dbt_checks)


def test_warehouse_ops_share_one_pool_and_run_in_process(orch):
    from dagster import AssetKey

    repo = orch.defs.get_repository_def()
    graph = orch.defs.resolve_asset_graph()
    for key in (AssetKey("raw_bulletin"), AssetKey(["mart", "task_progress"]), AssetKey(["published", "warehouse"])):
        assert graph.get(key).pools == {"duckdb_writer"}, key
    for job in ("ingest_sources", "build_warehouse"):
        assert repo.get_job(job).executor_def.name == "in_process"


def test_ingest_job_is_partitioned_and_build_job_gates_dbt_with_raw_checks(orch):
    from dagster import AssetCheckKey, AssetKey

    repo = orch.defs.get_repository_def()
    ingest = repo.get_job("ingest_sources")
    assert ingest.partitions_def is not None and ingest.partitions_def.name == "sources"
    build = repo.get_job("build_warehouse")
    selected_checks = build.asset_layer.asset_graph.asset_check_keys
    assert AssetCheckKey(AssetKey("raw_bulletin"), "gx_raw_task_rows") in selected_checks
    # in the build job's op graph, the dbt op waits for the blocking raw checks
    plan_deps = build.graph.dependency_structure
    dbt_inputs = plan_deps.input_to_upstream_outputs_for_node("warehouse_dbt")
    upstream_nodes = {o.node.name for outs in dbt_inputs.values() for o in outs}
    assert any("gx_raw_task_rows" in n for n in upstream_nodes), upstream_nodes


def test_instance_config_telemetry_off_and_pool_limit_one(tmp_path):
    from dagster import DagsterInstance

    cfg = yaml.safe_load((REPO / ".dagster_home" / "dagster.yaml").read_text())
    assert cfg["telemetry"]["enabled"] is False
    assert cfg["concurrency"]["pools"]["default_limit"] == 1
    shutil.copy(REPO / ".dagster_home" / "dagster.yaml", tmp_path / "dagster.yaml")
    with DagsterInstance.from_config(str(tmp_path)) as instance:
        pool_cfg = instance.event_log_storage.get_pool_config()
        assert pool_cfg.default_pool_limit == 1
        assert pool_cfg.pool_granularity.value == "op"


# ------------------------------------------------------------------------------- sensor


def test_sensor_adds_new_and_removes_vanished_sources(orch, tmp_path):
    from dagster import DagsterInstance, SensorResult, build_sensor_context

    from orchestration.resources import RegistryResource
    from orchestration.sensors import source_registry_sensor

    reg = tmp_path / "sources"
    for sid in ("xiangshan_2024q4", "yijiang_2023q2"):
        shutil.copytree(SOURCES / sid, reg / sid)
    with DagsterInstance.ephemeral() as instance:
        instance.add_dynamic_partitions("sources", ["yijiang_2023q2", "gone_2020q1"])
        ctx = build_sensor_context(instance=instance, resources={"registry": RegistryResource(sources_dir=str(reg))})
        result = source_registry_sensor(ctx)
        assert isinstance(result, SensorResult)
        reqs = {type(r).__name__: list(r.partition_keys) for r in result.dynamic_partitions_requests}
        assert reqs == {"AddDynamicPartitionsRequest": ["xiangshan_2024q4"],
                        "DeleteDynamicPartitionsRequest": ["gone_2020q1"]}

        # A source whose source.yaml became invalid keeps its partition (a typo does not drop it) …
        instance.add_dynamic_partitions("sources", ["xiangshan_2024q4"])
        instance.delete_dynamic_partition("sources", "gone_2020q1")
        (reg / "yijiang_2023q2" / "source.yaml").write_text("source_id: yijiang_2023q2\nfile: [oops\n")
        result = source_registry_sensor(ctx)
        assert not isinstance(result, SensorResult)  # a SkipReason: nothing to add or remove
        assert "yijiang_2023q2" in instance.get_dynamic_partitions("sources")


# ------------------------------------------------------------------- blocking on bad raw


def _write_corrupt_source(db: Path) -> None:
    from ingestion import load
    from ingestion.model import LineLedger, ParseResult, TaskRow

    ledger = LineLedger(["序号", "1 任务", "2 任务", ""])
    ledger.add_furniture(1, "header")
    ledger.row([2, 3])
    rows = [
        TaskRow(table_no=1, row_no=1, task_seq=1, sub_seq=1, line_start=2, line_end=2, task_text="任务"),
        # corrupt: the span runs backwards
        TaskRow(table_no=1, row_no=2, task_seq=2, sub_seq=1, line_start=3, line_end=1, task_text="任务"),
    ]
    meta = {"source_id": "bad_source", "source_file": "x.txt", "file_sha256": "0" * 64,
            "region_code": "340603", "period_label": "2024-Q4"}
    load.write_source(db, meta, ParseResult.from_ledger("test", ledger, rows))


def test_failing_blocking_raw_check_stops_dbt_and_publish(orch, tmp_path):
    from dagster import AssetCheckSeverity, DagsterEventType, DagsterInstance

    db = tmp_path / "w.duckdb"
    _write_corrupt_source(db)
    defs = orch.build_definitions(warehouse=db, sources=tmp_path / "no_sources")
    job = defs.resolve_job_def("build_warehouse")
    with DagsterInstance.ephemeral() as instance:
        res = job.execute_in_process(instance=instance, raise_on_error=False)
    assert not res.success
    evals = {e.check_name: e for e in res.get_asset_check_evaluations()}
    bad = evals["gx_raw_task_rows"]
    assert not bad.passed and bad.severity == AssetCheckSeverity.ERROR
    assert bad.metadata["rows_checked"].value == 2
    assert "line_end" in bad.metadata["failures"].value
    # downstream steps were not executed at all (Dagster abandons them: no step events)
    assert res.is_node_untouched("warehouse_dbt")
    assert res.is_node_untouched("published__warehouse")
    assert not any(e.step_key == "warehouse_dbt" and e.event_type == DagsterEventType.STEP_START
                   for e in res.all_events)
    assert not list(res.get_asset_materialization_events())
    assert not (tmp_path / "published").exists()


# ------------------------------------------------------------------------------ publish


def test_publish_is_atomic_and_exports_every_mart(tmp_path):
    from orchestration.assets.publish import publish_warehouse

    db = tmp_path / "w.duckdb"
    con = duckdb.connect(str(db))
    con.execute("create schema mart; create table mart.a as select 1 as x; create table mart.b as select 2 as y")
    con.execute("create schema staging; create table staging.s as select 1 as z")
    con.close()
    pub, exp = tmp_path / "published" / "warehouse.duckdb", tmp_path / "export"
    info = publish_warehouse(db, pub, exp)
    assert info["tables"] == {"a": 1, "b": 1}
    assert sorted(p.name for p in exp.glob("*.parquet")) == ["a.parquet", "b.parquet"]
    assert json.loads((exp / "_manifest.json").read_text())["tables"]["a"]["rows"] == 1

    # A reader keeps the old copy open while the next build publishes.
    reader = duckdb.connect(str(pub), read_only=True)
    con = duckdb.connect(str(db))
    con.execute("insert into mart.a values (2), (3); drop table mart.b")
    con.close()
    publish_warehouse(db, pub, exp)
    assert reader.execute("select count(*) from mart.a").fetchone()[0] == 1  # old snapshot
    reader.close()
    fresh = duckdb.connect(str(pub), read_only=True)
    assert fresh.execute("select count(*) from mart.a").fetchone()[0] == 3
    fresh.close()
    assert sorted(p.name for p in exp.glob("*.parquet")) == ["a.parquet"]  # stale export removed
    assert not list(pub.parent.glob(".*.tmp")) and not list(tmp_path.glob(".export*"))
    assert duckdb.sql(f"select count(*) from '{exp / 'a.parquet'}'").fetchall()[0][0] == 3


# ------------------------------------------------------------------ headless build (slow)


def _env(tmp_path: Path, **extra) -> dict:
    home = tmp_path / "dagster_home"
    home.mkdir(exist_ok=True)
    shutil.copy(REPO / ".dagster_home" / "dagster.yaml", home / "dagster.yaml")
    env = os.environ.copy()
    env.update(DAGSTER_HOME=str(home), WAREHOUSE_PATH=str(tmp_path / "warehouse.duckdb"), GX_ANALYTICS_ENABLED="false",
               DO_NOT_TRACK="1", PATH=f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}")
    env.pop("DAGSTER_IS_DEV_CLI", None)
    env.update(extra)
    return env


@pytest.mark.slow
def test_headless_build_end_to_end_then_a_broken_source_fails_without_publishing(tmp_path):
    reg = tmp_path / "sources"
    shutil.copytree(SOURCES, reg)
    env = _env(tmp_path, BULLETIN_SOURCES_DIR=str(reg))
    cmd = [sys.executable, "-m", "orchestration.build"]

    t0 = time.monotonic()
    ok = subprocess.run(cmd, check=False, cwd=REPO, env=env, capture_output=True, text=True, timeout=900)
    wall = time.monotonic() - t0
    out = ok.stdout
    assert ok.returncode == 0, out[-3000:] + ok.stderr[-3000:]
    assert "result: OK" in out
    for sid in (p.name for p in SOURCES.iterdir() if (p / "source.yaml").exists()):
        assert any(line.strip().startswith(sid) and " ok " in line for line in out.splitlines()), sid
    assert "gx_raw_task_rows" in out and "gx_mart_task_progress" in out
    pub = tmp_path / "published" / "warehouse.duckdb"
    con = duckdb.connect(str(pub), read_only=True)
    n = con.execute("select count(*) from mart.task_progress").fetchone()[0]
    con.close()
    assert n > 0
    assert (tmp_path / "export" / "task_progress.parquet").exists()
    print(f"headless build wall time: {wall:.1f}s")

    # A source that cannot be parsed: its partition fails with a clear message, the build exits
    # non-zero, and the published copy stays as it was.
    bad = reg / "zz_broken"
    bad.mkdir()
    (bad / "b.txt").write_text("这不是表格\n只是两行字\n", encoding="utf-8")
    (bad / "source.yaml").write_text(
        "source_id: zz_broken\nfile: b.txt\njurisdiction: {province: 安徽省}\nperiod: {year: 2024, quarter: 1}\n"
        "layout: cell_lines\n", encoding="utf-8")
    before = pub.stat().st_mtime_ns
    fail = subprocess.run(cmd, check=False, cwd=REPO, env=env, capture_output=True, text=True, timeout=900)
    assert fail.returncode == 1, fail.stdout[-3000:]
    line = next(ln for ln in fail.stdout.splitlines() if ln.strip().startswith("zz_broken"))
    assert "FAILED" in line and "zz_broken" in line and "b.txt" in line
    assert "NOT published" in fail.stdout and "result: FAILED" in fail.stdout
    assert pub.stat().st_mtime_ns == before


# ------------------------------------------------------------------------ the UI (slow)


def _default_signals() -> None:
    """In the child: default SIGINT/SIGTERM handling, even if this process inherited them ignored
    (a background job of a non-interactive shell does), so the server can be stopped by PID."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 5.0) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.read()


def _graphql(port: int, query: str) -> dict:
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql", data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=60) as r:
        body = json.loads(r.read())
    assert "errors" not in body, body["errors"]
    return body["data"]


ASSETS_QUERY = """
{
  assetNodes {
    assetKey { path }
    dependencyKeys { path }
    isPartitioned
    assetChecksOrError { ... on AssetChecks { checks { name blocking } } }
  }
}
"""


@pytest.mark.slow
def test_webserver_graphql_shows_assets_lineage_and_checks(tmp_path):
    port = _free_port()
    log = open(tmp_path / "webserver.log", "w")  # noqa: SIM115  closed in finally
    proc = subprocess.Popen(
        [str(VENV_BIN / "dagster-webserver"), "-m", "orchestration.definitions", "-h", "127.0.0.1", "-p", str(port)],
        cwd=REPO, env=_env(tmp_path), stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True, preexec_fn=_default_signals,  # noqa: PLW1509  setsid + default signals
    )
    try:
        t0 = time.monotonic()
        while True:
            assert proc.poll() is None, (tmp_path / "webserver.log").read_text()[-3000:]
            try:
                info = json.loads(_get(f"http://127.0.0.1:{port}/server_info"))
                break
            except OSError:
                assert time.monotonic() - t0 < 90, "webserver did not answer /server_info within 90 s"
                time.sleep(1)
        print(f"webserver answered /server_info after {time.monotonic() - t0:.1f}s: {info}")
        # The code location may still be loading right after start-up: retry until assets show.
        deadline = time.monotonic() + 60
        while True:
            nodes = _graphql(port, ASSETS_QUERY)["assetNodes"]
            if nodes or time.monotonic() > deadline:
                break
            time.sleep(1)
        by_key = {"/".join(n["assetKey"]["path"]): n for n in nodes}
        assert by_key["raw_bulletin"]["isPartitioned"]
        raw_checks = {c["name"]: c["blocking"] for c in by_key["raw_bulletin"]["assetChecksOrError"]["checks"]}
        assert raw_checks.get("gx_raw_task_rows") is True and raw_checks.get("gx_raw_coverage") is True
        staging = [n for k, n in by_key.items() if k.startswith("staging/")]
        assert any(["raw_bulletin"] in [d["path"] for d in n["dependencyKeys"]] for n in staging)
        tp = by_key["mart/task_progress"]
        assert any(d["path"][0] in ("staging", "mart") for d in tp["dependencyKeys"])
        assert "gx_mart_task_progress" in {c["name"] for c in tp["assetChecksOrError"]["checks"]}
        pub = by_key["published/warehouse"]
        assert ["mart", "task_progress"] in [d["path"] for d in pub["dependencyKeys"]]
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        log.close()


# ------------------------------------------------------------------------ build summary


def test_build_report_exit_status_and_summary(capsys):
    from orchestration.build import BuildReport, CheckOutcome, SourceOutcome, print_report

    ok = BuildReport(sources=[SourceOutcome("a", True, rows=3, tables=1, coverage="5/5 lines")],
                     checks=[CheckOutcome("mart/task_progress", "gx_mart_task_progress", False, "WARN", "1 warnings")],
                     published="/x/published/warehouse.duckdb")
    assert ok.ok  # a WARN-severity failure does not fail the build
    failing = [
        BuildReport(sources=[SourceOutcome("a", False, error="ingesting a (a.txt) failed: LayoutError: …")]),
        BuildReport(checks=[CheckOutcome("raw_bulletin", "gx_raw_task_rows", False, "ERROR", "2 rows")]),
        BuildReport(registry_errors=["data/sources/x/source.yaml: field 'period': …"]),
        BuildReport(skipped_steps=["warehouse_dbt"]),
        BuildReport(fatal="dbt parse failed"),
    ]
    assert not any(r.ok for r in failing)
    print_report(failing[0], Path("w.duckdb"))
    out = capsys.readouterr().out
    assert "FAILED  ingesting a (a.txt) failed" in out and "result: FAILED" in out and "NOT published" in out
    print_report(ok, Path("w.duckdb"))
    out = capsys.readouterr().out
    assert "WARN" in out and "gx_mart_task_progress" in out and "result: OK" in out

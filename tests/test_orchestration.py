"""Dagster orchestration: the definitions load; the asset graph reads ingestion -> staging ->
marts -> publish with GX and dbt checks attached; blocking raw checks stop dbt on bad data; the
sensor syncs partitions; publishing is atomic; the headless build and the UI work end to end."""

from __future__ import annotations

import json
import os
import shutil
import socket
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
def orch(dbt_manifest):
    """The definitions module. Importing it changes nothing in this process's environment."""
    before = dict(os.environ)
    import orchestration.definitions as d

    assert dict(os.environ) == before, "importing the definitions changed os.environ"
    return d


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
    staged, raw = AssetKey("raw_bulletin"), AssetKey("raw_tables")
    assert {staged, raw} <= graph.get_all_asset_keys()

    # ingestion: one dynamic partition per registered source, staged in the lake; one unpartitioned
    # asset loads the lake into the raw schema
    pdef = graph.get(staged).partitions_def
    assert isinstance(pdef, DynamicPartitionsDefinition) and pdef.name == "sources"
    assert graph.get(raw).partitions_def is None and graph.get(raw).parent_keys == {staged}

    # staging models read the raw layer (every dbt source raw.* maps onto raw_tables)
    staging = [k for s, k in keys.items() if s.startswith("staging/")]
    assert staging, "no dbt staging models in the graph"
    assert any(raw in graph.get(k).parent_keys for k in staging)
    for k in staging:  # no dangling source assets for raw.*: they are all raw_tables
        assert not any(p.path[0] == "raw" for p in graph.get(k).parent_keys)
        assert staged not in graph.get(k).parent_keys

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
    raw = AssetKey("raw_tables")
    assert not [ck for ck in check_keys if ck.asset_key == AssetKey("raw_bulletin")]
    for name in ("gx_raw_task_rows", "gx_raw_sources", "gx_raw_coverage", "gx_raw_row_signals",
                 "gx_raw_table_headers"):
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
    # no dbt tests on the raw sources (the DDL and the blocking GX raw suites hold those invariants),
    # so no dbt op computes a check on raw_tables and the GX raw checks gate dbt
    assert not [n for n in manifest["nodes"].values() if n["resource_type"] == "test"
                and any(d.startswith("source.") for d in n["depends_on"]["nodes"])]
    assert not [ck for ck in dbt_checks if ck.asset_key == raw]
    # a singular test over two models is attached by its meta (not logged as a mere observation)
    assert AssetCheckKey(AssetKey(["mart", "region_period_scorecard"]), "scorecard_totals_match_fact") in check_keys


def test_warehouse_ops_share_one_pool_and_staging_needs_none(orch):
    from dagster import AssetKey

    repo = orch.defs.get_repository_def()
    graph = orch.defs.resolve_asset_graph()
    for key in (AssetKey("raw_tables"), AssetKey(["mart", "task_progress"]), AssetKey(["published", "warehouse"])):
        assert graph.get(key).pools == {"duckdb_writer"}, key
    # staging a partition writes only its own lake folder: no pool, so partitions run in parallel
    assert not graph.get(AssetKey("raw_bulletin")).pools
    for job in ("ingest_sources", "build_warehouse"):
        assert repo.get_job(job).executor_def.name == "in_process"


def test_ingest_job_is_partitioned_and_build_job_gates_dbt_with_raw_checks(orch):
    from dagster import AssetCheckKey, AssetKey

    repo = orch.defs.get_repository_def()
    ingest = repo.get_job("ingest_sources")
    assert ingest.partitions_def is not None and ingest.partitions_def.name == "sources"
    build = repo.get_job("build_warehouse")
    selected_checks = build.asset_layer.asset_graph.asset_check_keys
    assert AssetCheckKey(AssetKey("raw_tables"), "gx_raw_task_rows") in selected_checks
    assert AssetKey("raw_tables") in build.asset_layer.executable_asset_keys
    assert AssetKey("raw_bulletin") not in build.asset_layer.executable_asset_keys
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

    from orchestration.defs.ingestion.sensors import source_registry_sensor
    from orchestration.resources import RegistryResource

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
        assert isinstance(result, SensorResult) and not result.dynamic_partitions_requests  # nothing to do
        assert result.skip_reason and "yijiang_2023q2" in instance.get_dynamic_partitions("sources")


def test_sensor_reads_no_yaml_while_the_registry_folder_is_unchanged(orch, tmp_path, monkeypatch):
    from dagster import DagsterInstance, SensorResult, SkipReason, build_sensor_context

    from orchestration.defs.ingestion import partitions
    from orchestration.defs.ingestion.sensors import source_registry_sensor
    from orchestration.resources import RegistryResource

    reg = tmp_path / "sources"
    shutil.copytree(SOURCES / "xiangshan_2024q4", reg / "xiangshan_2024q4")
    resources = {"registry": RegistryResource(sources_dir=str(reg))}
    with DagsterInstance.ephemeral() as instance:
        first = source_registry_sensor(build_sensor_context(instance=instance, resources=resources))
        assert isinstance(first, SensorResult) and first.cursor
        instance.add_dynamic_partitions("sources", ["xiangshan_2024q4"])  # the request applied

        def no_yaml(*_a, **_k):
            raise AssertionError("the registry was loaded although nothing changed")

        monkeypatch.setattr(partitions, "plan_sync", no_yaml)
        monkeypatch.setattr("orchestration.defs.ingestion.sensors.plan_sync", no_yaml)
        again = source_registry_sensor(build_sensor_context(instance=instance, resources=resources,
                                                            cursor=first.cursor))
        assert isinstance(again, SkipReason) and "unchanged" in (again.skip_message or "")
        monkeypatch.undo()

        # a new folder, or a partition deleted by hand, changes the stamp: the registry is read again
        shutil.copytree(SOURCES / "yijiang_2023q2", reg / "yijiang_2023q2")
        added = source_registry_sensor(build_sensor_context(instance=instance, resources=resources,
                                                            cursor=first.cursor))
        assert isinstance(added, SensorResult)
        assert [list(r.partition_keys) for r in added.dynamic_partitions_requests] == [["yijiang_2023q2"]]
        instance.add_dynamic_partitions("sources", ["yijiang_2023q2"])
        instance.delete_dynamic_partition("sources", "xiangshan_2024q4")
        back = source_registry_sensor(build_sensor_context(instance=instance, resources=resources,
                                                           cursor=added.cursor))
        assert isinstance(back, SensorResult)
        assert [list(r.partition_keys) for r in back.dynamic_partitions_requests] == [["xiangshan_2024q4"]]


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
    # only raw_tables ran (nothing new was staged, so it loaded nothing); nothing after the checks
    assert [e.asset_key.to_user_string() for e in res.get_asset_materialization_events()] == ["raw_tables"]
    assert not (tmp_path / "published").exists()


# ------------------------------------------------------------------------------ publish


def test_publish_is_atomic_and_exports_every_mart(tmp_path):
    from orchestration.defs.publish.assets import publish_warehouse

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


# ------------------------------------------------- a broken source (one-source registry)


def test_a_broken_source_fails_clearly_and_nothing_is_published(orch, tmp_path):
    """A registry of one source that cannot be parsed: its partition fails with a message naming
    the file, the failure is logged in raw.ingest_log (through the lake), and with no source ingested the summary says
    FAILED / NOT published (exit 1). (The full build is the session's seed warehouse; one bad source
    among good ones is the reliability battery's `test_one_of_six_sources_broken`.)"""
    from dagster import DagsterInstance

    from orchestration import build
    from orchestration.defs.ingestion.partitions import sync_partitions
    from orchestration.defs.publish.assets import PUBLISHED_KEY
    from orchestration.report import BuildReport, format_report

    reg = tmp_path / "sources"
    bad = reg / "zz_broken"
    bad.mkdir(parents=True)
    (bad / "b.txt").write_text("这不是表格\n只是两行字\n", encoding="utf-8")
    (bad / "source.yaml").write_text(
        "source_id: zz_broken\nfile: b.txt\njurisdiction: {province: 安徽省}\nperiod: {year: 2024, quarter: 1}\n"
        "layout: cell_lines\n", encoding="utf-8")
    db = tmp_path / "warehouse.duckdb"
    defs = orch.build_definitions(warehouse=db, sources=reg)
    with DagsterInstance.ephemeral() as instance:
        plan = sync_partitions(instance, reg)
        assert plan.wanted == ["zz_broken"] and not plan.registry_errors
        outcomes = build.ingest(instance, [plan.sources[s] for s in plan.wanted], db, tags={})
        # the partition's record on the instance: an observation carrying the failure, no materialisation
        from dagster import AssetKey

        key = AssetKey("raw_bulletin")
        assert instance.get_latest_materialization_event(key) is None
        (obs,) = instance.fetch_observations(key, limit=5).records
        assert obs.partition_key == "zz_broken" and "b.txt" in obs.asset_observation.description
    (out,) = outcomes
    assert not out.ok and out.rows is None
    assert "zz_broken" in out.error and "b.txt" in out.error
    # staging never opens the warehouse: the failure waits in the lake for the next load
    from ingestion import lake, load

    assert not db.exists()
    assert [rec["source_id"] for _, rec in lake.pending_failures(lake.lake_root(db))] == ["zz_broken"]
    assert load.sync_lake(db).failures_logged == 1
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("select count(*) from raw.task_rows where source_id = 'zz_broken'").fetchone() == (0,)
        logged = con.execute("select * from raw.ingest_log where source_id = 'zz_broken'").fetchall()
    finally:
        con.close()
    assert logged, "the failed attempt is not in raw.ingest_log"

    report = BuildReport(sources=outcomes)
    assert PUBLISHED_KEY not in defs.resolve_job_def("refresh_marts").asset_layer.asset_graph.get_all_asset_keys()
    assert PUBLISHED_KEY in defs.resolve_job_def("build_warehouse").asset_layer.asset_graph.get_all_asset_keys()
    assert not report.ok and report.exit_code == 1
    text = format_report(report, db)
    line = next(ln for ln in text.splitlines() if ln.strip().startswith("zz_broken"))
    assert "FAILED" in line and "b.txt" in line
    assert "NOT published" in text and "result: FAILED" in text
    assert not (tmp_path / "published").exists()


def test_downstream_job_publishes_also_when_a_source_is_excluded():
    """One bad source never holds back the others: the blocking checks of the run decide."""
    from orchestration.build import downstream_job_name
    from orchestration.report import BuildReport, SourceOutcome

    good, bad = SourceOutcome("a", True, rows=1), SourceOutcome("b", False, error="x")
    assert downstream_job_name(BuildReport(sources=[good]), publish=True) == "build_warehouse"
    assert downstream_job_name(BuildReport(sources=[good]), publish=False) == "refresh_marts"
    assert downstream_job_name(BuildReport(sources=[good, bad]), publish=True) == "build_warehouse"
    assert downstream_job_name(BuildReport(sources=[good], registry_errors=["x: bad"]), publish=True) == "build_warehouse"


# ------------------------------------------------------------------------------ the UI


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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


@pytest.fixture()
def webserver(orch, tmp_path):
    """The Dagster webserver app (what `dagster dev` serves) over HTTP on a random port, with the
    code location loaded in this process (no code-server subprocess: the definitions are already
    imported)."""
    import threading

    import uvicorn
    from dagster import DagsterInstance
    from dagster._core.remote_origin import InProcessCodeLocationOrigin
    from dagster._core.types.loadable_target_origin import LoadableTargetOrigin
    from dagster._core.workspace.context import WorkspaceProcessContext
    from dagster._core.workspace.load_target import InProcessWorkspaceLoadTarget
    from dagster_webserver.app import create_app_from_workspace_process_context

    shutil.copy(REPO / ".dagster_home" / "dagster.yaml", tmp_path / "dagster.yaml")
    origin = InProcessCodeLocationOrigin(
        LoadableTargetOrigin(module_name="orchestration.definitions", working_directory=str(REPO)),
        location_name="bulletin_warehouse",
    )
    port = _free_port()
    with DagsterInstance.from_config(str(tmp_path)) as instance, WorkspaceProcessContext(
        instance, InProcessWorkspaceLoadTarget(origin)
    ) as ctx:
        app = create_app_from_workspace_process_context(ctx)
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        t0 = time.monotonic()
        while not server.started:
            assert thread.is_alive() and time.monotonic() - t0 < 60, "webserver did not start"
            time.sleep(0.05)
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            server.should_exit = True
            thread.join(timeout=30)


def _graphql(base: str, query: str) -> dict:
    req = urllib.request.Request(
        f"{base}/graphql", data=json.dumps({"query": query}).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=60) as r:
        body = json.loads(r.read())
    assert "errors" not in body, body["errors"]
    return body["data"]


def test_webserver_graphql_shows_assets_lineage_and_checks(webserver):
    with urllib.request.urlopen(f"{webserver}/server_info", timeout=30) as r:
        info = json.loads(r.read())
    assert info["dagster_version"] and info["dagster_webserver_version"]
    nodes = _graphql(webserver, ASSETS_QUERY)["assetNodes"]
    by_key = {"/".join(n["assetKey"]["path"]): n for n in nodes}
    assert by_key["raw_bulletin"]["isPartitioned"]
    assert not by_key["raw_tables"]["isPartitioned"]
    assert ["raw_bulletin"] in [d["path"] for d in by_key["raw_tables"]["dependencyKeys"]]
    raw_checks = {c["name"]: c["blocking"] for c in by_key["raw_tables"]["assetChecksOrError"]["checks"]}
    assert raw_checks.get("gx_raw_task_rows") is True and raw_checks.get("gx_raw_coverage") is True
    staging = [n for k, n in by_key.items() if k.startswith("staging/")]
    assert any(["raw_tables"] in [d["path"] for d in n["dependencyKeys"]] for n in staging)
    tp = by_key["mart/task_progress"]
    assert any(d["path"][0] in ("staging", "mart") for d in tp["dependencyKeys"])
    assert "gx_mart_task_progress" in {c["name"] for c in tp["assetChecksOrError"]["checks"]}
    pub = by_key["published/warehouse"]
    assert ["mart", "task_progress"] in [d["path"] for d in pub["dependencyKeys"]]


# ------------------------------------------------------------------------ build summary


def test_build_report_exit_status_and_summary():
    from orchestration.report import BuildReport, CheckOutcome, SourceOutcome, format_report

    ok = BuildReport(sources=[SourceOutcome("a", True, rows=3, tables=1, coverage="5/5 lines")],
                     checks=[CheckOutcome("mart/task_progress", "gx_mart_task_progress", False, "WARN", "1 warnings")],
                     published="/x/published/warehouse.duckdb")
    assert ok.ok and ok.status == "ok" and ok.exit_code == 0  # a WARN-severity failure does not fail the build
    good = SourceOutcome("g", True, rows=1)
    partial = [
        BuildReport(sources=[good, SourceOutcome("a", False, error="ingesting a (a.txt) failed: LayoutError: …")]),
        BuildReport(sources=[good], registry_errors=["data/sources/x/source.yaml: field 'period': …"]),
    ]
    assert [(r.status, r.exit_code) for r in partial] == [("partial", 3)] * 2
    assert "excluded from this build (previous load kept, if any): a" in format_report(partial[0], Path("w.duckdb"))
    assert BuildReport(busy="build pid 1 is running").exit_code == 4
    failing = [
        BuildReport(sources=[SourceOutcome("a", False, error="ingesting a (a.txt) failed: LayoutError: …")]),
        BuildReport(checks=[CheckOutcome("raw_tables", "gx_raw_task_rows", False, "ERROR", "2 rows")]),
        BuildReport(skipped_steps=["warehouse_dbt"]),
        BuildReport(failed_steps=["warehouse_dbt: dbt build failed"]),
        BuildReport(fatal="dbt parse failed"),
    ]
    assert [r.status for r in failing] == ["failed"] * len(failing)
    assert {r.exit_code for r in failing} == {1}
    out = format_report(failing[0], Path("w.duckdb"))
    assert "FAILED  ingesting a (a.txt) failed" in out and "result: FAILED" in out and "NOT published" in out
    out = format_report(ok, Path("w.duckdb"))
    assert "WARN" in out and "gx_mart_task_progress" in out and "result: OK" in out
    assert "published: /x/published/warehouse.duckdb" in out and "total rows: 3" in out


def test_report_pieces():
    from orchestration.report import (
        MAX_FAILURE_LINES,
        CheckOutcome,
        SourceOutcome,
        check_detail,
        format_checks,
        format_sources,
    )

    assert check_detail(True, {"rows_checked": 642}, None) == "642 rows"
    failing = check_detail(False, {"rows_checked": 2, "errors": 1, "warnings": 0,
                                   "failures": "\n".join(f"- f{i}" for i in range(20))}, "x")
    assert failing.startswith("2 rows; 1 errors, 0 warnings")
    assert "- f0" in failing and f"- f{MAX_FAILURE_LINES}" not in failing and "8 more lines" in failing
    assert check_detail(False, {}, "dbt test failed: 3 rows") == "dbt test failed: 3 rows"

    checks = [CheckOutcome("mart/x", "not_null_x_a", True, "ERROR"),  # passing dbt test: counted only
              CheckOutcome("raw_tables", "gx_raw_sources", True, "ERROR", "5 rows"),
              CheckOutcome("mart/x", "unique_x_a", False, "ERROR", "2 rows")]
    lines = format_checks(checks)
    assert lines[1] == "checks: 2 passed, 1 failed"
    assert lines[2].split()[:2] == ["FAILED", "mart/x:unique_x_a"]  # failures first
    assert not any("not_null_x_a" in ln for ln in lines) and any("gx_raw_sources" in ln for ln in lines)
    assert format_checks([]) == [] and format_sources([]) == []
    src = format_sources([SourceOutcome("a", True, rows=3, tables=1), SourceOutcome("b", False, error="boom")])
    assert any(ln.split()[:3] == ["a", "ok", "3"] for ln in src)
    assert any(ln.split()[:3] == ["b", "FAILED", "boom"] for ln in src)
    assert src[-1].strip() == "total rows: 3"  # failed sources add no rows


def test_select_targets_and_cli_flags():
    from orchestration.build import parse_cli, select_targets

    assert select_targets(["a", "b", "c"], None) == (["a", "b", "c"], [])
    assert select_targets(["a", "b", "c"], ["c", "a"]) == (["a", "c"], [])  # registry order
    assert select_targets(["a"], ["a", "zz"]) == (["a"], ["zz"])
    args = parse_cli(["--only", "a,b", "--no-publish", "--no-parse"])
    assert (args.only, args.no_publish, args.no_parse) == ("a,b", True, True)
    assert parse_cli([]).no_parse is False


# ------------------------------------------------------------------------------ dbt arguments


def test_dbt_build_args_pin_the_warehouse_and_one_thread(tmp_path):
    from orchestration.defs.dbt.args import build_args, warehouse_vars

    db = tmp_path / "仓库" / "w.duckdb"
    args = build_args(db)
    assert args[:3] == ["build", "--threads", "1"]
    assert args[3] == "--vars" and json.loads(args[4]) == {"warehouse_path": str(db.resolve())}
    assert build_args(db, threads=2)[2] == "2"
    # unit tests run in tests/test_dbt_models.py, not on every build; no dbt.log written
    assert ("--exclude-resource-type", "unit_test") in zip(args, args[1:], strict=False)
    assert ("--log-level-file", "none") in zip(args, args[1:], strict=False)
    # relative paths are made absolute: dbt runs from dbt_project/, not from here
    assert json.loads(warehouse_vars(Path("data/x.duckdb")))["warehouse_path"] == str(Path("data/x.duckdb").resolve())


def test_profile_reads_the_warehouse_var_before_the_environment():
    """profiles.yml must honour --vars warehouse_path (what build_args passes) over WAREHOUSE_PATH."""
    profile = yaml.safe_load((REPO / "dbt_project" / "profiles.yml").read_text())
    path = profile["bulletin_warehouse"]["outputs"]["dev"]["path"]
    assert path.index("var('warehouse_path'") < path.index("env_var('WAREHOUSE_PATH'")


# ------------------------------------------------------------------------------ resources


def test_paths_come_from_the_environment_relative_to_the_repo(monkeypatch, tmp_path):
    from orchestration.resources import REPO_ROOT, dagster_home, sources_dir, warehouse_path

    monkeypatch.delenv("WAREHOUSE_PATH", raising=False)
    monkeypatch.delenv("BULLETIN_SOURCES_DIR", raising=False)
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    assert warehouse_path() == REPO_ROOT / "data" / "warehouse.duckdb"
    assert sources_dir() == REPO_ROOT / "data" / "sources"
    assert dagster_home() == REPO_ROOT / ".dagster_home"
    monkeypatch.setenv("WAREHOUSE_PATH", "data/dev.duckdb")  # relative: to the repo root, not the cwd
    monkeypatch.setenv("BULLETIN_SOURCES_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    assert warehouse_path() == REPO_ROOT / "data" / "dev.duckdb"
    assert sources_dir() == tmp_path


def test_published_copy_and_export_sit_beside_the_warehouse(monkeypatch, tmp_path):
    from orchestration.resources import WarehouseResource

    monkeypatch.delenv("PUBLISHED_DIR", raising=False)
    monkeypatch.delenv("EXPORT_DIR", raising=False)
    main = WarehouseResource(path=str(tmp_path / "warehouse.duckdb"))
    assert main.published_path == tmp_path / "published" / "warehouse.duckdb"
    assert main.export_path == tmp_path / "export"
    dev = WarehouseResource(path=str(tmp_path / "dev.duckdb"))  # an experiment never overwrites the real one
    assert dev.published_path == tmp_path / "published" / "dev.duckdb"
    assert dev.export_path == tmp_path / "export" / "dev"
    monkeypatch.setenv("EXPORT_DIR", str(tmp_path / "x"))
    assert dev.export_path == tmp_path / "x"


def test_scoped_job_retests_staging_but_not_the_untouched_seeds(orch):
    """A scoped build leaves seeds and staging as they are; it re-runs the staging views' tests
    (their raw rows changed) but not the seeds' (nothing beneath them changed)."""
    repo = orch.defs.get_repository_def()

    def check_groups(job: str) -> dict[str, int]:
        graph = repo.get_job(job).asset_layer.asset_graph
        out: dict[str, int] = {}
        for ck in graph.asset_check_keys:
            group = repo.asset_graph.get(ck.asset_key).group_name
            out[group] = out.get(group, 0) + 1
        return out

    full, scoped = check_groups("build_warehouse"), check_groups(orch.SCOPED_JOB)
    assert full.get("seeds", 0) > 0 and "seeds" not in scoped
    assert scoped.get("staging", 0) == full.get("staging", 0) > 0
    assert scoped.get("mart") == full.get("mart") > 0

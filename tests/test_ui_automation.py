"""The UI keeps itself fresh: on a copy of the seed build (its warehouse, published copy and Dagster
instance, with the history the build wrote), one ``raw_bulletin`` partition is materialised; the
automation sensor's evaluation then asks for one run that rebuilds every dbt model, runs the GX and
dbt checks and republishes; that run, executed, puts the source back into the published copy; the
next evaluation asks for nothing.

It runs ``dbt build`` once (20-80 s on this machine, most of it dbt's start-up), so it is behind
the ``ui`` marker: ``make test`` skips it, ``.ci/run`` runs it (``make test-ui``).
"""

from __future__ import annotations

import time

import duckdb
import pytest

pytestmark = [pytest.mark.ui, pytest.mark.slow]


def _rows(db, source_id: str) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select count(*) from mart.task_progress where source_id = ?", [source_id]).fetchone()[0]
    finally:
        con.close()


def _unload(wh, source_id: str) -> None:
    """The state an analyst is in before a source is (re)loaded: neither the raw layer, the marts
    nor the published copy have it (its rows deleted from every mart that carries source_id)."""
    from ingestion.load import remove_source, writer
    from orchestration.defs.publish.assets import publish_warehouse

    remove_source(wh.db, source_id)
    with writer(wh.db) as con:
        tables = [r[0] for r in con.execute(
            "select table_name from information_schema.columns where table_schema = 'mart' "
            "and column_name = 'source_id'").fetchall()]
        for t in tables:
            con.execute(f'delete from mart."{t}" where source_id = ?', [source_id])
    publish_warehouse(wh.db, wh.published, wh.export)
    assert _rows(wh.published, source_id) == 0


def _tick(defs, instance, cursor=None):
    """One evaluation of every automation condition, as the default automation condition sensor
    does it, and the run requests the sensor would launch from it."""
    from dagster import evaluate_automation_conditions
    from dagster._core.definitions.automation_tick_evaluation_context import build_run_requests

    result = evaluate_automation_conditions(defs=defs, instance=instance, cursor=cursor)
    requests = build_run_requests(result._requested_subsets, defs.resolve_asset_graph(), None, False)
    return result, requests


def test_materialising_one_partition_refreshes_marts_checks_and_published_copy(seed_warehouse, dbt_manifest, tmp_path):
    from dagster import AssetKey, AssetSelection, DagsterInstance, Definitions, define_asset_job

    from orchestration.definitions import INGEST_JOB, build_definitions
    from orchestration.defs.publish.assets import PUBLISHED_KEY

    t0 = time.monotonic()
    wh = seed_warehouse.copy_to(tmp_path / "wh")
    source_id = "xiangshan_2024q4"
    _unload(wh, source_id)

    defs = build_definitions(warehouse=wh.db, sources=wh.sources)
    graph = defs.resolve_asset_graph()
    # The marts that read raw (mart.dim_status reads only its seed: it follows the seed, not a source).
    marts = {k for k in graph.get_all_asset_keys()
             if k.path[0] == "mart" and AssetKey("raw_bulletin") in graph.get_ancestor_asset_keys(k)}
    assert AssetKey(["mart", "task_progress"]) in marts
    with DagsterInstance.from_config(str(wh.dagster_home)) as instance:
        # After the build nothing is due.
        r1, requests = _tick(defs, instance)
        assert requests == [], [sorted(k.to_user_string() for k in r.asset_selection) for r in requests]

        # What the UI's "Materialize" on one partition of raw_bulletin runs.
        res = defs.resolve_job_def(INGEST_JOB).execute_in_process(instance=instance, partition_key=source_id)
        assert res.success

        # One run: the lake loaded (raw_tables), every mart, the published copy, the raw GX checks and
        # the mart checks; not raw_bulletin.
        r2, requests = _tick(defs, instance, r1.cursor)
        assert len(requests) == 1, requests
        req = requests[0]
        selected = set(req.asset_selection)
        assert marts <= selected and PUBLISHED_KEY in selected
        assert AssetKey(["report", "html"]) in selected  # the report follows the published copy
        assert AssetKey("raw_bulletin") not in selected and AssetKey("raw_tables") in selected
        check_names = {c.name for c in req.asset_check_keys}
        assert {"gx_raw_task_rows", "gx_raw_coverage", "gx_mart_task_progress"} <= check_names
        assert any(not n.startswith("gx_") for n in check_names), "dbt tests do not run with the models"

        # Launch it as the sensor would (in this process instead of a run worker).
        job = define_asset_job(
            "automation_run",
            selection=AssetSelection.assets(*req.asset_selection).without_checks()
            | AssetSelection.checks(*req.asset_check_keys),
        )
        t_run = time.monotonic()
        run = Definitions.merge(defs, Definitions(jobs=[job])).resolve_job_def("automation_run").execute_in_process(
            instance=instance, raise_on_error=False, tags=dict(req.tags or {})
        )
        run_s = time.monotonic() - t_run
        assert run.success, [e.message for e in run.get_step_failure_events()]
        materialized = {e.asset_key for e in run.get_asset_materialization_events()}
        assert marts <= materialized and PUBLISHED_KEY in materialized
        evaluations = run.get_asset_check_evaluations()
        assert {e.check_name for e in evaluations} == check_names
        assert all(e.passed for e in evaluations), [e.check_name for e in evaluations if not e.passed]

        # The published copy has the source again.
        assert _rows(wh.published, source_id) == _rows(seed_warehouse.published, source_id) > 0

        # Settled: the next evaluation asks for nothing (no loop).
        _, requests = _tick(defs, instance, r2.cursor)
        assert requests == []
    print(f"automation test: {time.monotonic() - t0:.1f}s in all, the automated run {run_s:.1f}s")


# ------------------------------------------------------------ the same through a real `dagster dev`

LAUNCH = """mutation($p: ExecutionParams!) { launchRun(executionParams: $p) { __typename
  ... on LaunchRunSuccess { run { runId } } ... on PythonError { message } ... on InvalidSubsetError { message }
  ... on RunConfigValidationInvalid { errors { message } } } }"""
RUNS = """{ runsOrError(limit: 20) { ... on Runs { results { runId jobName status
  tags { key value } assetSelection { path } } } } }"""
LOCATIONS = "{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus } } } }"


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _graphql(port: int, query: str, variables: dict | None = None) -> dict:
    import json
    import urllib.request

    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql", data=json.dumps({"query": query, "variables": variables or {}}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=60) as r:
        body = json.loads(r.read())
    assert "errors" not in body, body["errors"]
    return body["data"]


def _default_signals() -> None:
    import signal

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)


def test_dagster_dev_daemon_refreshes_marts_and_published_after_one_partition(seed_warehouse, dbt_manifest, tmp_path):
    """`dagster dev` (webserver + daemon) on a copy of the seed build: launch one partition over
    GraphQL as the UI's Materialize does; the daemon's automation sensor launches the rest."""
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    t0 = time.monotonic()
    wh = seed_warehouse.copy_to(tmp_path / "wh")
    source_id = "xiangshan_2024q4"
    _unload(wh, source_id)

    port = _free_port()
    log_path = tmp_path / "dagster_dev.log"
    repo = Path(__file__).resolve().parent.parent
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "dagster"), "dev", "-m", "orchestration.definitions",
             "-h", "127.0.0.1", "-p", str(port)],
            cwd=repo, env=wh.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True, preexec_fn=_default_signals,  # noqa: PLW1509  its own group, default signals
        )
        try:
            deadline = time.monotonic() + 180
            while True:
                assert proc.poll() is None, log_path.read_text()[-3000:]
                try:
                    entries = _graphql(port, LOCATIONS)["workspaceOrError"]["locationEntries"]
                    if entries and entries[0]["loadStatus"] == "LOADED":
                        location = entries[0]["name"]
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline, "dagster dev did not load the code location in 180 s"
                time.sleep(1)
            t_ready = time.monotonic() - t0

            launched = _graphql(port, LAUNCH, {"p": {
                "selector": {"repositoryLocationName": location, "repositoryName": "__repository__",
                             "jobName": "ingest_sources"},
                "executionMetadata": {"tags": [{"key": "dagster/partition", "value": source_id}]},
            }})["launchRun"]
            assert launched["__typename"] == "LaunchRunSuccess", launched

            # The automation sensor (30 s between ticks) launches one run; wait for it to finish.
            deadline = time.monotonic() + 600
            auto = None
            while auto is None or auto["status"] not in ("SUCCESS", "FAILURE", "CANCELED"):
                assert time.monotonic() < deadline, f"no finished automation run in 600 s: {auto}"
                time.sleep(3)
                runs = _graphql(port, RUNS)["runsOrError"]["results"]
                ours = [r for r in runs if {"key": "dagster/sensor_name", "value": "default_automation_condition_sensor"}
                        in r["tags"]]
                assert len(ours) <= 1, f"more than one automation run: {ours}"
                auto = ours[0] if ours else None
            assert auto["status"] == "SUCCESS", log_path.read_text()[-4000:]
            selected = {"/".join(a["path"]) for a in auto["assetSelection"]}
            assert "published/warehouse" in selected and "mart/task_progress" in selected
            assert "raw_bulletin" not in selected and "raw_tables" in selected
            assert _rows(wh.published, source_id) == _rows(seed_warehouse.published, source_id) > 0
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
    print(f"dagster dev test: {time.monotonic() - t0:.1f}s in all ({t_ready:.1f}s until the UI had loaded)")

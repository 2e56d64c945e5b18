"""Headless build of the whole warehouse: ``python -m orchestration.build`` (what ``make run`` calls).

1. ``dbt parse`` (a fresh manifest for ``@dbt_assets``).
2. Sync the ``sources`` partitions of the Dagster instance (``DAGSTER_HOME``, default
   ``.dagster_home``) with the registry; drop the rows of sources that left the registry.
3. Materialise every ``raw_bulletin`` partition (one in-process run per source).
4. One in-process run: raw GX checks (blocking) -> ``dbt build`` (models + dbt tests) -> mart GX
   checks (blocking) -> publish. If a source failed to ingest or the registry has an invalid entry,
   the marts are still refreshed from what is loaded, but nothing is published.
5. Print a summary (rows per source, check results, timings); exit 1 on any failure.

Environment: ``WAREHOUSE_PATH`` (default data/warehouse.duckdb), ``BULLETIN_SOURCES_DIR``
(default data/sources), ``DAGSTER_HOME`` (default .dagster_home).
Options: ``--only ID[,ID…]`` ingest just these sources (the rest stay as loaded); ``--no-publish``.
"""

import argparse
import os
import socket
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from orchestration.resources import REPO_ROOT, export_env, sources_dir

LAUNCHED_BY_TAG = "bulletin/launched_by"
PID_TAG = "bulletin/pid"
HOST_TAG = "bulletin/host"
# Dagster's console logger at INFO: step starts/ends and dbt's progress, no DEBUG event dump.
RUN_CONFIG = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}


@dataclass
class SourceOutcome:
    source_id: str
    ok: bool
    rows: int | None = None
    tables: int | None = None
    coverage: str | None = None
    quarantined: int | None = None
    layout: str | None = None
    error: str | None = None
    seconds: float = 0.0


@dataclass
class CheckOutcome:
    asset: str
    name: str
    passed: bool
    severity: str
    detail: str = ""


@dataclass
class BuildReport:
    sources: list[SourceOutcome] = field(default_factory=list)
    checks: list[CheckOutcome] = field(default_factory=list)
    registry_errors: list[str] = field(default_factory=list)
    removed_sources: list[str] = field(default_factory=list)
    rebuilt_raw_tables: list[str] = field(default_factory=list)
    failed_steps: list[str] = field(default_factory=list)
    skipped_steps: list[str] = field(default_factory=list)
    published: str | None = None
    timings: dict[str, float] = field(default_factory=dict)
    fatal: str | None = None

    @property
    def ok(self) -> bool:
        return (
            self.fatal is None
            and not self.registry_errors
            and all(s.ok for s in self.sources)
            and not self.failed_steps
            and not self.skipped_steps
            and not any(not c.passed and c.severity == "ERROR" for c in self.checks)
        )


def _meta_value(v):
    return getattr(v, "value", v)


def _failure_message(event) -> str:
    data = event.step_failure_data
    if data is None:
        return event.message or "failed"
    if data.user_failure_data is not None and data.user_failure_data.description:
        return data.user_failure_data.description
    err = data.error
    while err is not None and err.cause is not None and "DagsterExecutionStepExecutionError" in (err.cls_name or ""):
        err = err.cause
    return (err.message.strip() if err else None) or event.message or "failed"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover_stale_runs(instance) -> list[str]:
    """Runs this command started in a process that has since died (killed mid-build) still hold
    their pool slots and would block the next build forever: mark them failed, free the slots."""
    from dagster import DagsterRunStatus, RunsFilter

    host = socket.gethostname()
    recovered = []
    runs = instance.get_runs(
        filters=RunsFilter(
            statuses=[DagsterRunStatus.STARTED, DagsterRunStatus.STARTING, DagsterRunStatus.NOT_STARTED],
            tags={LAUNCHED_BY_TAG: "orchestration.build"},
        )
    )
    for run in runs:
        try:
            pid = int(run.tags.get(PID_TAG, "0"))
        except ValueError:
            continue
        if run.tags.get(HOST_TAG) != host or pid == os.getpid() or _pid_alive(pid):
            continue
        instance.report_run_failed(run, f"the build process (pid {pid}) exited before the run finished")
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        recovered.append(run.run_id)
    return recovered


def prune_vanished(db_path: Path, keep: set[str], invalid_ids: set[str]) -> list[str]:
    """Delete the rows of sources that are loaded but no longer in the registry."""
    if not db_path.exists():
        return []
    from expectations.runner import read_only
    from ingestion.load import remove_source

    with read_only(db_path) as con:
        tables = {r[0] for r in con.execute(
            "select table_schema || '.' || table_name from information_schema.tables").fetchall()}
        if "raw.sources" not in tables:
            return []
        loaded = {r[0] for r in con.execute("select source_id from raw.sources").fetchall()}
    gone = sorted(loaded - keep - invalid_ids)
    for sid in gone:
        remove_source(db_path, sid)
    return gone


def ingest(job, instance, source_ids: list[str], tags: dict[str, str]) -> list[SourceOutcome]:
    """One in-process run of the partitioned ingest job per source; a failure is recorded, not raised."""
    outcomes = []
    for sid in source_ids:
        t = time.monotonic()
        res = job.execute_in_process(
            instance=instance, partition_key=sid, raise_on_error=False, tags=tags, run_config=RUN_CONFIG
        )
        out = SourceOutcome(source_id=sid, ok=res.success, seconds=time.monotonic() - t)
        for ev in res.get_asset_materialization_events():
            md = ev.materialization.metadata
            out.rows = _meta_value(md.get("rows"))
            out.tables = _meta_value(md.get("tables"))
            out.coverage = _meta_value(md.get("coverage"))
            out.quarantined = _meta_value(md.get("quarantined_lines"))
            out.layout = _meta_value(md.get("layout"))
        if not res.success:
            fails = res.get_step_failure_events()
            out.error = _failure_message(fails[0]) if fails else "run failed"
        outcomes.append(out)
    return outcomes


def downstream_job_name(report: BuildReport, publish: bool) -> str:
    """Publish only when asked and every source ingested and the registry is valid; otherwise
    refresh the marts from what is loaded and keep the last published copy."""
    ok = publish and not report.registry_errors and all(s.ok for s in report.sources)
    return "build_warehouse" if ok else "refresh_marts"


def run_build(only: list[str] | None = None, publish: bool = True) -> BuildReport:
    report = BuildReport()
    t_all = time.monotonic()
    os.environ.setdefault("DAGSTER_HOME", str(REPO_ROOT / ".dagster_home"))
    Path(os.environ["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)
    db_path = export_env()

    from orchestration import project

    t = time.monotonic()
    try:
        project.prepare_if_needed()
    except Exception as e:  # noqa: BLE001  dbt project does not parse: nothing downstream can run
        report.fatal = f"dbt parse failed: {e}"
        return report
    report.timings["dbt_parse"] = time.monotonic() - t

    t = time.monotonic()
    from dagster import DagsterEventType, DagsterInstance

    from orchestration.definitions import defs
    from orchestration.partitions import sync_partitions

    report.timings["load_definitions"] = time.monotonic() - t
    instance = DagsterInstance.get()
    recovered = recover_stale_runs(instance)
    if recovered:
        print(f"recovered {len(recovered)} run(s) left by a killed build: {', '.join(recovered)}")

    plan = sync_partitions(instance, sources_dir())
    report.registry_errors = plan.registry_errors
    invalid_ids = {Path(e.split(":", 1)[0]).parent.name for e in plan.registry_errors}
    report.removed_sources = prune_vanished(db_path, set(plan.wanted), invalid_ids)

    # Raw tables whose columns no longer match ingestion.load's DDL are dropped and every source
    # is re-ingested into fresh ones (otherwise every ingest into the old table fails).
    from orchestration.rawschema import drop_drifted

    report.rebuilt_raw_tables = drop_drifted(db_path)
    if report.rebuilt_raw_tables:
        only = None

    tags = {LAUNCHED_BY_TAG: "orchestration.build", PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}
    targets = plan.wanted if not only else [s for s in plan.wanted if s in set(only)]
    unknown = sorted(set(only or []) - set(plan.wanted))
    if unknown:
        report.fatal = f"--only names source(s) not in the registry: {', '.join(unknown)}"
        return report

    t_ingest = time.monotonic()
    report.sources = ingest(defs.resolve_job_def("ingest_sources"), instance, targets, tags)
    report.timings["ingest"] = time.monotonic() - t_ingest

    do_publish = downstream_job_name(report, publish) == "build_warehouse"
    job = defs.resolve_job_def(downstream_job_name(report, publish))
    t = time.monotonic()
    res = job.execute_in_process(instance=instance, raise_on_error=False, tags=tags, run_config=RUN_CONFIG)
    report.timings["dbt_checks_publish" if do_publish else "dbt_checks"] = time.monotonic() - t
    for ev in res.get_asset_check_evaluations():
        md = ev.metadata or {}
        detail = ""
        if "rows_checked" in md:
            detail = f"{_meta_value(md['rows_checked'])} rows"
            if not ev.passed:
                detail += f"; {_meta_value(md.get('errors', 0))} errors, {_meta_value(md.get('warnings', 0))} warnings"
        if not ev.passed and "rows_checked" not in md and ev.description:
            detail = (detail + "; " if detail else "") + ev.description
        if not ev.passed and "failures" in md:  # GX: which expectations failed, with samples
            lines = str(_meta_value(md["failures"])).splitlines()
            detail += "".join(f"\n         {ln.strip()}" for ln in lines[:12])
            if len(lines) > 12:
                detail += f"\n         … {len(lines) - 12} more lines (see the check in the UI)"
        report.checks.append(
            CheckOutcome(
                asset=ev.asset_key.to_user_string(),
                name=ev.check_name,
                passed=ev.passed,
                severity=ev.severity.value if ev.severity else "ERROR",
                detail=detail,
            )
        )
    for ev in res.get_step_failure_events():
        report.failed_steps.append(f"{ev.step_key}: {_failure_message(ev)}")
    # Steps downstream of a failed step or a failed blocking check are abandoned: no events at all.
    report.skipped_steps = [
        n.name for n in res.job_def.nodes_in_topological_order if res.is_node_untouched(n.name)
    ] + [ev.step_key for ev in res.all_events if ev.event_type == DagsterEventType.STEP_SKIPPED]
    for ev in res.get_asset_materialization_events():
        if ev.asset_key.path == ["published", "warehouse"]:
            report.published = _meta_value(ev.materialization.metadata.get("published_path"))
    report.timings["total"] = time.monotonic() - t_all
    return report


def print_report(report: BuildReport, db_path: Path) -> None:
    w = sys.stdout.write
    w("\n== bulletin-warehouse build ==\n")
    w(f"warehouse: {db_path}\n")
    if report.fatal:
        w(f"FATAL: {report.fatal}\n")
    for e in report.registry_errors:
        w(f"registry error: {e}\n")
    if report.removed_sources:
        w(f"removed sources no longer in the registry: {', '.join(report.removed_sources)}\n")
    if report.rebuilt_raw_tables:
        w(f"raw tables re-created (their columns changed in ingestion.load): "
          f"{', '.join(report.rebuilt_raw_tables)}; every source re-ingested\n")
    if report.sources:
        w("\nsources:\n")
        w(f"  {'source_id':<28} {'status':<7} {'rows':>6} {'tables':>6} {'quarant.':>8}  {'layout':<11} coverage\n")
        for s in report.sources:
            if s.ok:
                w(f"  {s.source_id:<28} {'ok':<7} {s.rows!s:>6} {s.tables!s:>6} {s.quarantined!s:>8}  "
                  f"{s.layout or '':<11} {s.coverage or ''}\n")
            else:
                w(f"  {s.source_id:<28} FAILED  {s.error}\n")
        w(f"  total rows: {sum(s.rows or 0 for s in report.sources if s.ok)}\n")
    if report.checks:
        n_fail = sum(1 for c in report.checks if not c.passed)
        w(f"\nchecks: {len(report.checks) - n_fail} passed, {n_fail} failed\n")
        for c in sorted(report.checks, key=lambda c: (c.passed, c.asset, c.name)):
            if c.passed and not c.name.startswith("gx_"):
                continue  # passing dbt tests are counted, not listed
            state = "passed" if c.passed else ("FAILED" if c.severity == "ERROR" else "WARN")
            w(f"  {state:<6} {c.asset}:{c.name}  {c.detail}\n")
    for f in report.failed_steps:
        w(f"failed step: {f}\n")
    if report.skipped_steps:
        w(f"skipped (upstream failure or blocking check): {', '.join(report.skipped_steps)}\n")
    w(f"\npublished: {report.published or 'NOT published (the previous published copy is unchanged)'}\n")
    w("timings: " + ", ".join(f"{k} {v:.1f}s" for k, v in report.timings.items()) + "\n")
    w(f"result: {'OK' if report.ok else 'FAILED'}\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m orchestration.build", description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", help="comma-separated source ids to (re)ingest; the others stay as loaded")
    ap.add_argument("--no-publish", action="store_true", help="refresh the marts but do not publish")
    args = ap.parse_args(argv)
    only = [s.strip() for s in args.only.split(",")] if args.only else None
    try:
        report = run_build(only=only, publish=not args.no_publish)
    except Exception as e:  # noqa: BLE001  anything unexpected: still a summary and a non-zero exit
        import traceback

        traceback.print_exc()
        report = BuildReport(fatal=f"{type(e).__name__}: {e}")
    print_report(report, Path(os.environ.get("WAREHOUSE_PATH", "data/warehouse.duckdb")))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())

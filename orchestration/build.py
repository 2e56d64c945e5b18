"""Headless build of the whole warehouse: ``python -m orchestration.build`` (what ``make run`` calls).

1. ``dbt parse`` (the ``DbtProject``'s preparer: a fresh manifest for ``@dbt_assets``).
2. Sync the ``sources`` partitions of the Dagster instance (``DAGSTER_HOME``, default
   ``.dagster_home``) with the registry; drop the rows of sources that left the registry;
   re-create raw tables whose columns changed in ingestion/load.py.
3. Stage every ``raw_bulletin`` partition: parse each source and stage it in the raw lake, in a
   pool of processes (``ingestion.pipeline.stage_all``: one per core, ``BULLETINS_STAGE_WORKERS``),
   each partition's materialisation recorded on the instance with the asset's metadata but
   without a run (a Dagster run per source cost more than most parses). A source that fails to
   read or parse is excluded: its previous good load stays (or nothing), the failure is in
   ``raw.ingest_log``, the report and the partition's observation in the Dagster UI. An invalid
   registry entry too.
4. One in-process run: ``raw_tables`` (every staged source loaded in one transaction, after its
   raw GX suites pass on the batch; a source they refuse is excluded like a failed parse) -> raw
   GX checks (blocking, whole tables) -> ``dbt build`` (models + dbt tests) -> mart GX checks
   (blocking) -> publish, over every source that is loaded: one bad source never stops the
   others from publishing.
5. Print a summary (``orchestration.report``), write it as JSON beside the warehouse
   (``<warehouse>.report.json``); exit 0 ok / 3 partial (sources excluded, the rest published) /
   1 failed (nothing new published) / 4 busy (another build of this warehouse is running).

One build at a time per warehouse: the build lock ``<warehouse>.build.lock`` (``--wait SECONDS``
to wait for it; default: refuse at once, exit 4). Its holder is recorded beside it
(``<warehouse>.build.json``); one left by a killed build is reported and cleared.

Environment: ``WAREHOUSE_PATH`` (default data/warehouse.duckdb), ``BULLETIN_SOURCES_DIR``
(default data/sources), ``DAGSTER_HOME`` (default .dagster_home), ``BULLETINS_STAGE_WORKERS``
(processes that stage; default one per core). Nothing is written to the
environment.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import socket
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from orchestration.report import (
    BuildReport,
    SourceOutcome,
    check_outcome,
    exclude_unloaded,
    failure_message,
    format_report,
    meta_value,
    write_report,
)
from orchestration.resources import dagster_home, sources_dir, warehouse_path

LAUNCHED_BY_TAG = "bulletin/launched_by"
PID_TAG = "bulletin/pid"
HOST_TAG = "bulletin/host"
# Dagster's console logger at INFO: step starts/ends and dbt's progress, no DEBUG event dump.
RUN_CONFIG = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}


def run_tags() -> dict[str, str]:
    """Tags that let a later build recognise this process's runs if it dies mid-build."""
    return {LAUNCHED_BY_TAG: "orchestration.build", PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover_stale_runs(instance: Any) -> list[str]:
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
    """Delete the rows and the staged lake versions of sources no longer in the registry."""
    from expectations.runner import read_only
    from ingestion.lake import lake_root, staged_ids
    from ingestion.load import remove_source

    loaded = set(staged_ids(lake_root(db_path)))
    if db_path.exists():
        with read_only(db_path) as con:
            tables = {r[0] for r in con.execute(
                "select table_schema || '.' || table_name from information_schema.tables").fetchall()}
            if "raw.sources" in tables:
                loaded |= {r[0] for r in con.execute("select source_id from raw.sources").fetchall()}
    gone = sorted(loaded - keep - invalid_ids)
    for sid in gone:
        remove_source(db_path, sid)
    return gone


def select_targets(wanted: list[str], only: list[str] | None) -> tuple[list[str], list[str]]:
    """(sources to ingest, ``--only`` ids that are not in the registry)."""
    if not only:
        return list(wanted), []
    return [s for s in wanted if s in set(only)], sorted(set(only) - set(wanted))


def ingest(instance: Any, sources: list[Any], db_path: Path, tags: dict[str, str],
           workers: int | None = None) -> list[SourceOutcome]:
    """Stage every source (``ingestion.pipeline.stage_all``: a pool of processes, one per core)
    and record each ``raw_bulletin`` partition on the instance, as its run would (the same
    metadata, ``orchestration.defs.ingestion.staged``), without a run per source: a Dagster run
    costs more than parsing most bulletins. A failure is recorded, not raised, so every source
    gets its own outcome."""
    from ingestion.pipeline import stage_all
    from orchestration.defs.ingestion.staged import coverage_text, failure_description, runless_event

    outcomes = []
    for st in stage_all(sources, db_path, workers):
        src, summary = st.source, st.summary
        instance.report_runless_asset_event(runless_event(src, summary, st.error, db_path, tags))
        if summary is None:
            outcomes.append(SourceOutcome(src.source_id, ok=False, seconds=st.seconds,
                                          error=failure_description(src, st.error or "failed")))
            continue
        outcomes.append(SourceOutcome(
            src.source_id, ok=True, rows=summary.rows, tables=summary.tables, seconds=st.seconds,
            coverage=coverage_text(summary),
            quarantined=summary.quarantined, layout=summary.layout))
    return outcomes


def dbt_scope(ingested: list[str], removed: list[str], scoped: bool) -> list[str] | None:
    """The sources the downstream dbt build replaces in the incremental marts: those ingested or
    removed by an ``--only`` build; ``None`` (a full refresh) for a build of every source."""
    return sorted({*ingested, *removed}) if scoped else None


def downstream_run_config(scope: list[str] | None) -> dict[str, Any]:
    """RUN_CONFIG plus the dbt asset's scope (``orchestration.defs.dbt.assets.DbtBuildConfig``)."""
    return {**RUN_CONFIG, "ops": {"warehouse_dbt": {"config": {"scope": scope}}}}


def downstream_job_name(report: BuildReport, publish: bool, scoped: bool = False) -> str:
    """Publish unless told not to, also when some sources were excluded (they keep their previous
    load): the blocking raw and mart checks of the run decide, not one bad source. A scoped build
    (``orchestration.defs.dbt.scope``) leaves the seeds and staging views as they are."""
    from orchestration.definitions import BUILD_JOB, REFRESH_JOB, SCOPED_JOB

    if not publish:
        return REFRESH_JOB
    return SCOPED_JOB if scoped else BUILD_JOB


def log_registry_errors(db_path: Path, errors: list[Any]) -> None:
    """An invalid registry entry is an excluded source too: its failure goes to raw.ingest_log
    (under its folder name; through the lake, with the build's raw_tables)."""
    from ingestion.load import log_failure

    for e in errors:
        if e.folder:
            log_failure(db_path, e.folder, f"{type(e).__name__}: {e}")


# ------------------------------------------------------------------------- the build lock


def build_lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".build.lock")


def owner_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".build.json")


def read_owner(db_path: Path) -> dict[str, Any]:
    try:
        owner: dict[str, Any] = json.loads(owner_path(db_path).read_text(encoding="utf-8"))
        return owner
    except (OSError, ValueError):
        return {}


def describe_owner(owner: dict[str, Any]) -> str:
    if not owner:
        return "another build"
    return f"build pid {owner.get('pid')} on {owner.get('host')} started {owner.get('started_at')}"


@contextlib.contextmanager
def build_lock(db_path: Path, wait_s: float) -> Iterator[list[str]]:
    """Hold the build lock of ``db_path`` (``ingestion.load.hold_lock``) for the whole build; yield
    notes about a stale owner record left by a killed build (then replaced). TimeoutError when
    another build holds it for longer than ``wait_s``."""
    from ingestion.load import hold_lock

    db_path.parent.mkdir(parents=True, exist_ok=True)
    message = f"{describe_owner(read_owner(db_path))} is running on {db_path}; wait for it, or use --wait SECONDS"
    with hold_lock(build_lock_path(db_path), timeout_s=wait_s, message=message):
        notes = []
        stale = read_owner(db_path)
        if stale:  # we hold the lock, so its recorded holder is gone without cleaning up
            notes.append(f"stale build lock of {describe_owner(stale)} (killed: it is no longer running), cleared")
        owner = {"pid": os.getpid(), "host": socket.gethostname(),
                 "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
        owner_path(db_path).write_text(json.dumps(owner), encoding="utf-8")
        try:
            yield notes
        finally:
            owner_path(db_path).unlink(missing_ok=True)


def skipped_steps(result: Any) -> list[str]:
    """Steps downstream of a failed step or a failed blocking check are abandoned: no events at all."""
    from dagster import DagsterEventType

    untouched = [n.name for n in result.job_def.nodes_in_topological_order if result.is_node_untouched(n.name)]
    return untouched + [ev.step_key for ev in result.all_events if ev.event_type == DagsterEventType.STEP_SKIPPED]


def record_downstream(report: BuildReport, result: Any) -> None:
    """Checks, failed and skipped steps and the published path of the downstream run."""
    from orchestration.constants import RAW_TABLES_KEY
    from orchestration.defs.ingestion.assets import SKIPPED_KEY
    from orchestration.defs.publish.assets import PUBLISHED_KEY

    report.checks = [check_outcome(ev) for ev in result.get_asset_check_evaluations()]
    report.failed_steps = [f"{ev.step_key}: {failure_message(ev)}" for ev in result.get_step_failure_events()]
    report.skipped_steps = skipped_steps(result)
    for ev in result.get_asset_materialization_events():
        if ev.asset_key == PUBLISHED_KEY:
            report.published = meta_value(ev.materialization.metadata.get("published_path"))
        if ev.asset_key == RAW_TABLES_KEY:
            exclude_unloaded(report.sources, meta_value(ev.materialization.metadata.get(SKIPPED_KEY)) or {})


def run_build(only: list[str] | None = None, publish: bool = True, parse: bool = True) -> BuildReport:
    report = BuildReport()
    t_all = time.monotonic()
    db_path = warehouse_path()

    t = time.monotonic()
    if parse:
        from orchestration.defs.dbt.project import prepare_manifest

        try:
            prepare_manifest()
        except Exception as e:  # noqa: BLE001  dbt project does not parse: nothing downstream can run
            report.fatal = f"dbt parse failed: {e}"
            return report
        report.timings["dbt_parse"] = time.monotonic() - t

    t = time.monotonic()
    from dagster import DagsterInstance

    from orchestration.definitions import defs
    from orchestration.defs.ingestion.partitions import sync_partitions
    from orchestration.defs.ingestion.rawschema import drop_drifted

    report.timings["load_definitions"] = time.monotonic() - t
    home = dagster_home()
    home.mkdir(parents=True, exist_ok=True)
    from orchestration.run_history import relax_sync_under

    relax_sync_under(home)
    with DagsterInstance.from_config(str(home)) as instance:
        recovered = recover_stale_runs(instance)
        if recovered:
            report.notes.append(f"{len(recovered)} Dagster run(s) left by a killed build marked failed: "
                                f"{', '.join(recovered)}")

        plan = sync_partitions(instance, sources_dir())
        report.registry_errors = plan.registry_errors
        log_registry_errors(db_path, plan.errors)
        invalid_ids = plan.invalid_ids
        report.removed_sources = prune_vanished(db_path, set(plan.wanted), invalid_ids)
        # Raw tables whose columns no longer match ingestion.load's DDL are dropped and every
        # source is re-ingested into fresh ones (otherwise every ingest into the old table fails).
        report.rebuilt_raw_tables = drop_drifted(db_path)
        targets, unknown = select_targets(plan.wanted, None if report.rebuilt_raw_tables else only)
        if unknown:
            report.fatal = f"--only names source(s) not in the registry: {', '.join(unknown)}"
            return report

        tags = run_tags()
        t = time.monotonic()
        report.sources = ingest(instance, [plan.sources[sid] for sid in targets], db_path, tags)
        report.timings["ingest"] = time.monotonic() - t

        from orchestration.defs.dbt.project import project_fingerprint
        from orchestration.defs.dbt.scope import built_with, can_scope

        scoped = can_scope(only, bool(report.rebuilt_raw_tables), built_with(db_path), project_fingerprint())
        scope = dbt_scope(targets, report.removed_sources, scoped=scoped)
        job_name = downstream_job_name(report, publish, scoped)
        t = time.monotonic()
        res = defs.resolve_job_def(job_name).execute_in_process(
            instance=instance, raise_on_error=False, tags=tags, run_config=downstream_run_config(scope)
        )
        report.timings[job_name] = time.monotonic() - t
        record_downstream(report, res)
    report.timings["total"] = time.monotonic() - t_all
    return report


def parse_cli(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m orchestration.build", description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--only", help="comma-separated source ids to (re)ingest; the others stay as loaded")
    ap.add_argument("--no-publish", action="store_true", help="refresh the marts but do not publish")
    ap.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                    help="wait up to SECONDS for another build of this warehouse to finish (default: exit 4 at once)")
    ap.add_argument("--no-parse", action="store_true",
                    help="use the existing dbt manifest (the caller has just run `dbt parse`)")
    return ap.parse_args(argv)


def locked_build(db_path: Path, wait_s: float, body: Callable[[], BuildReport | None]) -> BuildReport | None:
    """Run ``body`` (a build) under the build lock of ``db_path``, the way every build command
    does: notes about a killed build's stale lock printed and kept in the report, an unexpected
    error turned into a failed report, the report written beside the warehouse; a busy report
    (not written: the running build's stays) when another build holds the lock. ``body`` returns
    None when there was nothing to build."""
    try:
        with build_lock(db_path, wait_s) as notes:
            for n in notes:
                print(f"recovered: {n}", flush=True)
            try:
                report = body()
            except Exception as e:  # noqa: BLE001  anything unexpected: still a summary and a non-zero exit
                traceback.print_exc()
                report = BuildReport(fatal=f"{type(e).__name__}: {e}")
            if report is not None:
                report.notes[:0] = notes
                write_report(report, db_path)
            return report
    except TimeoutError as e:
        return BuildReport(busy=str(e))


def main(argv: list[str] | None = None) -> int:
    args = parse_cli(argv)
    only = [s.strip() for s in args.only.split(",")] if args.only else None
    db_path = warehouse_path()
    report = locked_build(db_path, args.wait, lambda: run_build(only=only, publish=not args.no_publish,
                                                                 parse=not args.no_parse))
    assert report is not None
    sys.stdout.write(format_report(report, db_path))
    return report.exit_code


if __name__ == "__main__":
    sys.exit(main())

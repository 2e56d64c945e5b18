"""What a headless build reports: one outcome per source, one per check, the build's status and
exit code, and the printed summary. Small functions from Dagster results to plain dataclasses,
unit-tested in tests/test_orchestration.py.

The status is decided in one place (``BuildReport.status``) and mapped to an exit code in one
table (``EXIT_CODES``, documented in the README "Exit status"):

* ``ok`` (0): every source ingested, checks passed, published.
* ``partial`` (3): some sources were excluded (failed to read, parse or pass their raw checks, or
  an invalid registry entry) and keep their previous load (or nothing); every other source was
  built and published.
* ``failed`` (1): nothing new was published (dbt or a blocking mart check failed, every source
  failed, or the build could not start).
* ``busy`` (4): another build of the same warehouse is running; nothing was done.

The same report is written as JSON beside the warehouse (``<warehouse>.report.json``).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

OK = "ok"
PARTIAL = "partial"
FAILED = "failed"
BUSY = "busy"
EXIT_CODES = {OK: 0, FAILED: 1, PARTIAL: 3, BUSY: 4}
# Lines of a failing GX check's failure list shown in the summary (the rest is in the UI).
MAX_FAILURE_LINES = 12


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

    @property
    def blocking_failure(self) -> bool:
        return not self.passed and self.severity == "ERROR"


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
    busy: str | None = None  # another build holds the build lock: who
    notes: list[str] = field(default_factory=list)  # recoveries (stale lock, killed runs, temp files)

    @property
    def failed_sources(self) -> list[SourceOutcome]:
        return [s for s in self.sources if not s.ok]

    @property
    def status(self) -> str:
        if self.busy is not None:
            return BUSY
        if (
            self.fatal is not None
            or self.failed_steps
            or self.skipped_steps
            or any(c.blocking_failure for c in self.checks)
            or (self.sources and not any(s.ok for s in self.sources))
        ):
            return FAILED
        if self.registry_errors or self.failed_sources:
            return PARTIAL
        return OK

    @property
    def ok(self) -> bool:
        return self.status == OK

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.status]


    def to_json(self) -> dict[str, Any]:
        """What ``<warehouse>.report.json`` holds: status, exit code, the excluded sources and why."""
        return {
            "status": self.status,
            "exit_code": self.exit_code,
            "excluded_sources": [{"source_id": s.source_id, "error": s.error} for s in self.failed_sources],
            "registry_errors": self.registry_errors,
            "published": self.published,
            **{k: v for k, v in asdict(self).items() if k not in ("published", "registry_errors")},
        }


def report_path(db_path: Path) -> Path:
    return Path(db_path).with_name(Path(db_path).name + ".report.json")


def write_report(report: BuildReport, db_path: Path) -> Path:
    """The report as JSON beside the warehouse (written to a temp file, then swapped in)."""
    out = report_path(db_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(report.to_json(), ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    os.replace(tmp, out)
    return out


# ------------------------------------------------------------------ from Dagster results


def meta_value(v: Any) -> Any:
    """The plain value of a Dagster metadata entry (or the value itself)."""
    return getattr(v, "value", v)


def failure_message(event: Any) -> str:
    """The user-facing message of a step failure: a ``Failure``'s description, else the innermost
    error below Dagster's step-execution wrapper."""
    data = event.step_failure_data
    if data is None:
        return event.message or "failed"
    if data.user_failure_data is not None and data.user_failure_data.description:
        return str(data.user_failure_data.description)
    err = data.error
    while err is not None and err.cause is not None and "DagsterExecutionStepExecutionError" in (err.cls_name or ""):
        err = err.cause
    return (err.message.strip() if err else None) or event.message or "failed"


def exclude_unloaded(sources: list[SourceOutcome], skipped: dict[str, str]) -> None:
    """A source that staged but that ``raw_tables`` did not load (its raw checks failed, its files
    were unusable) is excluded too: it keeps its previous load. ``skipped`` is raw_tables'
    ``skipped`` metadata (source id -> why)."""
    for s in sources:
        if s.ok and s.source_id in skipped:
            s.ok = False
            s.error = f"staged but not loaded: {skipped[s.source_id]}"


def check_detail(passed: bool, metadata: dict[str, Any], description: str | None) -> str:
    """One line for a check: rows checked; when failing, counts, the description and (GX) the
    first lines of the failing expectations with samples."""
    detail = ""
    if "rows_checked" in metadata:
        detail = f"{meta_value(metadata['rows_checked'])} rows"
        if not passed:
            detail += (f"; {meta_value(metadata.get('errors', 0))} errors, "
                       f"{meta_value(metadata.get('warnings', 0))} warnings")
    if not passed and "rows_checked" not in metadata and description:
        detail = (detail + "; " if detail else "") + description
    if not passed and "failures" in metadata:
        lines = str(meta_value(metadata["failures"])).splitlines()
        detail += "".join(f"\n         {ln.strip()}" for ln in lines[:MAX_FAILURE_LINES])
        if len(lines) > MAX_FAILURE_LINES:
            detail += f"\n         … {len(lines) - MAX_FAILURE_LINES} more lines (see the check in the UI)"
    return detail


def check_outcome(evaluation: Any) -> CheckOutcome:
    """An ``AssetCheckEvaluation`` as an outcome."""
    return CheckOutcome(
        asset=evaluation.asset_key.to_user_string(),
        name=evaluation.check_name,
        passed=evaluation.passed,
        severity=evaluation.severity.value if evaluation.severity else "ERROR",
        detail=check_detail(evaluation.passed, dict(evaluation.metadata or {}), evaluation.description),
    )


# ------------------------------------------------------------------------------ summary


def format_sources(sources: list[SourceOutcome]) -> list[str]:
    if not sources:
        return []
    lines = ["", "sources:",
             f"  {'source_id':<28} {'status':<7} {'rows':>6} {'tables':>6} {'quarant.':>8}  {'layout':<11} coverage"]
    for s in sources:
        if s.ok:
            lines.append(f"  {s.source_id:<28} {'ok':<7} {s.rows!s:>6} {s.tables!s:>6} {s.quarantined!s:>8}  "
                         f"{s.layout or '':<11} {s.coverage or ''}")
        else:
            lines.append(f"  {s.source_id:<28} FAILED  {s.error}")
    lines.append(f"  total rows: {sum(s.rows or 0 for s in sources if s.ok)}")
    return lines


def format_checks(checks: list[CheckOutcome]) -> list[str]:
    """Counts, then every failing check and every GX check (passing dbt tests are only counted)."""
    if not checks:
        return []
    n_fail = sum(1 for c in checks if not c.passed)
    lines = ["", f"checks: {len(checks) - n_fail} passed, {n_fail} failed"]
    for c in sorted(checks, key=lambda c: (c.passed, c.asset, c.name)):
        if c.passed and not c.name.startswith("gx_"):
            continue
        state = "passed" if c.passed else ("FAILED" if c.severity == "ERROR" else "WARN")
        lines.append(f"  {state:<6} {c.asset}:{c.name}  {c.detail}")
    return lines


def format_report(report: BuildReport, db_path: Path) -> str:
    lines = ["", "== bulletin-warehouse build ==", f"warehouse: {db_path}"]
    if report.busy:
        lines.append(f"BUSY: {report.busy}")
    lines += [f"recovered: {n}" for n in report.notes]
    if report.fatal:
        lines.append(f"FATAL: {report.fatal}")
    lines += [f"registry error: {e}" for e in report.registry_errors]
    if report.removed_sources:
        lines.append(f"removed sources no longer in the registry: {', '.join(report.removed_sources)}")
    if report.rebuilt_raw_tables:
        lines.append(f"raw tables re-created (their columns changed in ingestion.load): "
                     f"{', '.join(report.rebuilt_raw_tables)}; every source re-ingested")
    lines += format_sources(report.sources)
    lines += format_checks(report.checks)
    lines += [f"failed step: {f}" for f in report.failed_steps]
    if report.skipped_steps:
        lines.append(f"skipped (upstream failure or blocking check): {', '.join(report.skipped_steps)}")
    lines += [
        "",
        f"published: {report.published or 'NOT published (the previous published copy is unchanged)'}",
        "timings: " + ", ".join(f"{k} {v:.1f}s" for k, v in report.timings.items()),
    ]
    excluded = [s.source_id for s in report.failed_sources] + [e.split(": ", 1)[0] for e in report.registry_errors]
    if excluded:
        lines.append(f"excluded from this build (previous load kept, if any): {', '.join(excluded)}")
    lines.append(f"result: {report.status.upper()} (exit {report.exit_code}; report: {report_path(db_path)})")
    return "\n".join(lines) + "\n"

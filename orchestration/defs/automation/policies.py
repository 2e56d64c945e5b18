"""When the UI keeps itself fresh, who owns what, and how fresh it must be: the declarative
automation conditions, owners and freshness policies the asset definitions attach.

The default automation condition sensor (``default_automation_condition_sensor``, running by
default, ``definitions.py`` beside this file) evaluates these conditions. Materialising one ``raw_bulletin``
partition in the UI is then enough: on the next tick one run is launched that executes the raw
GX checks (blocking), ``dbt build`` of everything downstream (with the dbt tests and the mart GX
checks riding along, blocking) and the publish step. Nobody has to launch ``build_warehouse``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from dagster import AssetSelection, AutomationCondition, FreshnessPolicy

from orchestration.constants import RAW_ASSET_KEY

# Owners by layer (Dagster owners are e-mails or ``team:<name>``). A dbt model can override its
# layer's owners with ``config: {meta: {dagster: {owners: [...]}}}`` in its YAML.
OWNERS: dict[str, list[str]] = {
    "raw": ["team:ingestion"],
    "seeds": ["team:warehouse"],
    "staging": ["team:warehouse"],
    "mart": ["team:warehouse"],
    "published": ["team:warehouse"],
}

# Bulletins arrive a few times a quarter; a build takes minutes. The marts and the published copy
# should reflect a materialised source within minutes (automation), and at the latest a day after
# it (then the freshness policy fails and the UI shows the asset as stale).
FRESHNESS = FreshnessPolicy.time_window(fail_window=dt.timedelta(hours=24), warn_window=dt.timedelta(hours=1))


def owners_for(layer: str) -> Sequence[str] | None:
    return OWNERS.get(layer)


def _eager_allowing_raw_gaps(label: str = "eager_allowing_raw_gaps") -> AutomationCondition:
    # A raw_bulletin partition that was never loaded (a source that failed to ingest, a new one
    # not yet materialised) does not hold back the others: the marts are built from what is
    # loaded, as in the headless build.
    return AutomationCondition.eager().replace(
        "any_deps_missing", AutomationCondition.any_deps_missing().ignore(AssetSelection.assets(RAW_ASSET_KEY))
    ).with_label(label)


def refresh_when_upstream_updates() -> AutomationCondition:
    """``eager()`` (run when any dependency updated or will be requested on this tick; never while a
    dependency or the asset itself is in progress), gated on the blocking checks of the
    dependencies (in-tick requests count, so one run holds the raw checks, the models and the
    publish step; the run itself stops at a failing blocking check)."""
    return (_eager_allowing_raw_gaps() & AutomationCondition.all_deps_blocking_checks_passed()).with_label(
        "refresh_when_upstream_updates"
    )


def reload_when_changed() -> AutomationCondition:
    """For the dbt seeds (lookup data, no upstream): reload when the CSV changed (dagster-dbt's
    code version of a seed is the file's checksum). The first load is the build's (``make run``)."""
    return AutomationCondition.code_version_changed().with_label("reload_when_changed")


def check_when_target_updates() -> AutomationCondition:
    """For every check (GX and dbt tests): run when its asset was updated or will be requested on
    this tick. Every check needs a condition of its own: Dagster drops the checks that would
    "ride along" with the requested assets as soon as any requested check has a condition (the
    raw checks must have one, since an automated run does not materialise raw_bulletin). The
    checks are unpartitioned (the raw ones validate whole tables), so they join the same run as
    the dbt build and, being blocking, stop it before a bad mart is published."""
    return _eager_allowing_raw_gaps("check_when_target_updates")

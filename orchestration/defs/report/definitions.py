"""Report: the static HTML report, after publish."""

from __future__ import annotations

from dagster import Definitions

from orchestration.defs.report.assets import build_report_asset


def defs() -> Definitions:
    return Definitions(assets=[build_report_asset()])

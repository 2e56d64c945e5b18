"""Data quality: Great Expectations suites as blocking asset checks on raw and the marts."""

from __future__ import annotations

from dagster import Definitions

from orchestration.defs.dbt.assets import model_names
from orchestration.defs.quality.gx import build_gx_checks


def defs() -> Definitions:
    return Definitions(asset_checks=build_gx_checks(model_names("mart")))

"""Declarative automation: the sensor that evaluates every asset's and check's automation condition
(``policies.py``) and launches the runs they request."""

from __future__ import annotations

from dagster import AssetSelection, AutomationConditionSensorDefinition, DefaultSensorStatus, Definitions


def defs() -> Definitions:
    # Running by default, so a `make ui` session keeps the marts and the published copy fresh after
    # a partition is materialised. 30 s between ticks (Dagster's default).
    sensor = AutomationConditionSensorDefinition(
        "default_automation_condition_sensor",
        target=AssetSelection.all(),
        default_status=DefaultSensorStatus.RUNNING,
        minimum_interval_seconds=30,
        description="Refresh the marts, run their checks and republish after raw_bulletin updates.",
    )
    return Definitions(sensors=[sensor])

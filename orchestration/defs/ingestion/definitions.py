"""Ingestion: ``raw_bulletin`` (one partition per registered source) and the sensor that keeps
the partitions in step with data/sources."""

from __future__ import annotations

from dagster import Definitions

from orchestration.defs.ingestion.assets import raw_bulletin
from orchestration.defs.ingestion.sensors import source_registry_sensor


def defs() -> Definitions:
    return Definitions(assets=[raw_bulletin], sensors=[source_registry_sensor])

"""Ingestion: ``raw_bulletin`` (one partition per registered source, staged in the raw lake),
``raw_tables`` (the lake loaded into the warehouse's raw schema) and the sensor that keeps the
partitions in step with data/sources."""

from __future__ import annotations

from dagster import Definitions

from orchestration.defs.ingestion.assets import raw_bulletin, raw_tables
from orchestration.defs.ingestion.sensors import source_registry_sensor


def defs() -> Definitions:
    return Definitions(assets=[raw_bulletin, raw_tables], sensors=[source_registry_sensor])

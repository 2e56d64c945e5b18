"""Publish: the read-only copy and the Parquet export, after every mart."""

from __future__ import annotations

from dagster import Definitions

from orchestration.defs.publish.assets import build_publish_asset


def defs() -> Definitions:
    return Definitions(assets=[build_publish_asset()])

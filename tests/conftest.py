"""Shared fixtures: the real seed bulletins as shipped in data/sources."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")

REPO = Path(__file__).resolve().parent.parent
SOURCES = REPO / "data" / "sources"


@pytest.fixture(scope="session")
def registry():
    from ingestion.registry import load_registry

    reg = load_registry(SOURCES)
    assert not reg.errors, reg.errors
    return reg


def seed_path(source_id: str) -> Path:
    folder = SOURCES / source_id
    return next(p for p in folder.iterdir() if p.name != "source.yaml")

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


def tiny_result(n_rows: int, header: str = "序号"):
    """A small, internally consistent parse result: a header line, one line per numbered row
    ('任务i', lead unit 区发改委), a trailing blank line."""
    from ingestion.model import LineLedger, ParseResult, TaskRow

    lines = [header, *[f"{i} 任务{i}" for i in range(1, n_rows + 1)], ""]
    ledger = LineLedger(lines)
    ledger.add_furniture(1, "header")
    rows = []
    for i in range(1, n_rows + 1):
        ledger.row([i + 1])
        rows.append(TaskRow(table_no=1, row_no=i, task_seq=i, sub_seq=1, line_start=i + 1, line_end=i + 1,
                            task_text=f"任务{i}", lead_units=["区发改委"]))
    return ParseResult.from_ledger("test", ledger, rows)


def seed_path(source_id: str) -> Path:
    folder = SOURCES / source_id
    return next(p for p in folder.iterdir() if p.name != "source.yaml")

"""The build's run history on SQLite: synchronous relaxed only under its own DAGSTER_HOME."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from orchestration.run_history import SYNC_ENV, is_under, relax_sync_under, sync_level

SYNC_NAMES = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}


def _sync_of(db_file) -> str:
    engine = sa.create_engine(f"sqlite:///{db_file}", poolclass=sa.pool.NullPool)
    with engine.connect() as c:
        return SYNC_NAMES[c.execute(sa.text("PRAGMA synchronous")).scalar()]


def test_sync_relaxed_under_the_home_only(tmp_path, monkeypatch):
    monkeypatch.delenv(SYNC_ENV, raising=False)
    home, elsewhere = tmp_path / "home", tmp_path / "other"
    home.mkdir(), elsewhere.mkdir()
    assert relax_sync_under(home) == "NORMAL"
    assert relax_sync_under(home) == "NORMAL"  # once per home
    assert _sync_of(home / "storage.db") == "NORMAL"
    assert _sync_of(elsewhere / "x.db") == "FULL"  # SQLite's default, untouched


def test_sync_level_from_the_environment():
    assert sync_level({}) == "NORMAL"
    assert sync_level({SYNC_ENV: "full"}) == "FULL"
    with pytest.raises(ValueError, match=SYNC_ENV):
        sync_level({SYNC_ENV: "fast"})


def test_is_under(tmp_path):
    assert is_under(str(tmp_path / "a" / "b.db"), tmp_path)
    assert not is_under(str(tmp_path.parent / "b.db"), tmp_path)
    assert not is_under("", tmp_path)  # in-memory

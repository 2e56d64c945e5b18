"""Dagster's run history on SQLite, written faster by the headless build.

Dagster's default storage is SQLite in WAL mode, one connection per event (NullPool), and
SQLite's default ``synchronous=FULL`` fsyncs on every commit: at ~300 events a scoped build that is
a large share of what the build writes. In WAL mode ``synchronous=NORMAL`` never corrupts the
database (a crash or SIGKILL loses nothing committed; only a power loss can drop the last
commits), so the build asks for it on the connections to its own DAGSTER_HOME only
(``BULLETIN_SQLITE_SYNC`` overrides: ``FULL`` restores SQLite's default)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

SYNC_ENV = "BULLETIN_SQLITE_SYNC"
DEFAULT_SYNC = "NORMAL"
_LEVELS = ("OFF", "NORMAL", "FULL", "EXTRA")
_installed: dict[str, Any] = {}


def sync_level(env: dict[str, str] | os._Environ[str] = os.environ) -> str:
    level = env.get(SYNC_ENV, DEFAULT_SYNC).strip().upper()
    if level not in _LEVELS:
        raise ValueError(f"{SYNC_ENV}={level!r}: one of {', '.join(_LEVELS)}")
    return level


def is_under(db_file: str, home: Path) -> bool:
    """Whether an SQLite database file (``PRAGMA database_list``'s path; '' for in-memory) is
    inside ``home``."""
    return bool(db_file) and Path(db_file).resolve().is_relative_to(Path(home).resolve())


def relax_sync_under(home: Path) -> str:
    """Every SQLite connection SQLAlchemy opens from now on in this process, to a file under
    ``home``, gets ``PRAGMA synchronous=<sync_level()>``. Idempotent per home. Returns the level."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    level = sync_level()
    key = str(Path(home).resolve())
    if key in _installed:
        return level

    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        if not isinstance(dbapi_conn, sqlite3.Connection):
            return
        row = dbapi_conn.execute("PRAGMA database_list").fetchone()
        if row is not None and is_under(row[2], Path(key)):
            dbapi_conn.execute(f"PRAGMA synchronous={level}")

    event.listen(Engine, "connect", on_connect)
    _installed[key] = on_connect
    return level

"""Failpoints for the fault tests: ``BULLETINS_FAILPOINT=<name>`` makes the process group of the
build die by SIGKILL at that point, exactly as a ``kill -9`` from outside would (no ``finally``,
no atexit). Unset (the default) they do nothing. Names: ``ingest.before_commit`` (a source's
Parquet files staged, its lake manifest not yet swapped in), ``sync.before_commit`` (staged rows
loaded into the raw schema, not committed), ``dbt.during`` (dbt has started building models), ``publish.before_swap``
(the new published copy written beside the old one, not yet swapped in)."""

from __future__ import annotations

import os
import signal

ENV = "BULLETINS_FAILPOINT"
NAMES = ("ingest.before_commit", "sync.before_commit", "dbt.during", "publish.before_swap")


def failpoint(name: str) -> None:
    if name not in NAMES:
        raise ValueError(f"unknown failpoint {name!r}; expected one of {', '.join(NAMES)}")
    if os.environ.get(ENV) == name:
        os.killpg(os.getpgrp(), signal.SIGKILL)

"""Shared helpers of the benchmarks: a timer, a result row (the build environment: orchestration.environment)."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


@dataclass
class Row:
    figure: str
    value: str
    target: str = ""
    detail: str = ""


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def median_time(fn: Callable[[], object], repeat: int = 3) -> float:
    fn()  # warm-up (caches, first page-in)
    return statistics.median(timed(fn)[0] for _ in range(repeat))




def run_timed(args: list[str], env: dict[str, str], log: Path) -> float:
    """Wall-clock seconds of one subprocess (as a user runs it: interpreter start included)."""
    t = time.perf_counter()
    with open(log, "a", encoding="utf-8") as out:
        rc = subprocess.run(args, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT).returncode
    dt = time.perf_counter() - t
    if rc != 0:
        raise SystemExit(f"{' '.join(args)} failed (exit {rc}); see {log}:\n{log.read_text()[-3000:]}")
    return dt


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "n/a"

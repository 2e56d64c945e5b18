"""The progress bar leaves result lines whole (issue #10: `validate` printed `ok  lu`, `ok  su`).

What a terminal shows is rebuilt from the bytes written (a small screen model: \\r, \\n, erase
line, cursor up), for rich consoles writing to one terminal and for the real command in a pty."""

from __future__ import annotations

import io
import os
import re
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from ingestion import cli
from ingestion.progress import progress_lines

from .conftest import SOURCES

SEQ = re.compile(r"\x1b\[([0-9;?]*)([A-Za-z])|\x1b\][^\x07]*\x07|(\r\n|\r|\n)|([^\x1b\r\n]+)")


def screen(raw: str) -> list[str]:
    """The lines a terminal shows after ``raw`` (one cell per character is enough here)."""
    rows: list[str] = [""]
    row = col = 0
    for m in SEQ.finditer(raw):
        args, cmd, brk, text = m.groups()
        if cmd == "K":
            rows[row] = rows[row][:col] if args in ("", "0") else ("" if args == "2" else rows[row])
        elif cmd == "A":
            row = max(0, row - int(args or 1))
        elif cmd == "B":
            row += int(args or 1)
        elif cmd == "G":
            col = int(args or 1) - 1
        elif brk == "\r":
            col = 0
        elif brk:  # \n or \r\n (the pty turns \n into \r\n)
            row, col = row + 1, 0
        elif text:
            line = rows[row].ljust(col)
            rows[row] = line[:col] + text + line[col + len(text):]
            col += len(text)
        while len(rows) <= row:
            rows.append("")
    return [r.rstrip() for r in rows if r.strip()]


def test_results_print_whole_lines_above_a_live_bar():
    buf = io.StringIO()  # one terminal for both consoles, as in a shell
    out = Console(file=buf, force_terminal=True, width=100)
    err = Console(file=buf, force_terminal=True, width=100)
    items = [f"source_{i}" for i in range(6)]
    with progress_lines(items, "validating", out, err) as (each, lines):
        for item in each:
            time.sleep(0.03)  # let the bar refresh between lines
            lines.out(f"ok  {item}: pipe, 3 rows, 0 quarantined of 9 lines")
        lines.err("failed source_x: broken")
    raw = buf.getvalue()
    assert "validating" in raw  # a bar was drawn ...
    assert screen(raw) == [f"ok  {i}: pipe, 3 rows, 0 quarantined of 9 lines" for i in items] + [
        "failed source_x: broken"]  # ... and is gone; every line whole


def test_no_bar_when_not_a_terminal():
    out, err = io.StringIO(), io.StringIO()
    with progress_lines(["a", "b"], "validating", Console(file=out), Console(file=err)) as (each, lines):
        for x in each:
            lines.out(f"ok  {x}")
    assert out.getvalue() == "ok  a\nok  b\n" and err.getvalue() == ""


def test_results_stay_on_stdout_when_it_is_piped():
    """Bar on the terminal (stderr), results piped: the results are not mixed into the bar."""
    out, term = io.StringIO(), io.StringIO()
    with progress_lines(["a", "b", "c"], "validating", Console(file=out),
                        Console(file=term, force_terminal=True, width=80)) as (each, lines):
        for x in each:
            lines.out(f"ok  {x}")
    assert out.getvalue() == "ok  a\nok  b\nok  c\n"
    assert screen(term.getvalue()) == []


def _small_registry(tmp_path: Path) -> Path:
    sources = tmp_path / "sources"
    for sid in ("yijiang_2023q2", "rw17_shaoxing_2020", "rw11_chengxiang_2016m09"):
        shutil.copytree(SOURCES / sid, sources / sid)
    return sources


def test_validate_in_a_terminal_console(tmp_path, monkeypatch):
    buf = io.StringIO()
    monkeypatch.setattr(cli, "console", Console(file=buf, force_terminal=True, width=120))
    monkeypatch.setattr(cli, "err", Console(file=buf, force_terminal=True, width=120))
    res = CliRunner().invoke(cli.app, ["validate", "--sources", str(_small_registry(tmp_path))])
    assert res.exit_code == 0, buf.getvalue()
    shown = screen(buf.getvalue())
    assert len(shown) == 4, shown
    assert all(re.fullmatch(r"ok  [a-z0-9_]+: \w+, \d+ rows, \d+ quarantined of \d+ lines", ln) for ln in shown[:3]), shown
    assert shown[3] == "3 valid, 0 invalid"


@pytest.mark.skipif(sys.platform == "win32", reason="pty")
def test_validate_in_a_real_pty(tmp_path):
    import pty

    sources = _small_registry(tmp_path)
    exe = Path(sys.executable).parent / "bulletins"
    main, sub = pty.openpty()
    os.set_blocking(main, False)
    env = {**os.environ, "COLUMNS": "120", "LINES": "40", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen([str(exe), "validate", "--sources", str(sources)], stdin=sub, stdout=sub,
                            stderr=sub, env=env, close_fds=True)
    os.close(sub)
    raw = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the pty closed: the program ended
                break
            if not chunk:
                break
            raw += chunk
        elif proc.poll() is not None:
            break
    proc.wait(10)
    os.close(main)
    text = raw.decode("utf-8", "replace")
    assert proc.returncode == 0, text
    shown = screen(text)
    ok = [ln for ln in shown if ln.startswith("ok")]
    assert len(ok) == 3 and all(re.fullmatch(r"ok  [a-z0-9_]+: \w+, \d+ rows, \d+ quarantined of \d+ lines", ln)
                                for ln in ok), shown
    assert shown[-1] == "3 valid, 0 invalid" and len(shown) == 4, shown

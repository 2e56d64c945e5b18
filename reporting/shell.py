"""A read-only SQL shell on the published warehouse (``make sql``, ``bulletins sql``).

PyPI has no DuckDB CLI at the version the project pins (duckdb-cli stops at 1.5), so this is a
small REPL on the Python package: statements end with ``;`` (several lines allowed), results print
as DuckDB's boxes, ``.tables`` lists the mart tables, ``.quit`` (or Ctrl-D) leaves. ``-c SQL`` runs
one statement and exits. The file is opened ``read_only``: nothing can be changed from here.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

import duckdb

from reporting.build import DEFAULT_DB

PROMPT = "bulletins> "
TABLES_SQL = ("select table_schema || '.' || table_name as table_name, table_type from information_schema.tables "
              "where table_schema = 'mart' order by 1")


def statements(lines: Iterable[str]) -> Iterator[str]:
    """SQL statements from input lines: a statement ends with ';' at the end of a line; a dot
    command (``.tables``) is one line of its own."""
    buf: list[str] = []
    for line in lines:
        stripped = line.strip()
        if not buf and stripped.startswith("."):
            yield stripped
            continue
        if stripped:
            buf.append(line.rstrip("\n"))
        if stripped.endswith(";"):
            yield "\n".join(buf)
            buf = []
    if buf:
        yield "\n".join(buf)


def run(con: duckdb.DuckDBPyConnection, statement: str, out: TextIO) -> bool:
    """Run one statement or dot command; False to leave the shell."""
    if statement in (".quit", ".exit", ".q"):
        return False
    sql = TABLES_SQL if statement == ".tables" else statement
    try:
        rel = con.sql(sql)
        if rel is not None:
            rel.show(max_width=220, max_rows=200)
    except duckdb.Error as e:
        print(f"error: {e}", file=out)
    return True


def _interactive() -> Iterator[str]:
    while True:
        try:
            yield input(PROMPT) + "\n"
        except EOFError:
            print()
            return


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    command = None
    if "-c" in args:
        i = args.index("-c")
        command = args[i + 1] if i + 1 < len(args) else ""
        del args[i:i + 2]
    db = Path(args[0]) if args else DEFAULT_DB
    if not db.exists():
        print(f"error: {db}: no published warehouse (run `make run` first)", file=sys.stderr)
        return 2
    con = duckdb.connect(str(db), read_only=True)
    try:
        if command is not None:
            for stmt in statements([command]):
                run(con, stmt, sys.stderr)
            return 0
        if sys.stdin.isatty():
            print(f"{db} (read-only, DuckDB {duckdb.__version__}). End statements with ';'. "
                  ".tables lists the marts, .quit leaves.")
            lines: Iterable[str] = _interactive()
        else:
            lines = sys.stdin
        for stmt in statements(lines):
            if not run(con, stmt, sys.stderr):
                break
    finally:
        con.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

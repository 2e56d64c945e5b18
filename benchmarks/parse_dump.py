"""Dump what the parser makes of every registered source, to prove a speed change changed nothing.

    .venv/bin/python benchmarks/parse_dump.py OUT.json            # write the dump
    .venv/bin/python benchmarks/parse_dump.py OUT.json --against BEFORE.json   # and compare

For each source in data/sources: its layout and encoding, every row (all fields), every furniture
and quarantined line, stated totals, issues, headers and the coverage, as JSON (sorted keys), plus
one SHA-256 per source. ``--against`` exits 1 naming each source whose dump differs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import asdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def dump_source(src) -> dict:
    from ingestion.parse import parse_source

    parsed = parse_source(src)
    res = parsed.result
    return {
        "layout": parsed.layout,
        "encoding": parsed.text.encoding,
        "rows": [asdict(r) for r in res.rows],
        "furniture": [asdict(f) for f in res.furniture],
        "quarantine": [asdict(q) for q in res.quarantine],
        "stated_totals": [asdict(s) for s in res.stated_totals],
        "issues": [asdict(i) for i in res.issues],
        "headers": {str(k): v for k, v in res.headers.items()},
        "coverage": asdict(res.coverage()),
    }


def dump_all() -> dict[str, dict]:
    from ingestion.registry import load_registry

    return {src.source_id: dump_source(src) for src in load_registry().sources}


def digest(d: dict) -> str:
    return hashlib.sha256(json.dumps(d, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--against", type=Path, help="an earlier dump to compare with")
    args = ap.parse_args()
    text = json.dumps(dump_all(), sort_keys=True, ensure_ascii=False, indent=1)
    args.out.write_text(text, encoding="utf-8")
    dumps = json.loads(text)  # as the earlier dump reads back (tuples become lists)
    for sid, d in dumps.items():
        print(f"{sid:28} {len(d['rows']):4} rows {len(d['furniture']):4} furniture "
              f"{len(d['quarantine']):3} quarantined  {digest(d)[:16]}")
    if args.against is None:
        return 0
    before = json.loads(args.against.read_text(encoding="utf-8"))
    differ = sorted(s for s in set(before) | set(dumps) if before.get(s) != dumps.get(s))
    if differ:
        print(f"DIFFERENT: {', '.join(differ)}")
        return 1
    print(f"identical: {len(dumps)} sources (rows, furniture, quarantine, totals, issues, headers, coverage)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

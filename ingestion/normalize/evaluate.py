"""How well the text-only inference agrees with the status a bulletin prints.

``confusion(pairs)`` builds the matrix from (reported, inferred) pairs; ``main(db)`` reads the
warehouse (read-only) and prints it with per-status recall, the recall of ``behind`` first, since
missing a lagging task is the costly error."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ingestion.model import STATUS_ENUM
from ingestion.normalize.status import conflict
from ingestion.normalize.vocabulary import normalise_reported
from ingestion.pipeline import DEFAULT_DB

QUERY = """
select t.source_id, t.table_no, t.row_no, t.task_seq, t.sub_seq, t.status_reported, s.status_inferred,
       s.inference_rule, s.inference_evidence, s.status_confidence
from raw.task_rows t
join raw.row_signals s using (source_id, table_no, row_no)
where t.status_reported is not null and trim(t.status_reported) <> ''
order by all
"""


def confusion(pairs: Iterable[tuple[str | None, str | None]]) -> pd.DataFrame:
    """Rows: reported status, columns: inferred status; every enum value present on both axes."""
    df = pd.DataFrame(list(pairs), columns=["reported", "inferred"]).fillna("unknown")
    m = pd.crosstab(df["reported"], df["inferred"])
    return m.reindex(index=list(STATUS_ENUM), columns=list(STATUS_ENUM), fill_value=0).astype(int)


def recall(matrix: pd.DataFrame, status: str) -> float | None:
    total = int(matrix.loc[status].sum())
    return None if total == 0 else matrix.loc[status, status] / total


def precision(matrix: pd.DataFrame, status: str) -> float | None:
    total = int(matrix[status].sum())
    return None if total == 0 else matrix.loc[status, status] / total


def load_pairs(db: str, source_id: str | None = None) -> pd.DataFrame:
    import duckdb


    con = duckdb.connect(db, read_only=True)
    try:
        df = con.execute(QUERY).df()
    finally:
        con.close()
    if source_id:
        df = df[df["source_id"] == source_id]
    df["reported"] = [normalise_reported(w) or "unknown" for w in df["status_reported"]]
    return df


def main(db: str | None = None, source_id: str | None = None) -> None:

    db = db or str(DEFAULT_DB)
    if not Path(db).is_file():
        print(f"no warehouse at {db}: build it first (make run)")
        return
    df = load_pairs(db, source_id)
    if df.empty:
        print("no rows with a printed status in the warehouse")
        return
    for sid, part in df.groupby("source_id"):
        m = confusion(zip(part["reported"], part["status_inferred"], strict=False))
        print(f"== {sid}: {len(part)} rows with a printed status (rows reported, columns inferred)")
        print(m.to_string())
        for st in ("behind", "completed", "on_track"):
            r, p = recall(m, st), precision(m, st)
            print(f"  {st:10s} recall {'n/a' if r is None else f'{r:.2f}'}  "
                  f"precision {'n/a' if p is None else f'{p:.2f}'}")
        agree = sum(m.loc[s, s] for s in STATUS_ENUM)
        print(f"  agreement {agree}/{len(part)} = {agree / len(part):.2f}; "
              f"inferred unknown {int(m['unknown'].sum())}")
        clash = part[[conflict(r, i, c, ru) for r, i, c, ru in zip(
            part["reported"], part["status_inferred"], part["status_confidence"], part["inference_rule"], strict=False)]]
        print(f"  conflicts (the print claims more than the text supports): {len(clash)}")
        for r in clash.itertuples():
            print(f"    table {r.table_no} 序号 {r.task_seq}.{r.sub_seq}: printed {r.status_reported} / "
                  f"text {r.status_inferred} ({r.inference_rule}: {r.inference_evidence})")


if __name__ == "__main__":
    main(*sys.argv[1:])

"""Validate a warehouse table with a GX 1.x suite, the route that works on DuckDB here: read the
table into a pandas DataFrame through a **read-only** duckdb connection, then validate it with
an ephemeral GX context's pandas datasource (GX's SQL route on duckdb fails every expectation
with ``MetricResolutionError``). Returns a plain ``ValidationOutcome``: no GX objects leak out.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import math
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from expectations.suites import DATASETS, Dataset, context
from ingestion.errors import RawCheckError
from ingestion.load import hold_lock, lock_path

SAMPLE_SIZE = 5


@dataclass
class ExpectationFailure:
    expectation: str  # e.g. expect_column_values_to_be_in_set
    columns: list[str]
    severity: str  # 'error' or 'warn'
    unexpected_count: int | None = None
    element_count: int | None = None
    samples: list[dict[str, Any]] = field(default_factory=list)  # key columns + offending values
    message: str | None = None  # an exception or a missing column, instead of counts
    kwargs: dict[str, Any] = field(default_factory=dict)

    def key(self) -> str:
        """Which expectation of the suite failed (``expectation_key`` of its configuration)."""
        return expectation_key(self.expectation, self.kwargs)

    def describe(self) -> str:
        cols = ", ".join(self.columns)
        if self.message:
            return f"{self.expectation}({cols}): {self.message}"
        return f"{self.expectation}({cols}): {self.unexpected_count} of {self.element_count} rows fail"


@dataclass
class ValidationOutcome:
    dataset: str  # suite name, e.g. raw_task_rows
    table: str
    rows_checked: int
    expectations: int
    failures: list[ExpectationFailure] = field(default_factory=list)
    error: str | None = None  # could not validate at all (table missing, file locked …)
    seconds: float = 0.0

    @property
    def errors(self) -> list[ExpectationFailure]:
        return [f for f in self.failures if f.severity == "error"]

    @property
    def warnings(self) -> list[ExpectationFailure]:
        return [f for f in self.failures if f.severity != "error"]

    @property
    def success(self) -> bool:
        """No error-level failure (warnings allowed) and the validation itself ran."""
        return self.error is None and not self.errors

    def to_json(self) -> dict[str, Any]:
        """Plain JSON (check metadata carries it, so a later step of the run reuses the outcome)."""
        return json.loads(json.dumps(dataclasses.asdict(self), ensure_ascii=False, default=str))

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> ValidationOutcome:
        return cls(**{**d, "failures": [ExpectationFailure(**f) for f in d.get("failures", [])]})

    def summary(self) -> str:
        if self.error:
            return f"{self.dataset}: NOT RUN: {self.error}"
        state = "passed" if self.success else "FAILED"
        out = f"{self.dataset}: {state} ({self.rows_checked} rows, {self.expectations} expectations"
        if self.failures:
            out += f", {len(self.errors)} errors, {len(self.warnings)} warnings"
        return out + ")"


# ------------------------------------------------------------------------------- reading


@contextlib.contextmanager
def read_only(db_path: Path, timeout_s: float = 120.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the live warehouse. Takes the writers' lock file (see
    ``ingestion.load.writer``) while it reads, so it waits for a writer of this process family to
    finish, and retries while another process (e.g. dbt) holds the file. (Readers of the
    published copy take no lock: it is swapped in atomically.)"""
    db_path = Path(db_path)
    if not db_path.exists():
        raise FileNotFoundError(f"{db_path}: warehouse file does not exist (run the build first)")
    deadline = time.monotonic() + timeout_s
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(hold_lock(lock_path(db_path), timeout_s=timeout_s,
                                          message=f"{db_path}: a writer held the lock for {timeout_s:.0f}s"))
        except OSError:
            pass  # read-only directory: no lock, rely on the retry below
        while True:
            try:
                con = duckdb.connect(str(db_path), read_only=True)
                break
            except duckdb.IOException:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        try:
            yield con
        finally:
            con.close()


def _existing_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute("select table_schema || '.' || table_name from information_schema.tables").fetchall()
    return {r[0] for r in rows}


def read_frame(db_path: Path, dataset: Dataset) -> pd.DataFrame:
    with read_only(db_path) as con:
        needed = dataset.requires or (dataset.table,)
        missing = sorted(set(needed) - _existing_tables(con))
        if missing:
            raise LookupError(f"table(s) {', '.join(missing)} not in {db_path}")
        return con.execute(dataset.sql).df()


# ---------------------------------------------------------------------------- validating

def _columns_of(kwargs: dict[str, Any]) -> list[str]:
    cols: list[str] = []
    for k in ("column", "column_A", "column_B"):
        if kwargs.get(k):
            cols.append(kwargs[k])
    cols.extend(kwargs.get("column_list") or [])
    return cols


def _plain(v: Any) -> Any:
    """JSON-friendly scalar for samples."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if hasattr(v, "item") and not isinstance(v, (list, tuple, dict, str)):
        try:
            v = v.item()
        except (ValueError, AttributeError):
            pass
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, (str, int, float, bool)):
        return v
    return str(v)


def _samples(df: pd.DataFrame, index_list: list | None, keys: tuple[str, ...], cols: list[str]) -> list[dict]:
    if not index_list:
        return []
    wanted = [c for c in dict.fromkeys([*keys, *cols]) if c in df.columns]
    out = []
    for idx in index_list[:SAMPLE_SIZE]:
        if isinstance(idx, dict):  # some expectations report index dicts
            idx = idx.get("index", next(iter(idx.values()), None))
        try:
            row = df.loc[idx, wanted]
        except (KeyError, TypeError):
            continue
        out.append({c: _plain(row[c]) for c in wanted})
    return out


def expectation_key(expectation: str, kwargs: dict[str, Any]) -> str:
    """One expectation's identity: its type and its arguments (JSON-plain, NULLs and batch_id left out)."""
    plain = {k: _plain(v) for k, v in kwargs.items() if k != "batch_id" and v is not None}
    return expectation + json.dumps(plain, sort_keys=True, ensure_ascii=False, default=str)


def describe_suite(suite) -> list[dict[str, Any]]:
    """Every expectation of a suite as plain data: type, columns, arguments, severity and its key
    (what the GX asset checks list in their metadata and the report's suite pages show)."""
    out = []
    for exp in suite.expectations:
        cfg = exp.configuration
        out.append({
            "expectation": cfg.type,
            "columns": _columns_of(cfg.kwargs),
            "arguments": {k: _plain(v) for k, v in cfg.kwargs.items() if k != "batch_id" and v is not None},
            "severity": (cfg.meta or {}).get("severity", "error"),
            "key": expectation_key(cfg.type, cfg.kwargs),
        })
    return out


# One GX validation definition (suite, pandas data source, whole-frame batch) per suite and set
# of runnable expectations, made once per process and run on each frame: making them is most of a
# validation's cost on small frames (every source's raw suites run inside its write, issue #13).
_DEFINITIONS: dict[tuple[str, str, str], Any] = {}


def _validation_definition(ctx: Any, suite_name: str, dataset: str, expectations: list) -> Any:
    import great_expectations as gx

    key = (suite_name, dataset, json.dumps([e.configuration.to_json_dict() for e in expectations], sort_keys=True,
                                           default=str))
    vd = _DEFINITIONS.get(key)
    if vd is None:
        run_id = uuid.uuid4().hex[:12]
        runnable = ctx.suites.add(gx.ExpectationSuite(name=f"{suite_name}-{run_id}", expectations=expectations))
        ds = ctx.data_sources.add_pandas(f"ds-{run_id}")
        batch_def = ds.add_dataframe_asset(f"{dataset}-{run_id}").add_batch_definition_whole_dataframe("all")
        vd = _DEFINITIONS[key] = gx.ValidationDefinition(data=batch_def, suite=runnable, name=f"vd-{run_id}")
    return vd


def validate_frame(
    df: pd.DataFrame,
    suite,
    *,
    dataset: str,
    table: str,
    keys: tuple[str, ...] = (),
    strict_columns: bool = True,
) -> ValidationOutcome:
    """Validate a DataFrame with an ``ExpectationSuite`` (pandas route, ephemeral context)."""
    t0 = time.monotonic()
    ctx = context()
    failures: list[ExpectationFailure] = []
    # Expectations on columns the frame lacks cannot run: report them instead of letting GX raise.
    keep = []
    n_expectations = len(suite.expectations)
    for exp in suite.expectations:
        cfg = exp.configuration
        cols = _columns_of(cfg.kwargs)
        severity = (cfg.meta or {}).get("severity", "error")
        missing = [c for c in cols if c not in df.columns]
        if missing:
            failures.append(
                ExpectationFailure(
                    expectation=cfg.type,
                    columns=cols,
                    severity=severity if strict_columns else "warn",
                    message=f"column(s) {', '.join(missing)} not in {table}",
                    kwargs={k: _plain(v) for k, v in cfg.kwargs.items() if k != "batch_id"},
                )
            )
            continue
        keep.append(exp)
    rows = len(df)
    if keep:
        vd = _validation_definition(ctx, suite.name, dataset, keep)
        res = vd.run(batch_parameters={"dataframe": df}, result_format={"result_format": "COMPLETE"})
        for r in res.results:
            if r.success:
                continue
            cfg = r.expectation_config
            cols = _columns_of(cfg.kwargs)
            result = r.result or {}
            exc = r.exception_info or {}
            message = None
            if isinstance(exc, dict) and exc.get("raised_exception"):
                message = str(exc.get("exception_message") or "expectation raised")
            failures.append(
                ExpectationFailure(
                    expectation=cfg.type,
                    columns=cols,
                    severity=(cfg.meta or {}).get("severity", "error"),
                    unexpected_count=result.get("unexpected_count"),
                    element_count=result.get("element_count"),
                    samples=_samples(df, result.get("unexpected_index_list"), keys, cols),
                    message=message,
                    kwargs={k: _plain(v) for k, v in cfg.kwargs.items() if k != "batch_id"},
                )
            )
    return ValidationOutcome(
        dataset=dataset,
        table=table,
        rows_checked=rows,
        expectations=n_expectations,
        failures=failures,
        seconds=round(time.monotonic() - t0, 3),
    )


def validate(dataset: str | Dataset, db_path: Path) -> ValidationOutcome:
    """Read ``dataset`` from the warehouse at ``db_path`` (read-only) and validate it."""
    ds = DATASETS[dataset] if isinstance(dataset, str) else dataset
    t0 = time.monotonic()
    try:
        df = read_frame(Path(db_path), ds)
    except (LookupError, FileNotFoundError, TimeoutError, duckdb.Error) as e:
        return ValidationOutcome(
            dataset=ds.name, table=ds.table, rows_checked=0, expectations=len(ds.suite().expectations),
            error=f"{type(e).__name__}: {e}", seconds=round(time.monotonic() - t0, 3),
        )
    out = validate_frame(
        df, ds.suite(), dataset=ds.name, table=ds.table, keys=ds.keys, strict_columns=ds.strict_columns
    )
    out.seconds = round(time.monotonic() - t0, 3)
    return out


RAW_DATASETS = tuple(name for name in DATASETS if name.startswith("raw_"))


def validate_source(con: duckdb.DuckDBPyConnection, source_id: str | None) -> list[ValidationOutcome]:
    """Every raw suite on one source's rows (every row when ``source_id`` is None), read through
    ``con``."""
    outcomes = []
    for name in RAW_DATASETS:
        ds = DATASETS[name]
        if source_id is None:
            df = con.execute(ds.sql).df()
        else:
            df = con.execute(f"select * from ({ds.sql}) where source_id = ?", [source_id]).df()
        outcomes.append(validate_frame(df, ds.suite(), dataset=ds.name, table=ds.table, keys=ds.keys,
                                       strict_columns=ds.strict_columns))
    return outcomes


def _raw_check_error(source_id: str, outcomes: list[ValidationOutcome]) -> RawCheckError | None:
    failed = [o for o in outcomes if not o.success]
    if not failed:
        return None
    lines = [f"gx_{o.dataset}: {f.describe()}" + (f" e.g. {f.samples[0]}" if f.samples else "")
             for o in failed for f in (o.errors or [ExpectationFailure(o.dataset, [], "error", message=o.error)])]
    return RawCheckError(source_id, lines)


def check_sources(con: duckdb.DuckDBPyConnection, source_ids: list[str]) -> dict[str, Exception]:
    """``ingestion.load.sync_lake``'s check: the raw suites run once over the batch of staged
    sources in ``con`` (GX's fixed cost per validation dominates small frames, so one validation of
    N sources costs about what one source costs); only when something fails is each source
    validated alone, to find which must not be loaded (RawCheckError per failing source)."""
    if not source_ids:
        return {}
    batch = validate_source(con, None)
    if all(o.success for o in batch):
        return {}
    if len(source_ids) == 1:  # the batch is the source
        err = _raw_check_error(source_ids[0], batch)
        return {source_ids[0]: err} if err else {}
    out: dict[str, Exception] = {}
    for sid in source_ids:
        err = _raw_check_error(sid, validate_source(con, sid))
        if err is not None:
            out[sid] = err
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m expectations.runner [DB] [dataset …]``: validate and print a summary."""
    import os
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    db = Path(args.pop(0)) if args and args[0].endswith(".duckdb") else Path(
        os.environ.get("WAREHOUSE_PATH", "data/warehouse.duckdb")
    )
    names = args or list(DATASETS)
    ok = True
    for name in names:
        out = validate(name, db)
        ok &= out.success
        print(out.summary())
        for f in out.failures:
            print(f"   [{f.severity}] {f.describe()}  e.g. {f.samples[:2]}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Render the report from a published warehouse: ``python -m reporting [DB] [OUT]`` (``make report``;
defaults data/published/warehouse.duckdb → data/report/).

Writes ``OUT/index.html`` (charts and tables), ``OUT/scorecard.png`` (the scorecard chart, also
shown in the Dagster UI) and ``OUT/quality/<suite>.html`` (each Great Expectations suite run
against the same file, linked from the report). The warehouse is opened read-only.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from reporting import charts
from reporting import frames as fr
from reporting.page import Section, render_page, suite_page, table_html

if TYPE_CHECKING:
    from expectations.runner import ValidationOutcome

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = REPO_ROOT / "data" / "published" / "warehouse.duckdb"
DEFAULT_OUT = REPO_ROOT / "data" / "report"


@dataclass
class ReportResult:
    index: Path
    scorecard_png: Path
    quality_pages: dict[str, Path] = field(default_factory=dict)
    quality_failed: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    bytes: int = 0
    seconds: float = 0.0


def sections(f: fr.ReportFrames) -> list[Section]:
    """The report's sections, each a chart answering one question and the rows behind it."""
    specs = {key: charts.spec(build(f)) for key, (_, build) in charts.CHARTS.items()}
    sc = f.scorecard.copy()
    sc.insert(0, "place", [fr.place_label(a, b, c) for a, b, c in
                           zip(sc["region_name"], sc["region_name_en"], sc["period_label"], strict=True)])
    growth = fr.growth_targets(f.indicators)
    return [
        Section("scorecard", "Region × period scorecard 地区·期次进度", specs["scorecard"],
                "Each place's upper bar: the status each task's text supports (status_inferred), one basis for "
                "every city; the bar beneath it, where the bulletin prints a status, the printed shares.",
                [("Scorecard rows (mart.region_period_scorecard)",
                  table_html(sc.drop(columns=["region_code", "region_name", "region_name_en", "period_label"])))]),
        Section("functions", "Behind tasks by department function 各部门职能滞后任务", specs["functions"],
                "发改 in one city beside 发改 in another: rows led by a unit of each function (mart.function_scorecard).",
                [("Rows behind, per function and place",
                  table_html(fr.behind_by_function(f.functions)[
                      ["function_label", "place", "behind_rows", "task_rows", "behind_share"]]))]),
        Section("indicators", "Headline indicators: target vs actual 主要指标目标与实际", specs["indicators"],
                f"{len(growth)} growth targets with a growth reached; every stated indicator is in the table "
                "(a part-year count is not held against the year's: met_label not_comparable).",
                [("Every stated indicator (mart.indicator_progress)",
                  table_html(f.indicators.drop(columns=["target_text", "actual_text"])))]),
        Section("coverage", "Coverage and reconciliation per source 来源覆盖与核对", specs["coverage"],
                "Every line ends in a task row, furniture or quarantine (mart.source_coverage); totals a "
                "bulletin states about itself against what was parsed (mart.source_reconciliation).",
                [("Reconciliation per source", table_html(fr.reconciliation_summary(f.reconciliation))),
                 ("Stated vs parsed, every figure", table_html(f.reconciliation)),
                 ("Line coverage per source", table_html(f.coverage))]),
        Section("conflicts", "Status conflicts 状态冲突", specs["conflicts"] if not f.conflicts.empty else None,
                f"{len(f.conflicts)} rows whose printed status the text contradicts (mart.task_progress "
                "where status_conflict): what a supervisor asks about first.",
                [("The conflicts", table_html(f.conflicts))]),
    ]


def quality(db_path: Path, out_dir: Path, known: Mapping[str, ValidationOutcome] | None = None,
            ) -> tuple[dict[str, Path], list[str], pd.DataFrame]:
    """Run every GX suite on ``db_path`` (read-only) and write one page per suite. ``known``:
    outcomes of suites already validated on this very data (the checks of the run that published
    it), reused instead of validating again."""
    from expectations.runner import describe_suite, validate
    from expectations.suites import DATASETS

    pages, failed, rows = {}, [], []
    (out_dir / "quality").mkdir(parents=True, exist_ok=True)
    for name, ds in DATASETS.items():
        outcome = (known or {}).get(name) or validate(name, db_path)
        path = out_dir / "quality" / f"{name}.html"
        path.write_text(suite_page(outcome, describe_suite(ds.suite())), encoding="utf-8")
        pages[name] = path
        if not outcome.success:
            failed.append(name)
        rows.append({"suite": name, "table": outcome.table, "rows_checked": outcome.rows_checked,
                     "expectations": outcome.expectations, "failed": len(outcome.failures),
                     "result": "NOT RUN" if outcome.error else ("passed" if outcome.success else "FAILED")})
    return pages, failed, pd.DataFrame(rows)


def _quality_links(summary: pd.DataFrame) -> str:
    links = " · ".join(f'<a href="quality/{s}.html">{s}</a>' for s in summary["suite"])
    return (f'<section id="quality"><h2>Data quality 数据质量 (Great Expectations)</h2>'
            f"<p>One page per suite, run on this file: {links}</p>{table_html(summary)}</section>")


def build_report(db_path: Path = DEFAULT_DB, out_dir: Path = DEFAULT_OUT, *, with_quality: bool = True,
                 known_outcomes: Mapping[str, ValidationOutcome] | None = None) -> ReportResult:
    """Render the report of the warehouse at ``db_path`` into ``out_dir`` (``known_outcomes``:
    see ``quality``)."""
    t0 = time.monotonic()
    db_path, out_dir = Path(db_path), Path(out_dir)
    if not db_path.exists():
        raise FileNotFoundError(f"{db_path}: no published warehouse (run `make run` first)")
    out_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        f = fr.read_frames(con)
    finally:
        con.close()
    secs = sections(f)
    result = ReportResult(index=out_dir / "index.html", scorecard_png=out_dir / "scorecard.png",
                          sections=[s.key for s in secs])
    body = ""
    if with_quality:
        result.quality_pages, result.quality_failed, summary = quality(db_path, out_dir, known_outcomes)
        body = _quality_links(summary)
    stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    html = render_page(
        "Key-work progress bulletins: the report 重点工作进展报告",
        f"From {db_path.name} (the published warehouse), {stamp}. Each chart answers the question in its title.",
        secs, vega_js=charts.vega_bundle(),
        body=body,
    )
    tmp = result.index.with_suffix(".html.tmp")
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, result.index)
    scorecard = next(s for s in secs if s.key == "scorecard")
    assert scorecard.spec is not None
    result.scorecard_png.write_bytes(charts.png(scorecard.spec))
    result.bytes = result.index.stat().st_size
    result.seconds = round(time.monotonic() - t0, 3)
    return result


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    db = Path(args[0]) if args else DEFAULT_DB
    out = Path(args[1]) if len(args) > 1 else DEFAULT_OUT
    try:
        res = build_report(db, out)
    except FileNotFoundError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"report: {res.index} ({res.bytes} bytes, {len(res.sections)} sections, "
          f"{len(res.quality_pages)} GX suite pages, {res.seconds:.1f}s)")
    if res.quality_failed:
        print(f"GX suites failing: {', '.join(res.quality_failed)}")
    return 0

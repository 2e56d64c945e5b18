"""The one-source vs full build benchmark at 100 sources (benchmarks/_incremental.py) measures what it
says without running a build: its synthetic registry loads, every copy has a county of its own (so a
scoped rebuild of the edited source is that source alone), and its edit changes exactly that source's
fingerprint and still parses with complete line coverage."""

from __future__ import annotations

import sys

from ingestion import regions
from ingestion.parse import parse_source
from ingestion.registry import REPO_ROOT, load_registry
from orchestration.defs.dbt.scope import affected_sources
from orchestration.incremental import current_fingerprints
from orchestration.report import BuildReport, format_report

N = 12


def test_the_edit_changes_one_source_alone_and_it_still_parses_completely(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(REPO_ROOT / "benchmarks"))
    import _incremental

    folder = _incremental.make_spread_registry(tmp_path / "reg", N)
    reg = load_registry(folder)
    assert not reg.errors and len(reg.sources) == N
    region_of = {s.source_id: regions.resolve(s.spec.jurisdiction).region_code for s in reg.sources}
    assert len(set(region_of.values())) == N
    edited = _incremental.edited_source(N)
    assert affected_sources([edited], region_of, region_of) == [edited]

    before_fp = current_fingerprints(folder)
    src = next(s for s in reg.sources if s.source_id == edited)
    before = parse_source(src).result
    _incremental.edit_source(folder, edited)
    after_fp = current_fingerprints(folder)
    assert {k for k in after_fp if after_fp[k] != before_fp[k]} == {edited}

    after = parse_source(src).result
    assert [(r.task_seq, r.task_text, r.progress_text) for r in after.rows] == \
           [(r.task_seq, r.task_text, r.progress_text) for r in before.rows]
    cov = after.coverage()
    assert cov.complete and cov.quarantined_lines == 0
    assert cov.furniture_lines == before.coverage().furniture_lines + 1
    sys.modules.pop("_incremental", None)
    sys.modules.pop("_scale", None)


def test_the_printed_timings_are_read_back(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(REPO_ROOT / "benchmarks"))
    import _incremental

    timings = {"dbt_parse": 0.0, "load_definitions": 0.8, "ingest": 3.2, "build_warehouse_scoped": 29.3, "total": 39.8}
    printed = format_report(BuildReport(timings=timings), tmp_path / "warehouse.duckdb")
    assert _incremental.printed_timings(printed) == timings
    assert _incremental.REBUILD_LINE.search("rebuild: ingested 1 source(s) in 41.3 s").groups() == ("1", None)
    sys.modules.pop("_incremental", None)
    sys.modules.pop("_scale", None)

"""GX 1.x suites (expectations.suites) run by expectations.runner on a temp DuckDB: clean data
passes; a deliberately corrupted row fails the relevant expectation, with the row in the samples."""

from __future__ import annotations

import os
import shutil

import duckdb
import pytest

from ingestion import load

from .conftest import tiny_result

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

from expectations.runner import ValidationOutcome, validate
from expectations.suites import DATASETS

PAIR_GT = "expect_column_pair_values_a_to_be_greater_than_b"
IN_SET = "expect_column_values_to_be_in_set"
NOT_NULL = "expect_column_values_to_not_be_null"


def _load_source(db, sid: str, n_rows: int = 3, region: str | None = "340603") -> None:
    """A small, internally consistent source: header line, one line per row, a blank line."""
    result = tiny_result(n_rows, "序号 重点工作")
    rows = result.rows
    meta = {
        "source_id": sid, "source_file": f"data/sources/{sid}/b.txt", "file_sha256": "0" * 64,
        "region_code": region, "period_label": "2024-Q4" if region else None,
        "county": "相山区" if region else None,
        "unknown_reason": None if region else "anonymised",
    }
    signals = {"raw.row_signals": [
        {"table_no": 1, "row_no": r.row_no, "status_inferred": "on_track", "completion_pct": 50.0} for r in rows
    ]}
    load.write_source(db, meta, result, derived=signals)


def _build_task_progress(db) -> None:
    """A mart.task_progress with the contract's columns, derived from raw."""
    with load.writer(db) as con:
        con.execute("create schema if not exists mart")
        con.execute("""
            create or replace table mart.task_progress as
            select t.source_id, s.region_code, '相山区' as region_name, s.period_label, t.table_no, t.task_seq,
                   t.sub_seq, t.category, t.task_text, t.period_target, t.progress_text, t.lead_units,
                   t.cooperating_units, t.leader, t.responsible_person, t.status_reported,
                   'on_track' as status, 'inferred' as status_method, 'on_track' as status_inferred,
                   50.0::double as completion_pct, s.source_file, t.line_start, t.line_end, t.row_no,
                   t.source_id || ':' || t.table_no || ':' || t.row_no as task_row_key
            from raw.task_rows t join raw.sources s using (source_id)
        """)


@pytest.fixture(scope="module")
def clean_template(tmp_path_factory):
    """Written once per module (ingestion's writer costs ~0.2 s a source); each test corrupts its
    own copy."""
    db = tmp_path_factory.mktemp("gx") / "w.duckdb"
    _load_source(db, "s_region")
    _load_source(db, "s_anonymous", n_rows=2, region=None)
    _build_task_progress(db)
    return db


@pytest.fixture()
def clean_db(clean_template, tmp_path):
    db = tmp_path / clean_template.name
    shutil.copyfile(clean_template, db)
    return db


def _exec(db, sql: str) -> None:
    with load.writer(db) as con:
        con.execute(sql)


def _failure(out: ValidationOutcome, expectation: str, column: str):
    hits = [f for f in out.failures if f.expectation == expectation and column in f.columns]
    assert hits, f"expected {expectation}({column}) to fail; failures: {[f.describe() for f in out.failures]}"
    return hits[0]


@pytest.mark.parametrize("dataset", ["raw_task_rows", "raw_sources", "raw_coverage", "raw_row_signals",
                                     "mart_task_progress"])
def test_clean_data_passes(clean_db, dataset):
    out = validate(dataset, clean_db)
    assert out.error is None, out.error
    assert out.success, [f.describe() for f in out.failures]
    assert out.rows_checked > 0
    assert not out.errors


def test_line_start_after_line_end_fails_raw_task_rows(clean_db):
    _exec(clean_db, "update raw.task_rows set line_start = 9, line_end = 3 where source_id = 's_region' and row_no = 2")
    out = validate("raw_task_rows", clean_db)
    assert not out.success
    f = _failure(out, PAIR_GT, "line_end")
    assert f.severity == "error" and f.unexpected_count == 1
    assert f.samples[0]["source_id"] == "s_region" and f.samples[0]["row_no"] == 2
    assert f.samples[0]["line_start"] == 9 and f.samples[0]["line_end"] == 3


def test_numbered_row_without_task_text_fails(clean_db):
    _exec(clean_db, "update raw.task_rows set task_text = null where row_no = 1 and source_id = 's_region'")
    out = validate("raw_task_rows", clean_db)
    assert not out.success
    assert _failure(out, NOT_NULL, "task_text").unexpected_count == 1


def test_sub_seq_zero_fails(clean_db):
    _exec(clean_db, "update raw.task_rows set sub_seq = 0 where row_no = 3 and source_id = 's_region'")
    out = validate("raw_task_rows", clean_db)
    assert not out.success
    f = _failure(out, "expect_column_values_to_be_between", "sub_seq")
    assert f.samples and f.samples[0]["sub_seq"] == 0


def test_unaccounted_line_fails_coverage(clean_db):
    _exec(clean_db, "delete from raw.furniture where source_id = 's_region' and line_no = 1")
    out = validate("raw_coverage", clean_db)
    assert not out.success
    f = _failure(out, "expect_column_pair_values_to_be_equal", "lines_accounted")
    assert f.samples[0]["source_id"] == "s_region"


def test_task_row_of_a_source_not_loaded_fails_raw_task_rows(clean_db):
    _exec(clean_db, "delete from raw.sources where source_id = 's_anonymous'")
    out = validate("raw_task_rows", clean_db)
    assert not out.success
    f = _failure(out, IN_SET, "source_loaded")
    assert f.unexpected_count == 2 and {s["source_id"] for s in f.samples} == {"s_anonymous"}


def test_two_signals_for_one_row_fail_row_signals(clean_db):
    _exec(clean_db, "insert into raw.row_signals (source_id, table_no, row_no, status_inferred) "
                    "values ('s_region', 1, 1, 'unknown')")
    out = validate("raw_row_signals", clean_db)
    assert not out.success
    assert _failure(out, "expect_compound_columns_to_be_unique", "row_no").unexpected_count == 2


def test_duplicate_header_cell_fails_table_headers(clean_db):
    _exec(clean_db, "insert into raw.table_headers values ('s_region', 1, 1, '序号', 'seq'), "
                    "('s_region', 1, 1, '重点工作', 'task')")
    out = validate("raw_table_headers", clean_db)
    assert not out.success
    assert _failure(out, "expect_compound_columns_to_be_unique", "position").unexpected_count == 2


def test_inferred_status_outside_enum_fails_row_signals(clean_db):
    _exec(clean_db, "update raw.row_signals set status_inferred = 'done' where row_no = 1 and source_id = 's_region'")
    out = validate("raw_row_signals", clean_db)
    assert not out.success
    assert _failure(out, IN_SET, "status_inferred").samples[0]["status_inferred"] == "done"


def test_line_span_backwards_fails_task_progress(clean_db):
    _exec(clean_db, "update mart.task_progress set line_start = 9, line_end = 2 where row_no = 1 and source_id = 's_region'")
    out = validate("mart_task_progress", clean_db)
    assert not out.success
    f = _failure(out, PAIR_GT, "line_end")
    assert f.unexpected_count == 1 and f.samples[0]["line_start"] == 9


def test_reported_status_without_its_cell_fails(clean_db):
    _exec(clean_db, "update mart.task_progress set status_method = 'reported', status_reported = null "
                    "where row_no = 2 and source_id = 's_region'")
    out = validate("mart_task_progress", clean_db)
    assert not out.success
    assert _failure(out, NOT_NULL, "status_reported").unexpected_count == 1


def test_region_code_format_and_nullability(clean_db):
    # A null region is fine for the source that names no jurisdiction …
    assert validate("mart_task_progress", clean_db).success
    # … but not for a source that has one, and a code must have 6 digits.
    _exec(clean_db, "update mart.task_progress set region_code = null where source_id = 's_region' and row_no = 1")
    _exec(clean_db, "update mart.task_progress set region_code = '3406' where source_id = 's_region' and row_no = 2")
    out = validate("mart_task_progress", clean_db)
    assert not out.success
    assert _failure(out, NOT_NULL, "region_code").unexpected_count == 1
    assert _failure(out, "expect_column_values_to_match_regex", "region_code").samples[0]["region_code"] == "3406"


def test_bad_period_label_fails(clean_db):
    _exec(clean_db, "update mart.task_progress set period_label = '2024Q4' where source_id = 's_region'")
    out = validate("mart_task_progress", clean_db)
    assert not out.success
    _failure(out, "expect_column_values_to_match_regex", "period_label")


def test_missing_table_is_an_error_not_a_crash(tmp_path):
    db = tmp_path / "empty.duckdb"
    duckdb.connect(str(db)).close()
    out = validate("mart_task_progress", db)
    assert not out.success and out.error and "mart.task_progress" in out.error


def test_missing_contract_column_is_an_error(clean_db):
    _exec(clean_db, "alter table mart.task_progress drop column period_label")
    out = validate("mart_task_progress", clean_db)
    assert not out.success
    assert any(f.message and "period_label" in f.message for f in out.errors)


def test_warnings_do_not_fail(clean_db):
    # a completion share above 1000 % is implausible but not impossible: a warning only.
    _exec(clean_db, "update raw.row_signals set completion_pct = 5000 where source_id = 's_region' and row_no = 1")
    out = validate("raw_row_signals", clean_db)
    assert out.success and out.warnings and not out.errors


def test_runner_reads_read_only(clean_db):
    """The runner opens the warehouse read-only: it works while another read-only reader is open
    and never changes the file."""
    before = clean_db.stat().st_mtime_ns
    other = duckdb.connect(str(clean_db), read_only=True)
    try:
        assert validate("raw_task_rows", clean_db).success
    finally:
        other.close()
    assert clean_db.stat().st_mtime_ns == before


def test_every_dataset_has_a_suite():
    for name, ds in DATASETS.items():
        suite = ds.suite()
        assert suite.expectations, name
        assert ds.table.split(".")[0] in ("raw", "mart")

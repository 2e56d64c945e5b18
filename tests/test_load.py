"""The raw load: replace-per-source in one transaction, idempotent, failures leave data intact."""

import duckdb
import pytest

from ingestion import load
from ingestion.model import ParseResult, StatedTotal

from .conftest import tiny_result


def _result(n_rows: int) -> ParseResult:
    res = tiny_result(n_rows)
    res.stated_totals = [StatedTotal("rows", n_rows, 1, "x")]
    return res


META = {"source_id": "s1", "source_file": "data/sources/s1/b.txt", "file_sha256": "0" * 64}


def _count(db, table, sid="s1"):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(f"select count(*) from {table} where source_id = ?", [sid]).fetchone()[0]
    finally:
        con.close()


def test_reingest_replaces_rows(tmp_path):
    db = tmp_path / "w.duckdb"
    load.write_source(db, META, _result(3))
    load.write_source(db, META, _result(3))
    assert _count(db, "raw.task_rows") == 3
    assert _count(db, "raw.sources") == 1
    load.write_source(db, META, _result(2))
    assert _count(db, "raw.task_rows") == 2
    assert _count(db, "raw.furniture") == 2  # header + trailing blank line


def test_failed_write_keeps_previous_rows(tmp_path):
    db = tmp_path / "w.duckdb"
    load.write_source(db, META, _result(3))
    load.write_source(db, {**META, "source_id": "s2"}, _result(4))
    bad = _result(2)
    bad.rows[1].row_no = 1  # duplicate primary key: the insert fails mid-transaction
    with pytest.raises(duckdb.Error):
        load.write_source(db, META, bad)
    assert _count(db, "raw.task_rows") == 3
    assert _count(db, "raw.task_rows", "s2") == 4


def test_unknown_derived_table_is_rejected(tmp_path):
    with pytest.raises(ValueError):
        load.write_source(tmp_path / "w.duckdb", META, _result(1), derived={"raw.nope": []})


def test_regions_upsert_is_idempotent(tmp_path):
    db = tmp_path / "w.duckdb"
    reg = {"region_code": "340603", "region_name": "相山区", "full_name": "安徽省淮北市相山区", "level": "district",
           "parent_code": "340600", "province_code": "340000", "city_code": "340600"}
    load.write_source(db, META, _result(1), regions=[reg])
    load.write_source(db, META, _result(1), regions=[reg])
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select count(*) from raw.regions").fetchone()[0] == 1
    con.close()

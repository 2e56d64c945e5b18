"""The raw lake (ingestion.lake) and its one writer (ingestion.load.sync_lake): staging takes no
warehouse lock and runs in parallel, a sync loads each new version once, and nothing a bad or
half-written version holds ever replaces a source's previous load."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from ingestion import lake, load
from ingestion.errors import RawCheckError
from orchestration.report import SourceOutcome, exclude_unloaded

from .conftest import tiny_result


def _meta(sid: str) -> dict:
    return {"source_id": sid, "source_file": f"data/sources/{sid}/b.txt", "file_sha256": "0" * 64,
            "unknown_reason": "anonymised"}


def _signals(result) -> dict[str, list[dict]]:
    """One inferred status per row, as ingestion derives them (the raw suites expect one)."""
    return {"raw.row_signals": [{"table_no": r.table_no, "row_no": r.row_no, "status_inferred": "on_track"}
                                for r in result.rows]}


def _count(db: Path, table: str, sid: str) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(f"select count(*) from {table} where source_id = ?", [sid]).fetchone()[0]
    finally:
        con.close()


def _log(db: Path, sid: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select ok, error from raw.ingest_log where source_id = ? order by attempted_at",
                           [sid]).fetchall()
    finally:
        con.close()


def _stage(db: Path, sid: str, n: int) -> dict[str, int]:
    return load.stage_source(lake.lake_root(db), _meta(sid), tiny_result(n))


def test_stage_writes_parquet_and_a_manifest_and_needs_no_warehouse(tmp_path):
    db = tmp_path / "w.duckdb"
    written = _stage(db, "s1", 3)
    assert not db.exists()  # staging never opens the warehouse
    root = lake.lake_root(db)
    assert root == tmp_path / "w.duckdb.lake"
    m = lake.read_manifest(root, "s1")
    assert m is not None and m.row_count == 3 and m.schema == load.SCHEMA and written["raw.task_rows"] == 3
    path = lake.table_file(root, "s1", m.version, "raw.task_rows")
    con = duckdb.connect()
    assert con.execute(f"select count(*) from read_parquet('{path}')").fetchone() == (3,)
    res = load.sync_lake(db)
    assert res.loaded == ["s1"] and not res.skipped
    assert _count(db, "raw.task_rows", "s1") == 3 and _count(db, "raw.sources", "s1") == 1


def test_staging_runs_while_the_writer_holds_the_warehouse_and_in_parallel(tmp_path):
    """``pipeline.stage_all`` in two processes while a writer holds the warehouse: every source
    stages, in registry order; the broken one comes back as an error (logged in the lake), not
    an exception that stops the others."""
    import shutil

    from ingestion.pipeline import stage_all
    from ingestion.registry import load_registry

    from .conftest import SOURCES

    reg_dir = tmp_path / "sources"
    for sid in ("rw17_shaoxing_2020", "rw27_taian_2021"):
        shutil.copytree(SOURCES / sid, reg_dir / sid)
    bad = reg_dir / "zz_broken"
    bad.mkdir()
    (bad / "b.txt").write_text("这不是表格\n只是两行字\n", encoding="utf-8")
    (bad / "source.yaml").write_text(
        "source_id: zz_broken\nfile: b.txt\njurisdiction: {province: 安徽省}\nperiod: {year: 2024, quarter: 1}\n"
        "layout: cell_lines\n", encoding="utf-8")
    sources = load_registry(reg_dir).sources
    db = tmp_path / "w.duckdb"
    with load.writer(db):  # a long sync or dbt build holds the warehouse
        done = list(stage_all(sources, db, workers=2))
    assert [st.source.source_id for st in done] == ["rw17_shaoxing_2020", "rw27_taian_2021", "zz_broken"]
    assert [st.summary is not None for st in done] == [True, True, False]
    assert done[2].error and "b.txt" in load_failure_text(db, "zz_broken")
    assert lake.staged_ids(lake.lake_root(db)) == ["rw17_shaoxing_2020", "rw27_taian_2021"]
    res = load.sync_lake(db)
    assert sorted(res.loaded) == ["rw17_shaoxing_2020", "rw27_taian_2021"] and res.failures_logged == 1
    assert [_count(db, "raw.task_rows", st.source.source_id) for st in done] == [
        st.summary.rows if st.summary else 0 for st in done]


def _die_on_zz(src, db_path):
    """A staging function whose process dies outright on sources named zz_* (what the kernel's
    OOM killer does); run in the pool's spawned workers, so it lives at module level."""
    import os

    from ingestion.pipeline import _stage_one

    if src.source_id.startswith("zz_"):
        os._exit(9)
    return _stage_one(src, db_path)


def test_a_staging_process_that_dies_excludes_only_its_source(tmp_path):
    import shutil

    from ingestion.pipeline import stage_all
    from ingestion.registry import load_registry

    from .conftest import SOURCES

    reg_dir = tmp_path / "sources"
    for sid in ("rw17_shaoxing_2020", "rw27_taian_2021"):
        shutil.copytree(SOURCES / sid, reg_dir / sid)
    shutil.copytree(SOURCES / "rw17_shaoxing_2020", reg_dir / "zz_dies")
    yaml_path = reg_dir / "zz_dies" / "source.yaml"
    yaml_path.write_text(yaml_path.read_text(encoding="utf-8").replace("rw17_shaoxing_2020", "zz_dies"),
                         encoding="utf-8")
    # its own bytes: the registry refuses one file registered twice
    bulletin = next(p for p in (reg_dir / "zz_dies").iterdir() if p.name != "source.yaml")
    bulletin.write_bytes(bulletin.read_bytes() + b"\n")
    sources = load_registry(reg_dir).sources
    assert [s.source_id for s in sources] == ["rw17_shaoxing_2020", "rw27_taian_2021", "zz_dies"]
    db = tmp_path / "w.duckdb"
    done = list(stage_all(sources, db, workers=2, stage_fn=_die_on_zz))
    assert [st.summary is not None for st in done] == [True, True, False]
    assert "died" in (done[2].error or "") and "zz_dies" in load_failure_text(db, "zz_dies")
    assert lake.staged_ids(lake.lake_root(db)) == ["rw17_shaoxing_2020", "rw27_taian_2021"]


def load_failure_text(db: Path, sid: str) -> str:
    return "\n".join(json.dumps(rec, ensure_ascii=False) for _, rec in lake.pending_failures(lake.lake_root(db))
                     if rec["source_id"] == sid)


def test_sync_is_idempotent_and_loads_only_new_versions(tmp_path):
    db = tmp_path / "w.duckdb"
    _stage(db, "s1", 3)
    _stage(db, "s2", 2)
    assert sorted(load.sync_lake(db).loaded) == ["s1", "s2"]
    again = load.sync_lake(db)
    assert again.loaded == [] and not again.skipped
    assert _count(db, "raw.task_rows", "s1") == 3
    assert len([r for r in _log(db, "s1") if r[0]]) == 1  # one ok row, not one per sync
    _stage(db, "s1", 5)
    assert load.sync_lake(db).loaded == ["s1"]
    assert _count(db, "raw.task_rows", "s1") == 5 and _count(db, "raw.task_rows", "s2") == 2
    # `only` loads just the named sources
    _stage(db, "s1", 1)
    _stage(db, "s2", 1)
    assert load.sync_lake(db, only=["s2"]).loaded == ["s2"]
    assert _count(db, "raw.task_rows", "s1") == 5


def test_a_refused_version_keeps_the_previous_load_and_is_logged_once(tmp_path):
    db = tmp_path / "w.duckdb"
    _stage(db, "s1", 3)
    _stage(db, "s2", 2)
    load.sync_lake(db)
    _stage(db, "s1", 1)
    _stage(db, "s2", 4)

    def check(con, sids):
        assert sorted(sids) == ["s1", "s2"]  # one call for the whole batch
        return {"s1": RawCheckError("s1", ["gx_raw_task_rows: made up"])}

    res = load.sync_lake(db, check=check)
    assert res.loaded == ["s2"] and "s1" in res.errors and "made up" in res.skipped["s1"]
    assert res.held_back.keys() == {"s1"}
    assert _count(db, "raw.task_rows", "s1") == 3 and _count(db, "raw.task_rows", "s2") == 4
    failed = [e for ok, e in _log(db, "s1") if not ok]
    assert len(failed) == 1 and "made up" in failed[0]
    # not tried (nor logged) again until the source is staged again
    again = load.sync_lake(db, check=check)
    assert again.loaded == [] and not again.skipped and again.held_back.keys() == {"s1"}
    assert len([e for ok, e in _log(db, "s1") if not ok]) == 1


def test_a_broken_or_foreign_version_is_skipped_and_the_others_load(tmp_path):
    db = tmp_path / "w.duckdb"
    root = lake.lake_root(db)
    for sid in ("s1", "s2", "s3"):
        _stage(db, sid, 2)
    load.sync_lake(db)
    for sid in ("s1", "s2", "s3"):
        _stage(db, sid, 3)
    # s1: a truncated Parquet file; s2: staged under other raw columns
    m1 = lake.read_manifest(root, "s1")
    f = lake.table_file(root, "s1", m1.version, "raw.task_rows")
    f.write_bytes(f.read_bytes()[:40])
    m2 = lake.read_manifest(root, "s2")
    manifest = lake.source_dir(root, "s2") / lake.MANIFEST
    manifest.write_text(json.dumps({**json.loads(manifest.read_text()), "schema": "0" * 16}))
    res = load.sync_lake(db)
    assert res.loaded == ["s3"]
    assert "unreadable" in res.skipped["s1"] and "other raw columns" in res.skipped["s2"]
    assert _count(db, "raw.task_rows", "s1") == 2 and _count(db, "raw.task_rows", "s2") == 2
    assert _count(db, "raw.task_rows", "s3") == 3
    assert m2 is not None
    load.sync_lake(db)
    assert len([e for ok, e in _log(db, "s1") if not ok]) == 1  # logged once per version


def test_an_interrupted_stage_leaves_the_current_version_and_is_cleaned_up(tmp_path):
    db = tmp_path / "w.duckdb"
    root = lake.lake_root(db)
    _stage(db, "s1", 2)
    before = lake.read_manifest(root, "s1")
    with pytest.raises(RuntimeError), lake.staging(root, "s1") as (folder, _):
        (folder / "task_rows.parquet").write_bytes(b"half")
        raise RuntimeError("killed mid-write")
    assert lake.read_manifest(root, "s1") == before
    # a folder left by a SIGKILL (no cleanup ran) is removed by the next stage of the source
    orphan = lake.source_dir(root, "s1") / lake.new_version()
    orphan.mkdir()
    _stage(db, "s1", 3)
    _stage(db, "s1", 4)
    versions = sorted(p.name for p in lake.source_dir(root, "s1").iterdir() if p.is_dir())
    assert len(versions) == 2 and orphan.name not in versions  # current + the one it replaced
    load.sync_lake(db)
    assert _count(db, "raw.task_rows", "s1") == 4


def test_failed_attempts_reach_the_ingest_log_with_the_next_sync(tmp_path):
    db = tmp_path / "w.duckdb"
    load.log_failure(db, "s9", "data/sources/s9/b.txt: LayoutError: no table")
    load.log_failure(db, "不是id", "invalid source.yaml")  # an invalid registry folder's name
    assert not db.exists()
    res = load.sync_lake(db)
    assert res.failures_logged == 2 and not lake.pending_failures(lake.lake_root(db))
    assert _log(db, "s9") == [(False, "data/sources/s9/b.txt: LayoutError: no table")]
    assert _log(db, "不是id") == [(False, "invalid source.yaml")]
    assert load.sync_lake(db).failures_logged == 0


def test_a_removed_source_leaves_the_lake_and_the_raw_schema(tmp_path):
    db = tmp_path / "w.duckdb"
    _stage(db, "s1", 2)
    _stage(db, "s2", 2)
    load.sync_lake(db)
    load.remove_source(db, "s1")
    assert lake.staged_ids(lake.lake_root(db)) == ["s2"]
    assert load.sync_lake(db).loaded == []
    assert _count(db, "raw.task_rows", "s1") == 0 and _count(db, "raw.lake_loaded", "s1") == 0
    assert _count(db, "raw.task_rows", "s2") == 2


@pytest.mark.parametrize("bad", ["../x", "a/b", "", "..", "/abs", "UPPER"])
def test_a_source_id_is_never_a_path(tmp_path, bad):
    with pytest.raises(lake.LakeError):
        lake.source_dir(tmp_path, bad)


def test_batch_raw_checks_hold_back_only_the_bad_source(tmp_path):
    from expectations.runner import check_sources

    db = tmp_path / "w.duckdb"
    good = tiny_result(3)
    load.stage_source(lake.lake_root(db), _meta("good"), good, derived=_signals(good))
    bad = tiny_result(3)
    bad.rows[1].line_start, bad.rows[1].line_end = 4, 3  # a span that ends before it starts
    load.stage_source(lake.lake_root(db), _meta("bad"), bad, derived=_signals(bad))
    res = load.sync_lake(db, check=check_sources)
    assert res.loaded == ["good"] and list(res.errors) == ["bad"]
    assert str(res.errors["bad"]).startswith("data/sources/bad/b.txt: ")  # names the bulletin
    assert "line_start" in str(res.errors["bad"]) or "line_end" in str(res.errors["bad"])
    assert _count(db, "raw.task_rows", "bad") == 0 and _count(db, "raw.task_rows", "good") == 3


def test_check_sources_passes_a_clean_batch(tmp_path):
    from expectations.runner import check_sources

    con = load._memory_raw()
    for sid in ("a", "b"):
        res = tiny_result(2)
        for table, df in load.source_frames(_meta(sid), res, derived=_signals(res)).items():
            load._insert_frame(con, table, df)
    assert check_sources(con, ["a", "b"]) == {}


def test_a_source_staged_but_not_loaded_is_excluded_from_the_report():
    sources = [SourceOutcome("a", ok=True, rows=3), SourceOutcome("b", ok=True, rows=2),
               SourceOutcome("c", ok=False, error="LayoutError")]
    exclude_unloaded(sources, {"b": "raw checks failed: gx_raw_task_rows"})
    assert [s.ok for s in sources] == [True, False, False]
    assert "gx_raw_task_rows" in sources[1].error and sources[2].error == "LayoutError"


def test_stage_workers_one_per_core_capped_by_the_sources_and_overridable(monkeypatch):
    import os

    from ingestion.pipeline import STAGE_WORKERS_ENV, stage_workers

    monkeypatch.delenv(STAGE_WORKERS_ENV, raising=False)
    assert stage_workers(1000) == (os.cpu_count() or 1)
    assert stage_workers(1) == 1 and stage_workers(0) == 1
    monkeypatch.setenv(STAGE_WORKERS_ENV, "3")
    assert stage_workers(1000) == 3 and stage_workers(2) == 2

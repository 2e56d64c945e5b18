"""Rebuild only what changed: fingerprints, the plan, the kept state, the cached dbt manifest."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from orchestration import incremental as inc
from orchestration.defs.dbt import project

REPO = Path(__file__).resolve().parent.parent


def test_source_fingerprint_moves_with_file_yaml_or_code():
    base = inc.source_fingerprint(b"bulletin", b"source_id: a", "code1")
    assert base == inc.source_fingerprint(b"bulletin", b"source_id: a", "code1")
    assert len({base, inc.source_fingerprint(b"bulletin2", b"source_id: a", "code1"),
                inc.source_fingerprint(b"bulletin", b"source_id: b", "code1"),
                inc.source_fingerprint(b"bulletin", b"source_id: a", "code2")}) == 4


def test_code_fingerprint_sees_an_edited_vocabulary(tmp_path):
    root = tmp_path / "ingestion"
    (root / "data").mkdir(parents=True)
    (root / "a.py").write_text("x = 1\n")
    (root / "data" / "words.csv").write_text("word,status\n")
    before = inc.code_fingerprint(root)
    (root / "data" / "words.csv").write_text("word,status\n差一点,behind\n")
    assert inc.code_fingerprint(root) != before


def test_plan_splits_added_changed_unchanged_removed():
    p = inc.plan({"a": "1", "b": "2", "c": "3"}, {"a": "1", "b": "old", "gone": "9"})
    assert (p.added, p.changed, p.unchanged, p.removed) == (["c"], ["b"], ["a"], ["gone"])
    assert p.to_ingest == ["c", "b"] and p.sources_changed
    assert not inc.plan({"a": "1"}, {"a": "1"}).sources_changed


def test_state_keeps_good_ingests_and_forgets_failed_and_removed():
    state = inc.updated_state({"a": "1", "b": "2", "gone": "9"}, {"a": "1", "b": "3", "c": "4"},
                              ok=["b"], failed=["c"])
    assert state == {"a": "1", "b": "3"}


def test_state_is_ignored_without_its_warehouse(tmp_path):
    wh = tmp_path / "w.duckdb"
    inc.write_state(wh, {"a": "1"})
    assert inc.read_state(wh) == {}  # the warehouse was deleted: everything is new
    wh.write_bytes(b"")
    assert inc.read_state(wh) == {"a": "1"}
    inc.state_path(wh).write_text("not json")
    assert inc.read_state(wh) == {}


def test_project_fingerprint_ignores_what_dbt_writes(tmp_path):
    dbt = tmp_path / "dbt_project"
    shutil.copytree(REPO / "dbt_project", dbt, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    before = project.project_fingerprint(dbt)
    (dbt / "target").mkdir()
    (dbt / "target" / "manifest.json").write_text("{}")
    (dbt / "logs").mkdir()
    (dbt / "logs" / "dbt.log").write_text("x")
    assert project.project_fingerprint(dbt) == before
    (dbt / "target" / project.FINGERPRINT_FILE).write_text(before)
    assert project.manifest_is_current(dbt / "target" / "manifest.json", dbt)
    model = next((dbt / "models").rglob("*.sql"))
    model.write_text(model.read_text() + "\n-- edited\n")
    assert project.project_fingerprint(dbt) != before
    assert not project.manifest_is_current(dbt / "target" / "manifest.json", dbt)


def test_fingerprint_is_over_paths_and_contents():
    a = project.fingerprint([("m.sql", b"select 1")], "1.11")
    assert a != project.fingerprint([("n.sql", b"select 1")], "1.11")
    assert a != project.fingerprint([("m.sql", b"select 2")], "1.11")
    assert a != project.fingerprint([("m.sql", b"select 1")], "1.12")


def test_parse_carries_the_builds_vars_so_the_build_reuses_its_partial_parse(tmp_path):
    from orchestration.defs.dbt.args import build_args, parse_args

    wh = tmp_path / "w.duckdb"
    assert parse_args() == ["parse", "--quiet"]
    assert parse_args(wh)[:2] == ["parse", "--quiet"] and parse_args(wh)[2:] == build_args(wh)[3:5]


def test_manifest_stamp_names_the_parse_arguments(tmp_path):
    dbt = tmp_path / "p"
    (dbt / "target").mkdir(parents=True)
    (dbt / "dbt_project.yml").write_text("name: p\n")
    manifest = dbt / "target" / "manifest.json"
    manifest.write_text("{}")
    (dbt / "target" / project.FINGERPRINT_FILE).write_text(project.manifest_stamp(dbt, ["parse", "--vars", "a"]))
    assert project.manifest_is_current(manifest, dbt, ["parse", "--vars", "a"])
    assert not project.manifest_is_current(manifest, dbt, ["parse", "--vars", "b"])
    assert project.manifest_is_current(manifest, dbt)  # the project files alone


def test_rebuild_takes_the_build_lock_like_every_build(tmp_path, monkeypatch, capsys):
    """`make rebuild` while another build runs: exit 4 BUSY, nothing built, no report written."""
    from orchestration import build

    db = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("WAREHOUSE_PATH", str(db))
    monkeypatch.setattr(inc, "rebuild", lambda parse=True: pytest.fail("built while another build held the lock"))
    with build.build_lock(db, 0.0):
        assert inc.main() == 4
    assert "BUSY" in capsys.readouterr().out
    assert not db.with_name(db.name + ".report.json").exists()

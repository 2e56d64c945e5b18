"""Bad input gets a clear error naming the file, and never corrupts what was already loaded."""

import shutil

import duckdb
import pytest

from ingestion.errors import LayoutError, SourceReadError
from ingestion.pipeline import ingest_source
from ingestion.registry import load_registry

from .conftest import seed_path

YAML = """source_id: {sid}
file: {file}
jurisdiction: {{province: 安徽省, city: 芜湖市, county: 弋江区}}
period: {{year: 2023, quarter: 2}}
layout: {layout}
"""


def _add(root, sid, data: bytes, name="b.txt", layout="auto"):
    folder = root / sid
    folder.mkdir(parents=True)
    (folder / name).write_bytes(data)
    (folder / "source.yaml").write_text(YAML.format(sid=sid, file=name, layout=layout), encoding="utf-8")
    return folder


def _rows(db, sid):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select count(*) from raw.task_rows where source_id = ?", [sid]).fetchone()[0]
    finally:
        con.close()


@pytest.fixture(scope="module")
def loaded_template(tmp_path_factory):
    """A registry with one good source loaded into a fresh warehouse, parsed once per module
    (~1 s); each test gets its own copy of the folder (registry, warehouse, raw lake)."""
    base = tmp_path_factory.mktemp("bad_input")
    root = base / "sources"
    _add(root, "good", seed_path("yijiang_2023q2").read_bytes())
    db = base / "w.duckdb"
    ingest_source(load_registry(root).get("good"), db)
    return base


@pytest.fixture()
def loaded(loaded_template, tmp_path):
    """(registry folder, warehouse, rows of the good source) in this test's own copy."""
    shutil.copytree(loaded_template, tmp_path, dirs_exist_ok=True)
    root, db = tmp_path / "sources", tmp_path / "w.duckdb"
    return root, db, _rows(db, "good")


@pytest.mark.parametrize(
    "sid,data,exc,needle",
    [
        ("empty", b"", SourceReadError, "empty"),
        ("binary", b"\x00\x01\x02PK\x03\x04" * 200, SourceReadError, "binary"),
        ("nolayout", "随便写的一段话。\n没有表格。\n".encode(), LayoutError, "layout"),
    ],
)
def test_bad_file_fails_clearly_and_keeps_others(loaded, sid, data, exc, needle):
    root, db, good_rows = loaded
    assert good_rows > 0
    _add(root, sid, data)
    src = load_registry(root).get(sid)
    with pytest.raises(exc) as e:
        ingest_source(src, db)
    assert f"{sid}/b.txt" in str(e.value) and needle in str(e.value)
    assert _rows(db, "good") == good_rows
    assert _rows(db, sid) == 0
    con = duckdb.connect(str(db), read_only=True)
    logged = con.execute("select ok, error from raw.ingest_log where source_id = ?", [sid]).fetchall()
    con.close()
    assert logged and logged[-1][0] is False and needle in logged[-1][1]


def test_broken_replacement_keeps_previous_load(loaded):
    """A source whose file is replaced by a truncated copy: the failed re-ingest leaves its
    previously loaded rows as they were."""
    root, db, good_rows = loaded
    f = root / "good" / "b.txt"
    f.chmod(0o644)
    f.write_bytes(f.read_bytes()[:5])  # truncated to a few bytes: no header, no rows
    with pytest.raises((LayoutError, SourceReadError)):
        ingest_source(load_registry(root).get("good"), db)
    assert _rows(db, "good") == good_rows


def test_gbk_copy_of_a_seed_loads_the_same_rows(loaded, tmp_path):
    root, db, good_rows = loaded
    text = seed_path("yijiang_2023q2").read_text(encoding="utf-8")
    _add(root, "gbk", text.encode("gb18030"))
    s = ingest_source(load_registry(root).get("gbk"), db)
    assert s.encoding == "gb18030"
    assert _rows(db, "gbk") == good_rows


def test_yaml_with_missing_field_is_reported_not_loaded(loaded):
    root, db, good_rows = loaded
    folder = _add(root, "nofile", b"x")
    (folder / "source.yaml").write_text("source_id: nofile\nlayout: pipe\n", encoding="utf-8")
    reg = load_registry(root)
    assert [s.source_id for s in reg.sources] == ["good"]
    assert [(e.folder, e.fields) for e in reg.errors] == [("nofile", ["file"])]
    assert "nofile/source.yaml: field 'file'" in str(reg.errors[0])
    assert _rows(db, "good") == good_rows


def test_reingest_is_idempotent(loaded):
    root, db, good_rows = loaded
    ingest_source(load_registry(root).get("good"), db)
    assert _rows(db, "good") == good_rows

"""The layout registry (ingestion.layouts) is the one list of layouts: the source.yaml schema,
detection and dispatch all come from it."""

from __future__ import annotations

import pytest

from ingestion import formats, layouts
from ingestion.errors import FormatError, LayoutError, RegistryError
from ingestion.layouts import Layout
from ingestion.parse import detect_layout
from ingestion.registry import SourceSpec, load_spec


def test_every_layout_is_declared_once_by_its_module():
    names = layouts.names()
    assert names[0] == "auto" and len(set(names)) == len(names)
    assert {"cell_lines", "pipe", "delimited", "labelled", "narrative"} <= {lay.name for lay in layouts.text_layouts()}
    docs = {lay.name: lay.kinds for lay in layouts.all_layouts() if lay.is_document}
    assert docs == {"html": ("html",), "xlsx": ("xlsx", "xls"), "docx": ("docx",), "pdf": ("pdf",)}


def test_source_yaml_schema_is_the_registry():
    schema = SourceSpec.model_json_schema()["properties"]["layout"]
    assert schema["enum"] == list(layouts.names())
    for name in layouts.names():
        assert SourceSpec(source_id="a", file="a.txt", unknown_reason="test", layout=name).layout == name


def test_unknown_layout_names_the_field_and_the_choices(tmp_path):
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "a.txt").write_text("x\n", encoding="utf-8")
    (folder / "source.yaml").write_text(
        "source_id: x\nfile: a.txt\nunknown_reason: test\nlayout: tabular\n", encoding="utf-8"
    )
    err = pytest.raises(RegistryError, load_spec, folder / "source.yaml").value
    assert err.fields == ["layout"] and err.folder == "x"
    assert "'tabular'" in err.problems[0].problem and "cell_lines" in err.problems[0].problem


def test_detection_follows_detect_order():
    order = [lay.name for lay in layouts.text_layouts() if lay.detect]
    assert order == ["pipe", "delimited", "labelled", "cell_lines", "run_together", "narrative"]
    # a text that is both piped and tabbed is 'pipe': pipe is tried first
    assert detect_layout(["a\t|", "b\t|", "c\t|"]) == "pipe"
    with pytest.raises(LayoutError) as e:
        detect_layout(["短短一行"])
    assert e.value.file is None and "no table header" in e.value.problem


def test_every_document_kind_has_a_reader():
    assert set(layouts.document_kinds()) == {"html", "xlsx", "xls", "docx", "pdf"}
    for kind in layouts.document_kinds():
        lay = layouts.for_kind(kind)
        assert lay is not None and lay.read is not None
    assert layouts.for_kind("txt") is None
    # each format says itself which files are its own (formats.detect_kind asks them in order)
    assert all(lay.sniff is not None for lay in layouts.all_layouts() if lay.is_document)
    assert [lay.name for lay in layouts.all_layouts() if lay.is_document] == ["pdf", "xlsx", "docx", "html"]


def test_a_layout_is_text_or_document_never_both():
    with pytest.raises(ValueError, match="exactly one"):
        Layout("both", "x", parse=lambda lines, spec: None, read=lambda p, s, n, k: None, kinds=("x",))  # type: ignore[arg-type, return-value]
    with pytest.raises(ValueError, match="file kinds"):
        Layout("doc", "x", read=lambda p, s, n, k: None)  # type: ignore[arg-type, return-value]


def test_unrecognised_document_kind_lists_the_known_ones(tmp_path):
    p = tmp_path / "a.bin"
    p.write_bytes(b"\x01\x02")
    with pytest.raises(FormatError) as e:
        formats.read_document(p, None, kind="odt")
    assert e.value.file == str(p) and "html" in e.value.problem and "xls" in e.value.problem

"""Errors carry what they are about as fields; the message is derived from them."""

from pathlib import Path

from ingestion.errors import (
    FieldProblem,
    FormatError,
    IngestError,
    LayoutError,
    RegistryError,
    SourceReadError,
)


def test_message_starts_with_the_file():
    e = SourceReadError("data/sources/a/a.txt", "file is empty")
    assert (e.file, e.problem, str(e)) == ("data/sources/a/a.txt", "file is empty", "data/sources/a/a.txt: file is empty")
    assert isinstance(FormatError("a.pdf", "no text layer"), SourceReadError)


def test_a_layout_error_learns_its_file_once():
    e = LayoutError("no table header", layout="pipe")
    assert str(e) == "no table header"
    assert str(e.at("a.txt")) == "a.txt: no table header" and e.layout == "pipe"
    assert e.at("b.txt").file == "a.txt"  # an error that names a file keeps it


def test_registry_error_fields():
    e = RegistryError(Path("data/sources/x_2024q1/source.yaml"),
                      [FieldProblem("period.quarter", "must be <= 4"), FieldProblem("layout", "unknown layout")])
    assert e.folder == "x_2024q1" and e.fields == ["period.quarter", "layout"]
    assert str(e) == "data/sources/x_2024q1/source.yaml: field 'period.quarter': must be <= 4; field 'layout': unknown layout"
    whole = RegistryError(Path("s/y/source.yaml"), "malformed YAML: …")
    assert whole.fields == [] and str(whole) == "s/y/source.yaml: malformed YAML: …"
    assert RegistryError(None, "no source with id 'z'").folder is None
    assert all(issubclass(c, IngestError) for c in (RegistryError, SourceReadError, LayoutError))

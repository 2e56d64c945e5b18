from pathlib import Path

import pytest

from ingestion.errors import RegistryError
from ingestion.registry import load_registry, load_spec


def _write(folder: Path, yaml_text: str, file_text: str = "序号\n1\n") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "b.txt").write_text(file_text, encoding="utf-8")
    p = folder / "source.yaml"
    p.write_text(yaml_text, encoding="utf-8")
    return p


GOOD = """source_id: x_2024q1
file: b.txt
jurisdiction: {province: 安徽省, city: 淮北市, county: 相山区}
period: {year: 2024, quarter: 1}
"""


def test_seed_registry_is_valid(registry):
    from .test_realworld_sources import RW_IDS

    ids = {s.source_id for s in registry.sources}
    seeds = {"xiangshan_2024q4", "suzhou_2022h1", "yijiang_2023q2", "narrative_fragments", "luan_2024h1"}
    # the five seeds and the real excerpts of ../shared/realworld (tests/test_realworld_sources.py)
    assert ids == seeds | set(RW_IDS)
    labels = {s.source_id: s.spec.period.label for s in registry.sources if s.spec.period}
    assert labels["xiangshan_2024q4"] == "2024-Q4" and labels["luan_2024h1"] == "2024-H1"


def test_missing_field_names_file_and_field(tmp_path):
    p = _write(tmp_path / "a", GOOD.replace("file: b.txt\n", ""))
    with pytest.raises(RegistryError) as e:
        load_spec(p)
    assert str(p) in str(e.value) and "field 'file'" in str(e.value)


def test_wrong_type_and_unknown_field(tmp_path):
    p = _write(tmp_path / "a", GOOD.replace("quarter: 1", "quarter: 5") + "colour: red\n")
    msg = str(pytest.raises(RegistryError, load_spec, p).value)
    assert "period.quarter" in msg and "colour" in msg


def test_period_needs_exactly_one_kind(tmp_path):
    p = _write(tmp_path / "a", GOOD.replace("quarter: 1", "quarter: 1, half: 1"))
    assert "exactly one" in str(pytest.raises(RegistryError, load_spec, p).value)


def test_malformed_yaml(tmp_path):
    p = _write(tmp_path / "a", "source_id: [unclosed\n")
    assert "malformed YAML" in str(pytest.raises(RegistryError, load_spec, p).value)


def test_null_jurisdiction_needs_reason(tmp_path):
    p = _write(tmp_path / "a", GOOD.replace("jurisdiction: {province: 安徽省, city: 淮北市, county: 相山区}", "jurisdiction: null"))
    assert "unknown_reason" in str(pytest.raises(RegistryError, load_spec, p).value)


def test_file_must_exist(tmp_path):
    p = _write(tmp_path / "a", GOOD.replace("b.txt", "nope.txt"))
    assert "not found" in str(pytest.raises(RegistryError, load_spec, p).value)


def test_bad_entry_does_not_hide_good_ones(tmp_path):
    _write(tmp_path / "good", GOOD)
    _write(tmp_path / "bad", GOOD.replace("x_2024q1", "Bad Id"))
    _write(tmp_path / "dup", GOOD)
    reg = load_registry(tmp_path)
    assert [s.source_id for s in reg.sources] == ["x_2024q1"]
    assert len(reg.errors) == 2
    bad, dup = sorted(reg.errors, key=lambda e: "already used" in e.problem)
    assert bad.folder == "bad" and bad.fields == ["source_id"] and "bad/source.yaml" in str(bad)
    # 'dup' sorts before 'good', so the second entry with that id is the one refused
    assert dup.folder == "good" and dup.fields == ["source_id"] and "already used" in dup.problem


def test_status_words_and_columns_are_checked(tmp_path):
    p = _write(tmp_path / "a", GOOD + "status_words: {达序推进: fine}\ncolumns: {进度安排: nonsense}\n")
    msg = str(pytest.raises(RegistryError, load_spec, p).value)
    assert "status_words" in msg and "columns" in msg


def test_regions_resolve_from_names(registry):
    from ingestion import regions

    got = {s.source_id: regions.resolve(s.spec.jurisdiction) for s in registry.sources if s.spec.jurisdiction}
    assert got["xiangshan_2024q4"].region_code == "340603"
    assert got["xiangshan_2024q4"].parent_code == "340600"
    assert got["xiangshan_2024q4"].full_name == "安徽省淮北市相山区"
    assert got["yijiang_2023q2"].region_code == "340203"
    assert got["luan_2024h1"].level == "city" and got["luan_2024h1"].parent_code == "340000"


def test_region_mismatch_is_an_error():
    from ingestion import regions
    from ingestion.registry import Jurisdiction

    with pytest.raises(regions.RegionError):
        regions.resolve(Jurisdiction(province="安徽省", city="淮北市", county="不存在区"))


# ------------------------------------------------------------------ containment (issue #14)


@pytest.mark.parametrize("bad", ["/etc/hostname", "../outside.txt", "sub/../../outside.txt", "..\\outside.txt",
                                 "C:/Windows/win.ini", "~/outside.txt"])
def test_file_outside_its_folder_is_refused_and_not_read(tmp_path, bad, monkeypatch):
    """An absolute or '..' path in `file:` is refused by name, and the file it names is never opened."""
    outside = tmp_path / "outside.txt"
    outside.write_text("序号 | 工作事项 | 牵头单位 | 进展情况 |\n1 | 秘密 | 区发改委 | 已完成 |\n", encoding="utf-8")
    sources = tmp_path / "data" / "sources"
    p = _write(sources / "x_2024q1", GOOD.replace("file: b.txt", f"file: '{bad}'"))
    opened: list[str] = []
    real_open, real_read_bytes = Path.open, Path.read_bytes
    monkeypatch.setattr(Path, "open", lambda self, *a, **k: (opened.append(str(self)), real_open(self, *a, **k))[1])
    monkeypatch.setattr(Path, "read_bytes", lambda self: (opened.append(str(self)), real_read_bytes(self))[1])
    reg = load_registry(sources)
    assert not reg.sources
    (err,) = reg.errors
    assert err.path == p and err.fields == ["file"]
    assert str(p) in str(err) and ("absolute path" in str(err) or "leaves the source's folder" in str(err))
    assert opened and all(Path(f).resolve().is_relative_to(sources.resolve()) for f in opened), opened


def test_symlink_pointing_out_of_the_folder_is_refused(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("序号\n1\n", encoding="utf-8")
    folder = tmp_path / "sources" / "x_2024q1"
    p = _write(folder, GOOD.replace("file: b.txt", "file: link.txt"))
    (folder / "link.txt").symlink_to(outside)
    err = pytest.raises(RegistryError, load_spec, p).value
    assert err.fields == ["file"] and "outside the source's folder" in str(err) and str(p) in str(err)


def test_symlinked_folder_pointing_out_of_the_registry_is_refused(tmp_path):
    elsewhere = tmp_path / "elsewhere" / "x_2024q1"
    _write(elsewhere, GOOD)
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "x_2024q1").symlink_to(elsewhere, target_is_directory=True)
    reg = load_registry(sources)
    assert not reg.sources and "outside the registry" in str(reg.errors[0])


def test_yaml_tags_that_build_objects_are_refused(tmp_path):
    p = _write(tmp_path / "a", GOOD + "title: !!python/object/apply:os.system ['echo pwned']\n")
    assert "malformed YAML" in str(pytest.raises(RegistryError, load_spec, p).value)


@pytest.mark.parametrize("sid", ["../up", "a/b", "A_upper", "x" * 65, "_lead", "semi;colon", "中文"])
def test_unsafe_source_ids_are_refused(tmp_path, sid):
    p = _write(tmp_path / "a", GOOD.replace("source_id: x_2024q1", f"source_id: '{sid}'"))
    err = pytest.raises(RegistryError, load_spec, p).value
    assert err.fields == ["source_id"] and "pattern" in str(err)


def test_same_file_twice_is_a_duplicate_only_with_the_same_read_options(tmp_path):
    sources = tmp_path / "sources"
    text = "序号\n1\n2\n"
    _write(sources / "a_2024q1", GOOD.replace("x_2024q1", "a_2024q1") + "options: {line_range: [1, 2]}\n", text)
    # the same content under another name, other line_range: another bulletin of the same excerpt
    _write(sources / "b_2024q1", GOOD.replace("x_2024q1", "b_2024q1") + "options: {line_range: [3, 3]}\n", text)
    dup = _write(sources / "c_2024q1", GOOD.replace("x_2024q1", "c_2024q1") + "options: {line_range: [1, 2]}\n", text)
    reg = load_registry(sources)
    assert [s.source_id for s in reg.sources] == ["a_2024q1", "b_2024q1"]
    (err,) = reg.errors
    assert err.path == dup and err.fields == ["file"] and "same file" in str(err) and "'a_2024q1'" in str(err)


def test_shipped_excerpt_registered_twice_with_two_line_ranges_is_valid(registry):
    ids = {s.source_id for s in registry.sources}
    assert {"rw28_wanzhou_2022h1", "rw28_wanzhou_2023h1"} <= ids

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

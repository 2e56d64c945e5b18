"""Regions without guessing (issue #10): a name that fits several places is refused with every
candidate; a city / province before it, or the GB/T 2260 code, chooses; an unknown name is refused."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from ingestion import regions
from ingestion.cli import app
from ingestion.registry import Jurisdiction

runner = CliRunner()


def _codes_named(name: str) -> list[str]:
    """From cpca's table itself, not from the code under test."""
    return sorted(code for code, n in regions.code_table().items() if n == name)


def test_chaoyang_alone_is_refused_with_both_candidates():
    assert _codes_named("朝阳区") == ["110105", "220104"]  # what makes it ambiguous
    with pytest.raises(regions.AmbiguousRegion) as e:
        regions.lookup("朝阳区")
    assert [c.region_code for c in e.value.candidates] == ["110105", "220104"]
    assert str(e.value) == "朝阳区: 北京市朝阳区 110105, 吉林省长春市朝阳区 220104 — give the city or the code"


def test_gulou_lists_every_city():
    with pytest.raises(regions.AmbiguousRegion) as e:
        regions.lookup("鼓楼区")
    assert [c.region_code for c in e.value.candidates] == _codes_named("鼓楼区")
    assert len(e.value.candidates) >= 4
    assert "河南省开封市鼓楼区 410204" in str(e.value) and "江苏省南京市鼓楼区 320106" in str(e.value)


@pytest.mark.parametrize("text, code", [
    ("长春市朝阳区", "220104"),
    ("吉林省长春市朝阳区", "220104"),
    ("吉林长春朝阳区", "220104"),   # cpca's abbreviations
    ("220104", "220104"),
    ("北京市朝阳区", "110105"),
    ("北京朝阳区", "110105"),
    ("福州市鼓楼区", "350102"),
    ("安徽省淮北市相山区", "340603"),
    ("淮北市相山区", "340603"),
    ("相山区", "340603"),          # one place of that name: no city needed
    ("安徽省六安市", "341500"),
    ("重庆市涪陵区", "500102"),
    (" 安徽省 淮北市 相山区 ", "340603"),
])
def test_disambiguated_or_unique_names_are_accepted(text, code):
    assert regions.lookup(text).region_code == code


def test_a_parent_that_does_not_hold_the_name_is_refused_saying_where_it_is():
    with pytest.raises(regions.UnknownRegion) as e:
        regions.lookup("江苏省朝阳区")
    assert "江苏省朝阳区: no such region" in str(e.value)
    assert [r.region_code for r in e.value.elsewhere] == ["110105", "220104"]


@pytest.mark.parametrize("text", ["不存在区", "安徽省淮北市不存在区", "相山区人民政府", "abc"])
def test_unknown_names_are_refused_clearly(text):
    with pytest.raises(regions.UnknownRegion, match="no such region in the GB/T 2260 table"):
        regions.lookup(text)


def test_unknown_code_is_refused():
    with pytest.raises(regions.RegionError, match="999999 is not in the GB/T 2260 table"):
        regions.lookup("999999")


def test_a_yaml_jurisdiction_is_not_guessed_either():
    with pytest.raises(regions.AmbiguousRegion, match="北京市朝阳区 110105, 吉林省长春市朝阳区 220104"):
        regions.resolve(Jurisdiction(county="朝阳区"))
    assert regions.resolve(Jurisdiction(city="长春市", county="朝阳区")).region_code == "220104"
    assert regions.resolve(Jurisdiction(province="北京市", county="朝阳区")).region_code == "110105"
    # a code and names that disagree
    with pytest.raises(regions.RegionError, match="region_code 220104 is 吉林省长春市朝阳区, not in 北京市"):
        regions.resolve(Jurisdiction(province="北京市", county="朝阳区", region_code="220104"))


def test_every_registered_source_resolves_as_cpca_reads_it(registry):
    """The lookup agrees with cpca's own structured result (省/市/区 -> adcode) on every registered
    source: the seeds and the real excerpts keep their codes."""
    cpca = regions._cpca()
    checked = 0
    for src in registry.sources:
        j = src.spec.jurisdiction
        if j is None:
            continue
        address = "".join(x for x in (j.province, j.city, j.county) if x)
        assert regions.resolve(j).region_code == cpca.transform([address]).loc[0, "adcode"][:6], src.source_id
        checked += 1
    assert checked >= 10


def test_add_refuses_an_ambiguous_region_and_writes_nothing(tmp_path):
    f = tmp_path / "b.txt"
    f.write_text("序号 | 工作事项 | 牵头单位 | 进展情况 |\n1 | 新建基站 | 区经信局 | 已建成。 |\n", encoding="utf-8")
    sources = tmp_path / "sources"
    sources.mkdir()
    res = runner.invoke(app, ["add", str(f), "--region", "朝阳区", "--period", "2024-Q3", "--sources", str(sources)])
    assert res.exit_code == 1
    assert "北京市朝阳区 110105" in res.output and "吉林省长春市朝阳区 220104" in res.output
    assert "give the city or the code" in res.output
    assert list(sources.iterdir()) == []
    res = runner.invoke(app, ["add", str(f), "--region", "长春市朝阳区", "--period", "2024-Q3", "--sources", str(sources)])
    assert res.exit_code == 0, res.output
    assert (sources / "r220104_2024q3" / "source.yaml").is_file()


def test_validate_flags_an_ambiguous_yaml_jurisdiction(tmp_path):
    folder = tmp_path / "s" / "a"
    folder.mkdir(parents=True)
    (folder / "b.txt").write_text("序号 | 工作事项 | 牵头单位 | 进展情况 |\n1 | 新建基站 | 区经信局 | 已建成。 |\n",
                                  encoding="utf-8")
    (folder / "source.yaml").write_text("source_id: a\nfile: b.txt\njurisdiction: {county: 鼓楼区}\n"
                                        "period: {year: 2024, quarter: 3}\n", encoding="utf-8")
    res = runner.invoke(app, ["validate", "--sources", str(tmp_path / "s")])
    assert res.exit_code == 1
    assert "field 'jurisdiction': 鼓楼区: " in res.output and "0 valid, 1 invalid" in res.output

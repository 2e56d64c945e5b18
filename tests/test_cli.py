"""The `bulletins` command line: preview, add, validate, coverage."""

import shutil

import pytest
import yaml
from typer.testing import CliRunner

from ingestion.cli import app, parse_region
from ingestion.registry import load_registry

from .conftest import SOURCES, seed_path

runner = CliRunner()

NEW_CITY = """某区2024年三季度重点工作推进情况
序号 | 工作事项 | 牵头单位 | 进度安排 | 进展情况 | 完成情况 |
1 | 新建5G基站100个 | 区经信局 | 三季度完成80个 | 已建成82个。 | 达序推进 |
2 | 完成老旧小区改造10个 | 区住建局 | 三季度开工10个 | 已开工6个。 | 差一点 |
"""


def test_parse_region_names_and_code():
    assert parse_region("安徽省淮北市相山区") == {"province": "安徽省", "city": "淮北市", "county": "相山区"}
    assert parse_region("340203")["county"] == "弋江区"


def test_preview_writes_nothing_and_shows_rows(tmp_path):
    f = tmp_path / "b.txt"
    f.write_text(NEW_CITY, encoding="utf-8")
    res = runner.invoke(app, ["preview", str(f)])
    assert res.exit_code == 0, res.output
    assert "layout pipe" in res.output and "新建5G基站100个" in res.output
    assert "完成情况" in res.output and "both read as progress" in res.output
    assert list(tmp_path.iterdir()) == [f]


def test_preview_of_a_seed():
    res = runner.invoke(app, ["preview", str(seed_path("xiangshan_2024q4")), "--rows", "2"])
    assert res.exit_code == 0, res.output
    assert "rows per table: 1: 155" in res.output
    assert "stated total: rows = 155" in res.output


def test_add_then_validate(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    f = tmp_path / "b.txt"
    f.write_text(NEW_CITY, encoding="utf-8")
    res = runner.invoke(app, ["add", str(f), "--region", "安徽省淮北市杜集区", "--period", "2024-Q3",
                              "--sources", str(sources)])
    assert res.exit_code == 0, res.output
    spec = yaml.safe_load((sources / "r340602_2024q3" / "source.yaml").read_text(encoding="utf-8"))
    assert spec["layout"] == "pipe" and spec["period"] == {"year": 2024, "quarter": 3}
    assert spec["columns"]["牵头单位"] == "lead_units"
    assert "unknown status words" not in res.output  # 完成情况 reads as progress until the YAML says status
    # the person follows the hint: 完成情况 is the status column, 差一点 means behind
    spec["columns"]["完成情况"] = "status"
    spec["status_words"] = {"差一点": "behind"}
    (sources / "r340602_2024q3" / "source.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    reg = load_registry(sources)
    assert not reg.errors and reg.sources[0].spec.status_words == {"差一点": "behind"}
    res = runner.invoke(app, ["validate", "--sources", str(sources)])
    assert res.exit_code == 0 and "1 valid, 0 invalid" in res.output
    # adding the same again is refused, nothing overwritten
    res = runner.invoke(app, ["add", str(f), "--region", "安徽省淮北市杜集区", "--period", "2024-Q3",
                              "--sources", str(sources)])
    assert res.exit_code == 1 and "already exists" in res.output


def test_add_refuses_unparseable_file_and_leaves_nothing(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    f = tmp_path / "b.txt"
    f.write_text("没有表格的一段话。\n", encoding="utf-8")
    res = runner.invoke(app, ["add", str(f), "--region", "安徽省六安市", "--period", "2024-H1", "--sources", str(sources)])
    assert res.exit_code == 1 and "not added" in res.output
    assert list(sources.iterdir()) == []


def test_validate_reports_bad_yaml(tmp_path):
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES / "yijiang_2023q2", sources / "yijiang_2023q2")
    bad = sources / "broken"
    bad.mkdir()
    (bad / "source.yaml").write_text("source_id: broken\nfile: nothing.txt\n", encoding="utf-8")
    res = runner.invoke(app, ["validate", "--sources", str(sources)])
    assert res.exit_code == 1
    assert "broken/source.yaml" in res.output and "1 valid, 1 invalid" in res.output


def test_coverage_command_lists_every_seed():
    res = runner.invoke(app, ["coverage"])
    assert res.exit_code == 0, res.output
    for sid in ("xiangshan_2024q4", "suzhou_2022h1", "yijiang_2023q2", "narrative_fragments", "luan_2024h1"):
        assert sid in res.output
    assert "no" not in [c.strip() for c in res.output.split("│")]


@pytest.mark.parametrize(
    "printed,folder,period",
    [
        ("2024年第三季度", "r340602_2024q3", {"year": 2024, "quarter": 3}),
        ("2024年前三季度", "r340602_2024m09", {"year": 2024, "month": 9}),
        ("二〇二四年上半年", "r340602_2024h1", {"year": 2024, "half": 1}),
        ("2024年1—11月", "r340602_2024m11", {"year": 2024, "month": 11}),
    ],
)
def test_add_takes_the_period_as_printed(tmp_path, printed, folder, period):
    sources = tmp_path / "sources"
    sources.mkdir()
    f = tmp_path / "b.txt"
    f.write_text(NEW_CITY, encoding="utf-8")
    res = runner.invoke(app, ["add", str(f), "--region", "安徽省淮北市杜集区", "--period", printed, "--sources", str(sources)])
    assert res.exit_code == 0, res.output
    spec = yaml.safe_load((sources / folder / "source.yaml").read_text(encoding="utf-8"))
    assert spec["period"] == period

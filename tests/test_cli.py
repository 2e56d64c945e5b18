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
    assert parse_region("安徽省淮北市相山区") == {"province": "安徽省", "city": "淮北市", "county": "相山区",
                                           "region_code": "340603"}
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


def test_add_refuses_an_empty_file_and_leaves_nothing(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    f = tmp_path / "b.txt"
    f.write_text("", encoding="utf-8")
    res = runner.invoke(app, ["add", str(f), "--region", "安徽省六安市", "--period", "2024-H1", "--sources", str(sources)])
    assert res.exit_code == 1 and "not added" in res.output
    assert list(sources.iterdir()) == []


# A cell-per-paragraph table whose header names no rule knows (my own words and numbers).
UNKNOWN_HEADER = """某县2023年重点工作一季度推进表

序号

工作名称和要求

推进现状

承担部门

1

新建村级养老服务站12个。

已建成5个,其余7个完成选址。

县民政局

2

改造农村公路40公里。

已完工18公里。

县交通运输局
"""


def _add(tmp_path, text, *extra):
    sources = tmp_path / "sources"
    sources.mkdir(exist_ok=True)
    f = tmp_path / "b.txt"
    f.write_text(text, encoding="utf-8")
    res = runner.invoke(app, ["add", str(f), "--region", "安徽省六安市金寨县", "--period", "2023-Q1",
                              "--id", "t_county", "--sources", str(sources), *extra])
    return sources, res


def test_add_without_a_recognised_header_writes_an_entry_to_finish(tmp_path):
    sources, res = _add(tmp_path, UNKNOWN_HEADER)
    assert res.exit_code == 0, res.output
    assert "unfinished" in res.output
    # it names the cells it did not recognise
    assert "header cells not recognised: 工作名称和要求、推进现状、承担部门" in res.output
    text = (sources / "t_county" / "source.yaml").read_text(encoding="utf-8")
    assert "NOT FINISHED" in text and "工作名称和要求" in text
    spec = yaml.safe_load(text)
    assert spec["layout"] == "cell_lines" and spec["period"] == {"year": 2023, "quarter": 1}
    # the person finishes it: columns named in the YAML, then preview by id shows the rows
    spec["columns"] = {"工作名称和要求": "task", "推进现状": "progress", "承担部门": "lead_units"}
    (sources / "t_county" / "source.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    res = runner.invoke(app, ["preview", "t_county", "--sources", str(sources)])
    assert res.exit_code == 0, res.output
    assert "rows per table: 1: 2" in res.output and "县交通运输局" in res.output
    res = runner.invoke(app, ["validate", "--sources", str(sources)])
    assert res.exit_code == 0 and "1 valid" in res.output


def test_add_with_columns_option_parses_at_once(tmp_path):
    sources, res = _add(tmp_path, UNKNOWN_HEADER, "--columns", "工作名称和要求=task,推进现状=progress,承担部门=lead_units")
    assert res.exit_code == 0, res.output
    assert "added" in res.output and "unfinished" not in res.output and "2 rows" in res.output
    spec = yaml.safe_load((sources / "t_county" / "source.yaml").read_text(encoding="utf-8"))
    assert spec["columns"]["推进现状"] == "progress"


def test_add_rejects_a_bad_columns_option(tmp_path):
    sources, res = _add(tmp_path, UNKNOWN_HEADER, "--columns", "推进现状=progres")
    assert res.exit_code == 1 and "unknown role" in res.output
    assert list(sources.iterdir()) == []


LONG_HEADER = """序号 | 重点任务 | 进展情况、存在问题及下一步打算 | 牵头单位 |
1 | 新建污水管网8公里 | 已铺设3公里;雨季影响工期,下一步加派班组。 | 区住建局 |
2 | 培育规上企业6家 | 已入库2家。 | 区经信局 |
"""


def test_a_long_header_cell_matches_when_named_in_columns(tmp_path):
    f = tmp_path / "b.txt"
    f.write_text(LONG_HEADER, encoding="utf-8")
    res = runner.invoke(app, ["preview", str(f)])
    assert "进展情况、存在问题及下一步打算 → progress" not in res.output  # too long for the rules
    res = runner.invoke(app, ["preview", str(f), "--columns", "进展情况、存在问题及下一步打算=progress"])
    assert res.exit_code == 0, res.output
    assert "进展情况、存在问题及下一步打算 → progress" in res.output
    assert "已铺设3公里" in res.output


def test_header_line_takes_unknown_cells_as_the_header(tmp_path):
    f = tmp_path / "b.txt"
    f.write_text("某区重点工作\n编号 | 干什么 | 干得怎样 | 谁来干 |\n1 | 修路3公里 | 已修1公里。 | 区交通局 |\n",
                 encoding="utf-8")
    res = runner.invoke(app, ["preview", str(f), "--layout", "pipe", "--header-line", "2",
                              "--columns", "编号=seq,干什么=task,干得怎样=progress,谁来干=lead_units"])
    assert res.exit_code == 0, res.output
    assert "rows per table: 1: 1" in res.output and "区交通局" in res.output


def test_preview_of_an_unknown_id_says_so(tmp_path):
    res = runner.invoke(app, ["preview", "no_such_source", "--sources", str(tmp_path)])
    assert res.exit_code == 1 and "no registered source" in res.output


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


WARN_TABLE = """序号 | 重点工作 | 牵头单位 | 进展情况 | 备注 |
1 | 建成充电桩300个 | 区发改委 区能源局 | 已建成180个。 | 年底前完成 |
2 | 完成河道清淤20公里 | 区水利局 赵某某 | 已清淤11公里。 |
3 | 培训农民工500人 | 区人社局 | 已培训2"""


def test_preview_warns_about_short_rows_units_people_and_a_cut_last_row(tmp_path):
    f = tmp_path / "b.txt"
    f.write_text(WARN_TABLE, encoding="utf-8")
    res = runner.invoke(app, ["preview", str(f)])
    assert res.exit_code == 0, res.output
    out = " ".join(res.output.split())
    assert "do not have the header's number of cells" in out and "2 (line 3)" in out
    assert "also name a person" in out
    assert "units separated by a space" in out and "1 (line 2)" in out
    assert "the last row looks cut off" in out and "3 (line 4)" in out


def test_preview_suggests_options_the_shape_calls_for(tmp_path):
    f = tmp_path / "b.txt"
    f.write_text("# saved from a page\n截至9月底,城东菜市场改造、社区食堂建设、背街小巷整治等3个项目已完成。\n"
                 "其余项目有序推进。\n下一步将加快进度。\n", encoding="utf-8")
    res = runner.invoke(app, ["preview", str(f)])
    out = " ".join(res.output.split())
    assert "comment_prefix" in out and "3 task(s) are named in lists in the prose (lines 2)" in out


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

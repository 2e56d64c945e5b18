"""The report's pure parts on small frames of their own: shaping, chart specs, HTML, the SQL
shell, English labels, and the GX expectation listings (no warehouse needed)."""

from __future__ import annotations

import io

import duckdb
import pandas as pd
import pytest

from ingestion.model import STATUS_ENUM
from reporting import charts
from reporting import frames as fr
from reporting.page import Section, _script_json, render_page, table_html

STATUSES = pd.DataFrame({
    "status": list(STATUS_ENUM),
    "label_zh": ["完成", "超前", "正常", "落后", "不适", "不明"],
    "label_en": ["Done", "Ahead", "Normal", "Late", "N/A", "?"],
    "sort_order": range(1, len(STATUS_ENUM) + 1),
})


def _scorecard_row(region, region_en, period, rows, inferred, printed_rows=0, printed=None):
    row = {"region_code": "111111", "region_name": region, "region_name_en": region_en, "period_label": period,
           "task_rows": rows, "printed_rows": printed_rows, "status_conflict_rows": 0}
    for basis, shares in (("inferred", inferred), ("printed", printed or {})):
        for s in STATUS_ENUM:
            row[f"{basis}_{s}_share"] = shares.get(s, 0.0 if basis == "inferred" or printed_rows else None)
    return row


def test_scorecard_long_keeps_text_and_print_apart_and_ranks_by_behind():
    sc = pd.DataFrame([
        _scorecard_row("甲区", "Jia District", "2024-Q2", 10, {"on_track": 0.9, "behind": 0.1}),
        _scorecard_row("乙市", "Yi City", "2024-Q4", 4, {"completed": 0.5, "behind": 0.5}, printed_rows=4,
                       printed={"completed": 1.0}),
        _scorecard_row(None, None, None, 2, {"unknown": 1.0}),
    ])
    long = fr.scorecard_long(sc, STATUSES)
    assert fr.place_order(long) == ["乙市 Yi City 2024-Q4 · n=4", "甲区 Jia District 2024-Q2 · n=10",
                                    f"{fr.NO_REGION} {fr.NO_PERIOD} · n=2"]
    # every place has the text basis; only the one that prints a status has the printed basis
    bases = long.groupby("place")["basis"].unique().map(set).to_dict()
    assert bases["乙市 Yi City 2024-Q4 · n=4"] == set(fr.BASES.values())
    assert bases["甲区 Jia District 2024-Q2 · n=10"] == {fr.BASES["inferred"]}
    # shares per place and basis add up to the frame's, per status, in the enum's order
    for _, g in long.groupby(["place", "basis"]):
        assert g["share"].sum() == pytest.approx(1.0)
        assert list(g["status"]) == list(STATUS_ENUM)
    printed = long[(long["basis"] == fr.BASES["printed"]) & (long["status"] == "completed")]
    assert printed["share"].tolist() == [1.0] and printed["status_label"].tolist() == ["完成 Done"]


def test_behind_by_function_keeps_functions_with_behind_rows_most_first():
    df = pd.DataFrame({
        "function_code": ["a", "a", "b", "c"], "function_name": ["Alpha", "Alpha", "Beta", "Gamma"],
        "function_name_zh": ["甲", "甲", "乙", None], "region_name": ["x市", "y市", "x市", "x市"],
        "region_name_en": ["X City", "Y City", "X City", "X City"], "period_label": ["2024-H1"] * 4,
        "behind_rows": [1, 2, 0, 4], "task_rows": [4, 4, 3, 8],
    })
    out = fr.behind_by_function(df, top=2)
    assert list(dict.fromkeys(out["function_label"])) == ["c", "甲 Alpha"]  # no zh name: the code
    assert "乙 Beta" not in set(out["function_label"])  # nothing behind
    assert out.loc[out["place"] == "y市 Y City 2024-H1", "behind_share"].item() == 0.5
    assert fr.behind_by_function(df.assign(behind_rows=0)).empty


def test_growth_targets_only_growth_against_growth():
    df = pd.DataFrame({
        "indicator_code": ["gdp", "gdp", "jobs"], "indicator_name": ["生产总值"] * 2 + ["就业"],
        "indicator_name_en": ["GDP", "GDP", "Jobs"], "region_name": ["甲区", "乙区", "甲区"],
        "region_name_en": ["Jia", "Yi", "Jia"], "period_label": ["2024"] * 3,
        "target_kind": ["growth_pct", "growth_pct", "count"], "target_value": [6.0, 7.0, 100.0],
        "actual_kind": ["growth_pct", "share_pct", "count"], "actual_value": [3.0, 50.0, 120.0],
    })
    out = fr.growth_targets(df)
    assert out["row_label"].tolist() == ["生产总值 · 甲区 2024"]
    assert out["gap"].tolist() == [-3.0]


def test_coverage_long_shares_and_reconciliation_summary():
    cov = pd.DataFrame({"source_id": ["s1"], "total_lines": [10], "row_lines": [6], "furniture_lines": [3],
                        "quarantined_lines": [1], "unaccounted_lines": [0]})
    long = fr.coverage_long(cov)
    assert long["share"].sum() == pytest.approx(1.0)
    assert long.set_index("part").loc["task rows 任务行", "lines"] == 6
    rec = pd.DataFrame({"source_id": ["s1", "s1", "s2"], "matches": [True, False, None],
                        "difference": [0, -3, None]})
    summary = fr.reconciliation_summary(rec).set_index("source_id")
    assert summary.loc["s1"].to_dict() == {"stated_figures": 2, "matching": 1, "largest_difference": 3,
                                           "mismatching": 1}
    assert summary.loc["s2", "mismatching"] == 1


def test_conflict_pairs_count_printed_against_text():
    df = pd.DataFrame({"region_name": ["甲区"] * 3, "region_name_en": ["Jia District"] * 3,
                       "period_label": ["2024-Q4"] * 3, "status_reported": ["序时推进", "序时推进", "已完成"],
                       "status_inferred_zh": ["滞后"] * 3})
    out = fr.conflict_pairs(df)
    assert out.to_dict("records")[0] == {"place": "甲区 Jia District 2024-Q4", "pair": "序时推进 → 滞后", "rows": 2}
    assert fr.conflict_pairs(df.iloc[0:0]).empty


def test_each_chart_asks_its_question_with_its_data_and_a_cjk_font():
    sc = pd.DataFrame([_scorecard_row("甲区", "Jia District", "2024-Q2", 10, {"on_track": 0.9, "behind": 0.1})])
    spec = charts.spec(charts.scorecard_chart(fr.scorecard_long(sc, STATUSES), STATUSES))
    assert spec["title"]["text"].endswith("?")
    assert "Noto Sans CJK SC" in spec["config"]["font"]
    values = next(iter(spec["datasets"].values()))
    assert {v["status"] for v in values} == set(STATUS_ENUM)
    assert spec["encoding"]["color"]["scale"]["domain"][0] == "完成 Done"  # the labels, in sort order


def test_scorecard_png_renders_without_a_browser():
    sc = pd.DataFrame([_scorecard_row("甲区", "Jia District", "2024-Q2", 10, {"on_track": 0.9, "behind": 0.1})])
    png = charts.png(charts.spec(charts.scorecard_chart(fr.scorecard_long(sc, STATUSES), STATUSES)))
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 2000


def test_html_escapes_cells_and_scripts():
    html = table_html(pd.DataFrame({"a": ["<script>x</script>", None], "n": [1.23456, 2.0]}))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<td class="num">1.235</td>' in html
    assert _script_json({"t": "</script>"}) == '{"t": "<\\/script>"}'
    page = render_page("T", "S", [Section("one", "One", {"mark": "bar"}), Section("two", "Two")], vega_js="/*js*/")
    assert 'id="chart-one"' in page and 'id="chart-two"' not in page and "/*js*/" in page


def test_sql_shell_splits_statements_and_stays_read_only(tmp_path, capsys):
    from reporting.shell import run, statements

    assert list(statements(["select 1;\n", ".tables\n", "select\n", "  2;\n", "select 3"])) == [
        "select 1;", ".tables", "select\n  2;", "select 3"]
    db = tmp_path / "p.duckdb"
    con = duckdb.connect(str(db))
    con.execute("create schema mart; create table mart.t as select 42 as answer")
    con.close()
    ro = duckdb.connect(str(db), read_only=True)
    err = io.StringIO()
    assert run(ro, "select answer from mart.t;", err)
    assert run(ro, ".tables", err)
    assert "42" in capsys.readouterr().out
    assert run(ro, "drop table mart.t;", err) and "read-only" in err.getvalue().lower()
    assert not run(ro, ".quit", err)
    ro.close()


@pytest.mark.parametrize(("name", "english"), [
    ("相山区", "Xiangshan District"), ("六安市", "Lu'an City"), ("安徽省", "Anhui Province"),
    ("泾县", "Jing County"), ("西安市", "Xi'an City"), ("城区", "Cheng District"), ("", None),
])
def test_region_names_in_pinyin_with_their_kind(name, english):
    from ingestion.labels import region_name_en

    assert region_name_en(name) == english


def test_gx_checks_list_every_expectation_and_mark_the_failed_one():
    from expectations.runner import ExpectationFailure, ValidationOutcome, describe_suite
    from expectations.suites import DATASETS
    from orchestration.defs.quality.gx import result_from_outcome

    suite = DATASETS["raw_task_rows"].suite()
    listed = describe_suite(suite)
    assert len(listed) == len(suite.expectations) and all(e["key"] for e in listed)
    first = listed[0]
    failure = ExpectationFailure(first["expectation"], first["columns"], "error", 1, 2, kwargs=first["arguments"])
    res = result_from_outcome(ValidationOutcome("raw_task_rows", "raw.task_rows", 2, len(listed), [failure]),
                              listed)
    # the metadata carries the whole outcome, which the report of the same run reuses
    again = ValidationOutcome.from_json(res.metadata["outcome"].value)
    assert again.failures == [failure] and again.rows_checked == 2 and not again.success
    table = res.metadata["expectation_list"].value
    assert table.count("\n") == len(listed) + 1  # header, rule, one line per expectation
    assert table.count("**FAILED**") == 1 and table.count("| passed |") == len(listed) - 1


def test_vega_bundle_is_cached_per_vl_convert_version(tmp_path):
    import importlib.metadata

    from reporting.charts import vega_bundle

    js = vega_bundle.__wrapped__(tmp_path)
    cached = tmp_path / f"vega-bundle-{importlib.metadata.version('vl-convert-python')}.js"
    assert cached.read_text(encoding="utf-8") == js and "vegaEmbed" in js
    cached.write_text("/* from the cache */", encoding="utf-8")
    assert vega_bundle.__wrapped__(tmp_path) == "/* from the cache */"

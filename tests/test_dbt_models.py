"""The dbt project (dbt_project/) against a small synthetic warehouse.

One ``dbt build`` per test session (module fixture): raw rows are written the way ingestion does
(``ingestion.load.write_source`` with hand-made ``ParseResult``s), plus one new city added with
YAML alone and ingested for real (``ingestion.pipeline.ingest_source``); then dbt builds staging
and the mart into the same temporary DuckDB file (WAREHOUSE_PATH). The tests read the result back.
(The seed warehouse, from the shipped bulletins, is tests/conftest.py's ``seed_warehouse``.)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from ingestion import periods
from ingestion.load import write_source
from ingestion.model import FurnitureLine, ParseResult, QuarantinedLine, SourceIssue, StatedTotal, TaskRow

REPO = Path(__file__).resolve().parent.parent
DBT_PROJECT = REPO / "dbt_project"
DBT = Path(sys.executable).with_name("dbt")

pytestmark = pytest.mark.slow

NBSP = "\u00a0"

# A city whose layout is not among the seeds: one row per line, columns 序号 | 工作事项 | 牵头单位 |
# 进度安排 | 进展情况 | 完成情况, where 完成情况 holds the status, in the city's own words.
NEW_CITY_TEXT = """杜集区2024年三季度重点工作推进情况
序号 | 工作事项 | 牵头单位 | 进度安排 | 进展情况 | 完成情况 |
1 | 新建5G基站100个 | 区经信局 | 三季度完成80个 | 已建成82个。 | 达序推进 |
2 | 完成老旧小区改造10个 | 区住建局、区财政局 | 三季度开工10个 | 已开工6个,4个正在招标。 | 差一点 |
3 | 举办招商推介会3场 | 区商务局 | 三季度完成2场 | 已举办3场。 | 已完成 |
"""
NEW_CITY_YAML = """source_id: duji_2024q3
file: bulletin.txt
jurisdiction: {province: 安徽省, city: 淮北市, county: 杜集区}
period: {year: 2024, quarter: 3}
layout: pipe
columns: {完成情况: status}
status_words: {差一点: behind}
"""

REGIONS = {
    "340000": {
        "region_code": "340000",
        "region_name": "安徽省",
        "full_name": "安徽省",
        "level": "province",
        "parent_code": None,
        "province_code": "340000",
        "city_code": None,
    },
    "340600": {
        "region_code": "340600",
        "region_name": "淮北市",
        "full_name": "安徽省淮北市",
        "level": "city",
        "parent_code": "340000",
        "province_code": "340000",
        "city_code": "340600",
    },
    "340603": {
        "region_code": "340603",
        "region_name": "相山区",
        "full_name": "安徽省淮北市相山区",
        "level": "district",
        "parent_code": "340600",
        "province_code": "340000",
        "city_code": "340600",
    },
    "341500": {
        "region_code": "341500",
        "region_name": "六安市",
        "full_name": "安徽省六安市",
        "level": "city",
        "parent_code": "340000",
        "province_code": "340000",
        "city_code": "341500",
    },
}


def _meta(source_id: str, region_code: str | None, period_label: str | None, layout: str) -> dict:
    span = periods.span(**periods.parse_printed(period_label)) if period_label else None
    return {
        "source_id": source_id,
        "source_file": f"data/sources/{source_id}/bulletin.txt",
        "file_sha256": "0" * 64,
        "encoding": "utf-8",
        "layout": layout,
        "title": f"{source_id} 重点工作完成情况",
        "province": "安徽省",
        "city": None,
        "county": None,
        "region_code": region_code,
        **periods.raw_columns(span),
        "publisher": None,
        "published": None,
        "url": None,
        "unknown_reason": None if region_code else "anonymised fragments",
    }


def _write(db_path, meta, res, derived, **kw) -> None:
    """write_source, with the printed status normalised as ingestion does it
    (ingestion.normalize.signals fills raw.row_signals.status_reported_norm)."""
    from ingestion.normalize.vocabulary import normalise_reported

    by_key = {(r.table_no, r.row_no): r for r in res.rows}
    for sig in derived.get("raw.row_signals", []):
        row = by_key[(sig["table_no"], sig["row_no"])]
        sig.setdefault("status_reported_norm", normalise_reported(row.status_reported))
    write_source(db_path, meta, res, derived, **kw)


def _signal(
    table_no: int,
    row_no: int,
    status: str,
    rule: str | None = None,
    pct: float | None = None,
    masked: bool = False,
) -> dict:
    return {
        "table_no": table_no,
        "row_no": row_no,
        "status_inferred": status,
        "inference_rule": rule,
        "inference_evidence": f"evidence for {rule}" if rule else None,
        "status_confidence": ("high" if pct is not None else "medium") if rule else None,
        "completion_pct": pct,
        "masked_figures": masked,
    }


def load_synthetic(db_path: Path) -> None:
    """Three sources: a district quarterly table with a status column, a city half-year bulletin
    with two tables and no status column, and a narrative source with no region or period."""
    # --- 相山区 2024-Q4: status precedence cases
    rows = [
        TaskRow(
            1,
            1,
            1,
            1,
            10,
            12,
            category="一、经济发展",
            task_text="地区生产总值增长6%",
            progress_text="全年增长6.2%\n完成年度任务",
            lead_units=["区发改委"],
            cooperating_units=["区财政局", "开发区"],
            leader="张三",
            responsible_person="李四",
            status_reported="已完成",
        ),  # reported completed; text says on_track: a difference of degree, not a conflict
        TaskRow(
            1,
            2,
            2,
            1,
            13,
            14,
            task_text="规上工业增加值增长8%",
            lead_units=["区经信局"],
            status_reported="序时 推进",
        ),  # whitespace inside the word is ignored
        TaskRow(
            1,
            3,
            2,
            2,
            15,
            15,
            task_text="规上工业增加值增长8%",
            lead_units=["区农水局"],
            status_reported=NBSP,
        ),  # blank cell -> inferred
        TaskRow(
            1, 4, 3, 1, 16, 17, task_text="新建口袋公园3个", lead_units=["区住建局"], status_reported="看情况"
        ),  # word not in the vocabulary
        TaskRow(
            1,
            5,
            4,
            1,
            18,
            18,
            task_text="其他工作",
            lead_units=[NBSP, " 渠沟镇 "],
            status_reported=None,
            progress_text=f"{NBSP} ",
        ),
    ]
    res = ParseResult(
        layout="cell_lines",
        total_lines=20,
        rows=rows,
        furniture=[FurnitureLine(n, "", "blank") for n in range(1, 8)] + [FurnitureLine(9, "序号", "header")],
        quarantine=[
            QuarantinedLine(8, "???", "not recognised"),
            QuarantinedLine(19, "x", "not recognised"),
            QuarantinedLine(20, "y", "not recognised"),
        ],
        stated_totals=[
            StatedTotal("rows", 5, 3, "分解成5小项"),
            StatedTotal("completed", 1, 3, "完成的工作有1项"),
            StatedTotal("on_track", 2, 3, "按照序时推进的工作有2项"),
        ],
        headers={1: [("序号", "seq"), ("年度目标", "task"), ("完成状况", "status")]},
    )
    derived = {
        "raw.row_signals": [
            _signal(1, 1, "on_track", "pct_vs_elapsed", 95.0),
            _signal(1, 2, "unknown"),
            _signal(1, 3, "behind", "behind_words"),
            _signal(1, 4, "completed", "done_words"),
            _signal(1, 5, "unknown"),
        ],
        "raw.indicators": [
            {
                "table_no": 1,
                "row_no": 1,
                "indicator_code": "gdp",
                "indicator_name": "地区生产总值",
                "target_kind": "growth_pct",
                "target_value": 6.0,
                "target_unit": "%",
                "target_text": "增长6%",
                "actual_kind": "growth_pct",
                "actual_value": 6.2,
                "actual_unit": "%",
                "actual_text": "增长6.2%",
                "met": True,
                "rule": "growth_vs_growth",
                "indicator_name_en": "Gross regional product (GDP)",  # what Indicator.record() adds
            },
        ],
    }
    _write(
        db_path,
        _meta("xs_test", "340603", "2024-Q4", "cell_lines"),
        res,
        derived,
        regions=[REGIONS[c] for c in ("340603", "340600", "340000")],
    )

    # --- 六安市 2024-H1: two tables, no status column, spelling variants of one function
    rows = [
        TaskRow(
            1,
            1,
            1,
            1,
            5,
            7,
            task_text="新开工亿元以上项目170个",
            progress_text="已开工145个,占87.9%",
            lead_units=["市发改委"],
        ),
        TaskRow(
            2,
            1,
            1,
            1,
            9,
            10,
            task_text="力争实施技改项目400个",
            progress_text="正在推进",
            lead_units=["市发展改革委", "市工信局"],
            cooperating_units=["各县区政府"],
        ),
    ]
    res = ParseResult(
        layout="cell_lines",
        total_lines=10,
        rows=rows,
        furniture=[FurnitureLine(n, "", "blank") for n in (1, 2, 3, 4, 8)],
        quarantine=[],
    )
    derived = {
        "raw.row_signals": [_signal(1, 1, "completed", "pct_vs_elapsed", 87.9), _signal(2, 1, "unknown")]
    }
    _write(
        db_path,
        _meta("la_test", "341500", "2024-H1", "cell_lines"),
        res,
        derived,
        regions=[REGIONS[c] for c in ("341500", "340000")],
    )

    # --- narrative fragments: no region, no period
    rows = [
        TaskRow(
            1,
            1,
            None,
            1,
            1,
            1,
            task_text="园区工作",
            progress_text="已完成*项",
            flags=["narrative_item", "masked_figures"],
        )
    ]
    res = ParseResult(
        layout="narrative",
        total_lines=2,
        rows=rows,
        furniture=[FurnitureLine(2, "", "blank")],
        quarantine=[],
        issues=[SourceIssue("no_jurisdiction", "anonymised")],
    )
    derived = {"raw.row_signals": [_signal(1, 1, "completed", "done_words", masked=True)]}
    _write(db_path, _meta("frag_test", None, None, "narrative"), res, derived)


def load_new_city(db_path: Path, sources: Path) -> None:
    """The YAML-only city, through the real registry and ingestion."""
    from ingestion.pipeline import ingest_source
    from ingestion.registry import load_registry

    folder = sources / "duji_2024q3"
    folder.mkdir(parents=True)
    (folder / "bulletin.txt").write_text(NEW_CITY_TEXT, encoding="utf-8")
    (folder / "source.yaml").write_text(NEW_CITY_YAML, encoding="utf-8")
    reg = load_registry(sources)
    assert not reg.errors, reg.errors
    ingest_source(reg.get("duji_2024q3"), db_path)


def run_dbt(args: list[str], warehouse: Path, cwd: Path = REPO) -> subprocess.CompletedProcess:
    # plain output (no colour codes) for the tests that read dbt's result lines
    env = {**os.environ, "WAREHOUSE_PATH": str(warehouse), "DO_NOT_TRACK": "1", "DBT_USE_COLORS": "false"}
    return subprocess.run(
        [str(DBT), *args, "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def dbt_build(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """The synthetic warehouse and the output of its one ``dbt build``: models, data tests and
    dbt's unit tests (the warehouse builds exclude them, orchestration.defs.dbt.args.BUILD_EXCLUDES;
    here each runs right after its model's parents are built, whose column types it reads)."""
    db = tmp_path_factory.mktemp("dbt") / "warehouse.duckdb"
    load_synthetic(db)
    load_new_city(db, db.parent / "sources")
    proc = run_dbt(["build", "--target-path", str(db.parent / "target"), "--log-path", str(db.parent / "logs")], db)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-3000:]
    return db, proc


@pytest.fixture(scope="module")
def warehouse(dbt_build) -> Path:
    return dbt_build[0]


@pytest.fixture(scope="module")
def con(warehouse):
    c = duckdb.connect(str(warehouse), read_only=True)
    yield c
    c.close()


def q(con, sql: str, params=None) -> list[tuple]:
    return con.execute(sql, params or []).fetchall()


CONTRACT = {
    "task_progress": {
        "source_id": "VARCHAR",
        "region_code": "VARCHAR",
        "region_name": "VARCHAR",
        "period_label": "VARCHAR",
        "table_no": "INTEGER",
        "task_seq": "INTEGER",
        "sub_seq": "INTEGER",
        "category": "VARCHAR",
        "task_text": "VARCHAR",
        "period_target": "VARCHAR",
        "progress_text": "VARCHAR",
        "lead_units": "VARCHAR[]",
        "cooperating_units": "VARCHAR[]",
        "leader": "VARCHAR",
        "responsible_person": "VARCHAR",
        "status_reported": "VARCHAR",
        "status": "VARCHAR",
        "status_method": "VARCHAR",
        "status_inferred": "VARCHAR",
        "completion_pct": "DOUBLE",
        "task_key": "VARCHAR",
        "match_method": "VARCHAR",
        "match_score": "DOUBLE",
        "source_file": "VARCHAR",
        "line_start": "INTEGER",
        "line_end": "INTEGER",
    },
    "fact_task_progress": {
        "source_id": "VARCHAR",
        "table_no": "INTEGER",
        "row_no": "INTEGER",
        "region_code": "VARCHAR",
        "period_id": "VARCHAR",
        "lead_unit_key": "VARCHAR",
        "status": "VARCHAR",
        "comparable": "BOOLEAN",
        "not_comparable_reason": "VARCHAR",
    },
    "dim_region": {
        "region_code": "VARCHAR",
        "region_name": "VARCHAR",
        "full_name": "VARCHAR",
        "level": "VARCHAR",
        "parent_code": "VARCHAR",
        "province_code": "VARCHAR",
        "city_code": "VARCHAR",
    },
    "dim_period": {
        "period_id": "VARCHAR",
        "period_label": "VARCHAR",
        "year": "INTEGER",
        "period_type": "VARCHAR",
        "start_date": "DATE",
        "end_date": "DATE",
        "elapsed_share": "DOUBLE",
    },
    "dim_unit": {
        "unit_key": "VARCHAR",
        "region_code": "VARCHAR",
        "unit_name": "VARCHAR",
        "canonical_name": "VARCHAR",
        "function_code": "VARCHAR",
        "function_name": "VARCHAR",
        "unit_kind": "VARCHAR",
    },
    "bridge_task_unit": {
        "source_id": "VARCHAR",
        "table_no": "INTEGER",
        "row_no": "INTEGER",
        "unit_key": "VARCHAR",
        "role": "VARCHAR",
    },
    "region_period_scorecard": {
        "region_code": "VARCHAR",
        "period_id": "VARCHAR",
        "task_rows": "INTEGER",
        "completed_rows": "INTEGER",
        "reported_share": "DOUBLE",
        "comparable_rows": "INTEGER",
    },
    "function_scorecard": {
        "function_code": "VARCHAR",
        "region_code": "VARCHAR",
        "period_id": "VARCHAR",
        "task_rows": "INTEGER",
    },
    "indicator_progress": {
        "region_code": "VARCHAR",
        "period_label": "VARCHAR",
        "indicator_code": "VARCHAR",
        "target_value": "DOUBLE",
        "target_unit": "VARCHAR",
        "actual_value": "DOUBLE",
        "actual_unit": "VARCHAR",
        "met": "BOOLEAN",
    },
    "dim_task": {
        "task_key": "VARCHAR",
        "region_code": "VARCHAR",
        "year": "INTEGER",
        "task_text": "VARCHAR",
        "lead_function_code": "VARCHAR",
        "periods_reported": "INTEGER",
    },
    "task_history": {
        "task_key": "VARCHAR",
        "period_label": "VARCHAR",
        "status": "VARCHAR",
        "status_reported": "VARCHAR",
        "status_inferred": "VARCHAR",
        "completion_pct": "DOUBLE",
        "progress_text": "VARCHAR",
        "change": "VARCHAR",
        "match_method": "VARCHAR",
        "match_score": "DOUBLE",
    },
    "source_reconciliation": {
        "source_id": "VARCHAR",
        "table_no": "INTEGER",
        "metric": "VARCHAR",
        "stated_value": "INTEGER",
        "parsed_value": "INTEGER",
        "difference": "INTEGER",
    },
    "source_coverage": {
        "source_id": "VARCHAR",
        "total_lines": "INTEGER",
        "row_lines": "INTEGER",
        "furniture_lines": "INTEGER",
        "quarantined_lines": "INTEGER",
    },
}


@pytest.mark.parametrize("table", sorted(CONTRACT))
def test_contract_columns_and_types(con, table):
    got = dict(
        q(
            con,
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'mart' and table_name = ?",
            [table],
        )
    )
    assert got, f"mart.{table} missing"
    for col, typ in CONTRACT[table].items():
        assert col in got, f"mart.{table}.{col} missing"
        assert got[col] == typ, f"mart.{table}.{col} is {got[col]}, expected {typ}"


def test_schemas_are_named_exactly(con):
    schemas = {r[0] for r in q(con, "select schema_name from information_schema.schemata")}
    assert {"raw", "staging", "mart", "seeds"} <= schemas
    assert not any(s.startswith("main_") for s in schemas)


def test_status_precedence(con):
    got = {
        r[0]: r[1:]
        for r in q(
            con,
            """
        select row_no, status_reported, status, status_method, status_inferred, status_conflict
        from mart.task_progress where source_id = 'xs_test' order by row_no""",
        )
    }
    # reported beats inferred; the conflict flag comes from ingestion (raw.row_signals), which only
    # flags behind-vs-not-behind (see ingestion.normalize.status.conflict and the dbt unit test)
    assert got[1] == ("已完成", "completed", "reported", "on_track", False)
    assert got[2] == ("序时 推进", "on_track", "reported", "unknown", False)
    assert got[3] == (None, "behind", "inferred", "behind", False)  # nbsp-only cell is blank
    assert got[4] == ("看情况", "unknown", "reported", "completed", False)  # unknown word stays unknown
    assert got[5] == (None, "unknown", "none", "unknown", False)
    # the rule, its evidence and its confidence reach the readable mart and the fact
    for table in ("mart.task_progress", "mart.fact_task_progress"):
        ev = q(con, f"select row_no, status_rule, status_evidence, status_confidence from {table} "
                    "where source_id = 'xs_test' and row_no in (1, 2, 3) order by row_no")
        assert ev == [(1, "pct_vs_elapsed", "evidence for pct_vs_elapsed", "high"), (2, None, None, None),
                      (3, "behind_words", "evidence for behind_words", "medium")]
    la = q(
        con,
        "select status, status_method from mart.task_progress where source_id = 'la_test' order by table_no",
    )
    assert la == [("completed", "inferred"), ("unknown", "none")]


def test_task_progress_cells_cleaned(con):
    ((units, coop, text, pct),) = q(
        con,
        """select lead_units, cooperating_units, progress_text, completion_pct
        from mart.task_progress where source_id = 'xs_test' and row_no = 5""",
    )
    assert units == ["渠沟镇"] and coop == [] and text is None and pct is None
    ((prog,),) = q(
        con, "select progress_text from mart.task_progress where source_id = 'xs_test' and row_no = 1"
    )
    assert prog == "全年增长6.2%\n完成年度任务"
    assert q(con, "select count(*) from mart.task_progress")[0][0] == 8 + 3  # synthetic + the new city


def test_elapsed_share(con):
    got = dict(q(con, "select period_label, elapsed_share from mart.dim_period"))
    assert got == {"2024-Q4": 1.0, "2024-H1": 0.5, "2024-Q3": 0.75}
    ((s, e, t),) = q(
        con,
        "select start_date::varchar, end_date::varchar, period_type from mart.dim_period "
        "where period_label = '2024-Q4'",
    )
    assert (s, e, t) == ("2024-10-01", "2024-12-31", "quarter")


def test_units_map_to_comparable_functions(con):
    got = dict(q(con, "select unit_name, function_code from mart.dim_unit"))
    assert got["区发改委"] == got["市发改委"] == got["市发展改革委"] == "development_reform"
    assert got["区经信局"] == got["市工信局"] == "industry_it"
    kinds = dict(q(con, "select unit_name, unit_kind from mart.dim_unit"))
    assert kinds["渠沟镇"] == "township_street" and kinds["开发区"] == "development_zone"
    assert kinds["各县区政府"] == "county_government" and kinds["区发改委"] == "government_department"
    # same printed name in two jurisdictions = two units
    assert (
        q(
            con,
            "select count(distinct region_code) from mart.dim_unit where function_code = 'development_reform'",
        )[0][0]
        == 2
    )


def test_region_period_scorecard_counts(con):
    ((rows, done, on_track, behind, unknown, reported, inferred, comparable),) = q(
        con,
        """
        select task_rows, completed_rows, on_track_rows, behind_rows, unknown_rows, reported_rows,
               inferred_rows, comparable_rows
        from mart.region_period_scorecard where region_code = '340603' and period_id = '2024-Q4'""",
    )
    assert (rows, done, on_track, behind, unknown, reported, inferred, comparable) == (5, 1, 1, 1, 2, 3, 1, 3)
    # like with like: the inferred status over every row, the printed one over the rows that print it
    got = q(con, """
        select inferred_completed_share, inferred_on_track_share, inferred_behind_share, inferred_unknown_share,
               printed_rows, printed_completed_share, printed_on_track_share, printed_unknown_share
        from mart.region_period_scorecard where region_code = '340603' and period_id = '2024-Q4'""")
    assert got == [(0.2, 0.2, 0.2, 0.4, 3, 0.3333, 0.3333, 0.3333)]
    ((printed, printed_done, inferred_done),) = q(con, """
        select printed_rows, printed_completed_share, inferred_completed_share
        from mart.region_period_scorecard where region_code = '341500'""")
    assert (printed, printed_done, inferred_done) == (0, None, 0.5)  # no status printed: no printed share
    ((reason,),) = q(
        con, "select not_comparable_reason from mart.fact_task_progress where source_id = 'frag_test'"
    )
    assert reason == "no_region; no_period"


def test_function_scorecard_compares_across_cities(con):
    got = q(
        con,
        """select region_code, period_id, task_rows from mart.function_scorecard
                    where function_code = 'development_reform' order by region_code""",
    )
    assert got == [("340603", "2024-Q4", 1), ("341500", "2024-H1", 2)]


def test_reconciliation_and_coverage(con):
    got = {
        r[0]: r[1:]
        for r in q(
            con,
            "select metric, stated_value, parsed_value, difference "
            "from mart.source_reconciliation where source_id = 'xs_test'",
        )
    }
    assert got == {"rows": (5, 5, 0), "completed": (1, 1, 0), "on_track": (2, 1, -1)}
    cov = q(
        con,
        "select total_lines, row_lines, furniture_lines, quarantined_lines, complete "
        "from mart.source_coverage where source_id = 'xs_test'",
    )
    assert cov == [(20, 9, 8, 3, True)]


def test_indicator_progress(con):
    got = q(con, "select region_name, period_label, indicator_code, met_label from mart.indicator_progress")
    assert got == [("相山区", "2024-Q4", "gdp", "met")]


def test_default_warehouse_path_from_repo_root_and_project_dir(tmp_path):
    """Without WAREHOUSE_PATH the warehouse is <repo>/data/warehouse.duckdb whether dbt runs from
    the repo root (--project-dir/--profiles-dir dbt_project) or from inside dbt_project/. Checked
    on a copy of the project so the real warehouse is never touched."""
    repo = tmp_path / "repo"
    shutil.copytree(DBT_PROJECT, repo / "dbt_project", ignore=shutil.ignore_patterns("target", "logs"))
    (repo / "data").mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("WAREHOUSE_PATH", "DBT_PROFILES_DIR")}
    # Both invocations in one Python process (dbt's programmatic runner): one interpreter and one
    # dbt import instead of two. Each prints where the warehouse file ended up, then removes it.
    script = f"""
import os, sys
from pathlib import Path
from dbt.cli.main import dbtRunner
repo = Path({str(repo)!r})
db = repo / "data" / "warehouse.duckdb"
for cwd, flags in [(repo, ["--project-dir", "dbt_project", "--profiles-dir", "dbt_project"]),
                   (repo / "dbt_project", [])]:
    os.chdir(cwd)
    res = dbtRunner().invoke(["debug", *flags, "--log-path", {str(tmp_path / "logs")!r}])
    print("RUN", res.success, db.exists())
    if db.exists():
        db.unlink()
"""
    proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                          timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    runs = [ln for ln in proc.stdout.splitlines() if ln.startswith("RUN ")]
    assert runs == ["RUN True True", "RUN True True"], proc.stdout[-3000:]
    assert not (repo / "dbt_project" / "data").exists()


def test_new_city_rows_have_statuses_mapped_by_yaml_alone(con):
    rows = q(con, """select task_seq, status_reported, status, status_method, lead_units, source_file
                     from mart.task_progress where source_id = 'duji_2024q3' order by task_seq""")
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
        (1, "达序推进", "on_track", "reported"),
        (2, "差一点", "behind", "reported"),  # the source's own status word
        (3, "已完成", "completed", "reported"),
    ]
    assert rows[1][4] == ["区住建局", "区财政局"]
    assert rows[0][5].endswith("duji_2024q3/bulletin.txt")
    assert q(con, "select region_code from mart.dim_region where region_name = '杜集区'") == [("340602",)]
    assert q(con, """select region_name, period_label, count(*) from mart.task_progress
                     where source_id = 'duji_2024q3' group by all""") == [("杜集区", "2024-Q3", 3)]


def _column_tests(manifest: dict, model: str) -> dict[tuple[str, str], dict]:
    """(column, test) of a model: its dbt data tests and its enforced contract constraints
    (a ``not_null`` constraint is DuckDB's NOT NULL on the table: a build inserting a NULL fails)."""
    out = {}
    for n in manifest["nodes"].values():
        if n["resource_type"] == "test" and n.get("attached_node") == f"model.bulletin_warehouse.{model}":
            meta = n.get("test_metadata") or {}
            out[(n.get("column_name"), meta.get("name"))] = meta.get("kwargs", {})
    node = manifest["nodes"][f"model.bulletin_warehouse.{model}"]
    if node["config"].get("contract", {}).get("enforced"):
        for col, spec in node["columns"].items():
            for c in spec.get("constraints", []):
                out[(col, c["type"])] = {}
    return out


def test_dbt_unit_tests_pass(dbt_build):
    """Every dbt unit test of the project (fixtures in the model YAMLs) ran in the module's build
    and passed: its PASS line names the model and the test."""
    import json
    import re

    db, proc = dbt_build
    manifest = json.loads((db.parent / "target" / "manifest.json").read_text(encoding="utf-8"))
    units = {(n["model"], n["name"]) for n in manifest["unit_tests"].values()}
    passed = set(re.findall(r"PASS (\w+)::(\w+) ", proc.stdout))
    assert len(units) >= 4 and units <= passed, sorted(units - passed)


def test_not_null_constraints_are_the_tables_not_null_columns(con, dbt_manifest):
    """Every not_null constraint of the marts' YAML is a NOT NULL column of the built table, so
    DuckDB refuses a NULL during the build (what a dbt not_null test found only afterwards)."""
    import json

    manifest = json.loads(dbt_manifest.read_text(encoding="utf-8"))
    want = {(n["name"], col) for n in manifest["nodes"].values()
            if n["resource_type"] == "model" and n.get("schema") == "mart"
            for col, spec in n["columns"].items()
            if any(c["type"] == "not_null" for c in spec.get("constraints", []))}
    have = set(q(con, "select table_name, column_name from duckdb_columns() "
                      "where schema_name = 'mart' and not is_nullable"))
    assert len(want) > 50 and want <= have, sorted(want - have)



def test_mart_column_invariants_are_dbt_tests_on_the_contract_enums(dbt_manifest):
    """Not-null, key and enum checks on the marts live in dbt (GX no longer repeats them); the
    enums they test are the project's (dbt vars = the GX / ingestion enum)."""
    import json

    import yaml

    from expectations.suites import STATUS_ENUM

    manifest = json.loads(dbt_manifest.read_text(encoding="utf-8"))
    tests = _column_tests(manifest, "task_progress")
    for col in ("status", "status_inferred", "status_method"):
        assert (col, "accepted_values") in tests and (col, "not_null") in tests, col
    for col in ("source_id", "table_no", "sub_seq", "task_row_key"):
        assert (col, "not_null") in tests, col
    assert ("task_row_key", "unique") in tests
    assert tests[("status", "accepted_values")]["values"] == "{{ var('statuses') }}"
    project_vars = yaml.safe_load((DBT_PROJECT / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]
    assert project_vars["statuses"] == STATUS_ENUM
    region = _column_tests(manifest, "dim_region")
    assert {("region_code", "unique"), ("region_code", "not_null"), ("region_name", "not_null")} <= set(region)
    period = _column_tests(manifest, "dim_period")
    assert {("period_label", "unique"), ("period_label", "not_null"), ("period_type", "accepted_values")} <= set(period)

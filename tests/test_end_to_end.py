"""The whole warehouse from the shipped bulletins, as `make run` builds it (the session's seed
warehouse, built once by tests/conftest.py): every contract table filled, the seed counts,
statuses in the enum, indicators, unit functions, the build's summary, and re-ingesting every
source changes nothing (idempotent). A new city added with YAML alone is tested in
test_dbt_models.py (real ingestion + dbt, no extra build)."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from ingestion import model

from .conftest import SOURCES

pytestmark = pytest.mark.slow

CONTRACT_TABLES = (
    "task_progress", "fact_task_progress", "dim_region", "dim_period", "dim_unit", "bridge_task_unit",
    "region_period_scorecard", "function_scorecard", "indicator_progress",
)
STATUS_ENUM = set(model.STATUS_ENUM)
TABLES_TO_COUNT = CONTRACT_TABLES + ("source_reconciliation", "source_coverage")
RAW_TABLES = ("sources", "task_rows", "furniture", "quarantine", "row_signals", "indicators", "stated_totals",
              "task_links")


# The five seed bulletins; data/sources also ships the real excerpts of ../shared/realworld (rw*),
# whose rows are counted in tests/test_realworld_sources.py.
SEED_IDS = ("xiangshan_2024q4", "suzhou_2022h1", "yijiang_2023q2", "narrative_fragments", "luan_2024h1")


def _seed_rows(con, relation: str) -> int:
    ids = ", ".join(f"'{s}'" for s in SEED_IDS)
    return con.execute(f"select count(*) from {relation} where source_id in ({ids})").fetchall()[0][0]


def _counts(con, schema: str, tables) -> dict[str, int]:
    return {t: con.execute(f"select count(*) from {schema}.{t}").fetchone()[0] for t in tables}


@pytest.fixture(scope="module")
def built(seed_con):
    return seed_con, [_counts(seed_con, "mart", TABLES_TO_COUNT)]


def q(con, sql):
    return con.execute(sql).fetchall()


def test_every_contract_table_is_filled(built):
    _, runs = built
    assert all(n > 0 for n in runs[0].values()), runs[0]


def test_reingesting_every_source_is_idempotent(seed_warehouse, tmp_path):
    """Staging every source again into a copy of the built warehouse and loading them (one
    transaction, the raw suites once over the batch: what raw_bulletin + raw_tables do) leaves
    every raw table exactly as it was (the marts are a function of raw); so does the one-process
    path (``ingest_source``) for one source."""
    from expectations.runner import check_sources
    from ingestion.load import sync_lake
    from ingestion.pipeline import ingest_source, stage
    from ingestion.registry import load_registry

    db = tmp_path / "warehouse.duckdb"
    shutil.copy2(seed_warehouse.db, db)
    digest = ("select count(*), sum(hash(source_id, table_no, row_no, line_start, line_end, task_text, "
              "progress_text, status_reported)) from raw.task_rows")

    def snapshot():
        con = duckdb.connect(str(db), read_only=True)
        try:
            return _counts(con, "raw", RAW_TABLES), con.execute(digest).fetchone()
        finally:
            con.close()

    before = snapshot()
    reg = load_registry(seed_warehouse.sources)
    for src in reg.sources:
        stage(src, db)
    res = sync_lake(db, check=check_sources)
    assert sorted(res.loaded) == sorted(s.source_id for s in reg.sources) and not res.skipped
    assert snapshot() == before
    ingest_source(reg.sources[0], db)
    assert snapshot() == before
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert _seed_rows(con, "raw.task_rows") == 642
    finally:
        con.close()


def test_build_summary_lists_every_source_and_the_checks(seed_warehouse):
    out = seed_warehouse.stdout
    assert "result: OK" in out
    for sid in (p.name for p in SOURCES.iterdir() if (p / "source.yaml").exists()):
        assert any(line.strip().startswith(sid) and " ok " in line for line in out.splitlines()), sid
    assert "gx_raw_task_rows" in out and "gx_mart_task_progress" in out
    assert (seed_warehouse.export / "task_progress.parquet").exists()
    with duckdb.connect() as con:  # its own connection: the module's default one is shared
        n = _seed_rows(con, f"'{seed_warehouse.export / 'task_progress.parquet'}'")
    assert n == 642


def test_rows_per_jurisdiction_and_period(built):
    con, _ = built
    got = {(r[0], r[1]): r[2] for r in q(con, """
        select region_name, period_label, count(*) from mart.task_progress group by all""")}
    assert got[("相山区", "2024-Q4")] == 155
    assert got[("宿州市", "2022-H1")] == 120
    assert got[("弋江区", "2023-Q2")] == 126
    assert got[("六安市", "2024-H1")] == 191
    # the narrative fragments name no jurisdiction or period, and say so
    assert got[(None, None)] > 0


def test_statuses_are_in_the_enum_with_a_method(built):
    con, _ = built
    assert {r[0] for r in q(con, "select distinct status from mart.task_progress")} <= STATUS_ENUM
    assert {r[0] for r in q(con, "select distinct status_inferred from mart.task_progress")} <= STATUS_ENUM
    assert {r[0] for r in q(con, "select distinct status_method from mart.task_progress")} <= {
        "reported", "inferred", "none"}
    # a status cell always wins over the text
    assert q(con, """select count(*) from mart.task_progress
                     where status_reported is not null and status_method <> 'reported'""") == [(0,)]


def test_every_fact_row_knows_its_source_lines(built):
    con, _ = built
    assert q(con, """select count(*) from mart.task_progress
                     where source_file is null or line_start is null or line_end < line_start""") == [(0,)]


def test_gdp_target_and_actual_for_both_cities(built):
    con, _ = built
    got = {r[0]: r[1:] for r in q(con, """
        select region_name, target_value, actual_value, met from mart.indicator_progress
        where indicator_code = 'gdp' and region_name in ('相山区', '六安市')""")}
    assert got["相山区"] == (6.0, 3.0, False)
    assert got["六安市"] == (7.5, 5.5, False)


def test_lead_unit_mentions_map_to_functions(built):
    con, _ = built
    mapped, total = q(con, """
        select count(*) filter (where u.function_code is not null), count(*)
        from mart.bridge_task_unit b join mart.dim_unit u using (unit_key)
        where b.role = 'lead'""")[0]
    assert total > 600 and mapped / total >= 0.95


def test_reconciliation_reports_the_xiangshan_difference(built):
    con, _ = built
    rows = q(con, """select metric, stated_value, parsed_value from mart.source_reconciliation
                     where source_id = 'xiangshan_2024q4' order by metric""")
    got = {r[0]: (r[1], r[2]) for r in rows}
    assert got["rows"] == (155, 155)
    assert got["completed"] == (93, 93)
    assert got["behind"] == (7, 7)
    assert got["on_track"] == (53, 52)  # the table prints one 序时推进 fewer than its summary says


def test_status_rule_evidence_and_confidence_on_every_decided_row(built):
    con, _ = built
    assert q(con, """select count(*) from mart.task_progress
                     where (status_inferred = 'unknown') <> (status_confidence is null)
                        or (status_inferred <> 'unknown' and (status_rule is null or status_evidence is null))""") == [(0,)]
    assert {r[0] for r in q(con, "select distinct status_confidence from mart.task_progress")} <= {
        *model.STATUS_CONFIDENCE, None}
    # a conflict is the print claiming more than the text, never a vague text
    assert q(con, """select count(*) from mart.task_progress where status_conflict
                     and (status_confidence = 'low' or status_inferred in ('unknown', 'on_track', 'ahead', 'completed')
                          or status_reported is null)""") == [(0,)]


def test_scorecard_inferred_shares_for_every_city_printed_only_where_printed(built):
    con, _ = built
    got = {r[0]: r[1:] for r in q(con, """
        select region_name, inferred_completed_share + inferred_ahead_share + inferred_on_track_share
               + inferred_behind_share + inferred_not_applicable_share + inferred_unknown_share,
               printed_rows, printed_completed_share
        from mart.region_period_scorecard where region_name is not null""")}
    assert {"相山区", "宿州市", "弋江区", "六安市"} <= set(got)  # the seeds, beside the real excerpts
    assert all(abs(total - 1) < 0.001 for total, _, _ in got.values())
    assert got["相山区"][1] == 154 and got["相山区"][2] is not None
    assert all(got[c][1:] == (0, None) for c in ("宿州市", "弋江区", "六安市"))
    # a printed share exists exactly where something is printed
    assert all((printed == 0) == (share is None) for _, printed, share in got.values())


def test_one_unit_row_per_real_unit_and_combined_offices_hold_every_function(built):
    con, _ = built
    # no two units of a jurisdiction share a canonical name
    assert q(con, """select count(*) from (select region_code, canonical_name from mart.dim_unit
                     group by all having count(*) > 1)""") == [(0,)]
    funcs = {r[0] for r in q(con, """select f.function_code from mart.bridge_unit_function f
                                      join mart.dim_unit u using (unit_key) where u.canonical_name = '区农水局'""")}
    assert funcs == {"agriculture_rural", "water_resources"}
    assert {r[0] for r in q(con, "select unit_name from mart.dim_unit where region_code = '340603' "
                                 "and unit_name in ('城投集团', '工投集团', '人才公司', '城投集团工投集团人才公司')")} == {
        "城投集团", "工投集团", "人才公司"}

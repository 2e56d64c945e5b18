"""Great Expectations 1.x suites as code: one function per table, each returning an
``ExpectationSuite``. ``DATASETS`` says how to read each table (a SQL query on the warehouse)
and which key columns identify a failing row in the samples.

Each invariant is checked once: keys and NOT NULL of raw tables are the DDL's (ingestion/load.py);
column tests on the marts (not null, unique, accepted values, relationships) are dbt's (the YAML
beside each model); these suites hold what those cannot express: formats (regexes), ranges and
pairs of columns, conditions that need another table, line coverage across tables.

Severity: an expectation whose ``meta`` says ``{"severity": "warn"}`` is reported but does not
fail the check with ERROR severity (and so does not block downstream assets); every other
expectation is an error.

Kept free of Dagster so the suites can be run from tests, notebooks or the command line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.expectations.row_conditions import Column

from ingestion import model, periods

# The vocabularies of ingestion.model (one home; dbt_project.yml vars are checked against it).
STATUS_ENUM = list(model.STATUS_ENUM)
STATUS_METHODS = list(model.STATUS_METHODS)
PERIOD_LABEL_RE = periods.LABEL_RE
REGION_CODE_RE = r"^\d{6}$"
WARN = {"severity": "warn"}


_CONTEXT = None


def context():
    """The process's ephemeral GX context (in memory, no project folder, no progress bars).
    GX needs an active context even to build a suite."""
    global _CONTEXT
    if _CONTEXT is None:
        from great_expectations.data_context.types.base import ProgressBarsConfig

        _CONTEXT = gx.get_context(mode="ephemeral")
        _CONTEXT.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    return _CONTEXT


def _suite(name: str, *expectations) -> gx.ExpectationSuite:
    context()
    return gx.ExpectationSuite(name=name, expectations=list(expectations))


# ---------------------------------------------------------------------------------------- raw


def raw_task_rows_suite() -> gx.ExpectationSuite:
    """raw.task_rows: line spans, sub-row numbering, task text of numbered rows, every row's
    source loaded. (Keys and NOT NULL columns are the DDL's: ingestion/load.py RAW_DDL.)"""
    return _suite(
        "raw.task_rows",
        gxe.ExpectColumnValuesToBeBetween(column="table_no", min_value=1),
        gxe.ExpectColumnValuesToBeBetween(column="line_start", min_value=1),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="line_end", column_B="line_start", or_equal=True, ignore_row_if="either_value_is_missing"
        ),
        gxe.ExpectColumnValuesToBeBetween(column="sub_seq", min_value=1),
        gxe.ExpectColumnValuesToBeBetween(column="task_seq", min_value=1),
        # A numbered row (the one carrying the printed 序号) has a task.
        gxe.ExpectColumnValuesToNotBeNull(
            column="task_text", row_condition=Column("task_seq").is_not_null()
        ),
        # Cross-table: a task row whose source is not in raw.sources is an orphan.
        gxe.ExpectColumnValuesToBeInSet(column="source_loaded", value_set=[True]),
    )


def raw_sources_suite() -> gx.ExpectationSuite:
    """raw.sources: codes and labels well-formed. (One row per source and NOT NULL columns are
    the DDL's primary key and constraints.)"""
    return _suite(
        "raw.sources",
        gxe.ExpectColumnValuesToMatchRegex(column="file_sha256", regex=r"^[0-9a-f]{64}$"),
        gxe.ExpectColumnValuesToMatchRegex(column="region_code", regex=REGION_CODE_RE),  # nulls ignored
        gxe.ExpectColumnValuesToMatchRegex(column="period_label", regex=PERIOD_LABEL_RE),
        gxe.ExpectColumnValuesToBeBetween(column="total_lines", min_value=1),
        gxe.ExpectColumnValuesToBeBetween(column="row_count", min_value=0),
        # A source without jurisdiction or period must say why.
        gxe.ExpectColumnValuesToNotBeNull(
            column="unknown_reason",
            row_condition=Column("region_code").is_null() | Column("period_label").is_null(),
        ),
    )


def raw_coverage_suite() -> gx.ExpectationSuite:
    """Per source: every line of the raw file is accounted for (task row span, furniture or
    quarantine) and nothing points outside the file."""
    return _suite(
        "raw.coverage",
        gxe.ExpectColumnPairValuesToBeEqual(column_A="lines_accounted", column_B="total_lines"),
        gxe.ExpectColumnValuesToBeBetween(column="lines_out_of_range", min_value=0, max_value=0),
    )


def raw_row_signals_suite() -> gx.ExpectationSuite:
    """raw.row_signals: one signal per task row, inferred status in the enum (NOT NULL: the DDL)."""
    return _suite(
        "raw.row_signals",
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["source_id", "table_no", "row_no"]),
        gxe.ExpectColumnValuesToBeInSet(column="status_inferred", value_set=STATUS_ENUM),
        gxe.ExpectColumnValuesToBeBetween(column="completion_pct", min_value=0),
        gxe.ExpectColumnValuesToBeBetween(column="completion_pct", max_value=1000, meta=WARN),
    )


def raw_table_headers_suite() -> gx.ExpectationSuite:
    """raw.table_headers: one header cell per (source, table, position)."""
    return _suite(
        "raw.table_headers",
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["source_id", "table_no", "position"]),
    )


# --------------------------------------------------------------------------------------- mart


def mart_task_progress_suite() -> gx.ExpectationSuite:
    """mart.task_progress (see the mart contract): formats, line spans, and what needs another
    table (a NULL region/period only where the source names none). Not-null columns, the status
    enums and the row key are dbt tests (models/marts/task_progress.yml)."""
    return _suite(
        "mart.task_progress",
        gxe.ExpectColumnValuesToBeBetween(column="sub_seq", min_value=1),
        gxe.ExpectColumnValuesToMatchRegex(column="region_code", regex=REGION_CODE_RE),  # nulls ignored
        # NULL region only where the source genuinely names no jurisdiction.
        gxe.ExpectColumnValuesToNotBeNull(
            column="region_code", row_condition=Column("source_has_jurisdiction") == True  # noqa: E712 (GX condition DSL)
        ),
        gxe.ExpectColumnValuesToMatchRegex(column="period_label", regex=PERIOD_LABEL_RE),
        gxe.ExpectColumnValuesToNotBeNull(
            column="period_label", row_condition=Column("source_has_period") == True  # noqa: E712 (GX condition DSL)
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="line_end", column_B="line_start", or_equal=True, ignore_row_if="either_value_is_missing"
        ),
        gxe.ExpectColumnValuesToBeBetween(column="completion_pct", min_value=0),
        # A reported status needs the printed cell it came from.
        gxe.ExpectColumnValuesToNotBeNull(
            column="status_reported", row_condition=Column("status_method") == "reported"
        ),
    )


def mart_dim_region_suite() -> gx.ExpectationSuite:
    return _suite(
        "mart.dim_region",
        gxe.ExpectColumnValuesToMatchRegex(column="region_code", regex=REGION_CODE_RE),
        gxe.ExpectColumnValuesToMatchRegex(column="parent_code", regex=REGION_CODE_RE),
        gxe.ExpectColumnValuesToMatchRegex(column="province_code", regex=REGION_CODE_RE),
        gxe.ExpectColumnValuesToMatchRegex(column="city_code", regex=REGION_CODE_RE),
    )


def mart_dim_period_suite() -> gx.ExpectationSuite:
    return _suite(
        "mart.dim_period",
        gxe.ExpectColumnValuesToMatchRegex(column="period_label", regex=PERIOD_LABEL_RE),
        gxe.ExpectColumnValuesToBeBetween(column="elapsed_share", min_value=0, max_value=1),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="end_date", column_B="start_date", or_equal=True, ignore_row_if="either_value_is_missing"
        ),
    )


def mart_indicator_progress_suite() -> gx.ExpectationSuite:
    return _suite(
        "mart.indicator_progress",
        gxe.ExpectColumnValuesToMatchRegex(column="region_code", regex=REGION_CODE_RE),
        gxe.ExpectColumnValuesToMatchRegex(column="period_label", regex=PERIOD_LABEL_RE),
    )


def mart_region_period_scorecard_suite() -> gx.ExpectationSuite:
    return _suite(
        "mart.region_period_scorecard",
        gxe.ExpectColumnValuesToMatchRegex(column="region_code", regex=REGION_CODE_RE),
        gxe.ExpectColumnValuesToMatchRegex(column="period_label", regex=PERIOD_LABEL_RE),
    )


# ------------------------------------------------------------------------------------ datasets


@dataclass(frozen=True)
class Dataset:
    """What to validate: a SQL query over the warehouse, its suite and the columns that name a
    row in failure samples. ``table`` is the warehouse table the check reports on."""

    table: str
    suite: Callable[[], gx.ExpectationSuite]
    sql: str
    keys: tuple[str, ...] = ()
    requires: tuple[str, ...] = field(default=())  # tables that must exist to run the query
    # Column names fixed by the mart contract: a missing column is an error. Otherwise an
    # expectation on a column the table does not have is reported as a warning and skipped.
    strict_columns: bool = True

    @property
    def name(self) -> str:
        return self.suite.__name__.removesuffix("_suite")


_COVERAGE_SQL = """
with claims as (
    select source_id, unnest(generate_series(line_start, line_end)) as line_no
    from raw.task_rows where line_start <= line_end
    union all select source_id, line_no from raw.furniture
    union all select source_id, line_no from raw.quarantine
)
select s.source_id,
       coalesce(s.total_lines, 0) as total_lines,
       count(distinct c.line_no) filter (where c.line_no between 1 and s.total_lines) as lines_accounted,
       count(c.line_no) filter (where c.line_no < 1 or c.line_no > s.total_lines) as lines_out_of_range
from raw.sources s left join claims c using (source_id)
group by all
order by s.source_id
"""

_JURISDICTION = (
    "(s.province is not null or s.city is not null or s.county is not null or s.region_code is not null)"
)

DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        Dataset("raw.task_rows", raw_task_rows_suite,
                "select t.* exclude (lead_units, cooperating_units, flags), s.source_id is not null as source_loaded "
                "from raw.task_rows t left join raw.sources s using (source_id)",
                keys=("source_id", "table_no", "row_no"), requires=("raw.task_rows", "raw.sources")),
        Dataset("raw.sources", raw_sources_suite, "select * from raw.sources", keys=("source_id",)),
        Dataset("raw.task_rows", raw_coverage_suite, _COVERAGE_SQL, keys=("source_id",),
                requires=("raw.sources", "raw.task_rows", "raw.furniture", "raw.quarantine")),
        Dataset("raw.row_signals", raw_row_signals_suite, "select * from raw.row_signals",
                keys=("source_id", "table_no", "row_no")),
        Dataset("raw.table_headers", raw_table_headers_suite, "select * from raw.table_headers",
                keys=("source_id", "table_no", "position")),
        Dataset(
            "mart.task_progress",
            mart_task_progress_suite,
            f"""select t.* exclude (lead_units, cooperating_units),
                       coalesce({_JURISDICTION}, false) as source_has_jurisdiction,
                       coalesce(s.period_label is not null, false) as source_has_period
                from mart.task_progress t left join raw.sources s using (source_id)""",
            keys=("source_id", "table_no", "row_no", "task_seq", "sub_seq"),
            requires=("mart.task_progress", "raw.sources"),
        ),
        Dataset("mart.dim_region", mart_dim_region_suite, "select * from mart.dim_region", keys=("region_code",)),
        Dataset("mart.dim_period", mart_dim_period_suite, "select * from mart.dim_period", keys=("period_label",)),
        Dataset("mart.indicator_progress", mart_indicator_progress_suite, "select * from mart.indicator_progress",
                keys=("source_id", "indicator_code"), strict_columns=False),
        Dataset("mart.region_period_scorecard", mart_region_period_scorecard_suite,
                "select * from mart.region_period_scorecard", keys=("region_code", "period_label"),
                strict_columns=False),
    )
}


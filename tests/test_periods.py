"""The period grammar and the share of the year elapsed (ingestion.periods): the one
implementation the registry, CLI, status rules, raw load and mart.dim_period rely on."""

import datetime as dt
import re

import pytest

from expectations import suites
from ingestion import periods
from ingestion.registry import Period


@pytest.mark.parametrize(
    "text,expected",
    [
        ("2024-Q4", {"year": 2024, "quarter": 4}),
        ("2024q2", {"year": 2024, "quarter": 2}),
        ("2024年四季度", {"year": 2024, "quarter": 4}),
        ("2024年3季度", {"year": 2024, "quarter": 3}),
        ("2024年上半年", {"year": 2024, "half": 1}),
        ("2024年下半年", {"year": 2024, "half": 2}),
        ("2024-H1", {"year": 2024, "half": 1}),
        ("2024-M11", {"year": 2024, "month": 11}),
        ("2024年1-11月", {"year": 2024, "month": 11}),
        ("2024年 5月", {"year": 2024, "month": 5}),
        ("2024", {"year": 2024, "annual": True}),
        ("2024年全年", {"year": 2024, "annual": True}),
        # as printed in official bulletins
        ("2024年第三季度", {"year": 2024, "quarter": 3}),
        ("2024年第一季度", {"year": 2024, "quarter": 1}),
        ("2024年前三季度", {"year": 2024, "month": 9}),  # cumulative Q1-Q3 = January to September
        ("2024年前两季度", {"year": 2024, "month": 6}),
        ("2024年1—11月", {"year": 2024, "month": 11}),  # em dash
        ("2024年1–11月", {"year": 2024, "month": 11}),  # en dash
        ("2024年1－11月份", {"year": 2024, "month": 11}),  # full-width hyphen, 月份
        ("2024年1至11月", {"year": 2024, "month": 11}),
        ("2024年1~11月", {"year": 2024, "month": 11}),
        ("2024年1-2月", {"year": 2024, "month": 2}),  # a Q1 bulletin whose figures run to February
        ("二〇二四年上半年", {"year": 2024, "half": 1}),  # Chinese numerals (cn2an)
        ("二零二四年第四季度", {"year": 2024, "quarter": 4}),
        ("2024年一至十一月", {"year": 2024, "month": 11}),
        ("二〇二三年", {"year": 2023, "annual": True}),
        ("2020年11月份", {"year": 2020, "month": 11}),
        ("二〇二四年", {"year": 2024, "annual": True}),
    ],
)
def test_printed_forms(text, expected):
    assert periods.parse_printed(text) == expected


def test_unknown_form_says_what_is_expected():
    with pytest.raises(ValueError, match="2024-Q4"):
        periods.parse_printed("去年")


@pytest.mark.parametrize(
    "text",
    [
        "2024年7-9月",  # a range not counted from January is not a cumulative period
        "2024年前一季度",  # 'the previous quarter', not Q1
        "2024年13月",
        "2024-M13",
        "2024年第五季度",
        "二〇二四年中",
    ],
)
def test_forms_that_are_refused(text):
    with pytest.raises(ValueError):
        periods.parse_printed(text)


def test_every_printed_form_gives_a_span_with_a_valid_label():
    for text in ("2024年前三季度", "2024年1—11月", "2024年1-2月", "二〇二四年上半年", "2024年第三季度"):
        s = periods.span(**periods.parse_printed(text))
        assert re.match(periods.LABEL_RE, s.label), s.label
    assert periods.span(**periods.parse_printed("2024年前三季度")).label == "2024-M09"
    assert periods.span(**periods.parse_printed("2024年1-2月")).elapsed_share == 2 / 12


@pytest.mark.parametrize(
    "fields,label,kind,start,end,share",
    [
        ({"quarter": 1}, "2024-Q1", "quarter", "2024-01-01", "2024-03-31", 0.25),
        ({"quarter": 4}, "2024-Q4", "quarter", "2024-10-01", "2024-12-31", 1.0),
        ({"half": 1}, "2024-H1", "half", "2024-01-01", "2024-06-30", 0.5),
        ({"month": 11}, "2024-M11", "month", "2024-01-01", "2024-11-30", 11 / 12),  # cumulative from January
        ({"month": 2}, "2024-M02", "month", "2024-01-01", "2024-02-29", 2 / 12),  # leap year
        ({"annual": True}, "2024", "annual", "2024-01-01", "2024-12-31", 1.0),
    ],
)
def test_span(fields, label, kind, start, end, share):
    s = periods.span(2024, **fields)
    assert (s.label, s.kind, s.start.isoformat(), s.end.isoformat(), s.elapsed_share) == (label, kind, start, end, share)
    assert Period(year=2024, **fields).label == label
    assert periods.elapsed_share(Period(year=2024, **fields)) == share
    assert s.is_year_end == (share == 1.0)
    assert re.match(periods.LABEL_RE, label)


def test_q2_and_h1_have_the_same_elapsed_share():
    # bulletins report cumulatively from January: 序时进度 at the end of Q2 is half the year
    assert periods.span(2024, quarter=2).elapsed_share == periods.span(2024, half=1).elapsed_share == 0.5
    assert periods.elapsed_share(None) is None


def test_raw_columns():
    cols = periods.raw_columns(periods.span(2023, month=11))
    assert tuple(cols) == periods.RAW_COLUMNS
    assert cols["period_start"] == dt.date(2023, 1, 1) and cols["period_end_month"] == 11
    assert periods.raw_columns(None) == dict.fromkeys(periods.RAW_COLUMNS)


def test_gx_checks_labels_with_the_same_grammar():
    assert suites.PERIOD_LABEL_RE == periods.LABEL_RE

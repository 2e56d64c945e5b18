"""Reporting periods: the printed forms a period is given in, its label, the span it names and the
share of the year elapsed at its end. The one implementation: the registry (``Period.label``), the
CLI (``--period``), the status rules (序时进度) and the raw load use it, and ``mart.dim_period``
selects what the load wrote (``raw.sources.period_*``, ``elapsed_share``) instead of re-deriving it.

Kinds (the four ``Period`` fields): ``quarter`` (``2024-Q3``), ``half`` (``2024-H1``), ``month``
(``2024-M11``: cumulative from January to November) and ``annual`` (``2024``). Bulletins report
cumulatively from January, so the elapsed share is end month / 12 for every kind (Q2 and H1 both
0.5). A quarter's or half's *span* is its own months; a month label's span starts in January, so
a printed cumulative range is a month label: 1-11月 is ``2024-M11``, 前三季度 (Q1-Q3) ``2024-M09``,
and 1-2月 (a first-quarter bulletin whose figures run to February) ``2024-M02``.

To read another printed form, add a ``(regex, builder)`` to ``PRINTED_FORMS``; the builder returns
the ``Period`` fields (``{"year": 2024, "quarter": 3}``) and a test in tests/test_periods.py.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import cn2an

# kind -> (label code, months per period, whether the label counts from January)
KINDS: dict[str, tuple[str, int, bool]] = {
    "quarter": ("Q", 3, False),
    "half": ("H", 6, False),
    "month": ("M", 1, True),
    "annual": ("A", 12, False),
}
# What a label looks like ('2024', '2024-Q4', '2024-H1', '2024-M03'); GX checks labels with it.
LABEL_RE = r"^\d{4}(?:-(?:Q[1-4]|H[12]|M(?:0[1-9]|1[0-2])))?$"


def _year(m: re.Match) -> int:
    return int(m["year"])


def _month(n: int) -> int:
    if not 1 <= n <= 12:
        raise ValueError(f"month {n} is not 1-12")
    return n


# Between the first and the last month of a cumulative range: 1-11月, 1—11月, 1–11月, 1－11月,
# 1~11月, 1至11月, 1到11月 (Chinese numerals such as 一至十一月 are read by cn2an first).
_RANGE = r"[-—–－~～至到]{1,2}"

Fields = dict[str, int | bool]
# The printed forms of a period, tried in order, on the text with spaces removed and Chinese
# numerals written in digits (``_digits``: 二〇二四年第三季度 -> 2024年第3季度).
PRINTED_FORMS: list[tuple[re.Pattern[str], Callable[[re.Match], Fields]]] = [
    (re.compile(r"^(?P<year>\d{4})-?Q(?P<n>[1-4])$", re.IGNORECASE), lambda m: {"year": _year(m), "quarter": int(m["n"])}),
    (re.compile(r"^(?P<year>\d{4})-?H(?P<n>[12])$", re.IGNORECASE), lambda m: {"year": _year(m), "half": int(m["n"])}),
    (re.compile(r"^(?P<year>\d{4})-?M(?P<n>\d{1,2})$", re.IGNORECASE), lambda m: {"year": _year(m), "month": _month(int(m["n"]))}),
    (re.compile(r"^(?P<year>\d{4})$"), lambda m: {"year": _year(m), "annual": True}),
    # 2024年三季度, 2024年第三季度
    (re.compile(r"^(?P<year>\d{4})年?第?(?P<n>[1-4])季度$"), lambda m: {"year": _year(m), "quarter": int(m["n"])}),
    # 前三季度 / 前两季度: cumulative from January, i.e. a month label (前三季度 = 1-9月 = M09)
    (re.compile(r"^(?P<year>\d{4})年?前(?P<n>[23两])(?:个)?季度$"),
     lambda m: {"year": _year(m), "month": 3 * (2 if m["n"] == "两" else int(m["n"]))}),
    (re.compile(r"^(?P<year>\d{4})年?(?P<n>上|下)半年度?$"), lambda m: {"year": _year(m), "half": 1 if m["n"] == "上" else 2}),
    # 2024年11月, 2024年1-11月 (and the other range marks); 1-2月: a Q1 bulletin whose figures run to February
    (re.compile(rf"^(?P<year>\d{{4}})年?(?:1{_RANGE})?(?P<n>\d{{1,2}})月份?$"), lambda m: {"year": _year(m), "month": _month(int(m["n"]))}),
    (re.compile(r"^(?P<year>\d{4})年?(?:全年|年度)?$"), lambda m: {"year": _year(m), "annual": True}),
]


def _digits(text: str) -> str:
    """Chinese numerals as digits (cn2an): 二〇二四年 -> 2024年, 第三季度 -> 第3季度, 一至十一月 -> 1至11月."""
    try:
        return str(cn2an.transform(text, "cn2an"))
    except (ValueError, KeyError, IndexError):  # a malformed numeral: the forms below decide
        return text


def parse_printed(text: str) -> Fields:
    """The ``Period`` fields of a printed period: '2024-Q4', '2024-H1', '2024-M11', '2024',
    '2024年四季度', '2024年第三季度', '2024年前三季度', '2024年上半年', '二〇二四年上半年',
    '2024年1-11月' (or 1—11月, 1至11月). ValueError when no form matches."""
    t = _digits(re.sub(r"\s+", "", text))
    for pattern, build in PRINTED_FORMS:
        m = pattern.match(t)
        if m:
            return build(m)
    raise ValueError(
        f"period {text!r} not understood; use e.g. 2024-Q4, 2024-H1, 2024-M11, 2024, "
        "2024年第三季度, 2024年前三季度, 2024年上半年 or 2024年1-11月"
    )


@dataclass(frozen=True)
class Span:
    """What a period names: its kind and number, label, dates and elapsed share."""

    year: int
    kind: str  # a key of KINDS
    number: int | None  # quarter 1-4, half 1-2, month 1-12; None for annual
    label: str
    start: dt.date
    end: dt.date
    end_month: int
    elapsed_share: float  # of the year, at the period's end

    @property
    def is_year_end(self) -> bool:
        return self.end_month == 12


def span(year: int, quarter: int | None = None, half: int | None = None, month: int | None = None,
         annual: bool = False) -> Span:
    """The span of a period given as ``Period`` fields (exactly one of quarter/half/month/annual)."""
    given: list[tuple[str, int | None]] = [
        (k, n) for k, n in (("quarter", quarter), ("half", half), ("month", month)) if n
    ]
    if annual:
        given.append(("annual", None))
    if len(given) != 1:
        raise ValueError("give exactly one of quarter, half, month or annual")
    kind, number = given[0]
    code, months, from_january = KINDS[kind]
    end_month = (number or 1) * months
    start_month = 1 if from_january else end_month - months + 1
    if code == "A":
        label = f"{year}"
    elif code == "M":
        label = f"{year}-M{number:02d}"
    else:
        label = f"{year}-{code}{number}"
    return Span(
        year=year,
        kind=kind,
        number=number,
        label=label,
        start=dt.date(year, start_month, 1),
        end=dt.date(year, end_month, calendar.monthrange(year, end_month)[1]),
        end_month=end_month,
        elapsed_share=end_month / 12,
    )


def span_of(period) -> Span | None:
    """The span of a ``registry.Period`` (or anything with its fields); None without a period."""
    if period is None:
        return None
    return span(period.year, getattr(period, "quarter", None), getattr(period, "half", None),
                getattr(period, "month", None), bool(getattr(period, "annual", False)))


def elapsed_share(period) -> float | None:
    """Share of the year elapsed at the period's end (basis of 序时进度); None without a period."""
    s = span_of(period)
    return s.elapsed_share if s else None


def is_year_end(period) -> bool:
    s = span_of(period)
    return s is not None and s.is_year_end


# The period columns of raw.sources (ingestion.load), what mart.dim_period selects.
RAW_COLUMNS = ("period_label", "period_type", "period_year", "period_no", "period_start", "period_end",
               "period_end_month", "elapsed_share")


def raw_columns(s: Span | None) -> dict[str, object]:
    """The raw.sources period columns of a span (all None without a period)."""
    if s is None:
        return dict.fromkeys(RAW_COLUMNS)
    return {
        "period_label": s.label,
        "period_type": s.kind,
        "period_year": s.year,
        "period_no": s.number,
        "period_start": s.start,
        "period_end": s.end,
        "period_end_month": s.end_month,
        "elapsed_share": s.elapsed_share,
    }

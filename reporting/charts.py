"""Charts of the report (altair / Vega-Lite), one question each: the title asks it, in English and
Chinese. Each builder takes the shaped frames of ``reporting.frames`` and returns an altair chart;
``spec`` turns one into the Vega-Lite dict the page embeds and vl-convert renders.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd

from reporting import frames as fr

# Chinese glyphs: Noto Sans CJK (Debian fonts-noto-cjk) in the browser and in vl-convert's PNGs.
FONT = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, WenQuanYi Micro Hei, sans-serif"
WIDTH = 560
STATUS_COLOURS = {  # by status enum value; the legend shows the labels of mart.dim_status
    "completed": "#1a9850",
    "ahead": "#91cf60",
    "on_track": "#a6cee3",
    "behind": "#d73027",
    "not_applicable": "#969696",
    "unknown": "#d9d9d9",
}


def _title(question: str, subtitle: str) -> alt.TitleParams:
    return alt.TitleParams(text=question, subtitle=subtitle, anchor="start", fontSize=15, subtitleFontSize=12)


def _configured(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return chart.configure(font=FONT).configure_view(stroke=None).configure_axis(labelLimit=320)


def scorecard_chart(long: pd.DataFrame, statuses: pd.DataFrame) -> alt.TopLevelMixin:
    """Which places are behind? The share of each place's tasks by the status its text supports."""
    labels = statuses.sort_values("sort_order")
    domain = [fr.status_label(z, e) for z, e in zip(labels["label_zh"], labels["label_en"], strict=True)]
    colours = [STATUS_COLOURS.get(s, "#999999") for s in labels["status"]]
    places = fr.place_order(long)
    chart = (
        alt.Chart(long, title=_title(
            "Which places are behind schedule? 哪些地区的任务滞后?",
            "Share of each region·period's tasks (n rows) by the status its text supports and, beneath, "
            "as printed where the bulletin prints one; most behind first",
        ))
        .mark_bar()
        .encode(
            y=alt.Y("place:N", sort=places, title=None),
            yOffset=alt.YOffset("basis:N", sort=list(fr.BASES.values()), title=None),
            x=alt.X("share:Q", stack="normalize", axis=alt.Axis(format="%"), title="share of task rows 任务占比"),
            color=alt.Color("status_label:N", scale=alt.Scale(domain=domain, range=colours),
                            legend=alt.Legend(title="status 状态", orient="bottom", columns=3)),
            order=alt.Order("sort_order:Q"),
            tooltip=["place", "basis", "status_label", alt.Tooltip("share:Q", format=".1%"), "task_rows"],
        )
        .properties(width=WIDTH, height=max(120, 26 * len(places)))
    )
    return _configured(chart)


def function_chart(behind: pd.DataFrame) -> alt.TopLevelMixin:
    """Which department functions are behind, and where? Behind rows per function × place."""
    base = alt.Chart(behind, title=_title(
        "Which department functions are behind, and where? 哪些部门职能的任务滞后,在哪里?",
        "Tasks behind schedule led by a unit of each function (a combined office counts under each of "
        "its functions); the 20 functions with most",
    ))
    functions = list(dict.fromkeys(behind["function_label"])) if not behind.empty else []
    enc: dict[str, Any] = {
        "y": alt.Y("function_label:N", sort=functions, title=None),
        "x": alt.X("place:N", title=None, axis=alt.Axis(labelAngle=-30)),
    }
    heat = base.mark_rect().encode(
        **enc,
        color=alt.Color("behind_rows:Q", scale=alt.Scale(scheme="orangered"), title="behind 滞后"),
        tooltip=["function_label", "place", "behind_rows", "task_rows",
                 alt.Tooltip("behind_share:Q", format=".0%")],
    )
    text = base.mark_text(fontSize=11).encode(**enc, text="behind_rows:Q")
    chart = alt.layer(heat, text).properties(width=max(200, 90 * behind["place"].nunique()),
                                             height=max(120, 20 * len(functions)))
    return _configured(chart)


def indicator_chart(growth: pd.DataFrame) -> alt.TopLevelMixin:
    """Did the headline indicators reach their growth targets? Target (|) vs actual (●), in %."""
    rows = list(growth["row_label"])
    base = alt.Chart(growth, title=_title(
        "Did headline indicators reach their growth targets? 主要指标是否完成增长目标?",
        "Growth target (grey tick) vs growth reached (dot), %; red: below target. Only growth against growth",
    ))
    y = alt.Y("row_label:N", sort=rows, title=None)
    gap = base.mark_rule(color="#888888").encode(y=y, x=alt.X("target_value:Q", title="growth % 增长"),
                                                   x2="actual_value:Q")
    target = base.mark_tick(color="#555555", thickness=2, size=16).encode(y=y, x="target_value:Q")
    actual = base.mark_circle(size=90, opacity=1).encode(
        y=y, x="actual_value:Q",
        color=alt.condition("datum.gap < 0", alt.value("#d73027"), alt.value("#1a9850")),
        tooltip=["indicator_label", "place", "target_value", "actual_value", "met_label", "target_text",
                 "actual_text"],
    )
    chart = alt.layer(gap, target, actual).properties(width=WIDTH, height=max(120, 22 * len(rows)))
    return _configured(chart)


def coverage_chart(long: pd.DataFrame) -> alt.TopLevelMixin:
    """Is every line of every source accounted for? Lines per source by where they ended."""
    parts = list(fr.COVERAGE_PARTS.values())
    chart = (
        alt.Chart(long, title=_title(
            "Is every line of every bulletin accounted for? 每个来源的每一行都有归属吗?",
            "Share of each source's lines in a task row, furniture (titles, headers, page chrome) or "
            "quarantine (with a reason); unaccounted must be 0",
        ))
        .mark_bar()
        .encode(
            y=alt.Y("source_id:N", title=None),
            x=alt.X("share:Q", stack="normalize", axis=alt.Axis(format="%"), title="share of lines 行占比"),
            color=alt.Color("part:N", scale=alt.Scale(domain=parts,
                                                      range=["#4575b4", "#bdbdbd", "#fdae61", "#d73027"]),
                            legend=alt.Legend(title=None, orient="bottom")),
            order=alt.Order("order:Q"),
            tooltip=["source_id", "part", "lines", "total_lines", alt.Tooltip("share:Q", format=".1%")],
        )
        .properties(width=WIDTH, height=max(120, 18 * long["source_id"].nunique()))
    )
    return _configured(chart)


def conflict_chart(pairs: pd.DataFrame) -> alt.TopLevelMixin:
    """Where does the print claim more than the text supports? Conflicts by printed → inferred."""
    chart = (
        alt.Chart(pairs, title=_title(
            "Where does the print claim more than the text supports? 哪里的报送状态高于文本所支持的?",
            "Rows whose printed status (序时推进 / 已完成 …) the text contradicts, by printed → text-supported status",
        ))
        .mark_bar(color="#d73027")
        .encode(
            y=alt.Y("pair:N", sort="-x", title=None),
            x=alt.X("rows:Q", title="rows 行数"),
            row=alt.Row("place:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")),
            tooltip=["place", "pair", "rows"],
        )
        .properties(width=WIDTH - 160)
    )
    return _configured(chart)


CHARTS: dict[str, tuple[str, Callable[[fr.ReportFrames], alt.TopLevelMixin]]] = {
    "scorecard": ("Scorecard", lambda f: scorecard_chart(fr.scorecard_long(f.scorecard, f.statuses), f.statuses)),
    "functions": ("Behind by department function",
                  lambda f: function_chart(fr.behind_by_function(f.functions))),
    "indicators": ("Headline indicators", lambda f: indicator_chart(fr.growth_targets(f.indicators))),
    "coverage": ("Coverage", lambda f: coverage_chart(fr.coverage_long(f.coverage))),
    "conflicts": ("Status conflicts", lambda f: conflict_chart(fr.conflict_pairs(f.conflicts))),
}


def spec(chart: alt.TopLevelMixin) -> dict:
    """The Vega-Lite spec with its data inline (what the page embeds and vl-convert renders)."""
    return chart.to_dict()


def png(vl_spec: dict, scale: float = 1.0) -> bytes:
    """The chart as a PNG (vl-convert: no browser), with the system's CJK fonts."""
    import vl_convert as vlc

    return vlc.vegalite_to_png(vl_spec, scale=scale)


VEGA_CACHE = Path(__file__).resolve().parent.parent / "data" / ".cache"


@cache
def vega_bundle(cache_dir: Path = VEGA_CACHE) -> str:
    """The Vega / Vega-Lite / vega-embed JavaScript the page inlines (~0.9 MB, so the report opens
    offline). vl-convert bundles it in ~1 s on every call; it depends only on vl-convert's
    version, so it is kept under data/.cache (written atomically) and in this process."""
    import importlib.metadata

    import vl_convert as vlc

    path = cache_dir / f"vega-bundle-{importlib.metadata.version('vl-convert-python')}.js"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    js: str = vlc.javascript_bundle(None)  # type: ignore[arg-type]  # None: the default snippet
    with contextlib.suppress(OSError):  # a read-only checkout still renders, uncached
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(js, encoding="utf-8")
        os.replace(tmp, path)
    return js

"""What each section of the report shows: the SQL that reads it from the marts (``read_frames``)
and pure functions that shape those frames for the charts (tested on small frames of their own).

Every status column is derived from the one enum (``ingestion.model.STATUS_ENUM``); the labels
come from ``mart.dim_status`` (seed ``status_labels``), never from a list here.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import duckdb
import pandas as pd

from ingestion.model import STATUS_ENUM

NO_REGION = "(no region 无地区)"
NO_PERIOD = "(undated 无期次)"

_SHARES = ", ".join(f"{basis}_{s}_share" for basis in ("inferred", "printed") for s in STATUS_ENUM)
# The two readings of a status the scorecard keeps apart (README: like with like).
BASES = {"inferred": "text supports 文本推断", "printed": "printed 报送"}

SQL = {
    "statuses": "select status, label_zh, label_en, sort_order from mart.dim_status order by sort_order",
    "scorecard": f"""
        select region_code, region_name, region_name_en, period_label, task_rows, printed_rows,
               status_conflict_rows, {_SHARES}
        from mart.region_period_scorecard
        order by period_label nulls last, region_name nulls last""",
    "functions": """
        select function_code, function_name, function_name_zh, region_name, region_name_en, period_label,
               behind_rows, task_rows
        from mart.function_scorecard""",
    "indicators": """
        select indicator_code, indicator_name, indicator_name_en, region_name, region_name_en, period_label,
               target_kind, target_value, target_unit, actual_kind, actual_value, actual_unit, met_label,
               target_text, actual_text
        from mart.indicator_progress
        order by indicator_code, region_name, period_label""",
    "coverage": """
        select source_id, layout, task_rows, total_lines, row_lines, furniture_lines, quarantined_lines,
               unaccounted_lines, complete
        from mart.source_coverage order by source_id""",
    "reconciliation": """
        select source_id, table_no, metric, stated_value, parsed_value, difference, matches, stated_text
        from mart.source_reconciliation order by source_id, table_no, metric, line_no""",
    "conflicts": """
        select region_name, region_name_en, period_label, task_seq, sub_seq, status_reported,
               status_zh, status_inferred, status_inferred_zh, status_rule, status_evidence, task_text
        from mart.task_progress
        where status_conflict
        order by region_name, period_label, task_seq, sub_seq""",
}


@dataclass
class ReportFrames:
    statuses: pd.DataFrame
    scorecard: pd.DataFrame
    functions: pd.DataFrame
    indicators: pd.DataFrame
    coverage: pd.DataFrame
    reconciliation: pd.DataFrame
    conflicts: pd.DataFrame


def read_frames(con: duckdb.DuckDBPyConnection) -> ReportFrames:
    """Every section's rows, read from the marts of an open (read-only) connection."""
    return ReportFrames(**{f.name: con.execute(SQL[f.name]).df() for f in fields(ReportFrames)})


# ------------------------------------------------------------------------- pure shaping


def place_label(region_name: object, region_name_en: object, period_label: object) -> str:
    """'相山区 Xiangshan 2024-Q4': the region in both scripts and the period, one axis label."""
    region = NO_REGION if pd.isna(region_name) else f"{region_name} {region_name_en}".strip()
    if pd.isna(region_name_en) and not pd.isna(region_name):
        region = str(region_name)
    period = NO_PERIOD if pd.isna(period_label) else str(period_label)
    return f"{region} {period}"


def status_label(label_zh: str, label_en: str) -> str:
    return f"{label_zh} {label_en}"


def scorecard_long(scorecard: pd.DataFrame, statuses: pd.DataFrame) -> pd.DataFrame:
    """One row per place (region × period, with its task rows), basis and status: the share of the
    place's rows with that status as the text supports it (``inferred_<status>_share``, every place)
    and, where the bulletin prints a status, as printed (``printed_<status>_share``). Places are
    ranked by the share the text reads as behind (most behind first)."""
    labels = statuses.set_index("status")
    out = []
    for _, r in scorecard.iterrows():
        place = f"{place_label(r['region_name'], r.get('region_name_en'), r['period_label'])} · n={int(r['task_rows'])}"
        behind = float(r["inferred_behind_share"] or 0.0)
        for basis, basis_label in BASES.items():
            if basis == "printed" and not (r["printed_rows"] or 0):
                continue
            for status in STATUS_ENUM:
                share = r[f"{basis}_{status}_share"]
                share = 0.0 if pd.isna(share) else float(share)
                out.append({
                    "place": place,
                    "basis": basis_label,
                    "status": status,
                    "status_label": status_label(labels.at[status, "label_zh"], labels.at[status, "label_en"]),
                    "sort_order": int(labels.at[status, "sort_order"]),
                    "share": share,
                    "task_rows": int(r["task_rows"]),
                    "behind_share": behind,
                })
    df = pd.DataFrame(out, columns=["place", "basis", "status", "status_label", "sort_order", "share",
                                    "task_rows", "behind_share"])
    return df.sort_values(["behind_share", "place", "basis", "sort_order"], ascending=[False, True, False, True],
                          ignore_index=True)


def place_order(long: pd.DataFrame) -> list[str]:
    """The places of ``scorecard_long`` in their ranked order (for the chart's axis)."""
    return list(dict.fromkeys(long["place"]))


def behind_by_function(functions: pd.DataFrame, top: int = 20) -> pd.DataFrame:
    """Department function × place where any task is behind: behind rows, task rows, the share,
    for the ``top`` functions with the most behind rows across all places."""
    df = functions[functions["behind_rows"].fillna(0) > 0].copy()
    if df.empty:
        return df.assign(function_label=pd.Series(dtype=str), place=pd.Series(dtype=str),
                         behind_share=pd.Series(dtype=float))
    df["function_label"] = [
        f"{zh} {en}" if isinstance(zh, str) else str(code)
        for zh, en, code in zip(df["function_name_zh"], df["function_name"], df["function_code"], strict=True)
    ]
    df["place"] = [place_label(a, b, c) for a, b, c in
                   zip(df["region_name"], df["region_name_en"], df["period_label"], strict=True)]
    df["behind_share"] = df["behind_rows"] / df["task_rows"]
    totals = df.groupby("function_label")["behind_rows"].sum().sort_values(ascending=False)
    keep = set(totals.index[:top])
    df = df[df["function_label"].isin(keep)]
    df["function_total"] = df["function_label"].map(totals)
    return df.sort_values(["function_total", "function_label", "place"], ascending=[False, True, True],
                          ignore_index=True)


def growth_targets(indicators: pd.DataFrame) -> pd.DataFrame:
    """Indicators whose target and actual are both a growth rate (%): the like-with-like pairs,
    one row each, with the gap (actual − target) and a readable label."""
    df = indicators[(indicators["target_kind"] == "growth_pct") & (indicators["actual_kind"] == "growth_pct")].copy()
    df = df.dropna(subset=["target_value", "actual_value"])
    df["indicator_label"] = [f"{zh} {en}" if isinstance(en, str) else str(zh)
                             for zh, en in zip(df["indicator_name"], df["indicator_name_en"], strict=True)]
    df["place"] = [place_label(a, b, c) for a, b, c in
                   zip(df["region_name"], df["region_name_en"], df["period_label"], strict=True)]
    df["row_label"] = [f"{zh} · {place_label(a, None, c)}" for zh, a, c in
                       zip(df["indicator_name"], df["region_name"], df["period_label"], strict=True)]
    df["gap"] = df["actual_value"] - df["target_value"]
    return df.sort_values(["indicator_code", "place"], ignore_index=True)


COVERAGE_PARTS = {
    "row_lines": "task rows 任务行",
    "furniture_lines": "furniture 版式行",
    "quarantined_lines": "quarantined 隔离行",
    "unaccounted_lines": "unaccounted 未归属",
}


def coverage_long(coverage: pd.DataFrame) -> pd.DataFrame:
    """One row per source and kind of line (row, furniture, quarantined, unaccounted): lines and
    their share of the source's lines."""
    out = []
    for _, r in coverage.iterrows():
        total = int(r["total_lines"]) or 1
        for order, (col, label) in enumerate(COVERAGE_PARTS.items()):
            n = int(r[col] or 0)
            out.append({"source_id": r["source_id"], "part": label, "order": order, "lines": n,
                        "share": n / total, "total_lines": int(r["total_lines"])})
    return pd.DataFrame(out, columns=["source_id", "part", "order", "lines", "share", "total_lines"])


def reconciliation_summary(reconciliation: pd.DataFrame) -> pd.DataFrame:
    """Per source: stated figures, how many the parsed rows match, and the largest difference."""
    df = reconciliation.copy()
    df["matches"] = df["matches"].fillna(False).astype(bool)
    g = df.groupby("source_id", sort=True)
    out = pd.DataFrame({
        "stated_figures": g.size(),
        "matching": g["matches"].sum().astype(int),
        "largest_difference": g["difference"].apply(
            lambda s: None if s.dropna().empty else int(s.dropna().abs().max())),
    }).reset_index()
    out["mismatching"] = out["stated_figures"] - out["matching"]
    return out


def conflict_pairs(conflicts: pd.DataFrame) -> pd.DataFrame:
    """Conflicts counted by place and by (printed status → what the text supports)."""
    if conflicts.empty:
        return pd.DataFrame(columns=["place", "pair", "rows"])
    df = conflicts.copy()
    df["place"] = [place_label(a, b, c) for a, b, c in
                   zip(df["region_name"], df["region_name_en"], df["period_label"], strict=True)]
    df["pair"] = df["status_reported"].astype(str) + " → " + df["status_inferred_zh"].astype(str)
    return (df.groupby(["place", "pair"]).size().rename("rows").reset_index()
            .sort_values(["rows", "pair"], ascending=[False, True], ignore_index=True))

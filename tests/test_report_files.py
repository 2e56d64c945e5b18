"""What an analyst opens, on the session's seed warehouse: the report (rendered by the build's
report asset) in a real headless browser, the published file in DuckDB 1.x, the Parquet export
in pandas, column comments in DuckDB, the bilingual labels, and the README's links."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# The published copy's storage format (orchestration/defs/publish: STORAGE_VERSION 'v1.0.0') has
# storage number 64 in the file header: what DuckDB 0.10 to 1.5 read (1.5 reads 64–68).
READABLE_BY_1X = range(64, 69)


def chromium_screenshot(page: Path, png: Path, profile: Path, width: int = 1280, height: int = 2400) -> None:
    """A screenshot of a local page by Debian's chromium, headless, with no network of its own."""
    assert CHROMIUM
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", "--hide-scrollbars", f"--window-size={width},{height}",
         "--virtual-time-budget=8000", f"--screenshot={png}", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )


def ink(png: Path) -> tuple[float, int]:
    """(share of pixels that are not background white, number of distinct colours)."""
    from PIL import Image

    img = Image.open(png).convert("RGB")
    small = img.resize((img.width // 4, img.height // 4))
    pixels = list(small.get_flattened_data() if hasattr(small, "get_flattened_data") else small.getdata())
    dark = sum(1 for p in pixels if sum(p) < 720)
    return dark / len(pixels), len(set(pixels))


# ------------------------------------------------------------------------ no warehouse needed


def test_readme_links_resolve():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    anchors = {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-")
               for h in re.findall(r"^#+ (.+)$", text, re.MULTILINE)}
    links = re.findall(r"\]\(([^)\s]+)\)", text)
    assert links
    for link in links:
        if link.startswith(("http://", "https://")):
            continue
        if link.startswith("#"):
            assert link[1:] in anchors, f"README links {link}: no such heading"
            continue
        target = (REPO / link.split("#")[0]).resolve()
        assert target.is_relative_to(REPO), f"README links outside the repo: {link} (a clone does not have it)"
        assert target.exists(), f"README links {link}: no such file"
    assert "docs/mart-contract.md" in links and "docs/img/report.png" in links


def test_the_contract_copy_is_the_shared_contract():
    shared = REPO.parent / "shared" / "mart-contract.md"
    if not shared.exists():
        pytest.skip("no ../shared beside this clone")
    assert (REPO / "docs" / "mart-contract.md").read_text(encoding="utf-8") == shared.read_text(encoding="utf-8")


def test_status_labels_cover_the_enum_once():
    import csv

    from ingestion.model import STATUS_ENUM

    with open(REPO / "dbt_project" / "seeds" / "status_labels.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["status"] for r in rows] == list(STATUS_ENUM)
    assert all(r["label_zh"] and r["label_en"] for r in rows)


def test_every_indicator_has_an_english_name():
    from ingestion.normalize.indicators import definitions, english_name

    names = [d.name_en for d in definitions()]
    assert all(names) and len(set(names)) == len(names)
    assert english_name("gdp") == definitions()[0].name_en and english_name("nope") is None


# ------------------------------------------------------------------- on the seed warehouse



@pytest.fixture(scope="module")
def report_dir(seed_warehouse) -> Path:
    return seed_warehouse.root / "report"


@pytest.mark.slow
def test_build_renders_the_report_with_every_section_and_suite(report_dir, seed_warehouse):
    html = (report_dir / "index.html").read_text(encoding="utf-8")
    for key in ("scorecard", "functions", "indicators", "coverage", "conflicts"):
        assert f'id="chart-{key}"' in html, key
    assert "相山区 Xiangshan District 2024-Q4" in html
    # nothing fetched from outside: the vega bundle is inlined, no script, style or image is linked
    assert not re.search(r'<(?:script|link|img)\b[^>]*\b(?:src|href)\s*=\s*"(?:https?:)?//', html)
    assert "vegaEmbed" in html
    from expectations.suites import DATASETS

    for name in DATASETS:
        page = report_dir / "quality" / f"{name}.html"
        assert f'href="quality/{name}.html"' in html and page.exists()
        assert "passed" in page.read_text(encoding="utf-8")
    assert (report_dir / "scorecard.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium fonts-noto-cjk)")
def test_report_renders_in_a_headless_browser(report_dir, tmp_path):
    png = tmp_path / "report.png"
    chromium_screenshot(report_dir / "index.html", png, tmp_path / "profile")
    share, colours = ink(png)
    # text and four coloured charts, not a blank page or a page of bare text
    assert share > 0.08, f"only {share:.1%} of the page is drawn"
    assert colours > 200, f"{colours} colours: the charts did not render"
    if os.environ.get("UPDATE_SCREENSHOT"):
        shutil.copy(png, REPO / "docs" / "img" / "report.png")


@pytest.mark.slow
def test_scorecard_png_draws_the_chart(report_dir):
    share, colours = ink(report_dir / "scorecard.png")
    assert share > 0.15 and colours > 50


@pytest.mark.slow
def test_published_file_header_is_a_storage_format_duckdb_1x_reads(seed_warehouse):
    head = seed_warehouse.published.read_bytes()[:20]
    assert head[8:12] == b"DUCK"
    (number,) = struct.unpack("<Q", head[12:20])
    assert number in READABLE_BY_1X, f"storage number {number}: DuckDB 1.x cannot open it"
    own = struct.unpack("<Q", seed_warehouse.db.read_bytes()[12:20])[0]
    assert own not in READABLE_BY_1X  # the build's own file is 2.0's format: the copy is what differs


@pytest.mark.slow
def test_duckdb_1x_opens_the_published_file(seed_warehouse, tmp_path):
    """A throw-away venv with the last DuckDB 1.x wheel; skipped where it cannot be installed."""
    uv = Path(sys.executable).parent / "uv"
    venv = tmp_path / "old"
    try:
        subprocess.run([str(uv), "venv", "-q", "-p", sys.executable, str(venv)], check=True, timeout=120,
                       capture_output=True)
        subprocess.run([str(uv), "pip", "install", "-q", "-p", str(venv / "bin" / "python"), "duckdb>=1.4,<2"],
                       check=True, timeout=300, capture_output=True)
    except (subprocess.SubprocessError, OSError) as e:
        pytest.skip(f"no DuckDB 1.x wheel here (no package index?): {e}")
    code = (
        "import duckdb, sys\n"
        "con = duckdb.connect(sys.argv[1], read_only=True)\n"
        "n = con.execute('select count(*) from mart.task_progress').fetchone()[0]\n"
        "c = con.execute(\"select count(comment) from duckdb_columns() where schema_name = 'mart'\").fetchone()[0]\n"
        "print(duckdb.__version__, n, c)\n"
    )
    out = subprocess.run([str(venv / "bin" / "python"), "-c", code, str(seed_warehouse.published)],
                         check=True, capture_output=True, text=True, timeout=120).stdout.split()
    assert out[0].startswith("1.")
    assert int(out[1]) > 600 and int(out[2]) > 200


@pytest.mark.slow
def test_parquet_export_reads_in_pandas(seed_warehouse, seed_con):
    import pandas as pd
    import pyarrow.parquet as pq

    path = seed_warehouse.export / "task_progress.parquet"
    df = pd.read_parquet(path)
    assert len(df) == seed_con.execute("select count(*) from mart.task_progress").fetchone()[0]
    assert {"region_name", "region_name_en", "status", "status_zh"} <= set(df.columns)
    assert pq.read_metadata(path).num_rows == len(df)


@pytest.mark.slow
def test_every_mart_column_has_its_description_as_a_comment(seed_con):
    missing = seed_con.execute(
        "select table_name || '.' || column_name from duckdb_columns() "
        "where schema_name = 'mart' and comment is null").fetchall()
    assert not missing, f"mart columns without a comment: {missing[:10]}"
    assert seed_con.execute("select count(*) from duckdb_tables() where schema_name = 'mart' "
                            "and comment is null").fetchone()[0] == 0


@pytest.mark.slow
def test_bilingual_labels_in_the_marts(seed_con):
    from ingestion.labels import region_name_en
    from ingestion.model import STATUS_ENUM

    regions = seed_con.execute("select region_name, region_name_en from mart.dim_region").fetchall()
    assert regions and all(en == region_name_en(zh) for zh, en in regions)
    assert ("相山区", "Xiangshan District") in regions
    statuses = seed_con.execute("select status, label_zh from mart.dim_status order by sort_order").fetchall()
    assert [s for s, _ in statuses] == list(STATUS_ENUM)
    labels = dict(statuses)
    mismatched = seed_con.execute(
        "select count(*) from mart.task_progress t join mart.dim_status d on d.status = t.status "
        "where t.status_zh <> d.label_zh").fetchone()[0]
    assert mismatched == 0 and labels["on_track"] == "序时推进"
    assert seed_con.execute("select count(*) from mart.indicator_progress where indicator_name_en is null"
                            ).fetchone()[0] == 0
    assert seed_con.execute("select indicator_name_en from mart.indicator_progress where indicator_code = 'gdp' "
                            "limit 1").fetchone()[0] == "Gross regional product (GDP)"


# ------------------------------------------------------------------------------ in Dagster


def test_report_asset_follows_publish_and_only_in_the_publishing_job(dbt_manifest):
    import orchestration.definitions as d
    from orchestration.defs.publish.assets import PUBLISHED_KEY
    from orchestration.defs.report.assets import REPORT_KEY

    graph = d.defs.resolve_asset_graph()
    assert set(graph.get(REPORT_KEY).parent_keys) == {PUBLISHED_KEY}
    assert graph.get(REPORT_KEY).automation_condition is not None
    jobs = {name: d.defs.resolve_job_def(name).asset_layer.asset_graph.get_all_asset_keys()
            for name in (d.BUILD_JOB, d.REFRESH_JOB)}
    assert REPORT_KEY in jobs[d.BUILD_JOB]
    assert REPORT_KEY not in jobs[d.REFRESH_JOB]  # no report of a copy that was not republished


@pytest.mark.slow
def test_ui_shows_the_scorecard_chart_as_report_metadata(seed_warehouse):
    import base64

    from dagster import DagsterInstance

    from orchestration.defs.report.assets import REPORT_KEY

    with DagsterInstance.from_config(str(seed_warehouse.dagster_home)) as instance:
        event = instance.get_latest_materialization_event(REPORT_KEY)
    assert event is not None and event.asset_materialization is not None
    meta = event.asset_materialization.metadata
    md = meta["scorecard"].value
    assert md.startswith("![scorecard](data:image/png;base64,")
    png = base64.b64decode(md.split(",", 1)[1].rstrip(")"))
    assert png[:4] == b"\x89PNG" and len(png) > 10_000
    assert meta["quality_failed"].value == []
    assert Path(meta["report"].value).name == "index.html"
    # every suite page comes from the run's own GX checks: the report validated nothing again
    from expectations.suites import DATASETS

    assert meta["quality_from_run"].value == sorted(DATASETS)

"""The report's HTML: the charts (Vega-Lite specs embedded with the vega bundle inlined, so the
page opens offline, from a file), the tables behind them, and one page per GX suite.
Pure: frames and specs in, HTML text out."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import jinja2
import pandas as pd

from reporting.charts import FONT

_ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)

STYLE = f"""
body {{ font-family: {FONT}; margin: 24px auto; max-width: 1180px; color: #222; padding: 0 16px; }}
h1 {{ font-size: 26px; margin-bottom: 4px; }} h2 {{ font-size: 20px; margin-top: 36px; border-bottom: 1px solid #ddd; }}
.meta {{ color: #666; font-size: 13px; }} nav a {{ margin-right: 14px; }}
table {{ border-collapse: collapse; font-size: 13px; margin: 8px 0 16px; }}
th, td {{ border: 1px solid #ddd; padding: 3px 7px; text-align: left; vertical-align: top; }}
th {{ background: #f4f4f4; }} td.num {{ text-align: right; }}
.bad {{ color: #b2182b; font-weight: bold; }} .ok {{ color: #1a9850; }}
.chart {{ margin: 12px 0 20px; }} .question {{ font-weight: bold; }}
details summary {{ cursor: pointer; color: #0366d6; }}
"""


@dataclass
class Section:
    """One part of the report: an anchor, a heading, a chart spec (or none), text, tables."""

    key: str
    heading: str
    spec: dict | None = None
    intro: str = ""
    tables: list[tuple[str, str]] = field(default_factory=list)  # (caption, table HTML)


def table_html(df: pd.DataFrame, *, max_rows: int | None = None) -> str:
    """A frame as an escaped HTML table (numbers right-aligned; NULL blank)."""
    shown = df if max_rows is None else df.head(max_rows)
    cols = list(shown.columns)
    rows = []
    for rec in shown.itertuples(index=False):
        cells = []
        for v in rec:
            num = isinstance(v, (int, float)) and not isinstance(v, bool)
            text = "" if v is None or (not isinstance(v, (list, str)) and pd.isna(v)) else v
            if isinstance(v, float) and not pd.isna(v):
                text = f"{v:.4g}"
            cells.append((text, num))
        rows.append(cells)
    tpl = _ENV.from_string(
        "<table><thead><tr>{% for c in cols %}<th>{{ c }}</th>{% endfor %}</tr></thead><tbody>"
        "{% for r in rows %}<tr>{% for text, num in r %}<td{% if num %} class=\"num\"{% endif %}>{{ text }}</td>"
        "{% endfor %}</tr>{% endfor %}</tbody></table>"
    )
    out = tpl.render(cols=cols, rows=rows)
    if max_rows is not None and len(df) > max_rows:
        out += f"<p class=\"meta\">{max_rows} of {len(df)} rows shown.</p>"
    return out


PAGE = _ENV.from_string("""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>{{ style }}</style>
{% if vega_js %}<script type="text/javascript">{{ vega_js | safe }}</script>{% endif %}
</head><body>
<h1>{{ title }}</h1>
<p class="meta">{{ subtitle }}</p>
{% if sections %}<nav>{% for s in sections %}<a href="#{{ s.key }}">{{ s.heading }}</a>{% endfor %}</nav>{% endif %}
{% for s in sections %}
<section id="{{ s.key }}"><h2>{{ s.heading }}</h2>
{% if s.intro %}<p>{{ s.intro }}</p>{% endif %}
{% if s.spec %}<div class="chart" id="chart-{{ s.key }}"></div>{% endif %}
{% for caption, html in s.tables %}<details{% if loop.first and not s.spec %} open{% endif %}><summary>{{ caption }}</summary>{{ html | safe }}</details>{% endfor %}
</section>
{% endfor %}
{{ body | safe }}
{% if vega_js %}<script type="text/javascript">
const specs = {{ specs_json | safe }};
for (const [key, spec] of Object.entries(specs)) {
  vegaEmbed("#chart-" + key, spec, {actions: false, renderer: "svg"}).catch(console.error);
}
</script>{% endif %}
</body></html>
""")


def _script_json(obj: Any) -> str:
    """JSON safe inside a <script> element."""
    return json.dumps(obj, ensure_ascii=False).replace("</", "<\\/")


def render_page(title: str, subtitle: str, sections: Sequence[Section], vega_js: str = "", body: str = "") -> str:
    specs = {s.key: s.spec for s in sections if s.spec}
    return PAGE.render(title=title, subtitle=subtitle, sections=list(sections), style=STYLE,
                       vega_js=vega_js if specs else "", specs_json=_script_json(specs), body=body)


def suite_page(outcome: Any, expectations: list[dict], back_href: str = "../index.html") -> str:
    """One GX suite's results: every expectation with its arguments and whether it passed, and the
    failing rows' samples (``outcome``: ``expectations.runner.ValidationOutcome``)."""
    failed = {f.key(): f for f in outcome.failures}
    rows = []
    for e in expectations:
        f = failed.get(e["key"])
        result = "not run" if outcome.error else ("FAILED" if f else "passed")
        detail = "" if f is None else (f.message or f"{f.unexpected_count} of {f.element_count} rows fail; "
                                       f"e.g. {json.dumps(f.samples[:3], ensure_ascii=False)}")
        rows.append({"expectation": e["expectation"], "columns": ", ".join(e["columns"]),
                     "arguments": json.dumps(e["arguments"], ensure_ascii=False), "severity": e["severity"],
                     "result": result, "detail": detail})
    state = "NOT RUN" if outcome.error else ("passed" if outcome.success else "FAILED")
    body = (f"<p><a href=\"{back_href}\">← report</a></p>"
            f"<p>Table <code>{outcome.table}</code>: {outcome.rows_checked} rows checked, "
            f"{outcome.expectations} expectations, <b>{state}</b>"
            f"{' — ' + outcome.error if outcome.error else ''}.</p>"
            + table_html(pd.DataFrame(rows, columns=["expectation", "columns", "arguments", "severity",
                                                     "result", "detail"])))
    return render_page(f"Great Expectations suite {outcome.dataset}", "Data quality results (GX 1.x)", [], body=body)

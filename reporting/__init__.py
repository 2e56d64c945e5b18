"""The analyst's report: a static HTML page with charts, rendered from the published warehouse.

* ``frames``: the SQL that reads each section from the marts, and pure functions shaping it.
* ``charts``: altair charts built from those frames, one question per chart (its title says it).
* ``page``: the HTML (charts inlined with the vega bundle vl-convert ships, so no network is needed
  to view it) and one page per Great Expectations suite.
* ``build``: ``python -m reporting`` / ``make report``; also called by the Dagster asset
  ``report/html`` (``orchestration/defs/report``).

No Dagster imports; nothing happens at import time.
"""

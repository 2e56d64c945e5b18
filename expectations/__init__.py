"""Great Expectations 1.x suites over the DuckDB warehouse (``suites``) and the runner that
validates a table through a read-only connection with GX's pandas route (``runner``)."""

import os

# Before great_expectations is imported anywhere in this package: no usage statistics.
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")

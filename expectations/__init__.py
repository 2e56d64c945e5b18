"""Great Expectations 1.x suites over the DuckDB warehouse (``suites``) and the runner that
validates a table through a read-only connection with GX's pandas route (``runner``)."""

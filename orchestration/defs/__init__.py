"""Definitions by concern (dagster-open-platform style): each sub-package's ``definitions.py``
has a ``defs()`` that builds its part; ``orchestration.definitions`` merges them and adds the jobs
that cross concerns. Building is a function call: importing these modules does nothing."""

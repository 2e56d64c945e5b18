"""Imported before great_expectations: no usage statistics, no network calls from GX."""

import os

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")

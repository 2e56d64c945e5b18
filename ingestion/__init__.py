"""Bulletin files -> the raw schema: plain Python, no Dagster."""

from pathlib import Path

# Reference data Python owns (status words, indicator definitions): edit these and re-run ingestion.
DATA_DIR = Path(__file__).resolve().parent / "data"

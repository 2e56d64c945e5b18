"""Dagster orchestration of bulletin-warehouse: ingestion (one partition per registered source)
-> dbt staging and marts -> publish, with Great Expectations 1.x checks as asset checks.

Load the definitions with ``dagster dev -m orchestration.definitions``; build headless with
``python -m orchestration.build``."""

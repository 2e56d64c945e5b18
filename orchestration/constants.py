"""Names shared across the orchestration package."""

from __future__ import annotations

from dagster import AssetKey, DynamicPartitionsDefinition

# Every op that opens the DuckDB warehouse (write or read) runs in this pool; its limit is the
# instance's default pool limit, 1 (see .dagster_home/dagster.yaml).
WAREHOUSE_POOL = "duckdb_writer"

# One partition per registered source (ingestion.registry); kept in sync by the sensor and by
# orchestration.build.
SOURCES_PARTITIONS_NAME = "sources"
source_partitions = DynamicPartitionsDefinition(name=SOURCES_PARTITIONS_NAME)

# The ingestion asset. Every dbt source in the raw schema maps onto it.
RAW_ASSET_KEY = AssetKey("raw_bulletin")
RAW_SCHEMA = "raw"

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

# The ingestion asset: one partition per source, each staged as Parquet in the raw lake
# (ingestion.lake), in parallel, without the warehouse lock.
RAW_ASSET_KEY = AssetKey("raw_bulletin")
# The raw schema of the warehouse: every staged source loaded by the one writer
# (ingestion.load.sync_lake). Every dbt source in the raw schema maps onto it; the raw GX checks
# are its checks.
RAW_TABLES_KEY = AssetKey("raw_tables")
RAW_SCHEMA = "raw"

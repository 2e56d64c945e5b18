"""The sensor that keeps the ``sources`` partitions in sync with data/sources (for the UI; the
headless build syncs itself). It only adds and removes partitions; it launches no runs.

Its cursor is a stamp of the registry folder (names, sizes, modification times: stat only) and
of the partitions: while neither changed a tick reads no YAML (at 10,000 sources loading the
registry takes ~25 s here, the stamp a fraction of a second)."""


from pathlib import Path

from dagster import (
    AddDynamicPartitionsRequest,
    DefaultSensorStatus,
    DeleteDynamicPartitionsRequest,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    sensor,
)

from orchestration.constants import SOURCES_PARTITIONS_NAME, source_partitions
from orchestration.defs.ingestion.partitions import plan_sync, registry_stamp, sensor_cursor
from orchestration.resources import RegistryResource


@sensor(
    name="source_registry_sensor",
    minimum_interval_seconds=30,
    default_status=DefaultSensorStatus.RUNNING,
    description="Adds a `sources` partition for every new source.yaml and removes vanished ones.",
)
def source_registry_sensor(context: SensorEvaluationContext, registry: RegistryResource) -> SensorResult | SkipReason:
    existing = list(context.instance.get_dynamic_partitions(SOURCES_PARTITIONS_NAME))
    stamp = registry_stamp(Path(registry.sources_dir))
    if context.cursor and context.cursor == sensor_cursor(stamp, existing):
        return SkipReason(f"registry folder and {len(existing)} partitions unchanged since the last tick")
    plan = plan_sync(existing, Path(registry.sources_dir))
    for err in plan.registry_errors:
        context.log.warning(f"invalid registry entry: {err}")
    after = (set(existing) | set(plan.added)) - set(plan.removed)
    cursor = sensor_cursor(stamp, after)
    if not plan.added and not plan.removed:
        return SensorResult(skip_reason=f"{len(plan.wanted)} sources, partitions already in sync", cursor=cursor)
    context.log.info(f"partitions: adding {plan.added}, removing {plan.removed}")
    requests: list[AddDynamicPartitionsRequest | DeleteDynamicPartitionsRequest] = []
    if plan.added:
        requests.append(source_partitions.build_add_request(plan.added))
    if plan.removed:
        requests.append(source_partitions.build_delete_request(plan.removed))
    return SensorResult(dynamic_partitions_requests=requests, cursor=cursor)

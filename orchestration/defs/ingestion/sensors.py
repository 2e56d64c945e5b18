"""The sensor that keeps the ``sources`` partitions in sync with data/sources (for the UI; the
headless build syncs itself). It only adds and removes partitions; it launches no runs."""


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
from orchestration.defs.ingestion.partitions import plan_sync
from orchestration.resources import RegistryResource


@sensor(
    name="source_registry_sensor",
    minimum_interval_seconds=30,
    default_status=DefaultSensorStatus.RUNNING,
    description="Adds a `sources` partition for every new source.yaml and removes vanished ones.",
)
def source_registry_sensor(context: SensorEvaluationContext, registry: RegistryResource) -> SensorResult | SkipReason:
    existing = list(context.instance.get_dynamic_partitions(SOURCES_PARTITIONS_NAME))
    plan = plan_sync(existing, Path(registry.sources_dir))
    for err in plan.registry_errors:
        context.log.warning(f"invalid registry entry: {err}")
    if not plan.added and not plan.removed:
        return SkipReason(f"{len(plan.wanted)} sources, partitions already in sync")
    context.log.info(f"partitions: adding {plan.added}, removing {plan.removed}")
    requests: list[AddDynamicPartitionsRequest | DeleteDynamicPartitionsRequest] = []
    if plan.added:
        requests.append(source_partitions.build_add_request(plan.added))
    if plan.removed:
        requests.append(source_partitions.build_delete_request(plan.removed))
    return SensorResult(dynamic_partitions_requests=requests)

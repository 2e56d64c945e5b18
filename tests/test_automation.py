"""Declarative automation, owners and freshness (orchestration/defs/automation): the UI keeps itself
fresh. Graph-level tests here are quick; the end-to-end one (materialise one partition, evaluate
the automation sensor's tick, run what it requests) is marked ``ui`` and run by ``.ci/run``."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def orch(dbt_manifest):
    import orchestration.definitions as d

    return d


def test_every_model_and_the_published_copy_refresh_themselves(orch):
    from dagster import AssetKey

    graph = orch.defs.resolve_asset_graph()
    raw = AssetKey("raw_bulletin")
    labels = {}
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        if not node.is_materializable:
            continue
        labels[key.to_user_string()] = node.automation_condition.get_label() if node.automation_condition else None
    # raw_bulletin is what a person materialises; nothing materialises it automatically
    assert labels.pop(raw.to_user_string()) is None
    seeds = {k: v for k, v in labels.items() if k.startswith("seeds/")}
    assert seeds and set(seeds.values()) == {"reload_when_changed"}
    rest = {k: v for k, v in labels.items() if not k.startswith("seeds/")}
    assert any(k.startswith("staging/") for k in rest) and any(k.startswith("mart/") for k in rest)
    assert "published/warehouse" in rest and "raw_tables" in rest  # the lake loads itself once staged
    assert set(rest.values()) == {"refresh_when_upstream_updates"}, rest


def test_every_check_has_its_own_condition(orch):
    # Dagster drops the ride-along checks of an automated run as soon as one requested check has a
    # condition; the raw checks need one. So every check must carry one, or the mart checks and
    # the dbt tests would silently not run under automation.
    graph = orch.defs.resolve_asset_graph()
    missing = [ck.to_user_string() for ck in graph.asset_check_keys if graph.get(ck).automation_condition is None]
    assert not missing, missing


def test_automation_sensor_runs_by_default_and_targets_everything(orch):
    from dagster import AutomationConditionSensorDefinition, DefaultSensorStatus

    sensor = orch.defs.resolve_sensor_def("default_automation_condition_sensor")
    assert isinstance(sensor, AutomationConditionSensorDefinition)
    assert sensor.default_status == DefaultSensorStatus.RUNNING


def test_owners_and_freshness_on_marts_and_published(orch):
    from dagster import AssetKey

    from orchestration.defs.automation.policies import FRESHNESS, OWNERS

    graph = orch.defs.resolve_asset_graph()
    assert graph.get(AssetKey("raw_bulletin")).owners == OWNERS["raw"]
    assert graph.get(AssetKey("raw_tables")).owners == OWNERS["raw"]
    marts = [k for k in graph.get_all_asset_keys() if k.path[0] == "mart"]
    assert marts
    for key in [*marts, AssetKey(["published", "warehouse"])]:
        node = graph.get(key)
        assert node.owners, key
        assert node.freshness_policy == FRESHNESS, key
    for key in graph.get_all_asset_keys():
        if key.path[0] == "staging":
            assert graph.get(key).owners == OWNERS["staging"]
            assert graph.get(key).freshness_policy is None  # views: fresh when the marts are


def test_a_dbt_models_own_owners_win_over_its_layers():
    from orchestration.defs.automation.policies import OWNERS
    from orchestration.defs.dbt.assets import translator

    props = {"resource_type": "model", "name": "x", "schema": "mart", "meta": {}}
    assert translator.get_owners(props) == OWNERS["mart"]
    props["meta"] = {"dagster": {"owners": ["analyst@example.org"]}}
    assert translator.get_owners(props) == ["analyst@example.org"]

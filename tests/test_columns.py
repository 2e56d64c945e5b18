"""Header cell text -> canonical role."""

import pytest

from ingestion.columns import finalise_roles, role_for_header


@pytest.mark.parametrize(
    "header,role",
    [
        ("序号", "seq"), ("重点工作", "task"), ("目 标 与 任 务", "task"), ("年度目标", "task"),
        ("项目名称", "task"), ("工作事项", "task"),
        ("牵头单位", "lead_units"), ("牵头责任单位", "lead_units"),
        ("责任单位", "cooperating_units"), ("配合单位", "cooperating_units"), ("责任科室", "cooperating_units"),
        ("分管领导", "leader"), ("牵头领导", "leader"), ("责任人", "responsible_person"),
        ("季度目标", "period_target"), ("进度安排", "period_target"),
        ("完  成  情  况", "progress"), ("季度具体完成情况", "progress"), ("上半年落实情况", "progress"),
        ("进展情况", "progress"), ("完成状况", "status"), ("是否达序", "status"), ("备注", "remark"),
    ],
)
def test_role_for_header(header, role):
    assert role_for_header(header) == role


def test_yaml_override_wins():
    assert role_for_header("完成情况", {"完成情况": "status"}) == "status"


def test_sole_cooperating_column_becomes_lead():
    h = ["序号", "工作任务", "责任单位", "进展情况"]
    roles = [role_for_header(x) for x in h]
    assert finalise_roles(h, roles)[2] == "lead_units"
    assert finalise_roles(h, roles, {"责任单位": "cooperating_units"})[2] == "cooperating_units"
    h2 = ["序号", "工作任务", "牵头单位", "责任单位", "进展情况"]
    assert finalise_roles(h2, [role_for_header(x) for x in h2])[3] == "cooperating_units"

"""Header cell text -> canonical column role.

Bulletins name the same column many ways; this table is the one place that knows them. A
source's YAML ``columns:`` overrides it. Matching ignores spaces (headers like '完  成  情  况')
and line breaks ('分管' + '领导').
"""

from __future__ import annotations

import re

# Order matters: the first pattern that matches wins, so the specific ones come first
# ('牵头责任单位' is a lead column, plain '责任单位' a cooperating one).
HEADER_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(序号|编号|序)$"), "seq"),
    (re.compile(r"^(分类|类别|类型|板块|领域)$"), "category"),
    (re.compile(r"^分管(区|市|县)?领导$|^(责任|联系|牵头|包保|包联)(区|市|县)?领导$|^领导$"), "leader"),
    (re.compile(r"牵头"), "lead_units"),
    (re.compile(r"^(主要)?责任人$|^联系人$"), "responsible_person"),
    (re.compile(r"配合|协办|参与单位|责任单位|责任部门|承办单位|主办单位|责任科室|责任股室"), "cooperating_units"),
    (re.compile(r"^(季度|半年|月度|阶段|本期|当期|年度进度|进度)(目标|任务|安排|计划)$|^进度安排$|^时序进度$"), "period_target"),
    (re.compile(r"完成状况|完成状态|进度状态|推进状态|状态|是否达序|是否完成|评价|进度评价|完成等次"), "status"),
    (re.compile(r"完成情况|进展情况|落实情况|推进情况|进度情况|工作进展|进展|执行情况"), "progress"),
    (re.compile(r"重点工作|年度目标|目标与任务|目标任务|工作任务|工作事项|工作内容|任务|事项|工作目标|主要目标|项目名称|工作项目"
                r"|^内容(与|和|及)要求$|^(主要|工作)?内容$|^指标名称$|^目标$"), "task"),
    (re.compile(r"^备注$|^说明$"), "remark"),
]

_SPACES = re.compile(r"[\s\u3000\u00a0]+")


def normalise_header(text: str) -> str:
    return _SPACES.sub("", text)


def role_for_header(text: str, overrides: dict[str, str] | None = None) -> str | None:
    """Return the canonical role of a header cell, or None if it is not a known header."""
    key = normalise_header(text)
    if not key:
        return None
    if overrides:
        for name, role in overrides.items():
            if normalise_header(name) == key:
                return role
    for pattern, role in HEADER_RULES:
        if pattern.search(key):
            return role
    return None


def unmatched_chars(text: str, overrides: dict[str, str] | None = None) -> int:
    """How much of a header cell the rule that names it does not cover ('与要求完成情况': 3), for
    splitting header names printed without a delimiter; 0 for a name the YAML gives."""
    key = normalise_header(text)
    if named_in(text, overrides):
        return 0
    for pattern, _role in HEADER_RULES:
        m = pattern.search(key)
        if m:
            return len(key) - (m.end() - m.start())
    return len(key)


_TARGET_NAME = re.compile(r"目标")


def finalise_roles(headers: list[str], roles: list[str | None], overrides: dict[str, str] | None = None) -> list[str | None]:
    """Roles that depend on the whole header: a table whose only unit column is 责任单位 / 责任部门
    has no separate lead column, so that column names the lead units; of two task columns the one
    named a target (指标名称 | 年度目标) holds the period's target (unless the YAML says otherwise)."""
    pinned = {normalise_header(k) for k in (overrides or {})}
    if roles.count("task") == 2:
        targets = [i for i, r in enumerate(roles) if r == "task" and _TARGET_NAME.search(normalise_header(headers[i]))
                   and normalise_header(headers[i]) not in pinned]
        if len(targets) == 1:
            roles = [*roles[: targets[0]], "period_target", *roles[targets[0] + 1 :]]
    if "lead_units" in roles or roles.count("cooperating_units") != 1:
        return roles
    i = roles.index("cooperating_units")
    if normalise_header(headers[i]) in pinned:
        return roles
    return [*roles[:i], "lead_units", *roles[i + 1 :]]


MAX_HEADER_LEN = 12  # a header cell found by the rules is short; one named in `columns:` may be any length


def named_in(text: str, overrides: dict[str, str] | None) -> bool:
    """Is this cell one the source's YAML names in `columns:` (spaces ignored)?"""
    key = normalise_header(text)
    return bool(key) and any(normalise_header(name) == key for name in (overrides or {}))


def is_header_cell(text: str, overrides: dict[str, str] | None = None) -> bool:
    key = normalise_header(text)
    if named_in(text, overrides):
        return True
    # A header cell is short; a task text that merely contains '任务' is not one.
    return 0 < len(key) <= MAX_HEADER_LEN and role_for_header(text, overrides) is not None

"""Unit (department) names as printed in a lead / cooperating cell -> a list of unit names.

Cells print units in every way: one per line, several run together ('区发改委区经信局'),
separated by '、' ',' or spaces, or one name broken across lines ('市自然' + '资源局',
'市生态  环境局'). These are pure functions over the cell's lines.
"""

from __future__ import annotations

import re

# Endings of a complete unit name. Longest first so '办公室' wins over '室'.
UNIT_SUFFIXES = sorted(
    {
        "局", "委", "办", "办公室", "部", "院", "中心", "镇", "乡", "街道", "街", "开发区", "高新区",
        "园区", "园", "公司", "集团", "政府", "委员会", "管委会", "指挥部", "分局", "支队", "大队",
        "厅", "处", "社", "馆", "台", "校", "会", "联", "行", "所", "队", "站", "署", "科", "组",
        "成员单位", "各单位", "有关单位", "相关单位", "各县区", "各镇街", "县区", "镇街", "法院",
        "检察院", "管理局", "分公司", "监狱", "商会", "协会", "团", "示范区", "片区", "实验区",
        "合作区", "新区", "区",
    },
    key=len,
    reverse=True,
)
# Beginnings that start a new unit name when they follow a complete one.
UNIT_PREFIXES = ("区", "市", "县", "省", "各", "镇", "乡", "团", "国网", "中国", "中共")

_SEPARATORS = re.compile(r"[、,,;;/]+")
_SPACES = re.compile(r"[ \t\u3000\u00a0]+")
_BRACKETS = re.compile(r"[((][^))]*[))]")


def _clean(s: str) -> str:
    return _SPACES.sub("", s).strip(" .。:")


def ends_like_unit(name: str) -> bool:
    bare = _BRACKETS.sub("", name)
    return any(bare.endswith(suf) for suf in UNIT_SUFFIXES)


def looks_like_unit(text: str) -> bool:
    """A short text ending like a unit name (used by parsers to classify lines)."""
    t = _clean(text)
    return 2 <= len(t) <= 60 and ends_like_unit(t) and not re.search(r"[。;;!?]", t)


def _split_run(run: str) -> list[str]:
    """Split a run of concatenated unit names: cut after a unit suffix when what follows starts
    a new unit ('区发改委区经信局' -> ['区发改委', '区经信局'])."""
    out: list[str] = []
    start = 0
    i = 0
    n = len(run)
    while i < n:
        cut = None
        for suf in UNIT_SUFFIXES:
            if run.startswith(suf, i):
                end = i + len(suf)
                rest = run[end:]
                piece = run[start:end]
                if end == n:
                    break
                # cut only if the piece is a plausible name and the rest starts a new unit
                if len(piece) >= 2 and (rest.startswith(UNIT_PREFIXES) or _standalone_start(rest)):
                    cut = end
                break
        if cut is not None:
            out.append(run[start:cut])
            start = cut
            i = cut
        else:
            i += 1
    out.append(run[start:])
    return [p for p in out if p]


# Words that finish the name before them rather than start a new one ('…招商中心 成员单位').
_TAILS = ("成员单位", "有关单位", "相关单位", "各成员", "及成员")
_STANDALONE = ("开发区", "高新区", "经开区", "投资促进", "城投", "交投", "建投", "供电公司", "税务局")


def _standalone_start(rest: str) -> bool:
    return rest.startswith(_STANDALONE)


def split_units(lines: list[str]) -> list[str]:
    """Turn the lines of a unit cell into unit names.

    A line that does not end like a unit is joined with the next one ('市自然' + '资源局');
    separators and run-together names are split; spaces inside a name are removed.
    """
    pieces: list[str] = []
    for line in lines:
        for part in _SEPARATORS.split(line):
            # Spaces separate units only when both sides are complete names.
            words = [w for w in _SPACES.split(part.strip()) if w]
            buf = ""
            for w in words:
                if buf and ends_like_unit(buf) and ends_like_unit(w) and len(w) >= 3 and not w.startswith(_TAILS):
                    pieces.append(buf)
                    buf = w
                else:
                    buf += w
            if buf:
                pieces.append(buf)
    # Join fragments broken across lines: a piece that does not end like a unit absorbs the next.
    joined: list[str] = []
    carry = ""
    for p in pieces:
        cur = carry + p
        if ends_like_unit(cur):
            joined.append(cur)
            carry = ""
        else:
            carry = cur
    if carry:
        joined.append(carry)
    units: list[str] = []
    for j in joined:
        units.extend(_split_run(_clean(j)))
    return [u for u in units if u]

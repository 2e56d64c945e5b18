"""Unit (department) names as printed in a lead / cooperating cell -> a list of unit names.

Cells print units in every way: one per line, several run together ('区发改委区经信局'),
separated by '、' ',' or spaces, or one name broken across lines ('市自然' + '资源局',
'市生态  环境局'). These are pure functions over the cell's lines.
"""

from __future__ import annotations

import re

from ingestion.memo import per_file

# Endings of a complete unit name. Longest first so '办公室' wins over '室'.
# fmt: off
UNIT_SUFFIXES = sorted(
    {
        "局", "委", "办", "办公室", "机关", "县", "领导小组", "部", "院", "中心", "镇", "乡", "街道", "街", "开发区", "高新区",
        "园区", "园", "公司", "集团", "政府", "委员会", "管委会", "指挥部", "分局", "支队", "大队",
        "厅", "处", "社", "馆", "台", "校", "会", "联", "行", "所", "队", "站", "署", "科", "组",
        "支行", "分行", "成员单位", "各单位", "有关单位", "相关单位", "各县区", "各镇街", "县区", "镇街", "法院",
        "检察院", "管理局", "分公司", "监狱", "商会", "协会", "团", "示范区", "片区", "实验区",
        "合作区", "新区", "区", "组织", "部门", "单位", "机构",
    },
    key=len,
    reverse=True,
)
# fmt: on
# A line that is nothing but a generic ending continues the name above it
# ('市城乡建设指挥部' + '办公室'), it is not a unit of its own.
_BARE_SUFFIXES = frozenset(
    {"办公室", "中心", "管委会", "委员会", "指挥部", "领导小组", "分局", "支队", "大队"}
)

# Beginnings that start a new unit name when they follow a complete one.
_SUFFIX_TUPLE = tuple(UNIT_SUFFIXES)
UNIT_PREFIXES = ("区", "市", "县", "省", "各", "镇", "乡", "团", "国网", "中国", "中共")

_SUFFIX_AT = re.compile("|".join(map(re.escape, UNIT_SUFFIXES)))
_SEPARATORS = re.compile(r"[、,,;;/]+")
_SPACES = re.compile(r"[ \t\u3000\u00a0]+")
_BRACKETS = re.compile(r"[((][^))]*[))]")
_NOTE = re.compile(r"\s*[((][^))]*[))]\s*")


def _clean(s: str) -> str:
    return _SPACES.sub("", s).strip(" .。:")


@per_file
def ends_like_unit(name: str) -> bool:
    # the line classifiers ask this of the same strings many times: cache, and one C-level endswith
    return _BRACKETS.sub("", name).endswith(_SUFFIX_TUPLE)


def looks_like_unit(text: str) -> bool:
    """A short text ending like a unit name (used by parsers to classify lines).

    A long phrase that merely ends in a one-character ending that is also an ordinary word
    ('…提升科', '…推进会', '…老旧小区') is not taken for a unit unless it starts like one."""
    t = _clean(text)
    if not (2 <= len(t) <= 60 and ends_like_unit(t)) or re.search(r"[。;;!?]", t):
        return False
    last = _split_run(t)[-1]  # judge the last name of a run ('城投集团渠沟镇' -> '渠沟镇')
    return not (_weak_ending(last) and len(last) > 6 and not last.startswith(UNIT_PREFIXES))


# One-character endings that also end ordinary words; multi-character endings are reliable.
_WEAK_ENDINGS = frozenset("科组会行社台所处校馆站联队团园署厅街乡镇区县")


def _weak_ending(name: str) -> bool:
    bare = _BRACKETS.sub("", name)
    suffix = next((suf for suf in UNIT_SUFFIXES if bare.endswith(suf)), "")
    return len(suffix) == 1 and suffix in _WEAK_ENDINGS


def _split_run(run: str) -> list[str]:
    """Split a run of concatenated unit names: cut after a unit suffix when what follows starts
    a new unit ('区发改委区经信局' -> ['区发改委', '区经信局'])."""
    out: list[str] = []
    start = 0
    i = 0
    n = len(run)
    while i < n:
        cut = None
        # the first of UNIT_SUFFIXES (longest first) printed at i: one regex match (alternatives
        # are tried in order, the first wins), not a loop over every suffix
        found = _SUFFIX_AT.match(run, i)
        if found is not None and found.end() < n:
            suf, end = found.group(), found.end()
            rest = run[end:]
            piece = run[start:end]
            # cut only if the piece is a plausible name and the rest starts a new unit
            if (
                len(piece) >= 2
                and (rest.startswith(UNIT_PREFIXES) or _standalone_start(rest)
                     or (suf in _COMPANY_ENDS and _company_name(rest)))
                and not rest.startswith(_TAILS)
                and run[end - 1 : end + 1] not in _COMPOUNDS
            ):
                cut = end
        if cut is not None:
            out.append(run[start:cut])
            start = cut
            i = cut
        else:
            i += 1
    out.append(run[start:])
    return [p for p in out if p]


# Two-character words whose halves are both unit endings / prefixes: never cut between them.
_COMPOUNDS = frozenset(("乡镇", "镇街", "街镇", "镇村", "乡村"))
# Words that finish the name before them rather than start a new one ('…招商中心 成员单位').
_TAILS = ("成员单位", "有关单位", "相关单位", "各成员", "及成员", "各有关", "各相关")
_STANDALONE = ("开发区", "高新区", "经开区", "投资促进", "城投", "交投", "建投", "供电公司", "税务局")


# Companies glued together ('城投集团工投集团人才公司'): after a company ending, a rest that is
# itself a company name is a new unit; '…集团有限公司' is one name.
_COMPANY_ENDS = ("集团", "公司")
_COMPANY_CONTINUATIONS = ("有限", "股份", "分公司", "子公司", "控股", "公司")


def _company_name(rest: str) -> bool:
    return (len(rest) >= 4 and rest.endswith(_COMPANY_ENDS) and not rest.startswith(_COMPANY_CONTINUATIONS)
            and "有限" not in rest and "股份" not in rest)  # '…集团安徽有限公司' is the group's own branch


# A township / street name without a 区/市 prefix ('渠沟镇', '曲阳街道') also starts a new unit.
_TOWNSHIP = re.compile(r"^[\u4e00-\u9fff]{1,3}?(镇|乡|街道)(?![\u4e00-\u9fff]*(局|委|办|中心|所|站))")


def _standalone_start(rest: str) -> bool:
    # ('局渠沟镇' is the tail of '…社' + '局', not a township: a name never starts with a suffix,
    # and a town's own name holds no unit ending: '技局各镇街' is '…技局' + '各镇街')
    if rest.startswith(_STANDALONE):
        return True
    m = _TOWNSHIP.match(rest)
    return m is not None and not any(ends_like_unit(ch) for ch in rest[: m.start(1)]) and not rest.startswith("各")


def _names_its_own_unit(word: str) -> bool:
    """'各相关乡镇政府' after a space is a unit of its own; a bare tail ('成员单位') is not."""
    tail = next(t for t in _TAILS if word.startswith(t))
    rest = word[len(tail) :]
    return len(rest) >= 2 and ends_like_unit(rest)


_HAN = r"\u4e00-\u9fff"
# A personal name printed after a unit in the same cell ('市民政局 张某某'): 2-3 Han characters
# (a masked one: '张某某', '李**'), several joined by 、.
_PERSON_WORD = re.compile(rf"^[{_HAN}][{_HAN}某*＊xX]{{1,2}}(?:、[{_HAN}][{_HAN}某*＊xX]{{1,2}})*$")
_NOT_NAMES = ("牵头", "配合", "负责", "协办", "主办", "参与", "等", "及", "和")


def is_person_name(word: str) -> bool:
    w = word.strip()
    return (
        bool(_PERSON_WORD.match(w))
        and not w.startswith(UNIT_PREFIXES)
        and not ends_like_unit(w)
        and not any(w.startswith(x) or w.endswith(x) for x in _NOT_NAMES)
    )


def split_unit_cell(lines: list[str]) -> tuple[list[str], list[str]]:
    """A unit cell's units and the people named in it (``牵头单位及主要负责人``: '市民政局 张某某').

    A person is a space-separated word that is a personal name and follows a complete unit name;
    everything else goes to ``split_units``."""
    kept: list[str] = []
    people: list[str] = []
    for line in lines:
        words = [w for w in _SPACES.split(line.strip()) if w]
        rest: list[str] = []
        for w in words:
            if rest and ends_like_unit(_clean(rest[-1])) and is_person_name(w):
                people.extend(p for p in w.split("、") if p)
            else:
                rest.append(w)
        kept.append(" ".join(rest))
    return split_units([k for k in kept if k]), people


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
                if (
                    buf
                    and ends_like_unit(buf)
                    and ends_like_unit(w)
                    and len(w) >= 3
                    and (not w.startswith(_TAILS) or _names_its_own_unit(w))
                ):
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
        # A bracketed note on its own line ('(人才办)') qualifies the unit before it.
        if not carry and joined and (_NOTE.fullmatch(p) or _clean(p) in _BARE_SUFFIXES):
            joined[-1] += _clean(p) if not _NOTE.fullmatch(p) else p
            continue
        # A two-character head ending in an ordinary-word ending ('区科') broken from the rest of
        # its name ('技局'): the next line does not start a unit of its own, so it continues it.
        prev = _clean(joined[-1]) if joined and not carry else ""
        if (
            len(prev) == 2
            and _weak_ending(prev)
            and not p.startswith(UNIT_PREFIXES)
            and not _standalone_start(p)
            and ends_like_unit(prev + _clean(p))
        ):
            joined[-1] = prev + _clean(p)
            continue
        # A fragment followed by a line that starts a new unit was a (truncated) name of its own.
        if carry and p.startswith(UNIT_PREFIXES) and len(_clean(p)) >= 3:
            joined.append(carry)
            carry = ""
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

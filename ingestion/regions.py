"""GB/T 2260 region codes and hierarchy, from the code table that ships with ``cpca``.

No hand-typed codes: a jurisdiction is named (省/市/区县, in full or as cpca abbreviates them:
安徽 for 安徽省, 广西 for 广西壮族自治区) or given as a 6-digit code; the hierarchy follows from the
code's structure (PPCCDD) and cpca's code table. This module is the one home of the lookup: the
CLI's ``--region`` and every ``source.yaml`` jurisdiction go through :func:`lookup` / :func:`resolve`.

Nothing is guessed: a name that fits several places (朝阳区 is in 北京市 and in 吉林省长春市) is
refused with every candidate listed (:class:`AmbiguousRegion`); the names before the last one
(a province, a city, or both) or the code choose among them.
"""

from __future__ import annotations

import functools
import os
import re
import warnings
from dataclasses import dataclass

import pandas as pd

from ingestion.registry import Jurisdiction


class RegionError(Exception):
    pass


# City-level rows of the table that are no place of their own (北京市 > 市辖区 > 朝阳区).
PLACEHOLDER_NAMES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})


@dataclass(frozen=True)
class Region:
    region_code: str
    region_name: str
    full_name: str
    level: str  # province / city / district / county
    parent_code: str | None
    province_code: str
    city_code: str | None

    @property
    def display_name(self) -> str:
        """The full name as a person writes it: 北京市朝阳区, not 北京市市辖区朝阳区."""
        names = [a.region_name for a in reversed(ancestors(self))]
        return "".join(dict.fromkeys(n for n in names if n not in PLACEHOLDER_NAMES)) or self.region_name

    def jurisdiction(self) -> dict[str, str]:
        """The registry's ``jurisdiction:`` mapping for this region (names and the code)."""
        by_level = {a.level: a.region_name for a in ancestors(self)}
        out = {"province": by_level.get("province"), "city": by_level.get("city"),
               "county": by_level.get("district") or by_level.get("county"), "region_code": self.region_code}
        return {k: v for k, v in out.items() if v}


def _listing(candidates: list[Region]) -> str:
    return ", ".join(f"{c.display_name} {c.region_code}" for c in candidates)


class AmbiguousRegion(RegionError):
    """A name that fits several regions; ``candidates`` lists them all."""

    def __init__(self, text: str, candidates: list[Region]) -> None:
        self.text, self.candidates = text, candidates
        super().__init__(f"{text}: {_listing(candidates)} — give the city or the code")


class UnknownRegion(RegionError):
    """A name no region of the table fits; ``elsewhere`` lists regions of that last name under
    other parents (江苏省朝阳区: 朝阳区 exists, but not in 江苏省)."""

    def __init__(self, text: str, elsewhere: list[Region]) -> None:
        self.text, self.elsewhere = text, elsewhere
        where = (f"; {elsewhere[0].region_name} is {_listing(elsewhere)}" if elsewhere else "")
        super().__init__(f"{text}: no such region in the GB/T 2260 table shipped with cpca{where} — "
                         "give names like 安徽省淮北市相山区 (安徽淮北相山区) or a 6-digit code such as 340603")


@functools.lru_cache(maxsize=1)
def _cpca():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # cpca imports pkg_resources, which warns
        import cpca
    return cpca


@functools.lru_cache(maxsize=1)
def code_table() -> dict[str, str]:
    """6-digit code -> name, from cpca's adcodes.csv (12-digit codes, 2021 edition)."""
    path = os.path.join(os.path.dirname(_cpca().__file__), "resources", "adcodes.csv")
    df = pd.read_csv(path, dtype={"adcode": str}, usecols=["adcode", "name"])
    out: dict[str, str] = {}
    for code, name in zip(df["adcode"], df["name"], strict=False):
        if code.endswith("000000"):
            out[code[:6]] = name
    return out


def _level(code: str, name: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "district" if name.endswith("区") else "county"


def region_for_code(code: str) -> Region:
    table = code_table()
    if code not in table:
        raise RegionError(f"region code {code} is not in the GB/T 2260 table shipped with cpca")
    name = table[code]
    level = _level(code, name)
    prov = code[:2] + "0000"
    city = code[:4] + "00" if level in ("district", "county") else (code if level == "city" else None)
    # Municipalities (北京 110000 …) list districts under 1101xx with no 110100 name.
    if city is not None and city not in table:
        city = None
    parent = None
    if level in ("district", "county"):
        parent = city or prov
    elif level == "city":
        parent = prov
    names = [table[c] for c in (prov, city) if c and c in table and c != code] + [name]
    return Region(code, name, "".join(dict.fromkeys(names)), level, parent, prov, city)


def forms(name: str) -> frozenset[str]:
    """A name and cpca's abbreviation of it (安徽省 -> 安徽, 广西壮族自治区 -> 广西; 区 and 县 are kept,
    as cpca keeps them: 朝阳 alone would fit far more places)."""
    return frozenset(x for x in (name, _cpca().matcher._abbr_name(name)) if x)


@functools.lru_cache(maxsize=1)
def _by_name() -> dict[str, tuple[str, ...]]:
    """Every name and abbreviation of the table -> the codes it names."""
    out: dict[str, list[str]] = {}
    for code, name in code_table().items():
        for f in forms(name):
            out.setdefault(f, []).append(code)
    return {k: tuple(sorted(v)) for k, v in out.items()}


def _prefix_fits(prefix: str, parents: list[str]) -> bool:
    """Whether ``prefix`` is some of ``parents`` (province first), in order, each named in full or
    abbreviated, any of them left out."""
    if not prefix:
        return True
    if not parents:
        return False
    head, rest = parents[0], parents[1:]
    return any(prefix.startswith(f) and _prefix_fits(prefix[len(f):], rest) for f in forms(head)) \
        or _prefix_fits(prefix, rest)


def _fitting(prefix: str, last: str) -> tuple[list[Region], list[Region]]:
    """Regions named ``last`` whose parents fit ``prefix``, and those whose parents do not."""
    fit: list[Region] = []
    other: list[Region] = []
    for code in _by_name().get(last, ()):
        region = region_for_code(code)
        parents = [a.region_name for a in reversed(ancestors(region)[1:])]
        (fit if _prefix_fits(prefix, parents) else other).append(region)
    return fit, other


def _one(text: str, fit: list[Region], elsewhere: list[Region]) -> Region:
    if len(fit) == 1:
        return fit[0]
    if fit:
        raise AmbiguousRegion(text, fit)
    raise UnknownRegion(text, elsewhere)


def lookup(text: str) -> Region:
    """A region from a 6-digit GB/T 2260 code or from names: the region's own name last, any of its
    parents before it (相山区, 淮北市相山区, 安徽省淮北市相山区, 安徽淮北相山区). Raises
    :class:`AmbiguousRegion` listing the candidates, :class:`UnknownRegion`, or :class:`RegionError`."""
    text = "".join(text.split())
    if re.fullmatch(r"\d{6}", text):
        return region_for_code(text)
    fit: dict[str, Region] = {}
    elsewhere: list[Region] = []
    for i in range(len(text)):  # every way of reading the text as parents + a name of the table
        here, other = _fitting(text[:i], text[i:])
        fit.update((r.region_code, r) for r in here)
        elsewhere = elsewhere or other  # the longest name that exists, under other parents
    return _one(text, sorted(fit.values(), key=lambda r: r.region_code), elsewhere)


def resolve(j: Jurisdiction) -> Region:
    """Resolve a registry jurisdiction to a Region: by its code when given (the names given beside
    it must be the code's), else by its names, the most specific one being the region's own.
    Raises RegionError (AmbiguousRegion / UnknownRegion) naming what failed."""
    names = [x for x in (j.province, j.city, j.county) if x]
    if j.region_code:
        region = region_for_code(j.region_code)
        known = {f for a in ancestors(region) for f in forms(a.region_name)}
        wrong = [n for n in names if n not in known]
        if wrong:
            raise RegionError(f"region_code {j.region_code} is {region.display_name}, "
                              f"not in {'、'.join(wrong)}")
        return region
    fit, elsewhere = _fitting("".join(names[:-1]), names[-1])
    return _one("".join(names), fit, elsewhere)


def ancestors(region: Region) -> list[Region]:
    """The region and its parents, most specific first."""
    out = [region]
    while out[-1].parent_code:
        out.append(region_for_code(out[-1].parent_code))
    return out

"""GB/T 2260 region codes and hierarchy, from the code table that ships with ``cpca``.

No hand-typed codes: the registry names a jurisdiction (省/市/区县), cpca resolves it to an
adcode, and the hierarchy follows from the code's structure (PPCCDD) and cpca's code table.
"""

from __future__ import annotations

import functools
import os
import warnings
from dataclasses import dataclass

import pandas as pd

from ingestion.registry import Jurisdiction


class RegionError(Exception):
    pass


@dataclass(frozen=True)
class Region:
    region_code: str
    region_name: str
    full_name: str
    level: str  # province / city / district / county
    parent_code: str | None
    province_code: str
    city_code: str | None


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


def resolve(j: Jurisdiction) -> Region:
    """Resolve a registry jurisdiction to a Region. Raises RegionError naming what failed."""
    if j.region_code:
        return region_for_code(j.region_code)
    address = "".join(x for x in (j.province, j.city, j.county) if x)
    df = _cpca().transform([address])
    code = df.loc[0, "adcode"]
    if not isinstance(code, str) or len(code) < 6:
        raise RegionError(f"cannot resolve {address!r} to a GB/T 2260 code")
    code = code[:6]
    region = region_for_code(code)
    # cpca falls back to the parent when it cannot find the county; do not accept that silently.
    want = j.county or j.city or j.province
    if want and region.region_name != want:
        raise RegionError(f"{address!r} resolved to {region.region_name} ({code}), not {want}")
    return region


def ancestors(region: Region) -> list[Region]:
    """The region and its parents, most specific first."""
    out = [region]
    while out[-1].parent_code:
        out.append(region_for_code(out[-1].parent_code))
    return out

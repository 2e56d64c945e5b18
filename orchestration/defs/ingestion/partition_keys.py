"""Partition keys that scale past one partition per source (docs/scaling.md).

Today every source is its own ``sources`` dynamic partition: right for hundreds of bulletins, but
130,000 (every county-level jurisdiction for ten years) is more partitions than a Dagster UI or
sensor tick should list, and each run has a fixed cost. Two schemes group sources instead, both
pure functions of what the registry already holds:

* ``jurisdiction_year``: ``<province code>/<year>`` (e.g. ``340000/2024``): ~31 provinces × 10 years
  = ~310 partitions for 130,000 sources, ~420 sources each; a new bulletin lands in a partition an
  analyst can name. Sources without a jurisdiction or period share ``unknown/<year|unknown>``.
* ``shard``: ``shard-NNNN``, a stable hash of the source id into ``shards`` buckets: even sizes
  whatever the registry's skew, and a source never moves when others are added.

A partition's run parses its sources one by one (or in a process pool) and writes one Parquet
file per source, so re-running a partition re-writes only its own files.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable

SCHEMES = ("source", "jurisdiction_year", "shard")
DEFAULT_SHARDS = 256
UNKNOWN = "unknown"


def province_code(region_code: str | None) -> str:
    """The province of a 6-digit GB/T 2260 code (``340602`` -> ``340000``)."""
    if not region_code or len(region_code) != 6 or not region_code.isdigit():
        return UNKNOWN
    return region_code[:2] + "0000"


def shard_of(source_id: str, shards: int = DEFAULT_SHARDS) -> int:
    """Stable across processes and Python versions (not ``hash()``, which is salted per process)."""
    return int.from_bytes(hashlib.blake2b(source_id.encode(), digest_size=8).digest(), "big") % shards


def partition_key(source_id: str, region_code: str | None, year: int | None, scheme: str = "source",
                  shards: int = DEFAULT_SHARDS) -> str:
    if scheme == "source":
        return source_id
    if scheme == "jurisdiction_year":
        return f"{province_code(region_code)}/{year if year is not None else UNKNOWN}"
    if scheme == "shard":
        return f"shard-{shard_of(source_id, shards):04d}"
    raise ValueError(f"unknown partition scheme {scheme!r}; one of {', '.join(SCHEMES)}")


def partition_sizes(keys: Iterable[str]) -> Counter[str]:
    return Counter(keys)

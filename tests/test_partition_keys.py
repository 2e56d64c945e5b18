"""Partition keys for a registry far larger than the seeds: 10,000 synthetic sources."""

from __future__ import annotations

import random

import pytest

from orchestration.defs.ingestion.partition_keys import (
    partition_key,
    partition_sizes,
    province_code,
    shard_of,
)

PROVINCES = [f"{p}0000" for p in (11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43,
                                  44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65)]


def _registry(n: int, seed: int = 7) -> list[tuple[str, str | None, int | None]]:
    """n sources, skewed as the real registry would be (some provinces publish far more)."""
    rng = random.Random(seed)
    weights = [rng.uniform(0.2, 5.0) for _ in PROVINCES]
    out = []
    for i in range(n):
        prov = rng.choices(PROVINCES, weights)[0]
        code = prov[:2] + f"{rng.randint(1, 30):02d}{rng.randint(1, 20):02d}"
        year = rng.randint(2015, 2024)
        out.append((f"r{code}_{year}_{i:05d}", code if i % 97 else None, year if i % 89 else None))
    return out


def test_province_code():
    assert province_code("340602") == "340000"
    assert province_code(None) == province_code("34") == province_code("abcdef") == "unknown"


def test_shard_is_stable_and_independent_of_the_rest_of_the_registry():
    assert shard_of("r340602_2024q3") == shard_of("r340602_2024q3")
    # a known value: the same in every process (hash() would not be)
    assert partition_key("r340602_2024q3", "340602", 2024, "shard", 256) == f"shard-{shard_of('r340602_2024q3'):04d}"
    small = {sid: partition_key(sid, c, y, "shard") for sid, c, y in _registry(1_000)}
    large = {sid: partition_key(sid, c, y, "shard") for sid, c, y in _registry(10_000)}
    assert all(large[sid] == key for sid, key in small.items() if sid in large)


def test_10000_sources_by_jurisdiction_year():
    reg = _registry(10_000)
    sizes = partition_sizes(partition_key(s, c, y, "jurisdiction_year") for s, c, y in reg)
    assert sum(sizes.values()) == 10_000
    assert len(sizes) <= (len(PROVINCES) + 1) * 11  # provinces (+ unknown) × years (+ unknown)
    assert any(k.startswith("unknown/") for k in sizes) and any(k.endswith("/unknown") for k in sizes)
    assert all(k.split("/")[0] in (*PROVINCES, "unknown") for k in sizes)


def test_10000_sources_in_even_shards():
    reg = _registry(10_000)
    sizes = partition_sizes(partition_key(s, c, y, "shard", 64) for s, c, y in reg)
    assert len(sizes) == 64
    mean = 10_000 / 64
    assert max(sizes.values()) < 1.5 * mean and min(sizes.values()) > 0.5 * mean


def test_source_scheme_is_the_source_id_and_unknown_schemes_are_refused():
    assert partition_key("x", None, None) == "x"
    with pytest.raises(ValueError, match="unknown partition scheme"):
        partition_key("x", None, None, "county")

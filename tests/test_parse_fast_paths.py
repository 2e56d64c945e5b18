"""The parser's fast paths against their readable definitions, and the per-file memos (issue #13)."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from ingestion import memo
from ingestion.formats import script
from ingestion.layouts import _cells_tokens
from ingestion.parse import parse_file
from ingestion.reader import _plausible, plausible_share

# ASCII, CJK punctuation, common and rare hanzi, Traditional forms, kana, control characters
_ALPHABET = "ab1 \t\n。,、()中国发展進步經濟鬆乂丿亍あア\x01\x1f①Ⅲ×"


def _random_text(rng: random.Random) -> str:
    return "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 300)))


@pytest.mark.parametrize("seed", range(30))
def test_plausible_share_is_the_share_of_plausible_characters(seed):
    text = _random_text(random.Random(seed))
    expected = sum(1 for ch in text if _plausible(ch)) / len(text) if text else 0.0
    assert plausible_share(text) == expected
    assert plausible_share(text, sample=50) == (
        sum(1 for ch in text[:50] if _plausible(ch)) / len(text[:50]) if text else 0.0
    )


@pytest.mark.parametrize("seed", range(30))
def test_script_stats_counts_every_cjk_character_and_every_converted_one(seed):
    rng = random.Random(seed)
    texts = [_random_text(rng) for _ in range(rng.randint(0, 5))]
    counts = Counter(ch for t in texts for ch in script._CJK.findall(t))
    expected = sum(counts.values()), sum(n for ch, n in counts.items() if script._char(ch) != ch)
    assert script.script_stats(texts) == expected


def test_memos_are_forgotten_between_files(registry):
    _cells_tokens.is_unit("一个只在这个测试里出现的单位局")
    before = _cells_tokens.is_unit.cache_info()
    _cells_tokens.is_unit("一个只在这个测试里出现的单位局")
    assert _cells_tokens.is_unit.cache_info().hits == before.hits + 1  # memoised within a file
    src = registry.get("rw09_shaoxing_2020q1")
    parse_file(src.file_path, src.spec)  # a new file: every per_file memo starts empty
    misses = _cells_tokens.is_unit.cache_info().misses
    _cells_tokens.is_unit("一个只在这个测试里出现的单位局")
    assert _cells_tokens.is_unit.cache_info().misses == misses + 1
    memo.new_file()
    assert _cells_tokens.is_unit.cache_info().currsize == 0

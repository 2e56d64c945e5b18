"""English labels beside the Chinese ones: a region's name in pinyin with its kind in English
(相山区 → Xiangshan District, 六安市 → Lu'an City), written to ``raw.regions.region_name_en``.

Pinyin comes from pypinyin (its phrase dictionary reads 六安 as lu an); the kind words are the
administrative suffixes of GB/T 2260 names. A polyphonic character pypinyin reads otherwise than
the place does (朝阳 → Zhaoyang, not Chaoyang) stays as pypinyin reads it.
"""

from __future__ import annotations

import functools

# Longest first: 自治县 before 县.
SUFFIXES = (
    ("特别行政区", "Special Administrative Region"),
    ("自治区", "Autonomous Region"),
    ("自治州", "Autonomous Prefecture"),
    ("自治县", "Autonomous County"),
    ("自治旗", "Autonomous Banner"),
    ("新区", "New Area"),
    ("地区", "Prefecture"),
    ("林区", "Forestry District"),
    ("省", "Province"),
    ("市", "City"),
    ("区", "District"),
    ("县", "County"),
    ("旗", "Banner"),
    ("盟", "League"),
)
_VOWELS = ("a", "e", "o")


@functools.lru_cache(maxsize=4096)
def pinyin(text: str) -> str:
    """Syllables joined, capitalised once, an apostrophe before a syllable opening with a vowel
    (Lu'an, Xi'an): the form used on maps and road signs."""
    from pypinyin import Style, lazy_pinyin

    out = ""
    for syl in lazy_pinyin(text, style=Style.NORMAL, errors="default"):
        syl = syl.strip()
        if not syl:
            continue
        if out and syl[0].lower() in _VOWELS and out[-1].isalpha():
            out += "'"
        out += syl.lower()
    return out[:1].upper() + out[1:]


def region_name_en(name: str | None) -> str | None:
    """'相山区' → 'Xiangshan District'; a name without a known suffix → its pinyin alone."""
    if not name:
        return None
    for zh, en in SUFFIXES:
        if name.endswith(zh) and len(name) > len(zh):
            return f"{pinyin(name[: -len(zh)])} {en}"
    return pinyin(name)

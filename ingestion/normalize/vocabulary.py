"""Printed status words -> the status enum.

The single source of truth is ``ingestion/data/status_vocabulary.csv`` (columns word,status,note),
read only here: ingestion writes the normalised status into ``raw.row_signals.status_reported_norm``
and dbt uses that, so an edit needs a re-ingest (``make run``), not only a dbt build. The layouts'
"is this cell a status" test (``is_status_word``) reads the same words. A source's
``spec.status_words`` extend it. A word whose status is ``unknown`` is known to be ambiguous: it is
recognised as a status cell but maps to ``unknown`` unless the source's ``status_words`` decide.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from ingestion import DATA_DIR
from ingestion.formats import script
from ingestion.model import STATUS_ENUM

VOCABULARY_CSV = DATA_DIR / "status_vocabulary.csv"

# Whitespace of every kind a web page leaves in a cell (nbsp, ideographic space, zero-width).
_SPACE = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
# A cell that is only dashes of any width means "nothing due": fold the variants onto one key.
_END_PUNCT = re.compile(r"^[。.,,;;::、!!]+|[。.,,;;::、!!]+$")
_DASHES = re.compile(r"^[-—–―─－~～]+$")


def clean(word: str | None) -> str:
    """The matching key of a printed word: no whitespace, Simplified characters, no end punctuation."""
    if word is None:
        return ""
    return _key_of_bare(_bare(word))


def _bare(word: str) -> str:
    return _END_PUNCT.sub("", _SPACE.sub("", str(word)))


def _key_of_bare(w: str) -> str:
    if not w:
        return ""
    if _DASHES.match(w):
        return "—"
    return script.t2s(w)


@lru_cache(maxsize=4)
def _load(path: str) -> dict[str, str]:
    out: dict[str, str] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for rec in csv.DictReader(f):
            status = (rec.get("status") or "").strip()
            if status not in STATUS_ENUM:
                raise ValueError(f"{path}: word {rec.get('word')!r} has unknown status {status!r}")
            key = clean(rec.get("word"))
            if key:
                out.setdefault(key, status)
    return out


def vocabulary(path: Path | str = VOCABULARY_CSV) -> dict[str, str]:
    """Matching key -> status, from the seed CSV."""
    return dict(_load(str(path)))


def is_status_word(word: str | None) -> bool:
    """A word the vocabulary knows (whatever its status): what a status cell may hold."""
    if word is None:
        return False
    bare = _bare(word)
    known = _load(str(VOCABULARY_CSV))
    if len(bare) > _LONGER_THAN_ANY_KEY * _longest_key(str(VOCABULARY_CSV)):
        return False  # a sentence: not worth converting to Simplified to find it is no status word
    key = _key_of_bare(bare)
    return bool(key) and key in known


@lru_cache(maxsize=4)
def _longest_key(path: str) -> int:
    return max(map(len, _load(path)), default=0)


# Simplified and Traditional spellings of a word are practically always of one length; twice the
# longest key leaves room for any that is not.
_LONGER_THAN_ANY_KEY = 2


def normalise_reported(word: str | None, extra: dict[str, str] | None = None) -> str | None:
    """The status a printed status cell means.

    None when the cell is blank (no status reported); 'unknown' when the word is not in the
    vocabulary (nor in ``extra``, a source's own ``status_words``, which take precedence)."""
    key = clean(word)
    if not key:
        return None
    if extra:
        mine = {clean(k): v for k, v in extra.items()}
        if key in mine:
            return mine[key]
    return vocabulary().get(key, "unknown")


def unknown_words(words: Iterable[str | None], extra: dict[str, str] | None = None) -> list[str]:
    """Distinct non-blank words the vocabulary does not know, most frequent first, as printed."""
    counts: Counter[str] = Counter()
    for w in words:
        if clean(w) and normalise_reported(w, extra) == "unknown":
            counts[_SPACE.sub("", str(w))] += 1
    return [w for w, _ in counts.most_common()]

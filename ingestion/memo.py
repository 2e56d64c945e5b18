"""Caches that live for one file's parse.

The line classifiers are asked the same questions about the same cell texts many times while one
file is parsed (every segmentation choice re-scores the same lines), so they are memoised; but a
cache keyed on text that outlived the file would make a corpus of similar bulletins look faster
than it parses, and would grow without bound. ``per_file`` memoises a pure function until
``new_file()``, which ``ingestion.parse.parse_file`` calls before each file.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

_CLEARS: list[Callable[[], None]] = []


def per_file(fn: Callable[..., T]) -> functools._lru_cache_wrapper[T]:
    """``fn`` (pure, hashable arguments) memoised until the next ``new_file()``."""
    cached = functools.lru_cache(maxsize=65536)(fn)  # bounded for callers outside a parse
    _CLEARS.append(cached.cache_clear)
    return cached


def new_file() -> None:
    """Forget every ``per_file`` answer: the next file is parsed from a cold cache."""
    for clear in _CLEARS:
        clear()

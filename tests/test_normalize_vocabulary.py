"""Printed status words -> status enum, from the seed CSV shared with dbt."""

from __future__ import annotations

import csv

import pytest

from ingestion.model import STATUS_ENUM
from ingestion.normalize import vocabulary
from ingestion.normalize.vocabulary import normalise_reported, unknown_words


@pytest.mark.parametrize(
    "word,status",
    [
        ("已完成", "completed"),
        ("完成", "completed"),
        ("提前完成", "ahead"),
        ("超进度", "ahead"),
        ("超序时", "ahead"),
        ("序时推进", "on_track"),
        ("序时推", "on_track"),  # truncated cell in xiangshan_2024q4
        ("达序推进", "on_track"),
        ("顺利推进", "on_track"),
        ("按进度推进", "on_track"),
        ("达进度", "on_track"),
        ("正常推进", "on_track"),
        ("推进中", "on_track"),
        ("未完成", "behind"),
        ("进展缓慢", "behind"),
        ("未达序时进度", "behind"),
        ("欠进度", "behind"),
        ("滞后", "behind"),
        ("是", "on_track"),
        ("否", "behind"),
        ("——", "not_applicable"),
        ("—", "not_applicable"),
        ("无", "not_applicable"),
        ("暂缓", "not_applicable"),
        ("调整", "not_applicable"),
    ],
)
def test_required_words(word, status):
    assert normalise_reported(word) == status


def test_whitespace_nbsp_and_line_breaks_are_ignored():
    assert normalise_reported(" 序时\n推进\u00a0") == "on_track"
    assert normalise_reported("完成\u3000\n状况") == "unknown"  # a header, not a status
    assert normalise_reported("已 完 成") == "completed"


def test_traditional_characters_match():
    assert normalise_reported("已完成") == "completed"
    assert normalise_reported("進展緩慢") == "behind"
    assert normalise_reported("滯後") == "behind"


def test_dash_variants_fold_together():
    for w in ("——", "—", "-", "--", "－", "———"):
        assert normalise_reported(w) == "not_applicable", w


def test_blank_is_none_and_unknown_word_is_unknown():
    assert normalise_reported(None) is None
    assert normalise_reported("  \u00a0") is None
    assert normalise_reported("待定夺") == "unknown"


def test_source_words_extend_and_override():
    extra = {"基本完成": "on_track", "完成": "on_track"}
    assert normalise_reported("基本完成", extra) == "on_track"
    assert normalise_reported("完成", extra) == "on_track"
    assert normalise_reported("完成") == "completed"


def test_unknown_words_for_the_preview():
    words = ["已完成", "序时推", "基本完成", "基本完成", "待定夺", None, " "]
    assert unknown_words(words) == ["基本完成", "待定夺"]
    assert unknown_words(words, {"基本完成": "on_track"}) == ["待定夺"]


def test_csv_is_the_single_source_and_valid():
    with open(vocabulary.VOCABULARY_CSV, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert set(rows[0]) == {"word", "status", "note"}
    assert all(r["status"] in STATUS_ENUM for r in rows)
    words = [r["word"] for r in rows]
    assert len(words) == len(set(words)), "duplicate words"
    assert set(vocabulary.vocabulary()) >= {vocabulary.clean(w) for w in words}


def test_every_word_printed_in_the_seed_status_column_is_known():
    # The words printed in xiangshan_2024q4's 完成状况 column.
    assert unknown_words(["已完成", "完成", "序时推进", "序时推", "未完成", "——"]) == []


def test_is_status_word_knows_every_word_however_padded_and_no_sentence():
    """The length check that spares a sentence the Simplified conversion never drops a word:
    every vocabulary word, spaced out and with end punctuation, is still one; a progress
    sentence that mentions one is not."""
    words = list(vocabulary.vocabulary())
    for w in words:
        assert vocabulary.is_status_word(" \u3000".join(w) + "。。"), w
    assert not vocabulary.is_status_word("全年新建5G基站100个,已建成82个,整体已完成年度目标任务的八成以上。")

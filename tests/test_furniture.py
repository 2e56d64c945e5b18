"""Page chrome, page numbers and captions: one definition each (ingestion.furniture) for every
layout and format."""

import pytest

from ingestion.furniture import is_caption, is_page_number


@pytest.mark.parametrize("text", ["- 3 -", "—12—", "第 3 页", "第3页 共12页", "3/12", " 7 / 9 "])
def test_page_numbers(text):
    assert is_page_number(text) and is_page_number(text, bare_number=True)


def test_a_bare_number_is_a_page_number_only_where_the_reader_says_so():
    assert not is_page_number("3") and is_page_number("3", bare_number=True)
    assert not is_page_number("2024年3月") and not is_page_number("共完成3项")


@pytest.mark.parametrize("text", [
    "某区2024年重点工作完成情况表", "重点任务清单(量化重点工作35项)", "2024年重点工作推进情况",
    "附件1:", "附表", "项目一览", "工作台账汇总表",
])
def test_captions(text):
    assert is_caption(text)


@pytest.mark.parametrize("text", [
    "已完成年度任务的74%,详见附表。",  # a sentence that mentions a table
    "新建5G基站100个",
    "全区重点工作进展顺利,各项任务均按序时推进,其中完成情况良好的有93项,详见下表" * 2,  # too long
])
def test_not_captions(text):
    assert not is_caption(text)

"""Page chrome that government sites print around a bulletin (visit counters, dates, font-size
and print links, document metadata …). One list for every layout and format, so a word learnt
from one site's pages helps all of them."""

from __future__ import annotations

import re

PAGE_CHROME = re.compile(
    r"浏览次数|浏览量|阅读次数|点击数|访问量|发布时间|发表时间|发布日期|发布机构|成文日期|信息来源|来源[::]|"
    r"字号[::]?|字体大小|索引号|^号[::]|文\s*号[::]|发文机关|生效时间|废止时间|信息分类|主题分类|名\s*称[::]|"
    r"政策咨询|责任编辑|编辑[::]|填报单位|填报日期|填报人|报送单位|制表人?[::]|审核人?[::]|联系电话|日期[::]|"
    r"我要纠错|打印|收藏|文件下载|标签[::]|如果您对该政策|扫一扫|关闭窗口|分享到|^\s*分享[::]|语音播报|"
    r"[((]?(?:摄影|图片来源|供图|摄)[::]|^\s*[((]?图为|"
    r"【\s*(?:大|中|小)\s*】|^\s*(?:首页|当前位置)|^\s*\d{4}[-/年.]\d{1,2}[-/月.]\d{1,2}日?\s*$"
)


def is_page_chrome(text: str) -> bool:
    return bool(PAGE_CHROME.search(text))


# A page number printed as a line of its own: '- 3 -', '第 3 页' (and what follows: '第3页 共12页'), '3/12'; a bare
# number ('3') only where the reader knows the line is a page footer (PDF pages).
_PAGE_NUMBER = r"[-—–]\s*\d{1,4}\s*[-—–]|第\s*\d+\s*页.*|\d{1,4}\s*/\s*\d{1,4}"
PAGE_NUMBER = re.compile(rf"^\s*(?:{_PAGE_NUMBER})\s*$")
PAGE_NUMBER_OR_BARE = re.compile(rf"^\s*(?:{_PAGE_NUMBER}|\d{{1,4}})\s*$")


def is_page_number(text: str, bare_number: bool = False) -> bool:
    return bool((PAGE_NUMBER_OR_BARE if bare_number else PAGE_NUMBER).match(text))


# A table's caption or an attachment's title, printed on a line of its own: '…完成情况表',
# '重点任务清单(量化重点工作35项)', '2024年重点工作推进情况', '附件1:', '附表'. A caption is short and
# no sentence (no sentence punctuation outside its brackets).
CAPTION = re.compile(
    r"(?:表|清单|一览)\s*(?:[((][^))]*[))])?$|(?:情况|汇总|清单|台账|一览)表"
    r"|重点工作.{0,12}(?:完成|进展|落实|推进)情况|^附件\s*\d*\s*[::]?\s*$|^附表"
)
_SENTENCE_PUNCT = re.compile(r"[。,,;;::!?!?%%]")
_BRACKETED = re.compile(r"[((][^))]*[))]")


def is_caption(text: str) -> bool:
    t = text.strip()
    body = _BRACKETED.sub("", t).rstrip(":\uff1a")  # '附件1:' ends in a colon, a label's
    return len(t) <= 80 and bool(CAPTION.search(t)) and not _SENTENCE_PUNCT.search(body)

"""Page chrome that government sites print around a bulletin (visit counters, dates, font-size
and print links, document metadata …). One list for every layout and format, so a word learnt
from one site's pages helps all of them."""

from __future__ import annotations

import re

PAGE_CHROME = re.compile(
    r"浏览次数|浏览量|阅读次数|点击数|访问量|发布时间|发表时间|发布日期|发布机构|成文日期|信息来源|来源[::]|"
    r"字号[::]?|字体大小|索引号|^号[::]|文\s*号[::]|发文机关|生效时间|废止时间|信息分类|主题分类|名\s*称[::]|"
    r"政策咨询|责任编辑|编辑[::]|填报单位|填报日期|填报人|报送单位|制表人?[::]|审核人?[::]|联系电话|日期[::]|"
    r"我要纠错|打印|收藏|文件下载|标签[::]|如果您对该政策|扫一扫|关闭窗口|分享到|"
    r"【\s*(?:大|中|小)\s*】|^\s*(?:首页|当前位置)|^\s*\d{4}[-/年.]\d{1,2}[-/月.]\d{1,2}日?\s*$"
)


def is_page_chrome(text: str) -> bool:
    return bool(PAGE_CHROME.search(text))

"""Small, pure helpers that find figures in bulletin text: growth rates, stated shares of a target,
levels with units, masked digits, and the share of the year a reporting period covers.

Shared by status inference (status.py) and headline indicators (indicators.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

import cn2an

NUM = r"[-−－]?\d+(?:\.\d+)?"
CN_NUM = r"[零〇一二两三四五六七八九十百点]+"
PCT = r"\s*[%%]"

# Sentence and clause boundaries in Chinese bulletin prose.
SENTENCE_END = re.compile(r"[。;;\n]")
CLAUSE_SPLIT = re.compile(r"[,,;;。\n]")


def to_number(s: str) -> float | None:
    """'6.5' / '−3.72' / '六点五' -> float; None when it is not a number."""
    s = s.strip().replace("−", "-").replace("－", "-")
    try:
        return float(s)
    except ValueError:
        pass
    try:
        return float(cn2an.cn2an(s, "smart"))
    except (ValueError, KeyError, TypeError):
        return None


# --- masked figures -----------------------------------------------------------------------------

# Anonymised copies replace digits by x/X/*: 'xx个', 'x.x公里', '***.*万元', '增速*%'. Latin x only
# counts when a digit, a dot or a counting unit follows: a masked name ('XX县', '在XX落地') hides no
# figure, and words like 'TFT' are not masks.
_MASK = re.compile(
    r"(?<![A-Za-z])(?:[xX]+(?=[.\d%%个万亿元年月日家名次块座条项户人期公余多])"
    r"|\*{2,}|\*(?=[.\d%%个万亿元年月日家名次块座条项户人期])|(?<=[\d.])\*)"
)


def masked_figures(text: str | None) -> bool:
    return bool(text and _MASK.search(text))


# --- stated shares of a target --------------------------------------------------------------------

# (name, pattern with group 'pct'): the text says how much of the year's target is done.
SHARE_PATTERNS: list[tuple[str, re.Pattern]] = [
    # 完成年度任务的74.13% / 完成市级年度目标任务104% / 完成年度目标任务的107.8%
    ("share_of_annual_task", re.compile(
        rf"完成(?:[省市区县]级)?(?:年度|全年|年)(?:目标)?(?:任务|计划)(?:的)?\s*(?P<pct>{NUM}){PCT}")),
    # 占年度计划的63.2% / 占全年目标任务的87.9% / 占年度投资计划13亿元的50.59% / 占总任务的81.69%
    ("share_of_plan", re.compile(
        rf"占(?:年度|全年|年|总)(?:投资)?(?:目标)?(?:计划|任务)(?:投资)?(?:{NUM}[亿万]?元)?的\s*(?P<pct>{NUM}){PCT}")),
    # 为预算的53.95%
    ("share_of_budget", re.compile(rf"为(?:年度|全年)?预算的\s*(?P<pct>{NUM}){PCT}")),
    # 年度计划投资完成率56.3% / 年度目标完成率达65% / 投资完成率98%
    ("share_completion_rate", re.compile(
        rf"(?:年度|全年|计划|投资|目标)[^,,;;。\d]{{0,4}}完成率(?:为|达到?|是)?\s*(?P<pct>{NUM}){PCT}")),
    # (序时进度59.1%): the author's own share of the annual target
    ("share_of_schedule", re.compile(rf"序时进度(?:为|达到?|是)?\s*(?P<pct>{NUM}){PCT}")),
    # 延包进度99% / 完成整体进度20% / 工程形象进度达85%: how far the work itself has got
    ("share_of_work", re.compile(rf"(?<!序时)(?<!时间)进度(?:已)?(?:达到?|为|是|完成)?\s*(?P<pct>{NUM}){PCT}")),
]


@dataclass(frozen=True)
class Share:
    pct: float
    pattern: str
    text: str


def stated_shares(text: str | None) -> list[Share]:
    out: list[Share] = []
    if not text:
        return out
    for name, rx in SHARE_PATTERNS:
        for m in rx.finditer(text):
            v = to_number(m.group("pct"))
            if v is not None:
                out.append(Share(v, name, m.group(0)))
    return out


# --- growth rates ----------------------------------------------------------------------------------

_UP = "增长|增幅|增速|增加|提高|上升"
_DOWN = "下降|减少|降低|下滑|回落"
# An actual growth figure: '同比增长5.8%', '下降1.4%', '增幅为-30.6%', '增速 4.4%', '增长百分之六'.
_GROWTH = re.compile(
    rf"(?P<verb>{_UP}|{_DOWN})(?:了)?\s*(?:为|达到?|是|约)?\s*"
    rf"(?:(?P<num>{NUM}){PCT}|百分之(?P<cn>{CN_NUM}))"
)
# A growth target: '增长6%', '增长7.5%左右', '增长10%以上', '增速 6.5%'.
_TARGET = re.compile(
    rf"(?P<verb>增长|增幅|增速|提高)\s*(?:达到?|为|保持)?\s*"
    rf"(?:(?P<num>{NUM}){PCT}|百分之(?P<cn>{CN_NUM}))(?P<qual>左右|以上|以内)?"
)
# A progress cell that is just a figure answering a growth target: '预计3.8%', '增长6%'.
_BARE = re.compile(rf"^(?:全年|预计|约|同比|累计)*(?P<neg>下降)?(?:增长)?\s*(?P<num>{NUM}){PCT}$")

# Words that open a target clause but are not part of what is measured.
# Words a target clause opens with before it names what it measures ('确保全年地区生产总值…'):
# stripped to find the subject of a growth target and the indicator a task clause begins with.
LEAD_WORDS = re.compile(
    r"^(?:确保|力争|争取|实现|推动|推进|全年|全市|全区|全县|全镇|年度|持续|进一步|我市|我区|更大力度)+"
)


@dataclass(frozen=True)
class Growth:
    value: float
    text: str
    start: int
    context: str  # the words before the figure in its sentence: what grew
    subject: str = ""  # for targets: the measured thing, e.g. '地区生产总值'


def _growth_value(m: re.Match) -> float | None:
    v = to_number(m.group("num")) if m.group("num") else to_number(m.group("cn") or "")
    if v is None:
        return None
    if re.fullmatch(_DOWN, m.group("verb")) and v > 0:
        v = -v
    return v


def _sentence_before(text: str, pos: int, limit: int = 40) -> str:
    start = max(0, pos - limit)
    head = text[start:pos]
    cut = max((m.end() for m in SENTENCE_END.finditer(head)), default=0)
    return head[cut:]


def growth_actuals(text: str | None) -> list[Growth]:
    """Growth figures stated as achieved. A figure the text calls the target ('预计可完成年增长15%的
    目标') is not an actual."""
    out: list[Growth] = []
    if not text:
        return out
    for m in _GROWTH.finditer(text):
        after = text[m.end(): m.end() + 4]
        if after.startswith(("的目标", "目标", "的任务")):
            continue
        v = _growth_value(m)
        if v is not None:
            out.append(Growth(v, m.group(0), m.start(), _sentence_before(text, m.start())))
    return out


def bare_growth(text: str | None) -> Growth | None:
    """The whole progress cell is one percentage ('预计3.8%')."""
    if not text:
        return None
    t = re.sub(r"\s+", "", text)
    m = _BARE.match(t)
    if not m:
        return None
    v = to_number(m.group("num"))
    if v is None:
        return None
    return Growth(-v if m.group("neg") else v, t, 0, "")


def growth_targets(text: str | None) -> list[Growth]:
    """Growth targets in a task or period-target cell, each with the thing it measures."""
    out: list[Growth] = []
    if not text:
        return out
    for m in _TARGET.finditer(text):
        v = _growth_value(m)
        if v is None:
            continue
        head = text[max(0, m.start() - 40): m.start()]
        cuts = [x.end() for x in CLAUSE_SPLIT.finditer(head)]
        clause = head[cuts[-1]:] if cuts else head
        # '…收入52620元,增速6.5%': the clause before names what grows.
        if len(re.sub(r"[\d.%%\s元万亿]", "", clause)) < 2 and len(cuts) >= 1:
            clause = head[(cuts[-2] if len(cuts) >= 2 else 0): cuts[-1] - 1]
        subject = LEAD_WORDS.sub("", re.split(r"[、和及与]", clause)[-1]).strip()
        out.append(Growth(v, m.group(0), m.start(), clause, subject))
    return out


def same_subject(subject: str, context: str) -> bool:
    """Does the context name the same measured thing? Longest common run of characters of at least
    four (or the whole subject when shorter), so '研发经费' does not match '填报经费'."""
    if not subject or not context:
        return False
    sm = SequenceMatcher(None, subject, context, autojunk=False)
    m = sm.find_longest_match(0, len(subject), 0, len(context))
    return m.size >= min(4, len(subject))


# --- levels --------------------------------------------------------------------------------------

UNIT_SCALE = {"亿美元": (1e8, "美元"), "万美元": (1e4, "美元"), "美元": (1, "美元"),
              "亿元": (1e8, "元"), "万元": (1e4, "元"), "元": (1, "元"), "亿": (1e8, "元")}
_LEVEL = re.compile(rf"(?P<num>{NUM})\s*(?P<unit>亿美元|万美元|美元|亿元|万元|元|亿)(?P<qual>以上|左右)?")


@dataclass(frozen=True)
class Level:
    value: float
    unit: str
    text: str
    start: int

    def base(self) -> tuple[float, str]:
        scale, currency = UNIT_SCALE[self.unit]
        return self.value * scale, currency


def levels(text: str | None) -> list[Level]:
    out: list[Level] = []
    for m in _LEVEL.finditer(text or ""):
        v = to_number(m.group("num"))
        if v is not None:
            out.append(Level(v, m.group("unit"), m.group(0), m.start()))
    return out


# --- counts (家, 个, 项, 人 …) ---------------------------------------------------------------------

# Counting units; '3200余家次' and '400组' count the same kind of thing as '1200家' / '400组以上'.
COUNT_UNITS = ("人次", "家次", "场次", "批次", "户次", "家", "个", "项", "人", "场", "次", "名", "组", "座", "所", "套",
               "户", "亩", "公里", "条", "件", "台", "篇", "期", "支", "处", "栋", "批", "起", "宗", "例", "辆", "届")
# Units that count the same thing in other words (a visit to a firm is 家次, a firm 家 or 户).
UNIT_FAMILY = {"家次": "家", "户": "家", "户次": "家", "人次": "人", "名": "人", "场次": "次", "场": "次", "期": "次",
               "届": "次", "批次": "批"}
_COUNT = re.compile(
    r"(?<![\d.\-—~～至第])(?P<num>\d+(?:\.\d+)?)\s*(?P<approx>余|多)?\s*(?P<wan>万)?"
    rf"(?P<unit>{'|'.join(COUNT_UNITS)})"
    r"(?P<qual>以上|左右|以内|以下)?"
)
# '第十期', '第9次': the n-th of a series of events has held n of them.
_ORDINAL = re.compile(r"第(?P<num>\d+|[一二三四五六七八九十百]+)(?P<unit>期|次|届|场|批)")
# A figure without its unit right after the words the target counts ('新增城市停车泊位704同时…').
_BARE_NUMBER = re.compile(r"(?<![\d.\-—~～至第])(?P<num>\d+)(?![\d.%%万亿元年月日号])")
# Words that join the counted thing to its figure, not part of what is counted.
_COMPARATOR_TAIL = re.compile(r"(?:不少于|不低于|不超过|不高于|超过|达到|达|控制在|累计|共计|合计|总计|共|约|近|为|有|总数)+$")


@dataclass(frozen=True)
class Count:
    value: float  # in units (万 applied)
    unit: str
    text: str
    start: int
    key: str  # the words before the figure in its clause: what is counted
    qualifier: str | None = None  # 以上 / 以内 …
    ordinal: bool = False  # '第十期'
    bare: bool = False  # no unit printed
    after: str = ""  # the words after the figure in its clause ('335个技改项目': '技改项目')

    @property
    def family(self) -> str:
        return UNIT_FAMILY.get(self.unit, self.unit)


# Items of a list of counts ('新增高新技术企业60家、科技型中小企业500家') are separate things.
_COUNT_SPLIT = re.compile(r"[,,;;。\n、]")


def _count_key(text: str, start: int) -> str:
    head = text[max(0, start - 14): start]
    cuts = [x.end() for x in _COUNT_SPLIT.finditer(head)]
    key = LEAD_WORDS.sub("", head[cuts[-1]:] if cuts else head)
    return _COMPARATOR_TAIL.sub("", key.strip())


# A list item's number ('1.4条中小河流…' is item 1, four rivers): blanked, offsets kept.
_ITEM_MARKER = re.compile(r"(?:^|(?<=[\n。;;]))\s*\d{1,2}[.、．](?=\d)")


def _without_item_markers(text: str) -> str:
    return _ITEM_MARKER.sub(lambda m: " " * len(m.group(0)), text)


def counts(text: str | None) -> list[Count]:
    out: list[Count] = []
    text = _without_item_markers(text or "")
    for m in _COUNT.finditer(text):
        v = to_number(m.group("num"))
        if v is None:
            continue
        if m.group("wan"):
            v *= 1e4
        after = _COUNT_SPLIT.split(text[m.end(): m.end() + 14])[0]
        out.append(Count(v, m.group("unit"), m.group(0), m.start(), _count_key(text, m.start()), m.group("qual"),
                         after=after))
    return out


def ordinals(text: str | None) -> list[Count]:
    """'第十期' -> a count of 10 events (unit 期)."""
    out: list[Count] = []
    text = _without_item_markers(text or "")
    for m in _ORDINAL.finditer(text):
        v = to_number(m.group("num"))
        if v is not None:
            out.append(Count(v, m.group("unit"), m.group(0), m.start(), _count_key(text, m.start()), ordinal=True))
    return out


def bare_numbers(text: str | None) -> list[Count]:
    """Integers printed without a unit, with the words before them (matched to a target by those words)."""
    out: list[Count] = []
    text = _without_item_markers(text or "")
    for m in _BARE_NUMBER.finditer(text):
        if m.end() < len(text) and text[m.end()] in "".join(COUNT_UNITS) + "亿万元年月日%%.":
            continue
        v = to_number(m.group("num"))
        if v is not None:
            out.append(Count(v, "", m.group(0), m.start(), _count_key(text, m.start()), bare=True))
    return out

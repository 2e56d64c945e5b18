"""Line tokens of the cell_lines layout and the classifiers that describe them.

A *token* is one non-blank line. Blank lines carry no structure in this layout (some exports put
one between every cell, some none), so they are skipped here and left to the ledger as 'blank'
furniture. A line of only non-breaking / ideographic spaces is *not* blank: it is how the export
prints an EMPTY table cell, so it becomes an ``empty`` token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingestion import units
from ingestion.furniture import is_page_chrome
from ingestion.layouts.grid import is_heading_text
from ingestion.memo import per_file
from ingestion.normalize.vocabulary import is_status_word

_EDGE_SPACES = " \t\r\u00a0\u3000\ufeff"
_HAN = r"\u4e00-\u9fff"


@dataclass(frozen=True)
class Token:
    line_no: int  # 1-based line in the raw file
    raw: str  # the line as printed
    # worked out once: the aligner reads them for every cell it scores
    text: str = field(init=False, compare=False, repr=False)
    empty: bool = field(init=False, compare=False, repr=False)  # an empty table cell (nbsp line)

    def __post_init__(self) -> None:
        text = self.raw.strip(_EDGE_SPACES)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "empty", not text)


def tokenize(lines: list[str]) -> list[Token]:
    """Every line that is not blank (blank = empty or only ASCII spaces/tabs)."""
    return [Token(i, ln) for i, ln in enumerate(lines, start=1) if ln.strip(" \t\r")]


# --- classifiers over a token's text -------------------------------------------------------

_SEQ = re.compile(r"^\d{1,4}$")
_NUMBERED = re.compile(r"^(\d{1,2})[.．、](?!\d)")
_PERSON = re.compile(rf"^[{_HAN}]{{2,3}}(?:[、,,][{_HAN}]{{2,3}})*$")
_SENTENCE_PUNCT = re.compile(r"[。,,;;::!?!?%%]")
_ANY_PUNCT = re.compile(r"[。,,;;::!?!?%%、“”\"'《》()()\d.．\-—]")


def seq_value(text: str) -> int | None:
    """The integer of a bare 序号 cell, else None."""
    return int(text) if _SEQ.match(text) else None


@per_file
def numbered_paragraph(text: str) -> int | None:
    """n for a paragraph printed as 'n.…' / 'n、…' (not a decimal such as '1.4%')."""
    m = _NUMBERED.match(text)
    return int(m.group(1)) if m else None


@per_file
def is_person(text: str) -> bool:
    """A personal name cell: 2–3 Han characters (or several such names separated by 、)."""
    return (
        bool(_PERSON.match(text))
        and not text.startswith(units.UNIT_PREFIXES)  # '区征收', '市投创': heads of unit names
        and not units.looks_like_unit(text)
        and not is_status(text)
    )


_WS = re.compile(r"\s+")


@per_file
def _squash(text: str) -> str:
    return _WS.sub("", text)


def is_status(text: str, extra: dict[str, str] | None = None) -> bool:
    """A status cell: a known status word, or one of the source's own ``status_words``."""
    key = _squash(text)
    return _is_status_word(key) or bool(extra and key in _squashed(tuple(extra)))


@per_file
def _squashed(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(_squash(w) for w in words)


@per_file
def _is_status_word(key: str) -> bool:
    # one vocabulary (ingestion/data/status_vocabulary.csv) for the parser and the mart; it
    # lists the truncated forms an export leaves ('序时推') too
    return is_status_word(key)


@per_file
def is_unit(text: str) -> bool:
    return units.looks_like_unit(text)


@per_file
def is_unit_fragment(text: str) -> bool:
    """Part of a unit name broken over lines ('市生态' + '环境局', '(人才办)'): no sentence
    punctuation, and it either starts like a unit, is a short tail ending like one, or is a
    bracketed note."""
    t = re.sub(r"[\s\u00a0\u3000]+", "", text)
    if not (1 <= len(t) <= 40) or _SENTENCE_PUNCT.search(t) or t[0].isdigit():
        return False
    bracketed = t[0] in "((" and t[-1] in "))"
    # Heads start like a unit, however long a run-together list ('区发改委区投促局区征收' +
    # '安置中心'); tails are short ('环境局', '中心') - a long phrase that merely ends in '科' is not.
    return (
        t.startswith(units.UNIT_PREFIXES)
        or (len(t) <= 5 and units.ends_like_unit(t))
        or (bracketed and len(t) <= 12)
    )


@per_file
def is_title_like(text: str) -> bool:
    """A group title printed inside the task cell ('开展科技创新赋能行动'): a short phrase with no
    punctuation or digits at all, which a task sentence practically always has."""
    t = text.replace(" ", "")
    return 4 <= len(t) <= 24 and not _ANY_PUNCT.search(t) and not is_status(t)


def is_short(text: str, limit: int = 6) -> bool:
    return len(text) <= limit and not _SENTENCE_PUNCT.search(text)


# --- page furniture --------------------------------------------------------------------------

ATTACHMENT_LABEL = re.compile(r"^(附件\s*\d*\s*[::]?.{0,60}|附表\s*\d*|\d{1,2})$")


def is_metadata(text: str) -> bool:
    return is_page_chrome(text)


def is_attachment_label(text: str) -> bool:
    return bool(ATTACHMENT_LABEL.match(text))


def is_section_heading(text: str) -> bool:
    return is_heading_text(text)

"""Read a bulletin file into text lines: encoding detection and clear errors for bad input."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from ingestion.errors import SourceReadError


@dataclass(frozen=True)
class SourceText:
    path: Path
    encoding: str
    lines: list[str]  # as printed, 1-based line i is lines[i-1]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Encodings we accept for Chinese bulletins; anything else is more likely a mis-detection.
_CJK_ENCODINGS = ("utf_8", "gb18030", "gbk", "gb2312", "big5", "big5hkscs", "utf_16", "utf_32")


def decode_bytes(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """Return (text, encoding). ``encoding`` forces one (from the source YAML)."""
    if not data.strip():
        raise SourceReadError(name, "file is empty")
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as e:
            raise SourceReadError(name, f"cannot decode as {encoding}: {e}") from None
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data:
        raise SourceReadError(name, "looks binary (contains NUL bytes), not a text bulletin")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # GB18030 is a superset of GBK/GB2312 and the usual encoding of older Chinese pages.
    try:
        text = data.decode("gb18030")
        if _looks_like_text(text):
            return text, "gb18030"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is not None and best.encoding in _CJK_ENCODINGS and _looks_like_text(str(best)):
        return str(best), best.encoding
    raise SourceReadError(
        name,
        "not valid UTF-8 or GB18030 text and no Chinese encoding detected "
        "(binary file or unknown encoding); set 'encoding:' in its source YAML if you know it"
    )


def _looks_like_text(text: str) -> bool:
    if not text:
        return False
    control = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t\f\v")
    return control / len(text) < 0.01


def split_lines(text: str) -> list[str]:
    """Split on line breaks only (not str.splitlines, which also splits on \\x1c, \\u2028 …),
    so line numbers match what an editor shows."""
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def read_text_file(path: Path, encoding: str | None = None, display_name: str | None = None) -> SourceText:
    name = display_name or str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceReadError(name, "file not found") from None
    text, enc = decode_bytes(data, name, encoding)
    lines = split_lines(text)
    if not any(line.strip() for line in lines):
        raise SourceReadError(name, "file has no text (only whitespace)")
    return SourceText(path=path, encoding=enc, lines=lines)

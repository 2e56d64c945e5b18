"""Read a bulletin file into text lines: encoding detection (UTF-8, UTF-16 with BOM, GB18030/GBK,
Big5), size limits, and clear errors for binary or undecodable input naming the file."""

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
# The legacy Chinese encodings tried when a file is not UTF-8: each decoding is scored by how much
# of it reads as Chinese text (``plausible_share``) and the best wins (ties: the first).
_LEGACY = ("gb18030", "big5")

# Size limits of one bulletin (README "Limits"): checked before the file is read or decoded, so a
# huge or pathological input is refused in bounded time and memory.
MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_LINES = 200_000
MAX_LINE_CHARS = 200_000
# Below this share of plausible characters a legacy decoding is not text (binary or unknown).
MIN_PLAUSIBLE = 0.85
# Share of control characters (other than tab, line and form feeds) a text may have.
MAX_CONTROL = 0.01

# File signatures of formats that are never a text bulletin (read as text they decode to junk).
MAGIC = {
    b"%PDF": "a PDF document", b"PK\x03\x04": "a zip archive (xlsx/docx/zip)", b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image", b"\xff\xd8\xff": "a JPEG image", b"\x1f\x8b": "a gzip archive",
    b"BZh": "a bzip2 archive", b"7z\xbc\xaf": "a 7-Zip archive", b"Rar!": "a RAR archive",
    b"\xd0\xcf\x11\xe0": "an OLE document (xls/doc)", b"\x7fELF": "an executable (ELF)",
    b"MZ": "an executable (Windows)", b"\xfd7zXZ": "an xz archive", b"II*\x00": "a TIFF image",
    b"MM\x00*": "a TIFF image", b"RIFF": "a RIFF file (audio/video/image)", b"OggS": "an Ogg file",
    b"\x00\x00\x01\x00": "an icon", b"ID3": "an MP3 file",
}


def magic_kind(data: bytes) -> str | None:
    """What the file's first bytes say it is, when that is a known non-text format."""
    return next((kind for sig, kind in MAGIC.items() if data.startswith(sig)), None)


def check_size(path: Path, name: str) -> int:
    """The file's size in bytes; SourceReadError when it is missing or over MAX_FILE_BYTES."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise SourceReadError(name, "file not found") from None
    if size > MAX_FILE_BYTES:
        raise SourceReadError(name, f"{size / 2**20:.1f} MB: larger than the {MAX_FILE_BYTES // 2**20} MB limit "
                                    "of one bulletin (split it, or register only the excerpt)")
    return size


def _is_common_hanzi(ch: str) -> bool:
    """A character of GB2312's hanzi rows (16-87, the 6,763 common Simplified characters) or of
    Big5's level 1 (A440-C67E, the 5,401 common Traditional ones)."""
    try:
        b = ch.encode("gb2312")
        if len(b) == 2 and 0xB0 <= b[0] <= 0xF7:
            return True
    except UnicodeEncodeError:
        pass
    try:
        b = ch.encode("big5")
    except UnicodeEncodeError:
        return False
    return len(b) == 2 and (0xA4 <= b[0] <= 0xC5 or (b[0] == 0xC6 and b[1] <= 0x7E))


def _plausible(ch: str) -> bool:
    o = ord(ch)
    if o < 0x80:
        return ch.isprintable() or ch in "\t\n\r\f\v"
    if 0x3000 <= o <= 0x303F or 0xFF01 <= o <= 0xFF5E or 0x2010 <= o <= 0x2027 or o in (0xB7, 0xD7, 0x2103, 0x2116):
        return True  # CJK and fullwidth punctuation, dashes and quotes, ·, ×, ℃, №
    if 0x2460 <= o <= 0x24FF or 0x2160 <= o <= 0x217F:
        return True  # ①, Ⅲ
    return 0x4E00 <= o <= 0x9FFF and _is_common_hanzi(ch)


def plausible_share(text: str, sample: int = 200_000) -> float:
    """Share of the first ``sample`` characters that read as Chinese text: printable ASCII and
    whitespace, CJK punctuation and common hanzi (GB2312 / Big5 level 1). A file read under the
    wrong legacy encoding, or binary junk decoded anyway, scores far lower (rare hanzi, kana,
    Greek, box drawing, private use, control characters)."""
    head = text[:sample]
    if not head:
        return 0.0
    # judged once per distinct character, counted by str.count (C) rather than a loop per character
    return sum(head.count(ch) for ch in set(head) if _plausible(ch)) / len(head)


# C0 control characters other than the whitespace ones (\t \n \v \f \r = 9-13).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


def control_share(text: str, sample: int = 200_000) -> float:
    head = text[:sample]
    if not head:
        return 0.0
    return len(_CONTROL.findall(head)) / len(head)


def guessed_encoding(data: bytes) -> str:
    """charset-normalizer's guess (for messages), on the first 64 KB."""
    best = from_bytes(data[:65536]).best()
    return best.encoding if best is not None else "none"


def _best_legacy(data: bytes) -> tuple[str, str, float] | None:
    """(text, encoding, plausible share) of the best-scoring legacy Chinese decoding, or None."""
    scored: list[tuple[float, int, str, str]] = []
    for enc in _LEGACY:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        scored.append((plausible_share(text), -len(scored), text, enc))
    if not scored:
        return None
    share, _, text, enc = max(scored)
    return text, enc, share


def _not_text(name: str, why: str, data: bytes) -> SourceReadError:
    return SourceReadError(name, f"does not look like a text bulletin: {why} (charset-normalizer guesses "
                                 f"{guessed_encoding(data)}); a binary file or an unknown encoding? If you know "
                                 "its encoding set 'encoding:' in its source YAML")


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
    kind = magic_kind(data)
    if kind:
        raise SourceReadError(name, f"looks binary ({kind}, by its first bytes), not a text bulletin")
    if b"\x00" in data:
        raise SourceReadError(name, "looks binary (contains NUL bytes), not a text bulletin")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if control_share(text) >= MAX_CONTROL:
            raise _not_text(name, f"{100 * control_share(text):.1f}% control characters as UTF-8", data)
        return text, "utf-8"
    # GB18030 (a superset of GBK/GB2312, the usual encoding of older mainland pages) or Big5
    # (Taiwan, Hong Kong): whichever reads as more plausible Chinese text.
    best = _best_legacy(data)
    if best is not None:
        text, enc, share = best
        if share >= MIN_PLAUSIBLE and control_share(text) < MAX_CONTROL:
            return text, enc
        raise _not_text(name, f"only {100 * share:.0f}% of its characters read as Chinese text or ASCII "
                              f"when decoded as {enc}", data)
    guess = from_bytes(data).best()
    if guess is not None and guess.encoding in _CJK_ENCODINGS:
        text = str(guess)
        if plausible_share(text) >= MIN_PLAUSIBLE and control_share(text) < MAX_CONTROL:
            return text, guess.encoding
    raise _not_text(name, "not valid UTF-8, GB18030 or Big5 text", data)


def check_lines(lines: list[str], name: str) -> None:
    """MAX_LINES and MAX_LINE_CHARS (README "Limits")."""
    if len(lines) > MAX_LINES:
        raise SourceReadError(name, f"{len(lines)} lines: more than the {MAX_LINES} lines limit of one bulletin")
    for i, line in enumerate(lines, 1):
        if len(line) > MAX_LINE_CHARS:
            raise SourceReadError(name, f"line {i} has {len(line)} characters: more than the {MAX_LINE_CHARS} "
                                        "characters limit of one line")


def split_lines(text: str) -> list[str]:
    """Split on line breaks only (not str.splitlines, which also splits on \\x1c, \\u2028 …),
    so line numbers match what an editor shows."""
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def read_text_file(path: Path, encoding: str | None = None, display_name: str | None = None) -> SourceText:
    name = display_name or str(path)
    check_size(path, name)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceReadError(name, "file not found") from None
    if data.count(b"\n") > MAX_LINES or (b"\n" not in data and data.count(b"\r") > MAX_LINES):
        raise SourceReadError(name, f"more than the {MAX_LINES} lines limit of one bulletin")
    text, enc = decode_bytes(data, name, encoding)
    lines = split_lines(text)
    check_lines(lines, name)
    if not any(line.strip() for line in lines):
        raise SourceReadError(name, "file has no text (only whitespace)")
    return SourceText(path=path, encoding=enc, lines=lines)

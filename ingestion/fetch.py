"""`bulletins add URL`: fetch a bulletin page or attachment with httpx, for the CLI to register.

The body is kept as the server sent it (after content decoding), under a file name derived from
the Content-Disposition, the URL's last path segment or the Content-Type, reduced to one safe path
component: a server never chooses where a file goes. What was fetched (URL, final URL after
redirects, status, content type, size, sha256, time) is recorded beside it in ``fetch.json``.
Timeouts, a size limit (checked while streaming) and a redirect limit bound every fetch; a
non-2xx status is refused naming the URL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
import re
import unicodedata
from dataclasses import dataclass
from email.message import Message
from pathlib import PurePosixPath, PureWindowsPath
from urllib.parse import unquote, urlsplit

import httpx

from ingestion.errors import FetchError

TIMEOUT_S = 30.0
MAX_BYTES = 50 * 1024 * 1024
MAX_REDIRECTS = 5
FETCH_JSON = "fetch.json"
DEFAULT_STEM = "bulletin"
MAX_NAME = 100
# Names the source folder uses for itself.
RESERVED_NAMES = frozenset({"source.yaml", FETCH_JSON})
# Python's built-in MIME table only (not the machine's /etc/mime.types): the same names everywhere.
_MIME = mimetypes.MimeTypes()


@dataclass(frozen=True)
class Fetched:
    url: str
    final_url: str
    status: int
    content_type: str | None
    content_disposition: str | None
    body: bytes
    fetched_at: dt.datetime

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()

    @property
    def file_name(self) -> str:
        return file_name(self.final_url, self.content_type, self.content_disposition)

    def record(self, file: str) -> dict[str, object]:
        """What ``fetch.json`` holds."""
        return {
            "url": self.url, "final_url": self.final_url, "status": self.status,
            "content_type": self.content_type, "content_disposition": self.content_disposition,
            "fetched_at": self.fetched_at.isoformat(timespec="seconds").replace("+00:00", "Z"),
            "bytes": len(self.body), "sha256": self.sha256, "file": file,
            "client": f"httpx {httpx.__version__}",
        }


def is_url(text: str) -> bool:
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def fetch(url: str, *, timeout: float = TIMEOUT_S, max_bytes: int = MAX_BYTES,
          max_redirects: int = MAX_REDIRECTS) -> Fetched:
    """GET ``url``. Raises FetchError (naming the URL) for anything but a 2xx body of at most
    ``max_bytes`` reached in at most ``max_redirects`` redirects within ``timeout`` s per phase."""
    if not is_url(url):
        raise FetchError(url, "not an http(s) URL")
    headers = {"User-Agent": f"bulletin-warehouse (bulletins add; httpx {httpx.__version__})"}
    try:
        with httpx.Client(follow_redirects=True, max_redirects=max_redirects, timeout=timeout,
                          headers=headers) as client, client.stream("GET", url) as resp:
            if not resp.is_success:
                raise FetchError(url, f"HTTP {resp.status_code} {resp.reason_phrase}".rstrip()
                                 + (f" (from {resp.url})" if str(resp.url) != url else "") + "")
            body = _read_limited(url, resp, max_bytes)
            return Fetched(url, str(resp.url), resp.status_code, resp.headers.get("content-type"),
                           resp.headers.get("content-disposition"), body, dt.datetime.now(dt.UTC))
    except httpx.TooManyRedirects:
        raise FetchError(url, f"more than {max_redirects} redirects") from None
    except httpx.TimeoutException:
        raise FetchError(url, f"no answer within {timeout:g} s") from None
    except httpx.HTTPError as e:
        raise FetchError(url, f"{type(e).__name__}: {e}") from None


def _read_limited(url: str, resp: httpx.Response, max_bytes: int) -> bytes:
    declared = resp.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(url, f"{int(declared):,} bytes declared, more than the limit of {max_bytes:,}")
    buf = bytearray()
    for chunk in resp.iter_bytes():
        buf += chunk
        if len(buf) > max_bytes:
            raise FetchError(url, f"more than the limit of {max_bytes:,} bytes")
    if not buf:
        raise FetchError(url, f"HTTP {resp.status_code} with an empty body")
    return bytes(buf)


def _disposition_name(content_disposition: str | None) -> str | None:
    """The filename (or RFC 2231 filename*) of a Content-Disposition header."""
    if not content_disposition:
        return None
    msg = Message()
    msg["content-disposition"] = content_disposition
    name = msg.get_filename()
    return name if isinstance(name, str) else None


def _one_component(name: str) -> str:
    """The last path component, whatever separators the name used; NFC; only letters, digits
    (any script), '.', '-' and '_'; no leading dots; at most MAX_NAME characters."""
    name = PureWindowsPath(PurePosixPath(name).name).name
    name = unicodedata.normalize("NFC", name)
    name = "".join(c if c.isalnum() or c in "._-" else "_" for c in name)
    name = re.sub(r"_+", "_", name).lstrip("._-")
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: MAX_NAME - len(ext) - 1] + dot + ext) if dot and len(ext) <= 8 else name[:MAX_NAME]
    return name


def file_name(url: str, content_type: str | None, content_disposition: str | None = None) -> str:
    """A safe file name for a fetched body (see the module docstring)."""
    name = _one_component(_disposition_name(content_disposition) or unquote(urlsplit(url).path))
    mime = (content_type or "").split(";")[0].strip().lower()
    by_type = _MIME.guess_extension(mime) if mime else None
    if by_type == ".bin":
        by_type = None
    stem, ext = (name.rsplit(".", 1)[0], "." + name.rsplit(".", 1)[1]) if "." in name else (name, "")
    if by_type and _MIME.guess_type("x" + ext)[0] is None:  # view.aspx served as text/html -> view.html
        name = (stem or DEFAULT_STEM) + by_type
    if not stem or name.lower() in RESERVED_NAMES:
        name = DEFAULT_STEM + (by_type or ext or "")
    return name

"""`bulletins add URL` against a local HTTP server started by the test (127.0.0.1 only): the page or
attachment is fetched with httpx, kept byte for byte beside fetch.json in the new source folder,
and read like a local file; error statuses, redirects, size and time limits are refused clearly."""

from __future__ import annotations

import datetime as dt
import hashlib
import http.server
import io
import json
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import openpyxl
import pytest
import yaml
from typer.testing import CliRunner

from ingestion import fetch
from ingestion.cli import app
from ingestion.errors import FetchError
from ingestion.registry import load_registry

runner = CliRunner()

# A bulletin page of our own (words and numbers made up for the test).
PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>某区2024年三季度重点工作推进情况</title></head>
<body>
<div class="nav">首页 &gt; 政务公开 &gt; 重点工作</div>
<h1>某区2024年三季度重点工作推进情况</h1>
<div class="info">发布时间:2024-10-12 来源:区政府办公室</div>
<table border="1">
<tr><th>序号</th><th>重点工作</th><th>牵头单位</th><th>进展情况</th></tr>
<tr><td>1</td><td>新建口袋公园6个</td><td>区城管局</td><td>已建成4个,2个正在施工。</td></tr>
<tr><td>2</td><td>改造农贸市场2处</td><td>区商务局</td><td>1处已完工,1处完成设计。</td></tr>
<tr><td>3</td><td>新增普惠托位300个</td><td>区卫健委</td><td>已新增托位210个。</td></tr>
</table>
</body></html>
"""


def _workbook() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "重点工作", "牵头单位", "进展情况"])
    ws.append([1, "建设充电桩500个", "区发改委", "已建成320个。"])
    ws.append([2, "完成河道清淤8公里", "区水利局", "已清淤5公里。"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


XLSX = _workbook()
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep pytest's output clean
        pass

    def _send(self, status: int, body: bytes, headers: dict[str, str | bytes]) -> None:
        self.send_response(status)
        for k, v in headers.items():
            if isinstance(v, bytes):  # as many servers send it: UTF-8 bytes in the header
                self._headers_buffer.append(k.encode("ascii") + b": " + v + b"\r\n")  # type: ignore[attr-defined]
            else:
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        path = urlsplit(self.path).path
        html = {"Content-Type": "text/html; charset=utf-8"}
        if path == "/notices/page.html":
            self._send(200, PAGE.encode("utf-8"), html)
        elif path == "/view.aspx":
            self._send(200, PAGE.replace('charset="utf-8"', 'charset="gbk"').encode("gbk"),
                       {"Content-Type": "text/html; charset=gbk"})
        elif path == "/download":
            self._send(200, XLSX, {"Content-Type": "application/octet-stream",
                                   "Content-Disposition": 'attachment; filename="../../outside/重点工作.xlsx"'.encode()})
        elif path == "/download-rfc5987":
            self._send(200, XLSX, {"Content-Type": XLSX_TYPE, "Content-Disposition":
                                   "attachment; filename*=UTF-8''..%2F..%2Foutside%2F%E8%BF%9B%E5%B1%95.xlsx"})
        elif path == "/moved":
            self._send(302, b"", {"Location": "/notices/page.html"})
        elif path == "/loop":
            self._send(302, b"", {"Location": "/loop"})
        elif path == "/big":
            self._send(200, b"<html>" + b"x" * 5000 + b"</html>", html)
        elif path == "/slow":
            time.sleep(1.5)
            self._send(200, PAGE.encode("utf-8"), html)
        elif path == "/garbage.bin":
            self._send(200, bytes(range(256)) * 4, {"Content-Type": "application/octet-stream"})
        elif path == "/broken":
            self._send(500, b"oops", {"Content-Type": "text/plain"})
        else:
            self._send(404, b"<html>not here</html>", html)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


def _add(url: str, sources, *extra: str):
    return runner.invoke(app, ["add", url, "--region", "长春市朝阳区", "--period", "2024-Q3",
                               "--sources", str(sources), *extra])


def test_add_an_html_page_by_url(server, tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    url = f"{server}/notices/page.html"
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    res = _add(url, sources)
    assert res.exit_code == 0, res.output
    folder = sources / "r220104_2024q3"
    assert sorted(p.name for p in folder.iterdir()) == ["fetch.json", "page.html", "source.yaml"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sources"]  # nothing written elsewhere
    assert (folder / "page.html").read_bytes() == PAGE.encode("utf-8")  # the raw bytes
    record = json.loads((folder / "fetch.json").read_text(encoding="utf-8"))
    assert record["url"] == url and record["final_url"] == url and record["status"] == 200
    assert record["content_type"] == "text/html; charset=utf-8" and record["file"] == "page.html"
    assert record["sha256"] == hashlib.sha256(PAGE.encode("utf-8")).hexdigest()
    assert record["bytes"] == len(PAGE.encode("utf-8"))
    fetched_at = dt.datetime.fromisoformat(record["fetched_at"])
    assert before <= fetched_at <= dt.datetime.now(dt.UTC)
    spec = yaml.safe_load((folder / "source.yaml").read_text(encoding="utf-8"))
    assert spec["url"] == url and spec["file"] == "page.html" and spec["layout"] == "html"
    assert spec["jurisdiction"]["region_code"] == "220104"
    assert spec["columns"]["牵头单位"] == "lead_units"
    assert "# Fetched from " + url in (folder / "source.yaml").read_text(encoding="utf-8")
    # rich wraps the line at the terminal's width, wherever the temporary path puts the break
    assert "html, 3 rows, 0 quarantined lines" in " ".join(res.output.split())
    # read like a local file: it validates and parses the three rows
    reg = load_registry(sources)
    assert not reg.errors and reg.sources[0].file_path == folder / "page.html"
    res = runner.invoke(app, ["validate", "--sources", str(sources)])
    assert res.exit_code == 0 and "html, 3 rows" in res.output and "1 valid, 0 invalid" in res.output, res.output


def test_a_redirect_is_followed_and_the_final_url_recorded(server, tmp_path):
    res = _add(f"{server}/moved", tmp_path)
    assert res.exit_code == 0, res.output
    record = json.loads((tmp_path / "r220104_2024q3" / "fetch.json").read_text(encoding="utf-8"))
    assert record["url"] == f"{server}/moved" and record["final_url"] == f"{server}/notices/page.html"
    assert record["file"] == "page.html"


def test_a_script_page_gets_a_name_by_its_content_type(server, tmp_path):
    res = _add(f"{server}/view.aspx?id=7", tmp_path)
    assert res.exit_code == 0, res.output
    folder = tmp_path / "r220104_2024q3"
    assert (folder / "view.html").read_bytes().startswith(b"<!DOCTYPE html>")
    spec = yaml.safe_load((folder / "source.yaml").read_text(encoding="utf-8"))
    assert spec["layout"] == "html" and spec["file"] == "view.html"


@pytest.mark.parametrize("path, name", [("/download?id=3", "重点工作.xlsx"), ("/download-rfc5987", "进展.xlsx")])
def test_an_attachment_keeps_its_name_but_never_its_path(server, tmp_path, path, name):
    sources = tmp_path / "sources"
    sources.mkdir()
    res = _add(f"{server}{path}", sources)
    assert res.exit_code == 0, res.output
    folder = sources / "r220104_2024q3"
    assert sorted(p.name for p in folder.iterdir()) == sorted(["fetch.json", name, "source.yaml"])
    assert (folder / name).read_bytes() == XLSX
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sources"]
    assert not (tmp_path / "outside").exists()
    spec = yaml.safe_load((folder / "source.yaml").read_text(encoding="utf-8"))
    assert spec["layout"] == "xlsx" and "xlsx, 2 rows" in res.output


@pytest.mark.parametrize("path, words", [
    ("/missing.html", "HTTP 404 Not Found"),
    ("/broken", "HTTP 500 Internal Server Error"),
    ("/loop", "more than 5 redirects"),
])
def test_a_failed_fetch_is_refused_naming_the_url_and_writes_nothing(server, tmp_path, path, words):
    sources = tmp_path / "sources"
    sources.mkdir()
    res = _add(f"{server}{path}", sources)
    assert res.exit_code == 1
    assert f"not added: {server}{path}: {words}" in " ".join(res.output.split())
    assert list(sources.iterdir()) == []


def test_a_fetched_file_that_cannot_be_read_leaves_no_folder(server, tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    res = _add(f"{server}/garbage.bin", sources)
    assert res.exit_code == 1 and "not added" in res.output, res.output
    assert list(sources.iterdir()) == []


def test_size_and_time_limits(server):
    with pytest.raises(FetchError, match="more than the limit of 1,000"):
        fetch.fetch(f"{server}/big", max_bytes=1000)
    assert len(fetch.fetch(f"{server}/big", max_bytes=10_000).body) == 5013
    with pytest.raises(FetchError, match=r"/slow: no answer within 0.3 s"):
        fetch.fetch(f"{server}/slow", timeout=0.3)


def test_only_http_urls_are_fetched():
    with pytest.raises(FetchError, match="not an http"):
        fetch.fetch("file:///etc/passwd")
    assert not fetch.is_url("/tmp/page.html") and fetch.is_url("https://example.org/a.html")


@pytest.mark.parametrize("url, ctype, disposition, name", [
    ("http://h/a/b/page.html", "text/html", None, "page.html"),
    ("http://h/", "text/html", None, "bulletin.html"),
    ("http://h/show.jsp?id=1", "text/html;charset=gbk", None, "show.html"),
    ("http://h/dl", "application/octet-stream", 'attachment; filename="..\\\\..\\\\x\\\\a.docx"', "a.docx"),
    ("http://h/dl", None, "attachment; filename*=UTF-8''%E9%87%8D%E7%82%B9.pdf", "重点.pdf"),
    ("http://h/..%2F..%2Fsource.yaml", "text/plain", None, "source.txt"),
    ("http://h/fetch.json", None, None, "bulletin.json"),
    ("http://h/.hidden%20file", None, None, "hidden_file"),
])
def test_file_names_are_one_safe_component(url, ctype, disposition, name):
    assert fetch.file_name(url, ctype, disposition) == name

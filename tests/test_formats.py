"""Bulletins as HTML, .xlsx, .docx, PDF, GBK text and Traditional characters.

Every fixture is built here with the format's own library (a PDF by a tiny hand-written PDF
writer: no PDF-writing library is installed) and describes the SAME small table, so each must
give the same task rows as the equivalent pipe-text bulletin:

    序号 | 重点工作 | 牵头单位 | 进展情况 | 完成状况
    (一)扎实推进重点项目建设                               <- full-width heading row
    1 | 加快推进城东产业园… | 区发改委、区住建局 | 道路…。⏎配套…。 | 已完成
    2 | 推动省级重点项目开工建设 | 区经信局 (merged down) | 新开工…。 | 序时推进
    3 | 实施企业技术改造专项行动 |  (merged)              | 完成技改…。 | 序时推进
    (二)持续优化营商环境
    4 | 深化“放管服”改革 | 区数据资源局 | 政务服务…。 | 已完成
"""

from __future__ import annotations

import functools
import zlib
from pathlib import Path

import pytest

from ingestion.errors import LayoutError, SourceReadError
from ingestion.parse import parse_file
from ingestion.registry import SourceSpec

TITLE = "2024年第一季度重点工作完成情况"
HEADER = ["序号", "重点工作", "牵头单位", "进展情况", "完成状况"]
SECTIONS = {1: "(一)扎实推进重点项目建设", 4: "(二)持续优化营商环境"}
TASKS = [
    (1, "加快推进城东产业园基础设施建设", "区发改委、区住建局", ["道路主体工程已完工。", "配套管网完成80%。"], "已完成"),
    (2, "推动省级重点项目开工建设", "区经信局", ["新开工项目12个,完成投资5.6亿元。"], "序时推进"),
    (3, "实施企业技术改造专项行动", None, ["完成技改投资3.2亿元。"], "序时推进"),  # lead merged with row 2
    (4, "深化“放管服”改革", "区数据资源局", ["政务服务事项全程网办率达95%。"], "已完成"),
]

PIPE = f"""{TITLE}
序号 |
重点工作 |
牵头单位 |
进展情况 |
完成状况 |
(一)扎实推进重点项目建设 |
||||
1 |
加快推进城东产业园基础设施建设 |
区发改委、区住建局 |
道路主体工程已完工。
配套管网完成80%。 |
已完成 |
2 |
推动省级重点项目开工建设 |
区经信局 |
新开工项目12个,完成投资5.6亿元。 |
序时推进 |
3 |
实施企业技术改造专项行动 |
完成技改投资3.2亿元。 |
序时推进 |
|
(二)持续优化营商环境 |
||||
4 |
深化“放管服”改革 |
区数据资源局 |
政务服务事项全程网办率达95%。 |
已完成 |
"""

EXPECTED = [
    (1, SECTIONS[1], TASKS[0][1], ["区发改委", "区住建局"], "道路主体工程已完工。\n配套管网完成80%。", "已完成"),
    (2, SECTIONS[1], TASKS[1][1], ["区经信局"], "新开工项目12个,完成投资5.6亿元。", "序时推进"),
    (3, SECTIONS[1], TASKS[2][1], ["区经信局"], "完成技改投资3.2亿元。", "序时推进"),
    (4, SECTIONS[4], TASKS[3][1], ["区数据资源局"], "政务服务事项全程网办率达95%。", "已完成"),
]


def spec(layout: str = "auto", **kw) -> SourceSpec:
    return SourceSpec(source_id="fmt_test", file="x", layout=layout, unknown_reason="test fixture", **kw)


def key(rows, table_no: int = 1):
    return [(r.task_seq, r.category, r.task_text, r.lead_units, r.progress_text, r.status_reported)
            for r in rows if r.table_no == table_no]


@functools.cache
def pipe_rows() -> tuple:
    """The task rows of the equivalent pipe-text bulletin (parsed once)."""
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "b.txt"
        p.write_text(PIPE, encoding="utf-8")
        return tuple(key(parse_file(p, spec()).result.rows))


def check_common(parsed, layout: str):
    """Same rows as the pipe text; every line accounted for; the merged lead cell flagged."""
    res = parsed.result
    assert parsed.layout == layout
    assert key(res.rows) == list(pipe_rows()) == EXPECTED
    cov = res.coverage()
    assert cov.complete and cov.quarantined_lines == 0, (cov, res.quarantine)
    assert res.headers[1] == [(h, r) for h, r in zip(HEADER, ["seq", "task", "lead_units", "progress", "status"], strict=False)]
    row3 = next(r for r in res.rows if r.task_seq == 3)
    assert "merged_cell" in row3.flags
    assert not [r for r in res.rows if r.task_seq != 3 and "merged_cell" in r.flags]
    # provenance: every row's span lies inside the ledger's lines, rows in order, spans disjoint
    spans = [(r.line_start, r.line_end) for r in res.rows]
    assert all(1 <= a <= b <= res.total_lines for a, b in spans)
    assert all(spans[i][1] < spans[i + 1][0] for i in range(len(spans) - 1))
    assert any(f.kind == "header" for f in res.furniture)
    assert sum(1 for f in res.furniture if f.kind == "section_heading") >= 2
    return res


def test_pipe_reference(tmp_path):
    p = tmp_path / "b.txt"
    p.write_text(PIPE, encoding="utf-8")
    parsed = parse_file(p, spec())
    assert parsed.layout == "pipe"
    assert key(parsed.result.rows) == EXPECTED


# --- HTML ----------------------------------------------------------------------------------------


def html_page() -> str:
    head = "".join(f"<th>{h}</th>" for h in HEADER)
    body = []
    for seq, task, lead, progress, status in TASKS:
        if seq in SECTIONS:
            body.append(f'<tr><td colspan="5">{SECTIONS[seq]}</td></tr>')
        lead_td = "" if lead is None else (f'<td rowspan="2">{lead}</td>' if seq == 2 else f"<td>{lead}</td>")
        prog = "".join(f"<p>{p}</p>" for p in progress) if len(progress) > 1 else progress[0]
        body.append(f"<tr>\n  <td>{seq}</td>\n  <td>{task}</td>\n  {lead_td}\n  <td>{prog}</td>\n  <td>{status}</td>\n</tr>")
    return f"""<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>{TITLE}_区人民政府</title>
<script>
var x = "<tr><td>1</td></tr>";
</script>
</head>
<body>
<div class="nav">首页 &gt; 政务公开</div>
<h1>{TITLE}</h1>
<div class="info">发布时间:2024-04-15 信息来源:区政府办</div>
<p>现将我区一季度重点工作完成情况公布如下。</p>
<table border="1">
<tr>{head}</tr>
{chr(10).join(body)}
</table>
<p>附件2</p>
<table>
<tr><th>序号</th><th>重点工作</th><th>牵头单位</th><th>完成情况</th></tr>
<tr><td>1</td><td>开展安全生产大检查</td><td>区应急局<br>区住建局</td><td>检查企业200家。</td></tr>
</table>
</body>
</html>
"""


def test_html(tmp_path):
    p = tmp_path / "page.html"
    p.write_text(html_page(), encoding="utf-8")
    parsed = parse_file(p, spec())
    res = check_common(parsed, "html")
    lines = p.read_text(encoding="utf-8").split("\n")
    # provenance = the real source line of the <tr>
    for r in res.rows:
        if r.table_no == 1:
            assert lines[r.line_start - 1].lstrip().startswith("<tr>"), (r.line_start, lines[r.line_start - 1])
            assert lines[r.line_end - 1].strip().endswith("</tr>")
    # second table on the page, <br> inside a cell is a paragraph break -> two units
    t2 = [r for r in res.rows if r.table_no == 2]
    assert [(r.task_seq, r.task_text, r.lead_units, r.progress_text) for r in t2] == [
        (1, "开展安全生产大检查", ["区应急局", "区住建局"], "检查企业200家。")]
    kinds = {f.line_no: f.kind for f in res.furniture}
    at = {i + 1: ln for i, ln in enumerate(lines)}
    assert kinds[next(n for n, ln in at.items() if "<h1>" in ln)] == "title"
    assert kinds[next(n for n, ln in at.items() if "发布时间" in ln)] == "metadata"
    assert kinds[next(n for n, ln in at.items() if "现将我区" in ln)] == "preamble"
    assert kinds[next(n for n, ln in at.items() if "var x" in ln)] == "metadata"  # script, not a row
    assert parsed.text.lines == lines[:-1] or parsed.text.lines == lines


def test_html_layout_tables_and_minified_page(tmp_path):
    """The data table nested in a page-layout table next to a navigation table (no header: page
    text, not quarantine); a minified page (all on one line: every row's span is line 1)."""
    page = html_page()
    i = page.index('<table border="1">')
    j = page.index("</table>", i) + len("</table>")
    nested = (page[:i] + '<table class="layout"><tr><td><table class="nav"><tr><td>首页</td><td>政务公开</td>'
              '</tr></table></td></tr>\n<tr><td>\n' + page[i:j] + "\n</td></tr></table>" + page[j:])
    for name, text in (("nested", nested), ("minified", page.replace("\n", ""))):
        p = tmp_path / f"{name}.html"
        p.write_text(text, encoding="utf-8")
        res = parse_file(p, spec()).result
        assert key(res.rows) == EXPECTED, name
        assert res.coverage().complete and not res.quarantine, name
    assert {(r.line_start, r.line_end) for r in res.rows} == {(1, 1)}
    assert [r.task_seq for r in res.rows if "merged_cell" in r.flags] == [3]


def test_html_two_row_header(tmp_path):
    page = html_page().replace(
        "<tr>" + "".join(f"<th>{h}</th>" for h in HEADER) + "</tr>",
        '<tr><th rowspan="2">序号</th><th rowspan="2">重点工作</th><th rowspan="2">牵头单位</th>'
        '<th colspan="2">完成情况</th></tr>\n<tr><th>进展情况</th><th>完成状况</th></tr>')
    p = tmp_path / "two.html"
    p.write_text(page, encoding="utf-8")
    res = parse_file(p, spec()).result
    assert key(res.rows) == EXPECTED
    assert [h for h, _ in res.headers[1]] == HEADER
    assert res.coverage().complete and not res.quarantine


def test_html_without_table_is_narrative_on_visible_text(tmp_path):
    p = tmp_path / "prose.html"
    p.write_text("<html><body>\n<h1>一季度工作总结</h1>\n<p>一、经济运行稳中向好。全区地区生产总值增长6.1%。</p>\n"
                 "</body></html>\n", encoding="utf-8")
    parsed = parse_file(p, spec())
    assert parsed.layout == "narrative" and "no_table" in {i.code for i in parsed.result.issues}
    assert parsed.document.text_lines[2] == "一、经济运行稳中向好。全区地区生产总值增长6.1%。"
    assert parsed.result.coverage().complete
    assert not any("<" in q.text for q in parsed.result.quarantine)


def test_html_gbk_page(tmp_path):
    p = tmp_path / "page.htm"
    p.write_bytes(html_page().replace('charset="utf-8"', 'charset="gbk"').encode("gbk"))
    parsed = parse_file(p, spec(layout="html"))
    assert parsed.text.encoding == "gb18030"
    assert key(parsed.result.rows) == EXPECTED


def test_html_empty_is_a_clear_error(tmp_path):
    p = tmp_path / "empty.html"
    p.write_text("<html><head></head><body>\n<div></div>\n</body></html>\n", encoding="utf-8")
    with pytest.raises(SourceReadError, match=r"empty\.html.*no text"):
        parse_file(p, spec())
    p2 = tmp_path / "zero.html"
    p2.write_bytes(b"")
    with pytest.raises(SourceReadError, match=r"zero\.html.*empty"):
        parse_file(p2, spec())


# --- xlsx ----------------------------------------------------------------------------------------


def build_xlsx(path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "一季度"
    ws.append([TITLE])
    ws.merge_cells("A1:E1")
    ws.append(["填报单位:区政府办", None, None, "填报日期:2024-04-10"])
    ws.append(HEADER)
    for seq, task, lead, progress, status in TASKS:
        if seq in SECTIONS:
            ws.append([SECTIONS[seq]])
            ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=5)
        ws.append([seq, task, lead, "\n".join(progress), status])
        if seq == 3:
            ws.merge_cells(start_row=ws.max_row - 1, start_column=3, end_row=ws.max_row, end_column=3)
    ws.append([])
    ws.append(["注:数据截至2024年3月底。"])
    wb.create_sheet("说明")  # an empty sheet is skipped
    wb.save(path)


def test_xlsx(tmp_path):
    p = tmp_path / "book.xlsx"
    build_xlsx(p)
    parsed = parse_file(p, spec())
    res = check_common(parsed, "xlsx")
    # provenance = sheet row number
    assert [r.line_start for r in res.rows] == [5, 6, 7, 9]
    kinds = {f.line_no: f.kind for f in res.furniture}
    assert kinds[1] == "title" and kinds[2] == "metadata" and kinds[3] == "header"
    assert parsed.document.locate(7) == "sheet '一季度' row 7"
    assert parsed.text.lines[2] == "序号 | 重点工作 | 牵头单位 | 进展情况 | 完成状况"


def test_xlsx_corrupt_is_a_clear_error(tmp_path):
    p = tmp_path / "broken.xlsx"
    build_xlsx(p)
    p.write_bytes(p.read_bytes()[:300])  # truncated zip
    with pytest.raises(SourceReadError, match=r"broken\.xlsx.*not a readable \.xlsx"):
        parse_file(p, spec())
    p2 = tmp_path / "fake.xlsx"
    p2.write_bytes(b"PK\x03\x04 this is not a zip file at all")
    with pytest.raises(SourceReadError, match=r"fake\.xlsx"):
        parse_file(p2, spec(layout="xlsx"))


def test_xlsx_without_header_is_a_clear_error(tmp_path):
    import openpyxl

    p = tmp_path / "noheader.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["甲", "乙"])
    wb.active.append(["1", "2"])
    wb.save(p)
    with pytest.raises(LayoutError, match=r"noheader\.xlsx.*no task rows"):
        parse_file(p, spec())


# --- xls (no library here writes .xls: xlrd's reading is stood in for, our mapping is tested) ---


class _FakeSheet:
    def __init__(self, name, values, merged):
        self.name, self._v, self.merged_cells = name, values, merged
        self.nrows, self.ncols = len(values), max(len(r) for r in values)

    def cell(self, r, c):
        import xlrd

        v = self._v[r][c] if c < len(self._v[r]) else None
        if v is None:
            return xlrd.sheet.Cell(xlrd.XL_CELL_EMPTY, "")
        if isinstance(v, float):
            return xlrd.sheet.Cell(xlrd.XL_CELL_NUMBER, v)
        return xlrd.sheet.Cell(xlrd.XL_CELL_TEXT, v)


def test_xls_merged_ranges(tmp_path, monkeypatch):
    import types

    import xlrd

    values = [[TITLE, None, None, None, None], HEADER]
    merged = [(0, 1, 0, 5)]  # xlrd: (rlo, rhi, clo, chi), hi exclusive
    for seq, task, lead, progress, status in TASKS:
        if seq in SECTIONS:
            values.append([SECTIONS[seq], None, None, None, None])
            merged.append((len(values) - 1, len(values), 0, 5))
        values.append([float(seq), task, lead or "", "\n".join(progress), status])
        if seq == 3:
            merged.append((len(values) - 2, len(values), 2, 3))
    book = types.SimpleNamespace(sheets=lambda: [_FakeSheet("Sheet1", values, merged)], datemode=0)
    monkeypatch.setattr(xlrd, "open_workbook", lambda *a, **k: book)
    p = tmp_path / "old.xls"
    p.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504)
    parsed = parse_file(p, spec())
    assert parsed.layout == "xlsx" and parsed.document.kind == "xls"
    check_common(parsed, "xlsx")
    assert [r.line_start for r in parsed.result.rows] == [4, 5, 6, 8]  # sheet row numbers


def test_xls_corrupt_is_a_clear_error(tmp_path):
    p = tmp_path / "broken.xls"
    p.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504)
    with pytest.raises(SourceReadError, match=r"broken\.xls.*not a readable \.xls"):
        parse_file(p, spec())


def test_detect_kind(tmp_path):
    from ingestion.formats import detect_kind

    x = tmp_path / "download.bin"  # a workbook saved without its extension
    build_xlsx(x)
    assert detect_kind(x) == "xlsx"
    d = tmp_path / "d.zip"
    build_docx(d)
    assert detect_kind(d) == "docx"
    h = tmp_path / "page.txt"
    h.write_text("<html><body><table><tr><td>序号</td></tr></table></body></html>", encoding="utf-8")
    assert detect_kind(h) == "html"
    t = tmp_path / "b.txt"
    t.write_text(PIPE, encoding="utf-8")
    assert detect_kind(t) is None


# --- docx ----------------------------------------------------------------------------------------


def build_docx(path: Path, with_table: bool = True) -> None:
    import docx

    d = docx.Document()
    d.add_heading(TITLE, level=1)
    d.add_paragraph("发布时间:2024-04-15")
    d.add_paragraph("现将我区一季度重点工作完成情况公布如下。")
    if with_table:
        t = d.add_table(rows=1, cols=5)
        for c, h in zip(t.rows[0].cells, HEADER, strict=False):
            c.text = h
        for seq, task, lead, progress, status in TASKS:
            if seq in SECTIONS:
                cells = t.add_row().cells
                cells[0].text = SECTIONS[seq]
                cells[0].merge(cells[4])  # gridSpan
            cells = t.add_row().cells
            cells[0].text, cells[1].text, cells[4].text = str(seq), task, status
            cells[3].text = progress[0]
            for more in progress[1:]:
                cells[3].add_paragraph(more)
            if lead is not None:
                cells[2].text = lead
            else:
                above = t.rows[len(t.rows) - 2].cells[2]
                above.merge(cells[2])  # vMerge restart / continue
    d.add_paragraph("区人民政府办公室")
    d.save(path)


def test_docx(tmp_path):
    p = tmp_path / "report.docx"
    build_docx(p)
    parsed = parse_file(p, spec())
    res = check_common(parsed, "docx")
    lines = parsed.text.lines  # the canonical rendering: one line per paragraph / table row
    assert lines[0] == TITLE and lines[3] == " | ".join(HEADER)
    r1 = res.rows[0]
    assert r1.line_start == r1.line_end and lines[r1.line_start - 1].startswith("1 | 加快推进")
    assert "⏎" in lines[r1.line_start - 1]
    kinds = {f.line_no: f.kind for f in res.furniture}
    assert kinds[1] == "title" and kinds[2] == "metadata" and kinds[3] == "preamble"
    assert kinds[len(lines)] == "preamble"


def test_docx_without_table_falls_back_to_narrative(tmp_path):
    p = tmp_path / "prose.docx"
    build_docx(p, with_table=False)
    parsed = parse_file(p, spec())
    assert parsed.layout == "narrative"  # whatever the narrative parser makes of it
    assert "no_table" in {i.code for i in parsed.result.issues}
    assert parsed.result.coverage().complete


# --- PDF -----------------------------------------------------------------------------------------


class TinyPdf:
    """A minimal PDF writer: ruled tables and text in a Type0 font (Identity-H, code = Unicode
    code point, with a ToUnicode CMap so the text layer is exact). No font program is embedded -
    a viewer substitutes one; text extraction needs none. Good enough to exercise pdfplumber."""

    def __init__(self, width: float = 595, height: float = 842, locked: bool = False):
        self.w, self.h = width, height
        self.locked = locked  # add a standard-security /Encrypt whose user password is not empty
        self.pages: list[list[str]] = []
        self.chars: set[int] = set()

    def page(self) -> None:
        self.pages.append([])

    def text(self, x: float, top: float, s: str, size: float = 9) -> None:
        self.chars.update(ord(c) for c in s)
        hexs = "".join(f"{ord(c):04X}" for c in s)
        self.pages[-1].append(f"BT /F1 {size} Tf {x:.2f} {self.h - top - size:.2f} Td <{hexs}> Tj ET")

    def line(self, x0, top0, x1, top1) -> None:
        self.pages[-1].append(f"{x0:.2f} {self.h - top0:.2f} m {x1:.2f} {self.h - top1:.2f} l S")

    def table(self, x: float, top: float, widths: list[float], rows: list[list], heights: list[float], size=8.0):
        """rows: cells per grid slot: text ('\\n' = visual lines), 'DOWN' (covered by the cell
        above), 'LEFT' (covered by the cell to the left). Returns the bottom."""
        xs = [x]
        for w in widths:
            xs.append(xs[-1] + w)
        ys = [top]
        for hgt in heights:
            ys.append(ys[-1] + hgt)
        self.line(xs[0], ys[0], xs[-1], ys[0])
        self.line(xs[0], ys[-1], xs[-1], ys[-1])
        self.line(xs[0], ys[0], xs[0], ys[-1])
        self.line(xs[-1], ys[0], xs[-1], ys[-1])
        for i, row in enumerate(rows):
            for j, cell in enumerate(row):
                if i > 0 and cell != "DOWN":
                    self.line(xs[j], ys[i], xs[j + 1], ys[i])
                if j > 0 and cell != "LEFT":
                    self.line(xs[j], ys[i], xs[j], ys[i + 1])
                if cell not in ("DOWN", "LEFT") and cell:
                    for k, vis in enumerate(cell.split("\n")):
                        self.text(xs[j] + 2, ys[i] + 3 + k * size * 1.4, vis, size)
        return ys[-1]

    def bytes(self) -> bytes:
        objs: list[bytes] = []

        def add(b: str | bytes) -> int:
            objs.append(b.encode("latin-1") if isinstance(b, str) else b)
            return len(objs)

        codes = sorted(self.chars)
        cmap_lines = []
        for i in range(0, len(codes), 100):
            chunk = codes[i : i + 100]
            cmap_lines.append(f"{len(chunk)} beginbfchar")
            cmap_lines += [f"<{c:04X}> <{c:04X}>" for c in chunk]
            cmap_lines.append("endbfchar")
        cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap "
                "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def "
                "/CMapName /Adobe-Identity-UCS def /CMapType 2 def "
                "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
                + "\n".join(cmap_lines) + "\nendcmap CMapName currentdict /CMap defineresource pop end end")
        catalog = add("")  # placeholder, filled below
        pages_id = add("")
        tounicode = add(f"<< /Length {len(cmap)} >>\nstream\n{cmap}\nendstream")
        desc = add("<< /Type /FontDescriptor /FontName /TinySong /Flags 4 /FontBBox [0 -120 1000 880] "
                   "/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>")
        cid = add("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /TinySong "
                  "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                  f"/FontDescriptor {desc} 0 R /DW 1000 /CIDToGIDMap /Identity >>")
        font = add(f"<< /Type /Font /Subtype /Type0 /BaseFont /TinySong /Encoding /Identity-H "
                   f"/DescendantFonts [{cid} 0 R] /ToUnicode {tounicode} 0 R >>")
        kids = []
        for ops in self.pages:
            data = zlib.compress("\n".join(ops).encode("latin-1"))
            content = add(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream")
            kids.append(add(f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {self.w} {self.h}] "
                            f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {content} 0 R >>"))
        objs[catalog - 1] = f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode()
        objs[pages_id - 1] = (f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] "
                              f"/Count {len(kids)} >>").encode()
        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for i, o in enumerate(objs, 1):
            offsets.append(len(out))
            out += f"{i} 0 obj\n".encode() + o + b"\nendobj\n"
        xref = len(out)
        out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
        out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
        enc = ""
        if self.locked:
            enc = (f" /Encrypt << /Filter /Standard /V 1 /R 2 /O <{'11' * 32}> /U <{'22' * 32}> /P -4 >>"
                   f" /ID [<{'33' * 16}> <{'33' * 16}>]")
        out += f"trailer\n<< /Size {len(objs) + 1} /Root {catalog} 0 R{enc} >>\nstartxref\n{xref}\n%%EOF\n".encode()
        return bytes(out)


WIDTHS = [30, 150, 90, 190, 60]


def _pdf_row(seq, task, lead, progress, status):
    return [str(seq), task, "DOWN" if lead is None else lead, "\n".join(progress), status]


def build_pdf(path: Path, repeat_header: bool = True, split_row: bool = False) -> None:
    """Page 1: title, table header, rows up to 3; page 2: (header again), heading (二), row 4.
    ``split_row``: row 4's progress starts on page 1 and continues on page 2."""
    pdf = TinyPdf()
    pdf.page()
    pdf.text(150, 60, TITLE, 14)
    pdf.text(60, 90, "发布时间:2024-04-15")
    def heading(t):
        return [t, "LEFT", "LEFT", "LEFT", "LEFT"]
    rows = [HEADER, heading(SECTIONS[1])] + [_pdf_row(*t) for t in TASKS[:3]]
    heights = [20, 20, 34, 20, 20]
    if split_row:
        rows.append(["4", "深化“放管服”改革", "区数据资源局", "政务服务事项全程网办", "已完成"])
        heights.append(20)
    pdf.table(50, 110, WIDTHS, rows, heights)
    pdf.text(280, 800, "- 1 -")
    pdf.page()
    rows2 = [HEADER] if repeat_header else []
    if split_row:
        rows2.append(["", "", "", "率达95%。", ""])
    else:
        rows2 += [heading(SECTIONS[4]), _pdf_row(*TASKS[3])]
    pdf.table(50, 60, WIDTHS, rows2, [20] * len(rows2))
    pdf.text(60, 300, "区人民政府办公室")
    pdf.text(280, 800, "- 2 -")
    path.write_bytes(pdf.bytes())


def test_pdf(tmp_path):
    p = tmp_path / "report.pdf"
    build_pdf(p)
    parsed = parse_file(p, spec())
    res = check_common(parsed, "pdf")
    lines = parsed.text.lines
    assert lines[0] == TITLE
    kinds = {f.line_no: f.kind for f in res.furniture}
    # the header printed again on page 2 is furniture, not a task row; page numbers are metadata
    assert [n for n, k in kinds.items() if k == "header"] == [i + 1 for i, ln in enumerate(lines) if ln.startswith("序号 |")]
    assert len([k for k in kinds.values() if k == "header"]) == 2
    assert {lines[n - 1] for n, k in kinds.items() if k == "metadata"} >= {"- 1 -", "- 2 -", "发布时间:2024-04-15"}
    assert len({r.table_no for r in res.rows}) == 1  # one table across two pages


def test_pdf_continued_without_header_and_split_row(tmp_path):
    p = tmp_path / "split.pdf"
    build_pdf(p, repeat_header=False, split_row=True)
    res = parse_file(p, spec()).result
    got = key(res.rows)
    assert got[:3] == EXPECTED[:3]
    assert got[3] == (4, SECTIONS[1], TASKS[3][1], ["区数据资源局"], "政务服务事项全程网办率达95%。", "已完成")
    assert "split_across_pages" in res.rows[3].flags
    assert res.coverage().complete and not res.quarantine


def test_pdf_without_text_layer_is_a_clear_error(tmp_path):
    pdf = TinyPdf()
    pdf.page()
    pdf.line(50, 50, 300, 50)  # only drawing, no text: what a scanned page looks like to us
    p = tmp_path / "scan.pdf"
    p.write_bytes(pdf.bytes())
    with pytest.raises(SourceReadError, match=r"scan\.pdf.*no text layer"):
        parse_file(p, spec())
    locked = TinyPdf(locked=True)
    locked.page()
    locked.text(50, 50, TITLE)
    enc = tmp_path / "locked.pdf"
    enc.write_bytes(locked.bytes())
    with pytest.raises(SourceReadError, match=r"locked\.pdf.*encrypted PDF"):
        parse_file(enc, spec())
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\nthis is not really a pdf\n")
    with pytest.raises(SourceReadError, match=r"bad\.pdf"):
        parse_file(bad, spec())


# --- GBK text, Traditional characters --------------------------------------------------------------


def test_gbk_pipe_text(tmp_path):
    p = tmp_path / "gbk.txt"
    p.write_bytes(PIPE.replace("\n", "\r\n").encode("gbk"))
    parsed = parse_file(p, spec())
    assert parsed.text.encoding in ("gb18030", "gbk")
    assert parsed.layout == "pipe"
    assert key(parsed.result.rows) == EXPECTED
    assert parsed.result.coverage().complete


@functools.cache
def _s2t():
    from opencc import OpenCC

    return OpenCC("s2t")


def _t(s: str) -> str:
    return _s2t().convert(s)


@pytest.mark.parametrize("layout", ["pipe", "cell_lines"])
def test_traditional_text(tmp_path, layout):
    from ingestion.normalize.vocabulary import normalise_reported

    text = PIPE
    if layout == "cell_lines":  # same table, one cell per line, the merged lead printed in both rows
        text = "\n".join(ln.rstrip(" |") for ln in PIPE.split("\n") if set(ln.strip()) != {"|"})
        text = text.replace("实施企业技术改造专项行动\n", "实施企业技术改造专项行动\n区经信局\n")
    trad = _t(text)
    for word in ("序號", "重點工作", "牽頭單位", "進展情況", "序時推進", "區發改委"):
        assert word in trad
    p = tmp_path / "trad.txt"
    p.write_text(trad, encoding="utf-8")
    parsed = parse_file(p, spec())
    res = parsed.result
    assert parsed.layout == layout
    assert [i.code for i in res.issues] == ["traditional_script"]
    # same rows, text kept as printed (Traditional) in the cells
    assert [(r.task_seq, r.task_text, r.lead_units, r.status_reported, r.category) for r in res.rows] == [
        (seq, _t(task), [_t(u) for u in units], _t(status), _t(cat))
        for seq, cat, task, units, _prog, status in EXPECTED]
    assert res.rows[0].progress_text == _t(EXPECTED[0][4])
    assert res.rows[1].status_reported == "序時推進"
    assert res.rows[0].lead_units == ["區發改委", "區住建局"]
    assert [normalise_reported(r.status_reported) for r in res.rows] == ["completed", "on_track", "on_track", "completed"]
    assert res.headers[1][0][0] == "序號"
    assert all(f.text == trad.split("\n")[f.line_no - 1] for f in res.furniture)
    assert res.coverage().complete and not res.quarantine


def test_traditional_html(tmp_path):
    p = tmp_path / "trad.html"
    p.write_text(_t(html_page()), encoding="utf-8")
    res = parse_file(p, spec()).result
    assert "traditional_script" in {i.code for i in res.issues}
    rows = [r for r in res.rows if r.table_no == 1]
    assert [(r.task_seq, r.task_text, r.lead_units, r.status_reported) for r in rows] == [
        (seq, _t(task), [_t(u) for u in units], _t(status)) for seq, _c, task, units, _p, status in EXPECTED]
    assert "merged_cell" in rows[2].flags
    assert res.headers[1][1] == ("重點工作", "task")


def test_simplified_text_is_not_flagged(tmp_path):
    p = tmp_path / "b.txt"
    p.write_text(PIPE, encoding="utf-8")
    assert not parse_file(p, spec()).result.issues

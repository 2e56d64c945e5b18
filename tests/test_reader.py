import pytest

from ingestion.errors import SourceReadError
from ingestion.reader import decode_bytes, read_text_file, split_lines

from .conftest import seed_path


def test_utf8_seed_reads_with_line_numbers_like_an_editor():
    p = seed_path("xiangshan_2024q4")
    st = read_text_file(p)
    assert st.encoding == "utf-8"
    data = p.read_bytes()
    # the last line has no trailing newline in this file; an editor still shows it
    assert len(st.lines) == data.count(b"\n") + (0 if data.endswith(b"\n") else 1)


def test_gbk_copy_decodes_to_same_text(tmp_path):
    p = seed_path("luan_2024h1")
    text = p.read_text(encoding="utf-8")
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(text.encode("gb18030"))
    st = read_text_file(gbk)
    assert st.encoding == "gb18030"
    assert st.lines == read_text_file(p).lines


@pytest.mark.parametrize(
    "data,needle",
    [(b"", "empty"), (b"   \n\n", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"), (bytes(range(256)) * 4, "binary")],
)
def test_bad_bytes_get_clear_errors(data, needle):
    with pytest.raises(SourceReadError) as e:
        decode_bytes(data, "some/file.txt")
    assert "some/file.txt" in str(e.value) and needle in str(e.value)


def test_split_lines_only_on_line_breaks():
    assert split_lines("a\u2028b\r\nc\rd\n") == ["a\u2028b", "c", "d"]


# ------------------------------------------------------------- encodings and binary (issue #14)


def _traditional(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2t").convert(text)


@pytest.mark.parametrize("seed", ["xiangshan_2024q4", "luan_2024h1"])
def test_big5_copy_is_recognised_and_parses_like_its_utf8_copy(tmp_path, seed):
    from ingestion.parse import parse_file
    from ingestion.registry import load_registry

    src = load_registry().get(seed)
    big5, utf8 = tmp_path / "big5.txt", tmp_path / "utf8.txt"
    text = _traditional(src.file_path.read_text(encoding="utf-8")).encode("big5", errors="replace").decode("big5")
    big5.write_bytes(text.encode("big5"))
    utf8.write_text(text, encoding="utf-8")
    st = read_text_file(big5)
    assert st.encoding == "big5"
    # the same bytes also decode as GB18030 (to the wrong characters): the score picks Big5
    assert big5.read_bytes().decode("gb18030")
    assert st.lines == read_text_file(utf8).lines
    assert parse_file(big5, src.spec).result.rows == parse_file(utf8, src.spec).result.rows


def test_gbk_copy_still_reads_as_gb18030_not_big5(tmp_path):
    p = tmp_path / "gbk.txt"
    p.write_bytes("序号 | 工作事项 | 牵头单位 | 进展情况 |\n1 | 新建基站 | 区经信局 | 已完成 |\n".encode("gbk"))
    assert read_text_file(p).encoding == "gb18030"


@pytest.mark.parametrize(
    "data,needle",
    [
        (bytes(b % 0x7E + 0x81 for b in range(4000)), "read as Chinese text"),  # high bytes: decodable GB18030 junk
        (bytes(((i * 7919) % 255) + 1 for i in range(6000)), "does not look like a text bulletin"),  # no NUL byte
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF document"),
        (b"PK\x03\x04\x14\x01\x06\x01junk", "zip archive"),
        (b"\xff\xd8\xff\xe0JFIF", "JPEG"),
        ("序号\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f".encode() * 50, "control characters"),
    ],
)
def test_binary_without_nul_bytes_is_refused_naming_file_and_guess(data, needle):
    assert b"\x00" not in data
    err = pytest.raises(SourceReadError, decode_bytes, data, "data/sources/x/junk.txt").value
    assert "data/sources/x/junk.txt" in str(err) and needle in str(err)
    if "does not look like" in str(err):
        assert "charset-normalizer guesses" in str(err)


def test_utf16_bom_and_mixed_line_ends_and_truncated_copy_still_read(tmp_path):
    text = "序号 | 工作事项 |\r\n1 | 新建基站 |\n2 | 改造小区 |\r3 | 举办推介"
    p = tmp_path / "u16.txt"
    p.write_bytes(text.encode("utf-16"))
    st = read_text_file(p)
    assert st.encoding == "utf-16" and st.lines == ["序号 | 工作事项 |", "1 | 新建基站 |", "2 | 改造小区 |", "3 | 举办推介"]
    cut = tmp_path / "cut.txt"
    cut.write_bytes(text.encode("gb18030")[:-1])  # cut inside the last character
    with pytest.raises(SourceReadError) as e:
        read_text_file(cut)
    assert "cut.txt" in str(e.value)


@pytest.mark.parametrize("limit,content,needle", [
    ("MAX_FILE_BYTES", "序号\n" * 100, "MB limit"),
    ("MAX_LINES", "序号\n" * 100, "lines limit"),
    ("MAX_LINE_CHARS", "序号" * 100 + "\n", "characters limit of one line"),
])
def test_size_limits_are_refused_with_the_limit(tmp_path, monkeypatch, limit, content, needle):
    from ingestion import reader

    monkeypatch.setattr(reader, limit, 50)
    p = tmp_path / "big.txt"
    p.write_text(content, encoding="utf-8")
    err = pytest.raises(SourceReadError, read_text_file, p).value
    assert str(p) in str(err) and needle in str(err)

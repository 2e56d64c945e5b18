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

"""Files from Excel/WPS on Chinese Windows (GBK) read like UTF-8 ones, everywhere through one module."""

import pytest

from sanbao.core.textfiles import decode, dict_rows, read_text

TEXT = "编号,内容\n1,\"物业乱收费，\n多次反映\"\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_utf8_with_or_without_bom_and_gbk_read_the_same(tmp_path, encoding):
    path = tmp_path / "f.csv"
    path.write_bytes(TEXT.encode(encoding))
    assert read_text(path) == TEXT
    rows = list(dict_rows(read_text(path)))
    assert rows == [{"编号": "1", "内容": "物业乱收费，\n多次反映"}]  # the line break inside the quoted cell is kept


def test_bytes_that_are_neither_raise_and_an_explicit_encoding_wins():
    with pytest.raises(UnicodeDecodeError):
        decode(b"id,text\n1,\xff\xfe\n")
    assert decode("湘".encode("big5"), "big5") == "湘"
    with pytest.raises(UnicodeDecodeError):
        decode("湘".encode(), "ascii")

"""Loading source files: encodings decode to the same text, bad files are errors naming the file."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from ingest.errors import CivilQAError, IngestError
from ingest.loading import MAX_FILE_BYTES, decode_bytes, load_file
from ingest.pipeline import discover, process_file

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"

TEXT = (
    "焦作市民政局2021年工作回顾\n\n"
    "社会救助更加有力。全市城市最低生活保障月标准为600元，"
    "农村最低生活保障年标准为4524元；特困人员基本生活标准同步提高。\n"
    "孟州市、沁阳市、温县、武陟县火化率稳步提升。\n"
)


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


# -- encodings ---------------------------------------------------------------

@pytest.mark.parametrize("encoding, prefix, expected_encoding", [
    ("utf-8", b"", "utf-8"),
    ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
    ("gb18030", b"", "gb18030"),
    ("gbk", b"", "gb18030"),  # GB18030 is a superset of GBK
    ("gb2312", b"", "gb18030"),
])
def test_encodings_decode_to_the_same_text(tmp_path, encoding, prefix, expected_encoding):
    data = prefix + TEXT.encode(encoding)
    p = _write(tmp_path, "report.txt", data)
    loaded = load_file(p)
    assert loaded.text == TEXT  # BOM removed, nothing dropped or altered
    assert loaded.encoding == expected_encoding
    assert loaded.sha256 == hashlib.sha256(data).hexdigest()  # hash of the raw bytes
    assert loaded.path == p


def test_gb18030_four_byte_characters_round_trip(tmp_path):
    # characters outside GBK (CJK extension B, the euro sign) exist only in GB18030
    text = "𠮷野家、€与焦作市农村低保标准4524元。"
    p = _write(tmp_path, "rare.txt", text.encode("gb18030"))
    loaded = load_file(p)
    assert loaded.text == text
    assert loaded.encoding == "gb18030"


# Traditional text as a Taiwan or Hong Kong office writes it (Big5), generated here from Chinese text
TRADITIONAL = (
    "焦作市民政局2021年工作回顧\n\n"
    "社會救助更加有力。全市城市最低生活保障月標準為600元，"
    "農村最低生活保障年標準為4524元；特困人員基本生活標準同步提高。\n"
)


@pytest.mark.parametrize("text, encoding, prefix, expected_encoding", [
    (TRADITIONAL, "big5", b"", "big5"),
    (TRADITIONAL, "cp950", b"", "big5"),
    (TEXT, "utf-16-le", b"\xff\xfe", "utf-16-le"),  # Windows Notepad's "Unicode"
    (TEXT, "utf-16-be", b"\xfe\xff", "utf-16-be"),
    (TEXT, "utf-16-le", b"", "utf-16-le"),
    (TEXT, "utf-16-be", b"", "utf-16-be"),
    (TRADITIONAL, "utf-16-le", b"", "utf-16-le"),
    (TRADITIONAL, "utf-8", b"", "utf-8"),
])
def test_big5_and_utf16_decode_to_the_same_text(tmp_path, text, encoding, prefix, expected_encoding):
    data = prefix + text.encode(encoding)
    loaded = load_file(_write(tmp_path, "report.txt", data))
    assert loaded.text == text
    assert loaded.encoding == expected_encoding


@pytest.mark.parametrize("text", [
    "低保", "焦作", "漯河市", "农村低保标准", "特困人员救助供养", "临时救助", "惠济区城市低保",
    "孤儿基本生活费每人每月1000元",
])
def test_short_gb18030_files_stay_gb18030(tmp_path, text):
    """A few characters are ambiguous between encodings: GBK, the common case, wins the tie."""
    assert decode_bytes(text.encode("gb18030"), "short.txt") == (text, "gb18030")


def test_big5_is_not_read_as_gb18030_mojibake():
    data = TRADITIONAL.encode("big5")
    assert data.decode("gb18030") != TRADITIONAL  # it decodes "successfully", as mojibake
    assert decode_bytes(data, "tw.txt") == (TRADITIONAL, "big5")


@pytest.mark.parametrize("name, data, words", [
    # Japanese in Shift_JIS: no candidate decodes it to Chinese text
    ("sjis.txt", ("これは日本語の文章です。福祉の基準について説明します。" * 3).encode("shift_jis"),
     ("乱码", "mojibake")),
    # GB18030's user-defined area (bytes AAA1…) decodes to private-use code points
    ("pua.txt", TEXT.encode("gb18030") + "第二段".encode("gb18030") + b"\xaa\xa1" + "。\n".encode("gb18030"),
     ("私用区", "第 5 行", "U+E000")),
    # a lone high surrogate after a UTF-16 BOM
    ("u16.txt", b"\xff\xfe" + "正文".encode("utf-16-le") + b"\x00\xd8", ("UTF-16-LE BOM", "第 6 字节")),
])
def test_mojibake_private_use_and_broken_utf16_are_refused_naming_the_file(tmp_path, name, data, words):
    with pytest.raises(IngestError) as info:
        load_file(_write(tmp_path, name, data))
    _assert_error_names(info.value, name)
    assert all(w in str(info.value) for w in words), str(info.value)


def test_markdown_suffix_is_supported_case_insensitively(tmp_path):
    p = _write(tmp_path, "NOTES.MD", "## 标题\n\n正文内容。".encode("utf-8"))
    assert load_file(p).text == "## 标题\n\n正文内容。"


def test_decoding_keeps_every_character(tmp_path):
    # CRLF, tabs, full-width spaces and punctuation survive loading untouched (cleaning is later)
    text = "序号\t县市区\t火化率\r\n1\t孟州市\t100%\r\n\u3000\u3000全角空格与ＡＢＣ１２３。\r\n"
    for enc in ("utf-8", "gb18030"):
        p = _write(tmp_path, f"t-{enc}.txt", text.encode(enc))
        assert load_file(p).text == text


# -- errors -----------------------------------------------------------------------

def _assert_error_names(exc: BaseException, name: str) -> None:
    assert isinstance(exc, IngestError) and isinstance(exc, CivilQAError)
    assert name in str(exc)


@pytest.mark.parametrize("name, data, words", [
    ("empty.txt", b"", "文件为空"),
    ("blank.txt", b"  \n\t\r\n   \n", "文件为空"),
    ("nul.txt", "正文".encode() + b"\x00\x00\x00" + "更多正文".encode(), "二进制"),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "二进制"),
    ("ctrl.txt", bytes(range(1, 9)) * 20, "二进制"),
    ("broken-utf8.txt", TEXT.encode("utf-8") + b"\xff\xfe" + TEXT.encode("utf-8"), "无法识别文件编码"),
    ("broken-gbk.txt", TEXT.encode("gb18030") + b"\xff\xff" + TEXT.encode("gb18030"), "无法识别文件编码"),
    ("mixed.txt", TEXT.encode("utf-8") + TEXT.encode("gbk"), "无法识别文件编码"),
    ("bom-bad.txt", b"\xef\xbb\xbf" + "正文".encode() + b"\xff", "UTF-8"),
])
def test_bad_content_is_an_error_naming_the_file(tmp_path, name, data, words):
    p = _write(tmp_path, name, data)
    with pytest.raises(IngestError) as info:
        load_file(p)
    _assert_error_names(info.value, name)
    assert words in str(info.value)


def test_unsupported_suffix_is_an_error_naming_the_file(tmp_path):
    p = _write(tmp_path, "policy.pages", b"PK\x03\x04" + TEXT.encode())  # Apple Pages (.doc is read now)
    for read in (load_file, process_file):
        with pytest.raises(IngestError) as info:
            read(p)
        _assert_error_names(info.value, "policy.pages")
        for suffix in (".txt", ".md", ".docx", ".pdf", ".html"):
            assert suffix in str(info.value)


def test_missing_file_is_an_error_naming_the_file(tmp_path):
    p = tmp_path / "nowhere" / "missing.txt"
    with pytest.raises(IngestError) as info:
        load_file(p)
    _assert_error_names(info.value, "missing.txt")
    assert "找不到文件" in str(info.value)


def test_directory_with_txt_suffix_is_not_read(tmp_path):
    d = tmp_path / "folder.txt"
    d.mkdir()
    with pytest.raises(IngestError) as info:
        load_file(d)
    _assert_error_names(info.value, "folder.txt")


def test_too_large_file_is_refused_before_reading(tmp_path):
    p = tmp_path / "huge.txt"
    with open(p, "wb") as f:  # sparse: costs no disk
        f.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(IngestError) as info:
        load_file(p)
    _assert_error_names(info.value, "huge.txt")
    assert str(MAX_FILE_BYTES + 1) in str(info.value)


def test_decode_bytes_error_uses_the_given_name():
    with pytest.raises(IngestError, match="上传的文件.txt"):
        decode_bytes(b"", "上传的文件.txt")


def test_full_width_blank_file_is_rejected_by_the_pipeline(tmp_path):
    # decodes fine (U+3000 is not ASCII whitespace) but leaves nothing after cleaning
    p = _write(tmp_path, "spaces.txt", "\u3000\u3000\n\u3000\n".encode("utf-8"))
    with pytest.raises(IngestError) as info:
        process_file(p)
    _assert_error_names(info.value, "spaces.txt")


def test_gbk_file_goes_through_the_pipeline(tmp_path):
    p = _write(tmp_path, "gbk.txt", TEXT.encode("gbk"))
    ing = process_file(p)
    assert ing.document.encoding == "gb18030"
    assert "农村最低生活保障年标准为4524元" in ing.document.text
    assert ing.document.sha256 == hashlib.sha256(p.read_bytes()).hexdigest()


def test_discover_skips_sidecar_and_unsupported_files_and_rejects_duplicate_names(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    (a / "x.txt").write_text("正文。", encoding="utf-8")
    (a / "y.md").write_text("正文。", encoding="utf-8")
    (a / "metadata.json").write_text("{}", encoding="utf-8")
    (a / "scan.tif").write_bytes(b"II*\x00")  # supported now (OCR)
    (a / "slides.key").write_bytes(b"PK\x03\x04")  # not a supported type
    (a / ".x.txt.upload.tmp").write_text("正文。", encoding="utf-8")  # an upload being written
    (a / "~$report.docx").write_bytes(b"lock")  # Word's lock file
    (a / "z.pdf").write_bytes(b"%PDF")  # supported now: read (and reported) like the others
    (b / "x.txt").write_text("另一个正文。", encoding="utf-8")
    assert [p.name for p in discover([a])] == ["scan.tif", "x.txt", "y.md", "z.pdf"]
    with pytest.raises(IngestError, match="x.txt"):
        discover([a, b])


# -- the seeds ------------------------------------------------------------------

def test_seeds_are_present():
    assert sorted(p.name[:3] for p in SEEDS.glob("*.txt")) == ["000", "001", "002", "003", "004"]


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="../shared/seeds is not present")
def test_seeds_are_byte_for_byte_copies_of_the_originals():
    originals = sorted(p.name for p in SHARED_SEEDS.glob("*.txt"))
    copies = sorted(p.name for p in SEEDS.glob("*.txt"))
    assert copies == originals
    for name in originals:
        assert (SEEDS / name).read_bytes() == (SHARED_SEEDS / name).read_bytes(), name


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_seeds_load_as_utf8_without_loss(path):
    loaded = load_file(path)
    data = path.read_bytes()
    assert loaded.encoding == "utf-8"
    assert loaded.text.encode("utf-8") == data
    assert loaded.sha256 == hashlib.sha256(data).hexdigest()

""".doc and .wps through LibreOffice headless (made by LibreOffice from a .docx at test time)."""
from __future__ import annotations

import pytest

from ingest.errors import IngestError
from ingest.formats import office_convert
from ingest.pipeline import process_file
from format_samples import make_doc



@pytest.fixture(scope="module")
def doc_bytes(tmp_path_factory):
    return make_doc(tmp_path_factory.mktemp("doc") / "s.doc").read_bytes()


@pytest.mark.parametrize("name", ["焦作总结.doc", "焦作总结.wps"])
def test_doc_and_wps_read_as_word_with_paragraphs_and_table(tmp_path, doc_bytes, name):
    p = tmp_path / name
    p.write_bytes(doc_bytes)
    ing = process_file(p)
    doc = ing.document
    assert doc.encoding == name.rsplit(".", 1)[1] and doc.meta.city == "焦作市" and doc.meta.year == 2021
    assert doc.locations["unit"] == "paragraph"
    standard = next(c for c in ing.chunks if "4524" in c.text)
    assert standard.meta["paragraph"] == 4 and standard.heading == "一、社会救助"
    table = next(c for c in ing.chunks if c.kind == "table")
    assert "温县\t100%" in table.text and table.meta["paragraph"] == 5


def test_missing_converter_names_the_package_and_a_hung_one_is_killed(tmp_path, doc_bytes, monkeypatch):
    p = tmp_path / "旧文件.doc"
    p.write_bytes(doc_bytes)
    with pytest.raises(IngestError) as info:
        office_convert.extract_office(p, timeout=0.05)
    assert "旧文件.doc" in str(info.value) and "转换超时" in str(info.value)
    broken = tmp_path / "坏.wps"
    broken.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048)
    with pytest.raises(IngestError) as info:
        process_file(broken)
    assert "坏.wps" in str(info.value)
    monkeypatch.setattr(office_convert, "converter", lambda: None)
    with pytest.raises(IngestError) as info:
        process_file(p)
    assert "旧文件.doc" in str(info.value) and "libreoffice-writer-nogui" in str(info.value)

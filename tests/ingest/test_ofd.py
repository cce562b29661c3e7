"""OFD packages built at test time (the XML parts of GB/T 33190): text, tables, limits."""
from __future__ import annotations

import zipfile


from ingest.formats import locate
from ingest.pipeline import process_file
from format_samples import refused, add_zip_padding, make_ofd


def test_ofd_text_and_table_by_page(tmp_path):
    ing = process_file(make_ofd(tmp_path / "洛阳通知.ofd"))
    doc = ing.document
    assert doc.encoding == "ofd" and doc.meta.city == "洛阳市" and doc.meta.year == 2022
    # hard-wrapped lines of page 1 are joined into one sentence by the cleaner
    assert "全市城市低保标准调整为每人每月688元，农村低保标准调整为每人每年5328元。" in doc.text
    assert locate(doc.locations, doc.text.index("5328")) == {"page": 1}
    table = next(c for c in ing.chunks if c.kind == "table")
    assert table.text.split("\n") == ["县区\t城市低保人数\t农村低保人数", "孟津区\t1210\t5630", "新安县\t980\t6120"]
    assert table.meta["page"] == 2
    for c in ing.chunks:
        assert doc.text[c.start:c.end] == c.text


def test_ofd_with_entities_missing_parts_or_a_bomb_is_refused_by_name(tmp_path):
    p = make_ofd(tmp_path / "good.ofd")
    evil = tmp_path / "evil.ofd"
    with zipfile.ZipFile(p) as src, zipfile.ZipFile(evil, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "OFD.xml":
                data = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + data.split(b"?>", 1)[1]
            dst.writestr(info, data)
    refused(evil, "DTD")
    partial = tmp_path / "缺页.ofd"
    with zipfile.ZipFile(p) as src, zipfile.ZipFile(partial, "w") as dst:
        for i in src.infolist():
            if "Page_1" not in i.filename:
                dst.writestr(i, src.read(i))
    refused(partial, "Page_1/Content.xml")
    bomb = make_ofd(tmp_path / "bomb.ofd")
    add_zip_padding(bomb, "Doc_0/Res/padding.bin", megabytes=4)
    refused(bomb, "OFD 文件压缩比异常")
    notzip = tmp_path / "假.ofd"
    notzip.write_bytes(b"%PDF-1.4 not an ofd")
    refused(notzip, "不是有效的 OFD 文件")

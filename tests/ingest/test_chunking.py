"""Chunking: offsets, deterministic ids, size limits, tables, headings and overlap."""
from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.chunking import Chunker, split_sentences
from ingest.cleaning import clean_with_blocks
from ingest.document import Chunk, DocMeta, Document
from ingest.errors import ConfigError
from ingest.pipeline import discover, process_file, sidecars_for

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"


def _ingest_seeds(chunker: Chunker | None = None):
    files = discover([SEEDS])
    sidecar = sidecars_for(files)
    return {f.name[:3]: process_file(f, sidecar, chunker) for f in files}


@pytest.fixture(scope="module")
def seeds():
    """prefix -> Ingested (document + chunks) with the default chunker."""
    return _ingest_seeds()


def _doc(text: str, source: str = "synthetic.txt") -> tuple[Document, list]:
    cleaned, blocks = clean_with_blocks(text)
    meta = DocMeta(city="焦作市", year=2021, title="测试报告", period="2021年")
    return Document(source, cleaned, "0" * 64, "utf-8", meta), blocks


def _overlaps(chunks: list[Chunk]) -> list[tuple[Chunk, Chunk]]:
    return [(a, b) for a, b in zip(chunks, chunks[1:]) if a.source == b.source and b.start < a.end]


# -- invariants on the real seeds ----------------------------------------------------

def test_every_chunk_is_an_exact_slice_of_its_document(seeds):
    for ing in seeds.values():
        assert ing.chunks
        for c in ing.chunks:
            assert c.source == ing.document.source
            assert 0 <= c.start < c.end <= len(ing.document.text)
            assert c.text == ing.document.text[c.start:c.end]
            assert c.text == c.text.strip()
            assert c.id == Chunk.make_id(c.source, c.start, c.end, c.text)
            assert c.kind in ("text", "table")


def test_chunks_are_in_document_order(seeds):
    for ing in seeds.values():
        starts = [c.start for c in ing.chunks]
        assert starts == sorted(starts)
        assert len(set(starts)) == len(starts)


def test_chunk_ids_are_unique_and_deterministic(seeds):
    ids = [c.id for ing in seeds.values() for c in ing.chunks]
    assert len(ids) == len(set(ids))
    again = _ingest_seeds()
    assert [c.id for ing in again.values() for c in ing.chunks] == ids
    assert all(len(i) == 32 and int(i, 16) >= 0 for i in ids)


@pytest.mark.integration  # a second interpreter
def test_chunk_ids_are_the_same_in_a_fresh_interpreter(seeds):
    # guards against anything process-dependent (hash randomisation, set order, time)
    code = (
        "from pathlib import Path\n"
        "from ingest.pipeline import discover, process_file, sidecars_for\n"
        f"files = discover([Path({str(SEEDS)!r})]); sc = sidecars_for(files)\n"
        "print('\\n'.join(c.id for f in files for c in process_file(f, sc).chunks))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env={"PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin"}, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [c.id for ing in seeds.values() for c in ing.chunks]


def test_no_body_text_is_lost(seeds):
    # every non-space character of every paragraph and table row is in some chunk
    for f in discover([SEEDS]):
        cleaned, blocks = clean_with_blocks(f.read_text(encoding="utf-8"))
        assert cleaned == seeds[f.name[:3]].document.text
        chunks = seeds[f.name[:3]].chunks
        covered = bytearray(len(cleaned))
        for c in chunks:
            covered[c.start:c.end] = b"\x01" * (c.end - c.start)
        for b in blocks:
            if b.kind == "heading":
                continue
            missing = [i for i in range(b.start, b.end) if not covered[i] and not cleaned[i].isspace()]
            assert not missing, (f.name, cleaned[b.start:b.end][:60])


@pytest.mark.parametrize("max_chars, overlap", [(200, 80), (60, 20), (20, 0), (20, 19)])
def test_max_chars_is_respected_except_for_tables(max_chars, overlap):
    seeds = _ingest_seeds(Chunker(max_chars, overlap))
    for ing in seeds.values():
        for c in ing.chunks:
            if c.kind == "text":
                assert len(c.text) <= max_chars, (c.source, len(c.text), c.text[:40])
    tables = [c for ing in seeds.values() for c in ing.chunks if c.kind == "table"]
    assert len(tables) == 1 and len(tables[0].text) > 200  # a table is never cut


def test_long_sentence_without_full_stop_is_cut_after_commas():
    clause = "城乡低保对象、特困供养人员、孤儿和事实无人抚养儿童"
    body = "，".join([clause] * 12) + "。"
    doc, blocks = _doc("报告标题\n\n" + body)
    chunks = Chunker(max_chars=60, overlap_chars=0)(doc, blocks)
    assert len(chunks) > 3
    for c in chunks:
        assert len(c.text) <= 60 and c.text == doc.text[c.start:c.end]
    for a, b in zip(chunks, chunks[1:]):
        assert a.text[-1] in "，、" and b.start == a.end  # cut after a comma, nothing skipped


def test_text_without_any_punctuation_is_cut_at_max_chars():
    doc, blocks = _doc("报告标题\n\n" + "低保" * 70)
    chunks = Chunker(max_chars=50, overlap_chars=0)(doc, blocks)
    assert [len(c.text) for c in chunks] == [50, 50, 40]
    assert "".join(c.text for c in chunks) == "低保" * 70


# -- the 火化率 table ----------------------------------------------------------------

def test_cremation_table_is_one_table_chunk_with_its_header(seeds):
    tables = [c for c in seeds["002"].chunks if c.kind == "table"]
    assert len(tables) == 1
    t = tables[0]
    lines = t.text.split("\n")
    assert lines[0].startswith("序号\t县市区\t火化率")
    assert "2021年" in lines[1] and "2022年1月份" in lines[1]
    assert any(line.split("\t")[1:2] == ["温县"] for line in lines[2:])
    assert "7\t温县\t33.06%\t45.08%\t7" in lines
    assert len(lines) == 13
    assert t.heading == "焦作市火化情况排名"
    assert "焦作市火化情况排名" in t.context and t.index_text.endswith(t.text)
    # no text chunk repeats any table row
    assert not any("温县\t33.06%" in c.text for c in seeds["002"].chunks if c.kind == "text")


# -- headings -----------------------------------------------------------------------

def test_chunks_know_their_section_heading(seeds):
    c4560 = [c for c in seeds["001"].chunks if "4560" in c.text]
    assert c4560 and all(c.heading == "3 聚焦兜底脱贫" for c in c4560)
    assert "3 聚焦兜底脱贫" in c4560[0].context and "漯河市" in c4560[0].context
    first = seeds["001"].chunks[0]
    assert first.heading is None  # the lead paragraph comes before any heading
    assert seeds["001"].document.meta.title in first.context


def test_trailing_headings_of_000_label_the_section_above_them(seeds):
    chunks = seeds["000"].chunks
    orphans = [c for c in chunks if "社会散居孤儿" in c.text]
    assert orphans and all(c.heading == "大力发展社会福利和慈善事业爱心帮扶" for c in orphans)
    lead = next(c for c in chunks if c.text.startswith("2017年，市委、市政府"))
    assert lead.heading is not None and "多措并举" in lead.heading
    pension = next(c for c in chunks if "新增养老床位1685张" in c.text)
    assert pension.heading == "不断完善养老服务体系建设真抓实干"
    safety = next(c for c in chunks if "消防安全工作目标责任书" in c.text)
    assert safety.heading == "加强民政综合能力建设不断创新"


def test_chunk_meta_carries_document_metadata(seeds):
    for ing in seeds.values():
        m = ing.document.meta
        for c in ing.chunks:
            assert c.meta == {"city": m.city, "year": m.year, "title": m.title, "period": m.period}
            assert c.context.startswith(m.city)
            assert c.index_text == f"{c.context}\n{c.text}"


# -- overlap -------------------------------------------------------------------------

def test_consecutive_chunks_share_at_most_one_short_sentence(seeds):
    pairs = [p for ing in seeds.values() for p in _overlaps(ing.chunks)]
    assert pairs, "the default config should produce some overlap on the seeds"
    for a, b in pairs:
        shared = a.text[b.start - a.start:]
        assert b.text.startswith(shared)
        assert b.start > a.start
        assert len(split_sentences(shared)) == 1, shared
        assert len(shared) <= 80
        # the shared sentence is the whole last sentence of the previous chunk
        last = split_sentences(a.text)[-1]
        assert a.text[last[0]:last[1]] == shared


@pytest.mark.parametrize("max_chars, overlap", [(60, 20), (20, 19)])
def test_overlap_is_bounded_for_small_chunks(max_chars, overlap):
    for ing in _ingest_seeds(Chunker(max_chars, overlap)).values():
        for a, b in _overlaps(ing.chunks):
            shared = ing.document.text[b.start:a.end]
            assert len(shared) <= overlap
            assert len(split_sentences(shared)) == 1


def test_no_overlap_when_disabled():
    for ing in _ingest_seeds(Chunker(200, 0)).values():
        assert not _overlaps(ing.chunks)


def test_paragraphs_are_never_merged_into_one_chunk():
    doc, blocks = _doc("报告标题\n\n第一段。很短。\n\n第二段。也很短。")
    chunks = Chunker()(doc, blocks)
    assert [c.text for c in chunks] == ["第一段。很短。", "第二段。也很短。"]
    assert all(c.heading == "报告标题" for c in chunks)


# -- configuration -------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, shown", [
    ({"max_chars": 5}, "5"),
    ({"max_chars": 19, "overlap_chars": 0}, "19"),
    ({"max_chars": 100, "overlap_chars": 100}, "100"),
    ({"max_chars": 100, "overlap_chars": 150}, "150"),
    ({"max_chars": 100, "overlap_chars": -1}, "-1"),
])
def test_invalid_config_is_a_config_error_showing_the_value(kwargs, shown):
    with pytest.raises(ConfigError) as info:
        Chunker(**kwargs)
    assert f"当前为 {shown}" in str(info.value)


def test_smallest_valid_config_is_accepted():
    assert Chunker(max_chars=20, overlap_chars=19).max_chars == 20
    assert Chunker(max_chars=20, overlap_chars=0).overlap_chars == 0


def test_split_sentences_offsets():
    text = "第一句。 第二句！第三句？“引语。”最后没有句号"
    spans = split_sentences(text, offset=10)
    assert [text[s - 10:e - 10] for s, e in spans] == ["第一句。", "第二句！", "第三句？", "“引语。”", "最后没有句号"]


def test_hash_of_chunk_id_matches_documented_formula():
    expected = hashlib.sha256("a.txt\x000\x005\x00你好世界。".encode()).hexdigest()[:32]
    assert Chunk.make_id("a.txt", 0, 5, "你好世界。") == expected


def test_a_heading_that_heads_nothing_is_kept_as_a_chunk():
    # a guide whose last lines are short label-like lines: the phone number must be findable
    text = ("临时救助办事指南\n\n一、办理时限\n\n自受理之日起10个工作日内办结，情况紧急的可先行救助。\n\n"
            "二、咨询电话\n\n区民政局社会救助科 0571-8796321")
    doc, blocks = _doc(text)
    assert blocks[-1].kind == "heading" and blocks[-2].kind == "heading"
    chunks = Chunker()(doc, blocks)
    assert any("0571-8796321" in c.text for c in chunks)
    body = next(c for c in chunks if "10个工作日" in c.text)
    assert body.heading == "一、办理时限"  # two closing headings do not make the layout "trailing"


def test_a_title_is_not_a_chunk_of_its_own_even_with_a_year():
    doc, blocks = _doc("晋中市2023年城乡低保标准提标工作完成\n\n晋中市民政局\n\n2023年，全市城市低保指导标准提高到每人每月680元。")
    assert blocks[0].kind == "heading"
    assert not any(c.text.startswith("晋中市2023年城乡低保") for c in Chunker()(doc, blocks))


def test_a_table_under_the_issuers_line_is_indexed_with_the_documents_title():
    """A table under only the issuer's line (某市民政局) has no heading saying what it is of: its
    rows are names and figures, so the title does, and a question naming the title's measure finds
    the table, not only the prose around it. A table under a heading of its own keeps just that."""
    text = ("某市民政局\n\n经研究，各县标准如下表。\n\n县\t城市（元/月）\t农村（元/年）\n甲县\t860\t7200\n乙县\t820\t6900\n\n"
            "注：表中为县城标准。")
    doc, blocks = _doc(text)
    table = next(c for c in Chunker()(doc, blocks) if c.kind == "table")
    assert table.heading is None  # the issuers' line heads nothing: the title says what the rows are of
    assert "测试报告" in table.context and table.index_text.endswith(table.text)
    doc, blocks = _doc(text.replace("某市民政局", "各县低保标准", 1))
    table = next(c for c in Chunker()(doc, blocks) if c.kind == "table")
    assert table.heading == "各县低保标准" and "测试报告" not in table.context


def test_a_table_under_joint_issuers_and_a_date_is_indexed_with_the_title():
    """Joint issuers on one line, then the date (某省民政厅　某省财政厅　2025年3月), are still only
    who issued it: the table's rows are read with the title (a province-wide table by city was out
    of the top 5 for its own cities' questions: holdout5, session 8)."""
    text = ("某省民政厅　某省财政厅　2025年3月\n\n各市标准如下。\n\n市\t基本生活标准（元/月）\n甲市\t1014\n乙市\t1053\n\n"
            "说明：表中为各市本级标准。")
    doc, blocks = _doc(text)
    table = next(c for c in Chunker()(doc, blocks) if c.kind == "table")
    assert "测试报告" in table.context
    doc, blocks = _doc(text.replace("某省民政厅　某省财政厅　2025年3月", "二、各市标准 2025年", 1))
    table = next(c for c in Chunker()(doc, blocks) if c.kind == "table")
    assert "测试报告" not in table.context


# -- lists: a guide's materials and steps, one short item a line ---------------------------------

_GUIDE = ("某县孤儿基本生活费申请办事指南\n\n一、申请材料\n\n1.申请书\n2.户口簿\n3.居民身份证\n4.父母死亡证明\n\n"
          "二、办理流程\n\n（1）提出申请\n（2）乡镇审核\n（3）县民政局审批\n\n三、办理时限\n\n"
          "县民政局自受理之日起20个工作日内作出决定。")


def test_a_line_opening_with_a_section_or_item_number_is_never_run_onto_the_line_before():
    cleaned, blocks = clean_with_blocks(_GUIDE)
    paragraphs = [cleaned[b.start:b.end] for b in blocks]
    assert "二、办理流程" in paragraphs and "三、办理时限" in paragraphs
    assert not any("证明二、" in p or "审批三、" in p or "材料1." in p for p in paragraphs)


def test_every_item_of_a_list_is_in_a_chunk_under_its_section():
    doc, blocks = _doc(_GUIDE)
    chunks = Chunker()(doc, blocks)
    for item in ("1.申请书", "2.户口簿", "4.父母死亡证明", "（1）提出申请", "（3）县民政局审批"):
        holder = next((c for c in chunks if item in c.text), None)
        assert holder is not None, item
        assert holder.heading in ("一、申请材料", "二、办理流程"), (item, holder.heading)


def test_short_items_ending_in_a_semicolon_are_text_not_headings():
    cleaned, blocks = clean_with_blocks("申请材料\n\n申请书；\n\n户口簿；\n\n监护人身份证明。")
    kinds = {item: next(b.kind for b in blocks if item in cleaned[b.start:b.end]) for item in ("申请书；", "户口簿；")}
    assert kinds == {"申请书；": "text", "户口簿；": "text"}


def test_numbered_headings_with_text_under_them_stay_headings():
    doc, blocks = _doc("工作方案\n\n1.基本原则\n\n坚持应保尽保，做到公平公正。\n\n2.工作目标\n\n年底前完成全部复核。")
    chunks = Chunker()(doc, blocks)
    assert [c.heading for c in chunks] == ["1.基本原则", "2.工作目标"]


@pytest.mark.parametrize("signature", ["某市民政局 某市财政局\n\n2025年2月18日", "某市民政局某市财政局二〇二五年二月十八日",
                                       "某市民政局\n\n2025年2月18日"])
def test_a_closing_signature_is_no_trailing_heading(signature):
    # a notice signed at its end (issuers, date): its sections keep their own headings, never the next one's
    doc, blocks = _doc("关于调整城乡低保标准的通知\n\n一、城市低保标准\n\n甲区由每人每月770元提高到800元；乙县由每人每月755元提高到785元。\n\n"
                       "二、农村低保标准\n\n甲区由每人每年5820元提高到6120元；乙县由每人每年5580元提高到5880元。\n\n" + signature)
    chunks = Chunker()(doc, blocks)
    assert next(c for c in chunks if "每人每月770元" in c.text).heading == "一、城市低保标准"
    assert next(c for c in chunks if "每人每年5820元" in c.text).heading == "二、农村低保标准"


def test_items_ending_in_a_semicolon_stay_one_paragraph_until_the_next_section():
    cleaned, blocks = clean_with_blocks("二、申请材料\n\n1.申请人居民身份证；\n2.户口簿；\n3.银行账户信息。\n\n"
                                        "（一）申请表；\n（二）证明材料。\n\n4.父母死亡证明；\n\n三、办理流程\n\n提出申请。")
    paragraphs = [cleaned[b.start:b.end] for b in blocks]
    assert "1.申请人居民身份证；2.户口簿；3.银行账户信息。" in paragraphs
    assert "（一）申请表；（二）证明材料。" in paragraphs
    assert "三、办理流程" in paragraphs

"""Fusion, document pooling, region boosts and passages with a deterministic fake embedder
(character-bigram hashing): real jieba, bm25s, FAISS and index store on a fake_index corpus, in
milliseconds."""
from __future__ import annotations

import pytest

from index import store
from index.builder import build_index
from index.fusion import region_signal, rrf, short_region
from index.hybrid import HybridSearcher, SearchHints, region_contains, region_matches


# -- pure functions ----------------------------------------------------------------------

def test_rrf_sums_reciprocal_ranks_with_weights():
    fused = rrf([[3, 1], [1, 2]], k=60)
    assert fused[1] == pytest.approx(1 / 62 + 1 / 61)
    assert fused[3] == pytest.approx(1 / 61) and fused[2] == pytest.approx(1 / 62)
    assert rrf([[5]], k=0, weights=[2.0]) == {5: 2.0}
    assert rrf([], k=60) == {}


@pytest.mark.parametrize("name, short", [("平遥县", "平遥"), ("晋中市", "晋中"), ("祁县", "祁县"),
                                         ("内蒙古自治区", "内蒙古"), ("广东省", "广东"), ("易", "易")])
def test_short_region(name, short):
    assert short_region(name) == short


def test_region_signal_prefers_the_documents_known_region():
    assert region_signal("焦作市", "孤儿标准", ("焦作市",), region_matches) == "region"
    assert region_signal("郑州市惠济区", "…", ("郑州市",), region_matches) == "region"
    # unknown region, but the chunk names the county (row of a city's table)
    assert region_signal(None, "平遥县\t730\t6600", ("晋中市平遥县", "晋中市"), region_matches) == "mention"
    assert region_signal(None, "平遥\t730", ("晋中市平遥县", "晋中市"), region_matches) == "mention"
    assert region_signal(None, "晋中市民政局", ("晋中市平遥县", "晋中市"), region_matches) is None
    # another known region that merely mentions the place
    assert region_signal("太原市", "山西全省…晋中…", ("晋中市",), region_matches) == "mention"
    # unknown region and the place never named: no lift
    assert region_signal(None, "低保标准为每人每月720元", ("晋中市",), region_matches) is None
    assert region_signal("焦作市", "孤儿标准", (), region_matches) is None


# -- the searcher on a fake_index index ----------------------------------------------------------

DOCS = {
    "a_notice.txt": "甲市关于提高城乡低保标准的通知\n\n甲市民政局\n\n全市城市低保标准提高到每人每月700元。\n\n"
                    "县（市、区）\t城市低保月标准（元）\n北山县\t720\n南河县\t690\n",
    "b_report.txt": "乙市民政工作总结\n\n乙市民政局\n\n全年发放低保资金三亿元，城市低保标准为每人每月650元。"
                    "养老床位达到一万张。孤儿基本生活费每人每月1500元。\n",
    "c_orphans.txt": "丙市孤儿保障情况\n\n丙市民政局\n\n散居孤儿基本生活费每人每月1300元。机构养育孤儿每人每月1800元。"
                     "事实无人抚养儿童参照散居孤儿标准。考入大学的孤儿给予助学金。在校期间发放生活补助。"
                     "各县区每月10日前发放到位。" + "孤儿保障资金由市县两级财政按比例分担，按月足额发放到儿童本人或监护人账户。" * 6
                     + "\n",
}


def _indexed(docs: dict[str, str], tmp_path_factory, embedder):
    """``docs`` (file name -> text) written, indexed with ``embedder`` and loaded."""
    src = tmp_path_factory.mktemp("docs")
    for name, text in docs.items():
        (src / name).write_text(text, encoding="utf-8")
    root = tmp_path_factory.mktemp("index")
    build_index([src], root, embedder)
    return store.load(root), embedder


@pytest.fixture(scope="module")
def fake_index(tmp_path_factory, fake_embedder):
    return _indexed(DOCS, tmp_path_factory, fake_embedder)


def test_document_level_lifts_the_document_the_question_is_about(fake_index):
    index, emb = fake_index
    plain = HybridSearcher(index, emb, doc_weight=0.0)
    pooled = HybridSearcher(index, emb, doc_weight=1.0)
    q = "丙市孤儿保障情况：机构养育孤儿每月多少？"
    assert pooled(q, k=1)[0].chunk.source == "c_orphans.txt"
    # the document score only adds: every chunk scores at least what it scored without it
    base = {h.chunk.id: h.score for h in plain(q, k=50)}
    assert all(h.score >= base[h.chunk.id] for h in pooled(q, k=50))


def test_mention_boost_only_where_the_chunk_names_the_place(fake_index):
    index, emb = fake_index
    s = HybridSearcher(index, emb, mention_boost=0.5)
    hits = s("北山县城市低保标准", SearchHints(regions=("甲市北山县", "甲市")), k=10)
    for h in hits:  # the city (甲市) is named for its county: only 北山 counts as a mention
        assert ("mention" in h.boosts) == ("北山" in h.chunk.index_text)
    assert "北山县" in hits[0].chunk.text


def test_passages_are_exact_slices_within_the_limit_and_do_not_repeat(fake_index):
    index, emb = fake_index
    limit = 450
    s = HybridSearcher(index, emb, passage_chars=limit, short_doc_chars=0, merge_chars=0, k=10)
    hits = s("孤儿基本生活费每月多少", k=10)
    assert hits
    for h in hits:
        doc = index.documents[h.chunk.source]["text"]
        assert doc[h.chunk.start:h.chunk.end] == h.chunk.text
        assert len(h.chunk.text) <= max(limit, max(len(c.text) for c in index.chunks))
    spans = [(h.chunk.source, h.chunk.start, h.chunk.end) for h in hits]
    for a in spans:  # no hit lies inside another one
        assert not any(b != a and a[0] == b[0] and b[1] <= a[1] and a[2] <= b[2] for b in spans)
    bare = HybridSearcher(index, emb, passage_chars=0, short_doc_chars=0, merge_chars=0, k=10)
    small = bare("孤儿基本生活费每月多少", k=10)
    assert max(len(h.chunk.text) for h in hits) > max(len(h.chunk.text) for h in small)


def test_bad_passage_chars_is_refused(fake_index):
    from ingest.errors import ConfigError

    index, emb = fake_index
    with pytest.raises(ConfigError, match="passage_chars"):
        HybridSearcher(index, emb, passage_chars=-1)


def test_unknown_query_words_fall_back_to_known_words_inside_them():
    from index.hybrid import in_vocabulary

    vocab = {"天", "公示", "办结", "3", "临时救助"}
    assert in_vocabulary(["临时救助", "天能", "公示"], vocab) == ["临时救助", "天", "公示"]
    assert in_vocabulary(["办完"], vocab) == []  # nothing known inside: dropped as before
    assert in_vocabulary(["x3y"], vocab) == []  # a lone ASCII character is not a word
    assert in_vocabulary([], vocab) == []


def test_an_unknown_english_word_is_not_read_as_its_letters():
    from index.hybrid import in_vocabulary

    vocab = {"ct", "iv", "ia", "mtc", "办理", "天"}
    # English words of a question the glossary left as they are: no two-letter piece of them counts
    assert in_vocabulary(["active", "duty", "marriage"], vocab) == []
    # a Latin word standing on its own inside a mixed token still does
    assert in_vocabulary(["办理mtc", "mtc天"], vocab) == ["办理", "mtc", "mtc", "天"]
    assert in_vocabulary(["xmtc"], vocab) == []


def test_a_short_document_is_one_passage(fake_index):
    index, emb = fake_index
    s = HybridSearcher(index, emb, short_doc_chars=200, k=10)
    hits = s("甲市北山县城市低保月标准", k=10)
    tables = {c.source for c in index.chunks if c.kind == "table"}
    assert "a_notice.txt" in tables
    for h in hits:
        text = index.documents[h.chunk.source]["text"]
        whole = (h.chunk.start, h.chunk.end) == (0, len(text)) and h.chunk.text == text
        if h.chunk.source in tables:  # a table is never swallowed into a whole-document passage
            assert not whole
            assert h.chunk.kind != "table" or h.chunk.text.startswith("县")
        elif len(text) <= 200:
            assert whole
    sources = [h.chunk.source for h in hits
               if len(index.documents[h.chunk.source]["text"]) <= 200 and h.chunk.source not in tables]
    assert len(sources) == len(set(sources))  # read whole once, not once per chunk


def test_touching_hits_of_one_document_share_one_place(fake_index):
    index, emb = fake_index
    q = "孤儿保障资金按月发放到儿童本人"
    # no widening: with it both chunks of c_orphans.txt are the whole document, read whole (below)
    apart = HybridSearcher(index, emb, passage_chars=0, short_doc_chars=0, merge_chars=0, k=5)(q, k=5)
    joined = HybridSearcher(index, emb, passage_chars=0, short_doc_chars=0, merge_chars=600, k=5)(q, k=5)
    orphans = [h.chunk for h in apart if h.chunk.source == "c_orphans.txt"]
    assert len(orphans) == 2 and orphans[0].start < orphans[1].end and orphans[1].start < orphans[0].end
    # the two overlapping chunks are one stretch of text: one place, at the better one's rank
    first = joined[0].chunk
    assert first.source == "c_orphans.txt" and [h.chunk.source for h in joined].count("c_orphans.txt") == 1
    doc = index.documents[first.source]["text"]
    assert doc[first.start:first.end] == first.text
    assert first.start == min(c.start for c in orphans) and first.end == max(c.end for c in orphans)
    # the answerer reads the same text: exactly the characters the separate passages held
    def held(hits):
        return {(h.chunk.source, i) for h in hits for i in range(h.chunk.start, h.chunk.end)}
    assert held(joined) == held(apart) and len(joined) < len(apart)
    # beyond merge_chars the stretch stays two places
    small = HybridSearcher(index, emb, passage_chars=0, short_doc_chars=0, merge_chars=200, k=5)(q, k=5)
    assert [h.chunk.source for h in small].count("c_orphans.txt") == 2


def test_a_document_of_the_province_holds_a_city_in_it():
    # the gazetteer's chain, which the labels do not spell out: 成都市 lies in 四川省
    assert region_contains("四川省", "成都市") and region_contains("山西省", "晋中市平遥县")
    # 全国 is no place; a city's document does not hold its province, nor another province's city
    assert not region_contains("全国", "成都市") and not region_contains(None, "成都市")
    assert not region_contains("成都市", "四川省") and not region_contains("河南省", "成都市")
    asked = ("成都市",)
    # the province's chunk that names the city counts as the city's document; its others do not
    assert region_signal("四川省", "成都市婚姻登记", asked, region_matches, region_contains) == "region"
    assert region_signal("四川省", "婚姻登记跨省通办", asked, region_matches, region_contains) is None
    # without the gazetteer's containment: a mention, as before
    assert region_signal("四川省", "成都市婚姻登记", asked, region_matches) == "mention"
    assert region_signal("河南省", "婚姻登记", asked, region_matches, region_contains) is None


def test_a_question_of_place_names_only_leaves_bm25_out(fake_index):
    index, emb = fake_index
    s = HybridSearcher(index, emb)
    assert s.bm25_ranking("甲市", ()) and s.bm25_ranking("甲市", (), ("甲市",)) == []
    # a topic word beside the place keeps BM25 in, the place's tokens with it
    assert s.bm25_ranking("甲市孤儿", (), ("甲市",)) == s.bm25_ranking("甲市孤儿", ())


def test_bm25_weighs_what_share_of_the_question_it_knows(fake_index):
    index, emb = fake_index
    s = HybridSearcher(index, emb)
    assert s.bm25_share("孤儿基本生活费每月多少") == 1.0  # a Chinese question: unchanged
    # an English question the glossary translated one word of: BM25 knows one token of three
    assert s.bm25_share("孤儿 allowance monthly") == pytest.approx(1 / 3)
    assert s.bm25_share("orphans allowance") == 0.0 and s.bm25_ranking("orphans allowance") == []
    # the weight is BM25's against the embedder: the word BM25 alone (no bigram field) ranks as it did
    q = "孤儿 allowance monthly"
    alone = HybridSearcher(index, emb, mode="bm25", doc_weight=0.0, bigram_weight=0.0)(q, k=5)
    assert alone and all(abs(1 / h.score - round(1 / h.score)) < 1e-6 and 61 <= 1 / h.score <= 100
                         for h in alone)  # 1 / (60 + rank), rank within the 40 candidates: weight 1


# a notice just above the short-document limit, cut into several chunks that all match
PIECES = {
    "d_notice.txt": "丁市临时救助办法\n\n丁市民政局\n\n"
                    + "".join(f"第{n}条　丁市临时救助对遭遇突发困难的家庭给予救助，{topic}，由乡镇受理后报县级民政部门审批。"
                              for n, topic in enumerate(("申请人持身份证明提出申请", "急难型救助可以先行救助后补手续",
                                                         "支出型救助按照困难程度分档给付", "救助金一般不超过当地月低保标准的三倍",
                                                         "对重复申请的家庭不予重复救助", "救助结果在村居公示七日"), 1))
                    + "\n",
    "e_report.txt": "戊市民政工作总结\n\n戊市民政局\n\n全年实施临时救助一千二百人次，支出救助资金三百万元。\n",
    "f_report.txt": "己市民政工作总结\n\n己市民政局\n\n全年城市低保标准提高到每人每月700元，临时救助八百人次。\n",
}


@pytest.fixture(scope="module")
def pieces_index(tmp_path_factory, fake_embedder):
    return _indexed(PIECES, tmp_path_factory, fake_embedder)


def test_a_document_whose_pieces_fill_the_places_is_read_whole_in_one(pieces_index):
    index, emb = pieces_index
    rows = [c for c in index.chunks if c.source == "d_notice.txt"]
    text = index.documents["d_notice.txt"]["text"]
    assert len(rows) >= 3 and len(text) > 300  # several pieces, above the short-document limit used here
    q = "丁市临时救助由乡镇受理后报县级民政部门审批"
    bare = HybridSearcher(index, emb, passage_chars=150, short_doc_chars=300, k=8)
    pieces = [h.chunk for h in bare(q, k=8)]
    # every piece of the notice is chosen: it is the notice whole, at its best piece's place
    first = pieces[0]
    assert (first.source, first.start, first.end, first.text) == ("d_notice.txt", 0, len(text), text)
    assert [c.source for c in pieces].count("d_notice.txt") == 1
    # the places its pieces held went to the other documents
    assert {"e_report.txt", "f_report.txt"} <= {c.source for c in pieces}
    # the best piece is a later one: the opening (headline, lede) keeps its own place, after the
    # rest of the notice, which is one passage at the best piece's place; together, the notice
    later = [h.chunk for h in bare("救助结果在村居公示七日", k=8)]
    notice = [c for c in later if c.source == "d_notice.txt"]
    opening = min(rows, key=lambda c: c.start)
    assert len(notice) == 2 and later[0] is notice[0] and notice[0].end == len(text)
    assert (notice[1].start, notice[1].end) == (opening.start, opening.end) and notice[0].start > opening.start
    assert notice[0].start <= opening.end and notice[0].text == text[notice[0].start:]
    # too few places to hold every piece: the pieces stay pieces
    few = [h.chunk for h in bare(q, k=2)]
    assert few[0].source == "d_notice.txt" and len(few[0].text) < len(text)
    # off where passages are off (no widening, no short documents): the bare chunks
    off = HybridSearcher(index, emb, passage_chars=0, short_doc_chars=0, k=8)(q, k=8)
    assert [h.chunk.source for h in off].count("d_notice.txt") == len(rows)

"""HybridSearcher's fusion and boosts, unit-tested: an in-memory index of a few chunks, the
deterministic fake embedder (conftest ``BigramEmbedder``) and a character-bigram tokenizer, so no
model, no jieba and no file is involved (milliseconds)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.fusion import rrf
from index.hybrid import HybridSearcher, SearchHints, build_bm25
from index.store import LoadedIndex
from index.tokenize import han_bigrams
from ingest.document import Chunk

RRF_K = 60
UNIT = 1.0 / (RRF_K + 1)  # the boosts are in units of a first rank's RRF share


def bigrams(text: str) -> list[str]:
    """A tokenizer without jieba: the text's character bigrams (spaces and punctuation dropped)."""
    chars = [c for c in text if c.isalnum()]
    return [a + b for a, b in zip(chars, chars[1:])]


def make_index(docs: list[tuple[str, str, str | None, int | None]], embedder) -> LoadedIndex:
    """One chunk per document (source, text, city, year), as the store would load it."""
    import faiss

    chunks = [Chunk(Chunk.make_id(src, 0, len(text), text), src, 0, len(text), text, None, "",
                    {"city": city, "year": year}) for src, text, city, year in docs]
    vectors = embedder.encode_passages([c.index_text for c in chunks]).astype(np.float32)
    dense = faiss.IndexFlatIP(embedder.dim)
    dense.add(vectors)
    documents = {src: {"text": text, "meta": {"city": city, "year": year}} for src, text, city, year in docs}
    manifest = {"embedder": {"id": embedder.id, "dim": embedder.dim}}
    return LoadedIndex(Path("."), Path("."), manifest, documents, chunks, dense,
                       build_bm25([bigrams(c.index_text) for c in chunks]))


def searcher(index, embedder, **options) -> HybridSearcher:
    options = {"doc_weight": 0.0, "passage_chars": 0, "short_doc_chars": 0, "rrf_k": RRF_K, **options}
    return HybridSearcher(index, embedder, tokenizer=bigrams, **options)


SAME = "农村低保标准提高到每人每年4524元"
DOCS = [("a.txt", SAME, "洛阳市", 2020), ("b.txt", SAME, "焦作市", 2021), ("c.txt", "新建养老床位1685张", "漯河市", 2021)]


@pytest.fixture()
def index(fake_embedder):
    return make_index(DOCS, fake_embedder)


def test_without_hints_no_chunk_is_boosted(index, fake_embedder):
    hits = searcher(index, fake_embedder)(SAME)
    assert {h.chunk.source for h in hits[:2]} == {"a.txt", "b.txt"} and hits[2].chunk.source == "c.txt"
    assert all(h.boosts == () for h in hits)


def test_region_boost_lifts_the_documents_region_by_its_weight(index, fake_embedder):
    plain = {h.chunk.source: h.score for h in searcher(index, fake_embedder)(SAME)}
    hits = searcher(index, fake_embedder, region_boost=1.0)(SAME, SearchHints(regions=("焦作市",)))
    assert hits[0].chunk.source == "b.txt" and hits[0].boosts == ("region",)
    assert hits[0].score - plain["b.txt"] == pytest.approx(1.0 * UNIT)
    assert {h.chunk.source: h.score for h in hits}["a.txt"] == pytest.approx(plain["a.txt"])


def test_year_boost_is_its_weight_and_only_for_the_asked_year(index, fake_embedder):
    plain = {h.chunk.source: h.score for h in searcher(index, fake_embedder)(SAME)}
    hits = searcher(index, fake_embedder, year_boost=0.3)(SAME, SearchHints(years=(2021,)))
    by = {h.chunk.source: h for h in hits}
    assert hits[0].chunk.source == "b.txt" and by["b.txt"].boosts == ("year",)
    assert by["b.txt"].score - plain["b.txt"] == pytest.approx(0.3 * UNIT)
    assert by["a.txt"].boosts == () and by["a.txt"].score == pytest.approx(plain["a.txt"])


def test_mention_boost_only_where_the_chunk_names_the_place(fake_embedder):
    docs = [("a.txt", "孟州市农村低保标准提高到每年4524元", None, None),
            ("b.txt", "某地农村低保标准提高到每年4524元", None, None)]
    index = make_index(docs, fake_embedder)
    hits = searcher(index, fake_embedder, mention_boost=0.5)("农村低保标准", SearchHints(regions=("孟州市",)))
    by = {h.chunk.source: h for h in hits}
    assert by["a.txt"].boosts == ("mention",) and by["b.txt"].boosts == ()
    off = {h.chunk.source: h for h in searcher(index, fake_embedder, mention_boost=0.0)(
        "农村低保标准", SearchHints(regions=("孟州市",)))}
    assert by["a.txt"].score - off["a.txt"].score == pytest.approx(0.5 * UNIT)


def test_the_fused_score_is_the_rrf_of_both_rankings(index, fake_embedder):
    s = searcher(index, fake_embedder)
    bm = [i for i, _ in s.bm25_ranking("养老床位")]
    de = [i for i, _ in s.dense_ranking("养老床位")]
    fused = rrf([bm, de], RRF_K)
    hits = s("养老床位")
    assert hits[0].chunk.source == "c.txt" and bm[0] == de[0] == 2
    assert {h.chunk.source: h.score for h in hits} == pytest.approx(
        {index.chunks[i].source: v for i, v in fused.items()})


def test_bm25_mode_ranks_by_words_alone(index, fake_embedder):
    hits = searcher(index, fake_embedder, mode="bm25")("养老床位")
    assert [h.chunk.source for h in hits] == ["c.txt"]  # the others share no bigram with the question
    assert hits[0].dense_rank is None and hits[0].bm25_rank == 0


def test_the_fake_embedder_is_deterministic_and_normalised(fake_embedder):
    a = fake_embedder.encode_query(SAME)
    assert np.allclose(a, fake_embedder.encode_passages([SAME])[0])
    assert np.linalg.norm(a) == pytest.approx(1.0)
    assert float(a @ fake_embedder.encode_query("新建养老床位")) < 0.5


# a benefit's synonyms re-say its words: the words asked besides it must keep their weight
BENEFIT_DOCS = [("table.txt", "甲省 各市 特困 标准 乙市 1053 丙市 988", "甲省", 2025),
                *((f"banfa{n}.txt", "特困 供养 救助供养 特困 供养 标准 供养 特困 救助供养", None, 2024) for n in range(3))]


def test_a_synonym_adds_only_the_words_the_question_does_not_have(fake_embedder):
    index = make_index(BENEFIT_DOCS, fake_embedder)
    index.bm25 = build_bm25([c.index_text.split() for c in index.chunks])  # words, as the tokenizer below
    s = HybridSearcher(index, fake_embedder, mode="bm25", tokenizer=str.split, passage_chars=0, short_doc_chars=0)
    synonyms = ("特困 供养", "特困 救助供养", "救助供养 特困 供养")
    assert s._query_tokens("甲省 特困 标准", synonyms, s._vocab) == ["甲省", "特困", "标准", "供养", "救助供养"]
    assert s("甲省 特困 标准", SearchHints(extra_terms=synonyms))[0].chunk.source == "table.txt"


def test_a_question_cut_otherwise_than_the_text_is_found_by_its_characters(fake_embedder):
    """The word field misses words the question cuts otherwise (边缘户 against 低保边缘家庭, 救助
    against 临时救助); the Han-bigram field (index.tokenize.han_bigrams) finds the chunk sharing
    their characters."""
    docs = [("a.txt", "低保边缘家庭 可以 申请 临时救助", None, None), ("b.txt", "低保 标准 提高 到 每月 800元", None, None)]
    index = make_index(docs, fake_embedder)
    index.bm25 = build_bm25([c.index_text.split() for c in index.chunks])
    index.bm25_bigrams = build_bm25([han_bigrams(c.index_text) for c in index.chunks])
    s = HybridSearcher(index, fake_embedder, mode="bm25", tokenizer=str.split, passage_chars=0, short_doc_chars=0)
    words_only = HybridSearcher(index, fake_embedder, mode="bm25", tokenizer=str.split, bigram_weight=0.0,
                                passage_chars=0, short_doc_chars=0)
    assert words_only("边缘户 救助") == []
    assert [h.chunk.source for h in s("边缘户 救助")] == ["a.txt"]


def _province_table() -> str:
    rows = [f"{name}\t{700 + 10 * n}\t{910 + 13 * n}\t{660 + 10 * n}\t{858 + 13 * n}"
            for n, name in enumerate(("海口市", "三亚市", "儋州市", "五指山市", "琼海市", "文昌市", "万宁市", "东方市",
                                      "定安县", "屯昌县", "澄迈县", "临高县"))]
    return "市县\t城市低保标准\t城市特困人员基本生活标准\t农村低保标准\t农村特困人员基本生活标准\n" + "\n".join(rows)


def test_a_wider_documents_row_naming_the_county_asked_reaches_the_fusion(fake_embedder):
    # a province's long table holds the county asked in one row: the question's other words rank
    # short chunks of other places above it, and only the place ranking brings it in
    others = [(f"o{n}.txt", f"{city}农村低保标准每人每月提高到{600 + n}元，城市低保标准每人每月提高到{700 + n}元", city, 2026)
              for n, city in enumerate(("岳阳市", "锦州市", "宜春市", "乾安县", "玉溪市", "南宁市", "柳州市", "兰州市"))]
    docs = [("prov.html", _province_table(), "海南省", 2026), *others,
            ("note.txt", "海南省要求各市县如五指山市按时补发特困人员基本生活费差额", "海南省", 2026),
            ("news.txt", "玉溪市代表团赴五指山市考察农村低保工作", "玉溪市", 2026)]
    index = make_index(docs, fake_embedder)
    s = searcher(index, fake_embedder, k=3)
    hints = SearchHints(regions=("海南省五指山市", "海南省"))
    placed = [index.chunks[i].source for i, _ in s.place_ranking(hints.regions)]
    # not the province's note naming it in passing, not another city's news naming it
    assert placed == ["prov.html"]
    q = "五指山市农村低保标准是每人每月多少元"
    share = s.bm25_share(q)
    rankings = [[i for i, _ in r] for r in (s.bm25_ranking(q, (), hints.regions), s.dense_ranking(q),
                                            s.bigram_ranking(q, hints.regions), s.place_ranking(hints.regions))]
    fused = rrf(rankings, RRF_K, (share, 1.0, share * 0.5, share))
    table = next(h for h in searcher(index, fake_embedder, k=20)(q, hints) if h.chunk.source == "prov.html")
    assert table.score == pytest.approx(fused[0] + UNIT)  # + the region boost (no year asked)
    assert s.place_ranking(("玉溪市",)) == []  # no wider document names it

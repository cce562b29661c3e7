"""Hybrid retrieval on the real seed index, the jieba tokenizer and the LangChain retriever."""
from __future__ import annotations

import pytest
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from ingest.errors import ConfigError
from index import store
from index.hybrid import MODES, HybridSearcher, SearchHints, build_bm25, region_matches
from index.retriever import HybridRetriever
from index.tokenize import Tokenizer
from ingest.text import normalize

DIBAO_Q = "焦作市农村最低生活保障年标准是多少？"
ORPHAN_Q = "孤儿基本生活费标准是多少？"


@pytest.fixture(scope="module")
def index(seed_index_dir):
    return store.load(seed_index_dir)


@pytest.fixture(scope="module")
def searchers(index, embedder) -> dict[str, HybridSearcher]:
    return {mode: HybridSearcher(index, embedder, mode=mode) for mode in MODES}


# -- the tokenizer ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def tok() -> Tokenizer:
    return Tokenizer()


def test_tokenizer_keeps_numbers_and_units(tok):
    tokens = tok("农村最低生活保障年标准提高到4524元")
    assert "4524" in tokens and "元" in tokens
    assert {"农村", "最低生活保障", "标准"} <= set(tokens)
    # search mode also yields the parts of a compound
    assert {"最低", "生活", "保障"} <= set(tokens)


def test_tokenizer_drops_stopwords_and_punctuation(tok):
    tokens = tok("低保标准是多少的？请问，怎么申请！")
    assert "的" not in tokens and "是" not in tokens and "多少" not in tokens and "请问" not in tokens
    assert not any(t in "？，！" for t in tokens)
    assert "低保" in tokens and "申请" in tokens


def test_tokenizer_folds_traditional_and_full_width(tok):
    assert normalize("農村") == "农村"
    assert normalize("４５２４") == "4524"
    assert normalize("　ＡＢＣ  低保　") == "abc 低保"
    assert tok("農村最低生活保障") == tok("农村最低生活保障")
    assert tok("４５２４元") == ["4524", "元"]


def test_tokenizer_knows_the_domain_words(tok):
    assert "火化率" in tok("温县火化率")
    assert "温县" in tok("温县火化率")


def test_empty_token_lists_keep_bm25_ids_aligned():
    bm25 = build_bm25([["低保"], [], ["孤儿", "低保"]])
    docs, scores = bm25.retrieve([["孤儿"]], k=3, show_progress=False, n_threads=1)
    assert int(docs[0][0]) == 2 and float(scores[0][0]) > 0


# -- the searcher on the seeds --------------------------------------------------------------

def test_dibao_question_top_hit_is_jiaozuo_4524_in_hybrid(searchers):
    top = searchers["hybrid"](DIBAO_Q, k=1)
    assert len(top) == 1
    assert top[0].chunk.source.startswith("002_") and "4524" in top[0].chunk.text
    assert top[0].bm25_rank is not None and top[0].dense_rank is not None


@pytest.mark.parametrize("mode", MODES)
def test_dibao_question_finds_4524_in_top3_in_every_mode(searchers, mode):
    hits = searchers[mode](DIBAO_Q, k=3)
    assert len(hits) == 3
    assert any(h.chunk.source.startswith("002_") and "4524" in h.chunk.text for h in hits)
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    if mode == "bm25":
        assert all(h.dense_rank is None and h.bm25_rank is not None for h in hits)
    if mode == "dense":
        assert all(h.bm25_rank is None and h.dense_rank is not None for h in hits)


def test_region_hint_boosts_the_named_city(searchers):
    s = searchers["hybrid"]
    luoyang = s(ORPHAN_Q, SearchHints(regions=("洛阳市",)), k=5)
    assert luoyang[0].chunk.source.startswith("000_") and "孤儿" in luoyang[0].chunk.text
    assert "region" in luoyang[0].boosts
    assert all(("region" in h.boosts) == (h.chunk.meta["city"] == "洛阳市") for h in luoyang)
    # the same question about 焦作市 is answered from a 焦作 report: the hint really moves results
    jiaozuo = s(ORPHAN_Q, SearchHints(regions=("焦作市",)), k=5)
    assert jiaozuo[0].chunk.meta["city"] == "焦作市" and "region" in jiaozuo[0].boosts
    plain = s(ORPHAN_Q, k=5)
    assert [h.chunk.id for h in plain] != [h.chunk.id for h in jiaozuo]
    assert all(not h.boosts for h in plain)


def test_city_hint_matches_its_district(searchers):
    hits = searchers["hybrid"](ORPHAN_Q, SearchHints(regions=("郑州市",)), k=3)
    assert hits[0].chunk.meta["city"] == "郑州市惠济区" and hits[0].boosts == ("region",)


def test_year_hint_boosts_that_year(searchers):
    hits = searchers["bm25"]("孤儿", SearchHints(years=(2016,)), k=3)
    assert hits[0].chunk.meta["year"] == 2016 and "year" in hits[0].boosts
    assert all(("year" in h.boosts) == (h.chunk.meta["year"] == 2016) for h in hits)


@pytest.mark.parametrize("mode", MODES)
def test_table_question_retrieves_the_table_chunk(searchers, mode):
    hits = searchers[mode]("温县火化率", k=3)
    assert hits[0].chunk.kind == "table"
    assert "温县" in hits[0].chunk.text and "2021年" in hits[0].chunk.text


def test_extra_terms_reach_bm25(searchers):
    plain = searchers["bm25"].bm25_ranking("标准")
    extra = searchers["bm25"].bm25_ranking("标准", ("火化率",))
    assert plain and extra and plain != extra


def test_a_question_is_tokenised_once_per_search(index, embedder):
    seen: list[str] = []

    class Counting(Tokenizer):
        def __call__(self, text: str) -> list[str]:
            seen.append(text)
            return super().__call__(text)

    searcher = HybridSearcher(index, embedder, tokenizer=Counting())
    hints = SearchHints(regions=("焦作市",), extra_terms=("最低生活保障", "低保"))
    first = searcher(DIBAO_Q, hints)  # chunk ranking and document level share the tokens
    # the place asked, by its full and short name, for the place ranking: once too
    assert sorted(seen) == sorted([DIBAO_Q, "最低生活保障", "低保", "焦作市", "焦作"])
    assert [h.chunk.id for h in searcher(DIBAO_Q, hints)] == [h.chunk.id for h in first]
    assert len(seen) == 5  # the same question again: its tokens are kept
    searcher(DIBAO_Q, SearchHints(extra_terms=("低保",)))  # other terms: tokenised again
    assert len(seen) == 7


def test_question_with_no_known_word_returns_no_bm25_hits(searchers):
    assert searchers["bm25"]("的是吗？") == []
    assert searchers["bm25"]("qwertyuiop") == []
    assert len(searchers["dense"]("qwertyuiop", k=2)) == 2  # dense always answers


def test_k_limits_the_hits(searchers):
    assert len(searchers["hybrid"](DIBAO_Q, k=2)) == 2
    assert len(searchers["hybrid"](DIBAO_Q)) == 8  # the searcher's default k
    many = searchers["hybrid"](DIBAO_Q, k=500)
    assert len(many) == len({h.chunk.id for h in many}) <= 80  # two rankers of 40 candidates


@pytest.mark.parametrize("mode", ["Hybrid", "bm", "sparse", ""])
def test_invalid_mode_is_a_config_error_listing_modes(index, embedder, mode):
    with pytest.raises(ConfigError) as info:
        HybridSearcher(index, embedder, mode=mode)
    msg = str(info.value)
    assert repr(mode) in msg
    assert "'hybrid'" in msg and "'bm25'" in msg and "'dense'" in msg


@pytest.mark.parametrize("k", [0, -1, -100])
def test_k_below_one_is_a_config_error(index, embedder, k):
    with pytest.raises(ConfigError) as info:
        HybridSearcher(index, embedder, k=k)
    assert str(k) in str(info.value)


@pytest.mark.parametrize("k", [0, -1])
def test_k_below_one_at_call_time_is_a_config_error(searchers, k):
    with pytest.raises(ConfigError):
        searchers["hybrid"](DIBAO_Q, k=k)


def test_region_matches():
    assert region_matches("郑州市惠济区", "郑州市")
    assert region_matches("郑州市", "郑州市惠济区")
    assert region_matches("焦作市", "焦作市")
    assert not region_matches("焦作市", "洛阳市")
    assert not region_matches(None, "焦作市")


# -- the LangChain retriever -------------------------------------------------------------------

def test_hybrid_retriever_is_a_langchain_retriever(searchers, index):
    retriever = HybridRetriever(searcher=searchers["hybrid"], k=3)
    assert isinstance(retriever, BaseRetriever)
    docs = retriever.invoke(DIBAO_Q)
    assert len(docs) == 3 and all(isinstance(d, Document) for d in docs)
    top = docs[0]
    assert top.metadata["source"].startswith("002_") and "4524" in top.page_content
    for d in docs:
        md = d.metadata
        assert {"source", "start", "end", "city", "year", "chunk", "score", "heading"} <= set(md)
        assert index.documents[md["source"]]["text"][md["start"]:md["end"]] == d.page_content
        assert md["chunk"]["id"] == d.id and md["chunk"]["text"] == d.page_content
        assert md["city"] == index.documents[md["source"]]["meta"]["city"]
        assert isinstance(md["year"], int)
    assert top.metadata["city"] == "焦作市" and top.metadata["year"] == 2021


def test_hybrid_retriever_uses_its_analyzer(searchers):
    seen = []

    def analyzer(q: str) -> SearchHints:
        seen.append(q)
        return SearchHints(regions=("洛阳市",))

    docs = HybridRetriever(searcher=searchers["hybrid"], analyzer=analyzer, k=2).invoke(ORPHAN_Q)
    assert seen == [ORPHAN_Q]
    assert docs[0].metadata["city"] == "洛阳市" and docs[0].metadata["boosts"] == ["region"]


def test_hybrid_retriever_batch(searchers):
    out = HybridRetriever(searcher=searchers["bm25"], k=1).batch(["温县火化率", DIBAO_Q])
    assert out[0][0].metadata["chunk"]["kind"] == "table"
    assert "4524" in out[1][0].page_content

"""The corpus stage of the answerer (assistant/answer/corpus.py): document frequencies exact on
small collections and bounded above them, the region index equal to a loop over every document."""
from __future__ import annotations

from assistant.answer.corpus import Corpus
from assistant.query import synonyms
from index.tokenize import Tokenizer
from ingest.document import Chunk
from ingest.places import ANCESTOR, DESCENDANT, SAME, lookup, relation

TEXTS = {
    "a.txt": ("焦作市", 2021, "焦作市农村低保标准提高到每人每年4524元。城市特困人员供养标准为每人每月780元。"),
    "b.txt": ("武陟县", 2022, "武陟县为困难群众发放临时救助金，共救助300人次。"),
    "c.txt": ("河南省", 2020, "河南省全省城乡低保平均标准继续提高。"),
    "d.txt": ("洛阳市", 2021, "洛阳市孤儿基本生活费每人每月1500元。"),
    "e.txt": (None, None, "某地敬老院开展消防演练。"),
}


def _documents() -> dict[str, dict]:
    return {s: {"text": t, "meta": {"city": c, "year": y, "title": t[:6]}} for s, (c, y, t) in TEXTS.items()}


def _chunks(documents: dict[str, dict], copies: int = 1) -> list[Chunk]:
    out = []
    for n in range(copies):
        for s, d in documents.items():
            text = d["text"]
            out.append(Chunk(Chunk.make_id(s, n, n + len(text), text), s, 0, len(text), text, None, "", d["meta"]))
    return out


def test_df_is_exact_on_a_small_collection():
    docs = _documents()
    chunks = _chunks(docs)
    corpus = Corpus(docs, chunks, forms=synonyms)
    assert corpus.exact
    for term in ("低保", "标准", "孤儿", "救助", "天气"):
        forms = synonyms(term)
        assert corpus.df(term) == sum(1 for c in chunks if any(f in c.text for f in forms))
    assert corpus.known("孤儿") and not corpus.known("护照")


def test_df_above_the_sample_is_counted_on_a_bounded_sample_and_never_below_the_token_postings():
    docs = _documents()
    chunks = _chunks(docs, copies=200)  # 1,000 chunks, counted on 250
    tokenizer = Tokenizer()
    postings: dict[str, int] = {}
    for c in chunks:
        for t in set(tokenizer(c.text)):
            postings[t] = postings.get(t, 0) + 1
    corpus = Corpus(docs, chunks, token_df=lambda t: postings.get(t, 0), sample=250, forms=synonyms)
    assert not corpus.exact and corpus.sampled == 250
    for term in ("低保", "孤儿", "救助", "消防演练"):
        forms = synonyms(term)
        true = sum(1 for c in chunks if any(f in c.text for f in forms))
        assert abs(corpus.df(term) - true) <= 0.35 * true, term  # a 1-in-4 sample's estimate
        assert corpus.df(term) >= postings.get(term, 0)
    assert not corpus.known("护照")
    # a token the sample misses still counts what the BM25 postings say
    sparse = chunks[:1] + [c for c in chunks if c.source != "a.txt"]
    corpus = Corpus(docs, sparse, token_df=lambda t: 1 if t == "焦作" else 0, sample=20, forms=synonyms)
    assert corpus.df("焦作") >= 1 and corpus.known("焦作")


def test_region_index_equals_the_loop_over_every_document():
    docs = _documents()
    corpus = Corpus(docs, _chunks(docs))
    for name in ("焦作市", "武陟县", "河南省", "洛阳市", "郑州市", "北京市"):
        place = lookup(name)
        loop = {s for s, d in docs.items() if relation(place, d["meta"].get("city")) in (SAME, ANCESTOR, DESCENDANT)}
        regions = corpus.regions_for(place)
        assert {s for s in docs if corpus.city_of(s) in regions} == loop, name
    assert corpus.years_covered(None) == ["2020", "2021", "2022", "年份未知"]
    assert "焦作市（2021）" in corpus.coverage_note and "未知地区（年份未知）" in corpus.coverage_note


def test_region_index_by_chain_equals_relation_over_every_region():
    """Many regions of the gazetteer (every level, two provinces), 全国 and a name the gazetteer
    does not know: for places asked at every level, the regions filed by chain are exactly those
    :func:`relation` accepts on a pass over every region."""
    from ingest.places import places

    chosen = [p for p in places() if p.province in ("河南省", "北京市")][::4]
    labels = [p.region for p in chosen] + ["全国", "某某地区", "郑州市惠济区", "武陟县"]
    docs = {f"{i}.txt": {"text": "低保", "meta": {"city": c, "year": 2020}} for i, c in enumerate(labels)}
    corpus = Corpus(docs, [])
    asked = chosen[::3] + [lookup(n) for n in ("河南省", "焦作市", "武陟县", "郑州市", "上海市", "朝阳区")]
    assert len(asked) > 12 and any(p.level == "county" for p in asked) and any(p.level == "province" for p in asked)
    for place in asked:
        loop = frozenset(c for c in corpus.cities if relation(place, c) in (SAME, ANCESTOR, DESCENDANT))
        assert corpus.regions_for(place) == loop, place.region
        assert "全国" in loop  # a national document is about every place


def test_coverage_note_is_bounded():
    docs = {f"{i}.txt": {"text": "低保", "meta": {"city": f"地区{i}", "year": 2020}} for i in range(100)}
    note = Corpus(docs, []).coverage_note
    assert note.endswith("等100个地区") and note.count("（2020）") == 40


def test_document_frequency_of_a_token_is_its_postings_on_a_real_index(answer_docs_assistant):
    index = answer_docs_assistant.index
    tokenizer = Tokenizer()
    tokens = [set(tokenizer(c.index_text)) for c in index.chunks]
    for token in ("低保", "标准", "孤儿", "申请"):
        assert index.document_frequency(token) == sum(token in t for t in tokens), token
    assert index.document_frequency("护照") == 0
    # the answerer's corpus stage of this index: exact counts, as the loop over every chunk gave
    corpus = answer_docs_assistant.answerer.corpus
    assert corpus.exact and corpus.df("低保") == sum(any(f in c.text for f in synonyms("低保")) for c in index.chunks)


def test_the_example_place_is_the_region_most_documents_are_about():
    docs = _documents()
    docs["f.txt"] = {"text": "洛阳市高龄津贴按月发放。", "meta": {"city": "洛阳市", "year": 2022, "title": "洛阳"}}
    assert Corpus(docs, _chunks(docs), forms=synonyms).example_place == "洛阳市"
    assert Corpus(_documents(), _chunks(_documents()), forms=synonyms).example_place == "焦作市"  # tie: first seen
    none = {"e.txt": _documents()["e.txt"]}
    assert Corpus(none, _chunks(none), forms=synonyms).example_place is None


def test_count_by_first_character_equals_one_alternation_over_the_sample():
    """Forms are searched one group per first character (低保 and 最低生活保障 apart): the count,
    exact or past ``ENOUGH`` chunks of a sample, is the one a single alternation gives, which
    reads the sample in order and stops at the ENOUGH-th chunk holding any form."""
    import bisect
    import random
    import re

    from assistant.answer import corpus as corpus_mod

    rng = random.Random(4)
    words = ["低保", "最低生活保障", "特困", "特困人员", "MTC", "mtc", "Mtc", "救助", "标准", "孤儿"]
    texts = ["".join(rng.choice(words + ["的", "市", "年", "元"] * 6) for _ in range(rng.randint(1, 8)))
             for _ in range(900)]
    docs = {f"{i}.txt": {"text": t, "meta": {}} for i, t in enumerate(texts)}
    chunks = [Chunk(Chunk.make_id(s, 0, len(d["text"]), d["text"]), s, 0, len(d["text"]), d["text"], None, "", {})
              for s, d in docs.items()]

    def reference(corpus, forms, enough):
        flags = re.IGNORECASE if any(f.isascii() for f in forms) else 0
        pattern = re.compile("|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)), flags)
        starts, hits, pos, read = corpus._starts, 0, 0, len(corpus._starts)
        while (m := pattern.search(corpus._joined, pos)) is not None:
            i = bisect.bisect_right(starts, m.start()) - 1
            hits += 1
            if i + 1 >= len(starts):
                break
            if not corpus.exact and hits >= enough:
                read = i + 1
                break
            pos = starts[i + 1]
        return hits if corpus.exact else round(hits * corpus.n / read)

    cases = [["低保", "最低生活保障"], ["特困", "特困人员", "孤儿"], ["mtc", "救助"], ["Mtc"], ["标准"], ["护照", "孤儿"]]
    odd = dict(docs, **{"odd.txt": {"text": "ſtate and MTC", "meta": {}}})  # ſ: searched with IGNORECASE
    odd_chunks = chunks + [Chunk(Chunk.make_id("odd.txt", 0, 13, "ſtate and MTC"), "odd.txt", 0, 13,
                                 "ſtate and MTC", None, "", {})]
    for (documents, cs), sample, enough in [((d, c), s, e) for d, c in ((docs, chunks), (odd, odd_chunks))
                                            for s, e in ((5_000, 40), (300, 40), (300, 10_000))]:
        corpus = Corpus(documents, cs, sample=sample)
        assert (corpus._lowered is None) == ("ſ" in corpus._joined)
        assert corpus._lowered is not None or documents is odd
        corpus_mod.ENOUGH, saved = enough, corpus_mod.ENOUGH
        try:
            for forms in cases:
                assert corpus._count(forms) == reference(corpus, forms, enough), (sample, enough, forms)
        finally:
            corpus_mod.ENOUGH = saved


def test_case_exceptions_are_the_only_characters_lower_does_not_match_as_ignorecase():
    """An ASCII word is found in the lower-cased sample exactly where re.IGNORECASE finds it in
    the sample, unless the sample holds one of ``CASE_EXCEPTIONS``: checked over all of Unicode."""
    import re
    import string
    import sys

    from assistant.answer.corpus import CASE_EXCEPTIONS

    chars = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
    assert [c for c in chars if len(c.lower()) != 1] == ["\u0130"]
    everything = "".join(c for c in chars if c not in CASE_EXCEPTIONS)
    lowered = everything.lower()
    for a in string.ascii_letters + string.digits + "-_ .":
        ignorecase = [m.start() for m in re.finditer(re.escape(a), everything, re.IGNORECASE)]
        assert ignorecase == [m.start() for m in re.finditer(re.escape(a.lower()), lowered)], a
    for c in CASE_EXCEPTIONS[1:]:  # ı and ſ: IGNORECASE matches an ASCII letter their lower case is not
        assert any(re.fullmatch(a, c, re.IGNORECASE) and c.lower() != a.lower() for a in string.ascii_letters)

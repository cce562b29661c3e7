"""The scope stage (assistant/answer/scope.py) on documents written for these tests: which words
keep a question out of scope."""
from __future__ import annotations

from assistant.extractive import ExtractiveAnswerer
from assistant.query import analyze
from ingest.document import Chunk


def test_an_off_topic_word_the_first_documents_headline_names_is_its_topic():
    # vocabulary off_topic (快递, 天气) is refused while the reports merely mention it; a document
    # whose headline names it is about it, and a question about that document is answered
    texts = {"post": "某省邮政管理局启动邮政快递业复工复产工作 2月21日，某省邮政管理局下发通知，"
                     "要求快递企业为延期复工的网点办理备案，免收相关费用。",
             "report": "某市民政工作总结。受降雨天气影响，全市救助受灾群众1200人，发放救助资金86万元。"}
    docs = {k: {"text": t, "meta": {"city": None, "year": 2020, "title": "资料"}} for k, t in texts.items()}
    chunks = {k: Chunk(Chunk.make_id(k, 0, len(t), t), k, 0, len(t), t, None, "", docs[k]["meta"])
              for k, t in texts.items()}
    ex = ExtractiveAnswerer(docs, list(chunks.values()))
    q = analyze("邮政管理局对延期复工的快递企业提供了哪些便利？")
    a = ex(q, [chunks["post"], chunks["report"]])
    assert a.answerable and "免收相关费用" in a.answer and a.citations[0].source == "post", a.answer
    # the same word, when the first document only mentions it in its body, stays off topic
    w = ex(analyze("明天天气怎么样？"), [chunks["report"], chunks["post"]])
    assert not w.answerable and "天气" in w.answer and not w.citations, w.answer

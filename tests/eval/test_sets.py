"""Evaluation sets, ROUGE-L, confidently-wrong scoring and the side-by-side report — on
hand-made answers and a tiny NCPPolicies-shaped directory (no model)."""
from __future__ import annotations

import json

import pytest

from assistant.types import Answer, Citation
from eval import corpora
from eval.configs import parse_config, parse_configs
from eval.dataset import Question, QuestionSet
from eval.metrics import aggregate, gold_rank, lcs_length, rouge_l, score
from eval.report import markdown_sets, sets_table, write_sets
from eval.runner import EvalRun, result_row
from eval.sets import SET_NAMES, load_ncp_questions, load_set, parse_sets
from ingest.document import Chunk
from ingest.errors import ConfigError, InputError

NCP_Q = Question("ncp-1", "平台的访问路径是什么？", True, (), "ncp", ("d1.txt",), (), None, 1, "dev",
                 "打开浙里办APP首页→新型肺炎公共服务与管理平台")


def _cit(source: str, text: str) -> Citation:
    return Citation(1, source, "t", None, None, text, 0, len(text))


def test_lcs_and_rouge_l():
    assert lcs_length("abcde", "ace") == 3 and lcs_length("", "abc") == 0
    assert rouge_l("打开 浙里办", "请打开浙里办APP")[0] == pytest.approx(1.0)  # spaces ignored
    recall, f1 = rouge_l("甲乙丙丁", "甲乙")
    assert recall == pytest.approx(0.5) and 0 < f1 < 1
    assert rouge_l("甲乙", "") == (0.0, 0.0)


def test_reference_questions_need_doc_hit_and_recall():
    good = Answer(NCP_Q.question, "路径：打开浙里办APP首页→新型肺炎公共服务与管理平台[1]", True,
                  [_cit("d1.txt", "…")])
    s = score(NCP_Q, good)
    assert s.correct and s.doc_hit and s.rouge_recall >= 0.99 and not s.confidently_wrong
    wrong_doc = Answer(NCP_Q.question, good.answer, True, [_cit("d2.txt", "…")])
    s = score(NCP_Q, wrong_doc)
    assert not s.correct and s.doc_hit is False and s.confidently_wrong
    short = Answer(NCP_Q.question, "打开浙里办[1]", True, [_cit("d1.txt", "…")])
    s = score(NCP_Q, short)
    assert s.doc_hit and s.rouge_recall < 0.7 and not s.correct
    refused = score(NCP_Q, Answer(NCP_Q.question, "资料中没有。", False, []))
    assert refused.refused and not refused.confidently_wrong and refused.rouge_recall == 0.0


def test_without_gold_spans_the_gold_document_is_the_hit():
    c = lambda src: Chunk("x" + src, src, 0, 1, "x", None, "")  # noqa: E731
    assert gold_rank(NCP_Q, [c("d2.txt"), c("d1.txt")]) == 2
    assert gold_rank(NCP_Q, [c("d2.txt")]) is None


def test_confidently_wrong_is_counted_apart_from_refusals():
    q = Question("q", "甲县低保标准？", True, ("720",), "table", ("a.txt",), ("甲县\t720",))
    u = Question("u", "乙县低保标准？", False, (), "near_miss")
    cfg = parse_config("hybrid")
    rows = [result_row(cfg, q, Answer(q.question, "690元[1]", True, [_cit("a.txt", "x")]), 1.0, None),
            result_row(cfg, q, Answer(q.question, "资料中没有", False, []), 1.0, None),
            result_row(cfg, u, Answer(u.question, "720元[1]", True, [_cit("a.txt", "x")]), 1.0, None),
            result_row(cfg, q, Answer(q.question, "720元[1]", True, [_cit("a.txt", "x")]), 1.0, None)]
    m = aggregate(rows)
    assert m["confidently_wrong"] == 2 and m["wrongly_refused"] == 1 and m["correct"] == 1
    assert m["doc_hit"] == pytest.approx(2 / 3)


def test_ncp_questions_and_documents_are_read_from_the_benchmark_dir(tmp_path):
    (tmp_path / "docs.jsonl").write_text(
        json.dumps({"docid": "d1", "text": "第一份文件。"}, ensure_ascii=False) + "\n"
        + json.dumps({"docid": "d2", "text": "第二份文件。"}, ensure_ascii=False) + "\n", encoding="utf-8")
    (tmp_path / "questions.jsonl").write_text(
        json.dumps({"id": "abc", "docid": "d1", "question": "问？", "answer": " 答 ", "span": [0, 1]},
                   ensure_ascii=False) + "\n", encoding="utf-8")
    qs = load_ncp_questions(tmp_path)
    (q,) = qs.questions
    assert q.sources == ("d1.txt",) and q.reference == "答" and q.answerable and not q.answer_keys
    out = tmp_path / "cache"
    (folder,) = corpora.ncp_paths(out, tmp_path)
    assert sorted(p.name for p in folder.iterdir()) == ["d1.txt", "d2.txt"]
    before = (folder / "d1.txt").stat().st_mtime_ns
    (folder / "stale.txt").write_text("x", encoding="utf-8")
    corpora.ncp_paths(out, tmp_path)
    assert (folder / "d1.txt").stat().st_mtime_ns == before  # unchanged content is not rewritten
    assert not (folder / "stale.txt").exists()
    (tmp_path / "docs.jsonl").write_text('{"docid": "../x", "text": "t"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="docs.jsonl 第 1 行.*文件名"):
        corpora.ncp_documents(tmp_path)


def test_set_names_are_checked():
    with pytest.raises(ConfigError, match="newdocs-test"):
        parse_sets(["seeds", "nope"])
    with pytest.raises(ConfigError, match="重复"):
        parse_sets(["seeds", "seeds"])
    dev, test = load_set("newdocs"), load_set("newdocs-test")
    assert dev.corpus == test.corpus == "newdocs"
    assert {q.split for q in dev.questions.questions} == {"dev"}
    assert {q.split for q in test.questions.questions} == {"test"}
    assert set(SET_NAMES) == {"seeds", "newdocs", "newdocs-test", "holdout", "holdout2", "holdout3", "holdout4", "holdout5",
                              "holdout6", "holdout7", "holdout8", "holdout9", "holdout10", "holdout11", "holdout12", "holdout13", "news", "news-test",
                              "news-test2", "news20k-test",
                              "news20k-test2", "news20k-test3", "news20k-test4", "news20k-test5", "news20k-test6",
                              "news20k-test7", "ncp"}


def test_retrieval_options_in_configs():
    c = parse_config("name=x,doc_weight=0.5,passage=600,mention=0")
    assert c.searcher_options == {"doc_weight": 0.5, "mention_boost": 0.0, "passage_chars": 600}
    assert "passage_chars=600" in c.describe()
    assert parse_config("hybrid").searcher_options == {}
    assert parse_config("hybrid-main").searcher_options == {"doc_weight": 0.0, "mention_boost": 0.0,
                                                            "passage_chars": 0, "short_doc_chars": 0,
                                                            "merge_chars": 0}
    with pytest.raises(ConfigError, match="doc_weight"):
        parse_config("name=y,doc_weight=-1")
    with pytest.raises(ConfigError, match="数字"):
        parse_config("name=y,mention=abc")


def test_side_by_side_report(tmp_path):
    q = Question("q", "甲县低保标准？", True, ("720",), "table", ("a.txt",), ("甲县\t720",))
    configs = parse_configs(["hybrid", "langchain"])
    runs = []
    for set_name, answer in (("seeds", "720元[1]"), ("newdocs", "690元[1]")):
        run = EvalRun(QuestionSet(tmp_path / "q.jsonl", "0" * 64, (q,)), configs)
        for cfg in configs:
            run.rows.append(result_row(cfg, q, Answer(q.question, answer, True, [_cit("a.txt", "x")]), 1.0, None))
        runs.append((set_name, run))
    table = sets_table(runs)
    assert table.count("\n") == 1 + 4 and "| newdocs | langchain |" in table
    md = markdown_sets(runs, 1.0)
    assert "自信答错" in md and "690元" in md
    path = write_sets(runs, tmp_path / "reports", "r")
    rows = [json.loads(line) for line in (path / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {r["set"] for r in rows} == {"seeds", "newdocs"} and len(rows) == 4
    summary = json.loads((path / "summary.json").read_text(encoding="utf-8"))
    assert summary["sets"]["newdocs"]["configs"]["hybrid"]["overall"]["confidently_wrong"] == 1


def test_langchain_vectors_are_cached_by_text(tmp_path, fake_embedder):
    from eval.baseline import cached_vectors

    calls = []

    class Counting(type(fake_embedder)):
        def encode_passages(self, texts):
            calls.append(len(texts))
            return super().encode_passages(texts)

    emb = Counting()
    first = cached_vectors(["甲乙丙", "丁戊己"], emb, tmp_path)
    again = cached_vectors(["丁戊己", "甲乙丙", "庚辛壬"], emb, tmp_path)
    assert calls == [2, 1]  # only the new text is embedded the second time
    assert again[0] == pytest.approx(first[1]) and again[1] == pytest.approx(first[0])
    from index.vector_cache import VectorCache

    VectorCache(tmp_path, emb.id, emb.dim).path.write_bytes(b"damaged")  # a damaged cache is never trusted
    assert cached_vectors(["甲乙丙"], emb, tmp_path)[0] == pytest.approx(first[0])
    assert calls == [2, 1, 1]


@pytest.mark.integration  # builds an index (FAISS, jieba) with the fake embedder
def test_a_set_index_is_not_rebuilt_for_a_file_that_cannot_be_read(tmp_path, fake_embedder):
    from eval.runner import Systems
    from index import store

    src = tmp_path / "docs"
    src.mkdir()
    (src / "a.txt").write_text("甲市民政局关于提高城乡低保标准的通知。全市城市低保标准提高到每人每月700元。", encoding="utf-8")
    (src / "empty.txt").write_text("   \n", encoding="utf-8")  # no text: ingest refuses it
    systems = Systems(tmp_path / "index", fake_embedder, work_dir=tmp_path / "work", corpus=("t", lambda: [src]))
    root = systems.index_for(None, fake_embedder)
    first = store.current_generation(root)
    again = Systems(tmp_path / "index", fake_embedder, work_dir=tmp_path / "work", corpus=("t", lambda: [src]))
    assert again.index_for(None, fake_embedder) == root
    assert store.current_generation(root) == first  # nothing changed: no new generation
    (src / "b.txt").write_text("乙市民政局通知。农村低保标准为每人每年6000元。", encoding="utf-8")
    third = Systems(tmp_path / "index", fake_embedder, work_dir=tmp_path / "work", corpus=("t", lambda: [src]))
    third.index_for(None, fake_embedder)
    assert store.current_generation(root) != first
    assert set(store.load(root).documents) == {"a.txt", "b.txt"}

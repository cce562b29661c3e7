"""The real-text benchmark's copies: same spans, consistent tokens; derived vectors are unit vectors."""
from __future__ import annotations

import numpy as np

from eval.bench_news import Variants, derived_vectors
from index.tokenize import Tokenizer

TEXT = "2023年焦作市农村低保标准提高到每人每年4524元，洛阳市为每人每月600元。"


def test_a_copy_keeps_every_span_and_varies_places_and_figures():
    v = Variants()
    spans = v.spans(TEXT)
    assert {name for _, _, name in spans} >= {"焦作市", "洛阳市"}
    places, digits = v.maps(1)
    copy = v.apply(TEXT, spans, places, digits)
    assert len(copy) == len(TEXT) and copy != TEXT
    assert all(copy[s:e] == places[name] for s, e, name in spans)
    assert [i for i, ch in enumerate(copy) if ch.isdigit()] == [i for i, ch in enumerate(TEXT) if ch.isdigit()]
    assert copy.count("，") == TEXT.count("，")  # punctuation, hence chunk boundaries, unchanged
    assert v.apply(TEXT, spans, *v.maps(1)) == copy and v.apply(TEXT, spans, *v.maps(2)) != copy


def test_a_copys_tokens_are_the_originals_with_the_same_substitutions():
    v = Variants()
    places, digits = v.maps(3)
    tokens = Tokenizer()(TEXT)
    mapped = [v.token(t, places, digits) for t in tokens]
    copy = v.apply(TEXT, v.spans(TEXT), places, digits)
    assert all(m in copy for m in mapped if m != "\u2205")  # every mapped token occurs in the copy's text
    assert "4524" in tokens and "4524".translate(digits) in mapped


def test_derived_vectors_are_unit_vectors_near_their_samples():
    rng = np.random.default_rng(0)
    sample = rng.standard_normal((20, 16)).astype(np.float32)
    sample /= np.linalg.norm(sample, axis=1, keepdims=True)
    x = derived_vectors(500, sample)
    assert x.shape == (500, 16) and np.allclose(np.linalg.norm(x, axis=1), 1, atol=1e-5)
    best = (x @ sample.T).max(axis=1)  # the sum of two unit vectors: ≥ sqrt((1 + a·b) / 2) to each
    assert best.min() > 0.3 and best.mean() > 0.65


def test_report_puts_faiss_and_milvus_side_by_side(tmp_path):
    """A case with a Milvus part gets a second row in the table and its own section; the figures
    are the case's own (here: the recorded 10^5 FAISS ask, reused as a Milvus part)."""
    import copy
    import json
    from pathlib import Path

    from eval.bench.news_report import markdown, write

    res = json.loads((Path(__file__).resolve().parents[2] / "eval/reports/bench/news.json").read_text(encoding="utf-8"))
    case = copy.deepcopy(res["cases"][0])
    for part in ("ask_nprobe", "reindexed", "sweep"):
        case.pop(part, None)
    m = copy.deepcopy(case["ask"])
    m["vector"]["info"] = {"kind": "ivf", "index_type": "IVF_FLAT", "params": {"nlist": 1265}, "search": "nprobe",
                           "value": 64, "recall_at_10": 0.97, "recall_sample": 200}
    case["milvus"] = {**m, "publish_s": 321.0, "rss_published_mb": 1500.0, "loadavg_publish": 9.5,
                      "milvus_lite": "9.9.9", "pymilvus": "8.8.8"}
    res["cases"] = [case]
    md = markdown(res)
    rows = [x for x in md.splitlines() if x.startswith(f"| {case['build']['chunks']:,} |")]
    assert [r.split(" | ")[1] for r in rows] == ["FAISS", "milvus-lite 9.9.9"]
    assert "Milvus IVF_FLAT1265 nprobe=64" in rows[1] and "| 321 |" in rows[1]
    assert "### Milvus（milvus-lite 9.9.9，pymilvus 8.8.8）" in md
    write(res, tmp_path)
    assert json.loads((tmp_path / "news.json").read_text(encoding="utf-8"))["cases"][0]["milvus"]["publish_s"] == 321.0


def test_report_shows_the_rebuilt_vector_index_after_the_one_before():
    """A case whose vector index was rebuilt (``case-reindex``) gets a row after the build's own
    (its kind, the rebuild's seconds) and a section naming the index before; a sweep gets a table."""
    import copy
    import json
    from pathlib import Path

    from eval.bench.news_report import markdown

    res = json.loads((Path(__file__).resolve().parents[2] / "eval/reports/bench/news.json").read_text(encoding="utf-8"))
    case = copy.deepcopy(res["cases"][0])
    for part in ("ask_nprobe", "milvus", "reindexed", "sweep"):
        case.pop(part, None)
    vi = {"kind": "hnsw", "chunks": case["build"]["chunks"], "params": {"M": 32, "efConstruction": 40, "efSearch": 384},
          "recall_at_10": 0.9611, "recall_sample": 200, "recall_target": 0.95}
    case["reindexed"] = {"reindex": {"reindex_s": 654.0, "loadavg_start": 4.0, "loadavg_end": 5.0, "before": case["build"]["vector_index"],
                                     "vector_index": vi, "generation": "gen-x", "index_mb": 1800.0, "peak_rss_mb": 7000.0},
                         "load_before_ask": 4.5, "ask": copy.deepcopy(case["ask"]), "load_after": 4.6,
                         "run": {"time": "2026-12-01 16:00:00", "commit": "abc1234"}}
    case["sweep"] = {"chunks": case["build"]["chunks"], "kind": "hnsw", "queries": 209, "probe_noise": 0.08,
                     "rows": [{"efSearch": 256, "recall_at_10": 0.93, "probe_recall_at_10": 0.94, "p50_ms": 1.0, "p95_ms": 2.0,
                               "loadavg": 4.0}]}
    res["cases"] = [case]
    md = markdown(res)
    rows = [x for x in md.splitlines() if x.startswith(f"| {case['build']['chunks']:,} |")]
    assert [r.split(" | ")[1] for r in rows] == ["FAISS", "FAISS（向量索引按现在的产品重建）"]
    assert "HNSW efSearch=384" in rows[1] and "| 654 |" in rows[1] and "0.961（200）" in rows[1]
    before = case["build"]["vector_index"]["params"]
    assert f"（HNSW efSearch=384；建库时 IVF{before['nlist']} nprobe={before['nprobe']}）" in md
    assert "| 256 | 0.930 | 0.940 | 1.00 | 2.00 | 4.0 |" in md


def test_report_shows_the_first_round_before_and_after_with_its_parts():
    """``case-first``: the two ask runs side by side (first round with its answer and retrieve
    stages, second round, recall, memory, load) and the parts of the first round's answer stage."""
    import copy
    import json
    from pathlib import Path

    from eval.bench.news_first_report import PART_NAMES
    from eval.bench.news_report import markdown

    res = json.loads((Path(__file__).resolve().parents[2] / "eval/reports/bench/news.json").read_text(encoding="utf-8"))
    case = copy.deepcopy(res["cases"][0])
    for part in ("ask_nprobe", "milvus", "reindexed", "sweep", "first_round"):
        case.pop(part, None)
    before, after = copy.deepcopy(case["ask"]), copy.deepcopy(case["ask"])
    after["rounds"][0].update({"p50_ms": 40.25, "p95_ms": 77.75, "max_ms": 120.0})
    after["warm_up_s"] = 1.5
    parts = {k: 0.0 for k in PART_NAMES}

    def first(regions: float, slow: list) -> dict:
        return {"questions": 209, "loadavg": 3.0, "parts_sum_ms": {**parts, "regions_for": regions},
                "answer_sum_ms": 5000.0, "answer_p50_ms": 9.0, "answer_p95_ms": 50.0, "slowest": slow}

    slow = [{"question": "怎么申请？", "answer_ms": 300.0, "passage_embed": 290.0, "regions_for": 0.5}]
    case["first_round"] = {"before": before, "after": after, "before_commit": "base123",
                           "parts_before": first(678.0, []), "parts_after": first(0.4, slow),
                           "run": {"time": "2026-12-01 18:00:00", "commit": "abc1234"}}
    earlier = copy.deepcopy(case["first_round"])
    case["first_round"]["change"] = "BM25 改用 max-score"
    case["first_round_earlier"] = [earlier]
    res["cases"] = [case]
    md = markdown(res)
    assert "### 第 1 轮（每题首次）：之前 / 之后" in md and "代码 base123" in md
    assert "- 之后：BM25 改用 max-score" in md
    # the earlier change's pair follows, described as it was recorded
    assert md.index("- 之后：BM25 改用 max-score") < md.index("### 第 1 轮（每题首次）：更早一次改动之前 / 之后")
    assert "- 之后：地区索引按地名链建一次" in md.split("更早一次改动")[1]
    rows = {r.split(" | ")[0]: r for r in md.splitlines() if r.startswith(("| 之前 |", "| 之后 |"))}
    assert "40.2 / 77.8 / 120.0" in rows["| 之后"] and "（1.5）" in rows["| 之后"]
    b1 = before["rounds"][0]
    assert f"{b1['p95_ms']:.1f}" in rows["| 之前"] and "（" not in rows["| 之前"].split(" | ")[7]
    assert "| 地名对应的地区 | 678.0 | 0.4 |" in md
    assert "  - 怎么申请？：作答 300.0 ms（段落：句子向量化 290.0）" in md  # parts under 1 ms are left out


def test_bm25_paths_times_max_score_against_the_sum_on_a_saved_generation(tmp_path):
    """``bench_news bm25 DIR`` reads only the generation's bm25s arrays and finds the same top 40
    both ways on every question of the set."""
    from eval.bench.news_bm25 import bm25_paths
    from eval.bench.news_ask import questions
    from index.hybrid import build_bm25
    from index.store import CURRENT
    from index.tokenize import Tokenizer

    tok = Tokenizer()
    qs = questions(300)
    docs = [tok(q + "，标准按年提高，市民政局发放") for q in qs] * 3 + [tok("市民政局年报")] * 50
    gen = tmp_path / "gen-1"
    build_bm25(docs).save(str(gen / "bm25"))
    (tmp_path / CURRENT).write_text("gen-1", encoding="utf-8")
    out = bm25_paths(tmp_path, rounds=1)
    assert out["chunks"] == len(docs) and out["questions"] == len(questions(len(docs)))
    assert out["identical_top_k"] == out["questions"]
    assert out["sum"]["p95_ms"] >= out["sum"]["p50_ms"] > 0 and out["maxscore"]["max_ms"] > 0

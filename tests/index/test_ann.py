"""The vector index chosen by size: forced IVF/HNSW on small data, the manifest, removal, damage."""
from __future__ import annotations

import json

import numpy as np
import pytest

from ingest.errors import ConfigError, IndexStoreError
from index import ann, derived, store
from index.builder import remove_sources


def _clustered(n: int, d: int = 64, centres: int = 40, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(vectors, held-out queries): unit vectors around a few centres, like topics of real text."""
    rng = np.random.default_rng(seed)
    c = rng.standard_normal((centres, d)).astype(np.float32)
    x = c[rng.integers(0, centres, n)] + 0.35 * rng.standard_normal((n, d)).astype(np.float32)
    q = c[rng.integers(0, centres, 100)] + 0.35 * rng.standard_normal((100, d)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    return x, q


def _exact(x: np.ndarray, q: np.ndarray, k: int = 10) -> list[list[int]]:
    import faiss

    return faiss.knn(q, x, k, metric=faiss.METRIC_INNER_PRODUCT)[1].tolist()


@pytest.mark.parametrize("kind", ["ivf", "ivf_sq", "hnsw"])
def test_forced_approximate_index_matches_flat_within_its_recall(kind):
    x, q = _clustered(3000)
    index, info = ann.build(x, x.shape[1], ann.IndexConfig(kind=kind))
    assert info["kind"] == kind and info["chunks"] == 3000 and info["recall_sample"] == ann.RECALL_SAMPLE
    assert info["recall_at_10"] >= ann.RECALL_TARGET
    if kind in ("ivf", "ivf_sq"):
        assert info["params"]["nlist"] == ann.nlist_for(3000) and 1 <= info["params"]["nprobe"] < info["params"]["nlist"]
        assert info["params"]["nprobe"] in ann.nprobe_choices(info["params"]["nlist"])
        if kind == "ivf_sq":
            assert info["params"]["codec"] == "SQ8" and info["params"]["k_factor"] == ann.K_FACTOR
            # exact re-ranking: the scores are the float vectors' inner products, not the codes'
            d, i = index.search(q, 10)
            np.testing.assert_allclose(d, np.einsum("qd,qkd->qk", q, x[i]), rtol=1e-5, atol=1e-5)
    else:
        assert info["params"]["efSearch"] >= 16
    got = index.search(q, 10)[1].tolist()
    # held-out queries, not the ones the parameters were chosen on
    assert ann.recall(_exact(x, q), got) >= ann.RECALL_TARGET - 0.03


def test_nprobe_is_the_smallest_reaching_the_target():
    x, _ = _clustered(3000)
    index, info = ann.build(x, x.shape[1], ann.IndexConfig(kind="ivf", recall_target=0.9))
    q = ann.probe_queries(x, 200, seed=1)
    truth = _exact(x, q)
    index.nprobe = info["params"]["nprobe"] // 2
    if index.nprobe:
        assert ann.recall(truth, index.search(q, 10)[1].tolist()) < 0.97
    higher = ann.build(x, x.shape[1], ann.IndexConfig(kind="ivf", recall_target=0.99))[1]
    assert higher["params"]["nprobe"] >= info["params"]["nprobe"]


def test_efsearch_is_the_smallest_reaching_the_target():
    x, _ = _clustered(3000)
    config = ann.IndexConfig(kind="hnsw", recall_target=0.97)
    index, info = ann.build(x, x.shape[1], config)
    ef = info["params"]["efSearch"]
    assert info["recall_at_10"] >= 0.97 and ef in ann.HNSW_EF_SEARCH
    # the same probe queries: one step smaller would not have reached the target
    q = ann.probe_queries(x, config.sample, config.seed)
    truth = _exact(x, q)
    index.hnsw.efSearch = ef
    assert ann.recall(truth, index.search(q, 10)[1].tolist()) == info["recall_at_10"]
    smaller = ann.HNSW_EF_SEARCH[ann.HNSW_EF_SEARCH.index(ef) - 1] if ef != ann.HNSW_EF_SEARCH[0] else None
    if smaller is not None:
        index.hnsw.efSearch = smaller
        assert ann.recall(truth, index.search(q, 10)[1].tolist()) < 0.97
    assert info["params"] == {"M": ann.HNSW_M, "efConstruction": ann.HNSW_EF_CONSTRUCTION, "efSearch": ef}


def test_auto_picks_flat_up_to_the_threshold_ivf_then_hnsw_above():
    x, _ = _clustered(500)
    assert ann.build(x, x.shape[1], ann.IndexConfig(flat_max=500))[1]["kind"] == "flat"
    index, info = ann.build(x, x.shape[1], ann.IndexConfig(flat_max=499))
    assert info["kind"] == "ivf" and index.ntotal == 500
    assert ann.build(x, x.shape[1], ann.IndexConfig(flat_max=100, sq_min=500))[1]["kind"] == "ivf"
    index, info = ann.build(x, x.shape[1], ann.IndexConfig(flat_max=100, sq_min=499))
    assert info["kind"] == "ivf_sq" and index.ntotal == 500
    assert ann.IndexConfig().kind_for(10 ** 6) == "ivf_sq" and ann.IndexConfig().kind_for(10 ** 5) == "ivf"


def test_ivf_sq_nprobe_is_the_smallest_choice_reaching_the_target():
    x, _ = _clustered(3000)
    config = ann.IndexConfig(kind="ivf_sq", recall_target=0.97)
    index, info = ann.build(x, x.shape[1], config)
    nprobe, choices = info["params"]["nprobe"], ann.nprobe_choices(info["params"]["nlist"])
    q = ann.probe_queries(x, config.sample, config.seed)
    truth = _exact(x, q)
    ivf = ann.ivf_part(index)
    assert ann.recall(truth, index.search(q, 10)[1].tolist()) == info["recall_at_10"] >= 0.97
    if nprobe != choices[0]:
        ivf.nprobe = choices[choices.index(nprobe) - 1]
        assert ann.recall(truth, index.search(q, 10)[1].tolist()) < 0.97


def test_nprobe_choices_are_powers_of_two_and_half_again_up_to_nlist():
    assert ann.nprobe_choices(4000)[:9] == [1, 2, 3, 4, 6, 8, 12, 16, 24]
    assert ann.nprobe_choices(4000)[-3:] == [2048, 3072, 4000] and ann.nprobe_choices(1) == [1]


def test_configuration_from_the_environment(monkeypatch):
    monkeypatch.setenv("CIVILQA_VECTOR_INDEX", "HNSW")
    monkeypatch.setenv("CIVILQA_FLAT_MAX", "10")
    monkeypatch.setenv("CIVILQA_SQ_MIN", "30")
    assert ann.IndexConfig.from_env() == ann.IndexConfig(kind="hnsw", flat_max=10, sq_min=30)
    for var, bad in (("CIVILQA_VECTOR_INDEX", "annoy"), ("CIVILQA_FLAT_MAX", "many"), ("CIVILQA_FLAT_MAX", "-1"),
                     ("CIVILQA_SQ_MIN", "-1")):
        monkeypatch.setenv("CIVILQA_VECTOR_INDEX", "auto")
        monkeypatch.setenv("CIVILQA_FLAT_MAX", "10")
        monkeypatch.setenv(var, bad)
        with pytest.raises(ConfigError, match="CIVILQA_"):
            ann.IndexConfig.from_env()


@pytest.fixture()
def ivf_copy(index_copy, monkeypatch):
    """The seed index rewritten with a forced IVF index by removing one document (no embedding)."""
    before = store.load(index_copy)
    gone = sorted(before.documents)[0]
    rows = [i for i, c in enumerate(before.chunks) if c.source == gone]
    removed_vectors = before.vectors()[rows]
    monkeypatch.setenv("CIVILQA_VECTOR_INDEX", "ivf")
    remove_sources(index_copy, [gone])
    return index_copy, gone, removed_vectors


def test_manifest_and_list_show_the_ivf_index(ivf_copy):
    from assistant.kb import vector_index_summary

    root, _, _ = ivf_copy
    index = store.load(root)
    info = index.manifest["vector_index"]
    assert info["kind"] == "ivf" and info["chunks"] == len(index.chunks)
    assert info["recall_at_10"] >= ann.RECALL_TARGET and info["recall_sample"] == min(len(index.chunks), ann.RECALL_SAMPLE)
    assert index.faiss_index.nprobe == info["params"]["nprobe"]
    on_disk = json.loads((index.generation / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk["vector_index"] == info
    summary = vector_index_summary(root)
    assert f"IVF{info['params']['nlist']},Flat" in summary and f"nprobe={info['params']['nprobe']}" in summary
    assert f"样本 {info['recall_sample']}" in summary


def test_removed_chunk_is_never_returned_by_the_ivf_index(ivf_copy):
    root, gone, removed_vectors = ivf_copy
    index = store.load(root)
    assert gone not in index.documents
    _, ids = index.search(removed_vectors, 10)  # as configured: the nearest to the removed text
    assert (ids >= 0).all() and all(index.chunks[i].source != gone for i in ids.ravel())
    index.faiss_index.nprobe = index.faiss_index.nlist  # exhaustive: every row there is, once
    _, ids = index.search(removed_vectors, len(index.chunks))
    assert all(sorted(r) == list(range(len(index.chunks))) for r in ids.tolist())
    # vectors read back through the IVF index's direct map are those of the kept chunks
    second = sorted(index.documents)[0]
    remove_sources(root, [second])
    after = store.load(root)
    assert after.manifest["vector_index"]["kind"] == "ivf" and second not in after.documents
    kept = [i for i, c in enumerate(index.chunks) if c.source != second]
    np.testing.assert_allclose(after.vectors(), index.vectors()[kept], atol=1e-6)


def test_index_file_of_another_kind_is_refused(ivf_copy):
    import faiss

    root, _, _ = ivf_copy
    index = store.load(root)
    flat = faiss.IndexFlatIP(index.faiss_index.d)
    flat.add(index.vectors())
    faiss.write_index(flat, str(index.generation / "faiss.index"))
    with pytest.raises(IndexStoreError, match="校验和不符"):
        store.load(root)
    with pytest.raises(IndexStoreError, match="类型.*不符"):
        store.load(root, verify=False)


def test_truncated_index_file_is_refused(ivf_copy):
    root, _, _ = ivf_copy
    path = store.load(root).generation / "faiss.index"
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(IndexStoreError, match="civilqa ingest"):
        store.load(root, verify=False)


def test_rebuild_vector_index_writes_a_new_generation_of_the_chosen_kind(index_copy, monkeypatch):
    """The vectors of the current generation in the index chosen now (here forced IVF-SQ8): a new,
    checksummed generation that loads as any other; nothing else re-made."""
    from assistant.kb import vector_index_summary

    before = store.load(index_copy)
    monkeypatch.setenv("CIVILQA_VECTOR_INDEX", "ivf_sq")
    gen = derived.rebuild_vector_index(index_copy)
    assert gen != before.generation and store.current_generation(index_copy) == gen
    assert before.generation.is_dir()  # the previous generation stays
    after = store.load(index_copy)  # every checksum verified, the manifest's own included
    info = after.manifest["vector_index"]
    assert info["kind"] == "ivf_sq" and info["chunks"] == len(before.chunks)
    assert info["recall_at_10"] >= ann.RECALL_TARGET and info["recall_sample"] == min(len(before.chunks), ann.RECALL_SAMPLE)
    assert info["params"]["codec"] == "SQ8" and info["params"]["nprobe"] in ann.nprobe_choices(info["params"]["nlist"])
    assert ann.ivf_part(after.faiss_index).nprobe == info["params"]["nprobe"] and after.faiss_index.k_factor == ann.K_FACTOR
    assert f"SQ8（精确重排 ×{ann.K_FACTOR}），nprobe={info['params']['nprobe']}" in vector_index_summary(index_copy)
    np.testing.assert_array_equal(after.vectors(), before.vectors())
    assert [c.to_dict() for c in after.chunks] == [c.to_dict() for c in before.chunks]
    for name in ("chunks.jsonl", "documents.json"):
        assert (gen / name).stat().st_ino == (before.generation / name).stat().st_ino
    assert {k: v for k, v in after.manifest.items() if k not in ("vector_index", "checksums", "manifest_sha256")} == \
        {k: v for k, v in before.manifest.items() if k not in ("vector_index", "checksums", "manifest_sha256")}
    q = before.vectors()[::7]
    assert ann.recall(before.search(q, 10)[1].tolist(), after.search(q, 10)[1].tolist()) >= ann.RECALL_TARGET


def test_rebuild_vector_index_refuses_a_damaged_index_and_changes_nothing(index_copy):
    gen = store.current_generation(index_copy)
    path = gen / "faiss.index"
    path.write_bytes(path.read_bytes()[:-8] + b"\0" * 8)
    with pytest.raises(IndexStoreError, match="faiss.index.*校验和不符"):
        derived.rebuild_vector_index(index_copy, ann.IndexConfig(kind="hnsw"))
    assert store.current_generation(index_copy) == gen
    assert sorted(p.name for p in index_copy.iterdir() if p.name.startswith(("gen-", ".tmp-gen-"))) == [gen.name]

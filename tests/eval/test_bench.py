"""The benchmark code paths on small data (figures are printed by `civilqa bench`, not asserted
against time limits: these machines are noisy)."""
from __future__ import annotations

import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

from eval import bench

ROOT = Path(__file__).resolve().parents[2]


def test_vary_changes_places_years_and_figures_but_keeps_their_shape():
    rng = random.Random(1)
    s = "2021年焦作市农村低保标准提高到4524元，保障12.5万人。"
    places = ["洛阳市", "漯河市", "郑州市"]
    out = {bench.vary(s, rng, places, re.compile("焦作市")) for _ in range(20)}
    assert len(out) > 15
    for v in out:
        m = re.fullmatch(r"(\d{4})年(洛阳市|漯河市|郑州市)农村低保标准提高到(\d{4})元，保障(\d\d\.\d)万人。", v)
        assert m, v
        assert 2012 <= int(m.group(1)) <= 2025


def test_scale_case_on_small_data(assistant):
    res = bench.bench_scale(3000, variants=2500, hnsw_max=3000, assistant=assistant, templates_max=120)
    assert res["templates"] > 100 and res["synthetic"]["variants"] == 2500
    assert res["bm25_build_s"] > 0 and res["bm25_size_mb"] > 0 and res["bm25_query_p95_ms"] > 0
    assert res["flat"]["recall_at_10"] == 1.0 and res["flat"]["size_mb"] > 3000 * 384 * 4 / 2**20 * 0.9
    sweep = res["ivf"]["sweep"]
    nlist = res["ivf"]["nlist"]
    full = [x for x in sweep if x["nprobe"] >= nlist]
    assert full and full[0]["recall_at_10"] > 0.999  # probing every list is exhaustive
    assert sweep[0]["recall_at_10"] < sweep[-1]["recall_at_10"]
    assert res["hnsw"]["sweep"][-1]["recall_at_10"] >= 0.95
    assert bench.chosen(sweep)["recall_at_10"] >= 0.95
    md = bench.markdown({"time": "t", "scale": [res]})
    assert "3,000 片段" in md and "IVF" in md and "HNSW32" in md


def test_random_vectors_are_unit_length(assistant):
    import numpy as np

    templates = bench.template_sentences(assistant.index.documents)[:50]
    tvec = np.eye(50, 384, dtype=np.float32)
    syn, _ = bench.make_synthetic(500, templates, tvec, variants=200)
    for kind in ("random", "structured"):
        v = bench.synthetic_vectors(syn, kind, 0.02)
        assert v.shape == (500, 384) and np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-5)


def test_cold_start_and_ingest_measurements(cli_env, seed_index_dir, tmp_path):
    cold = bench.bench_cold(seed_index_dir, runs=1)
    assert cold["median_s"] > 0 and cold["peak_rss_mb"] > 50
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(ROOT / "seeds" / "003_8547944d577de060.txt", seeds)
    ing = bench.bench_ingest(seeds, tmp_path)
    assert ing["chunks"] and ing["chunks"] > 5 and ing["reingest_reused"] == ing["chunks"]
    assert ing["peak_rss_mb"] > 50


def test_cli_bench_writes_a_report(cli_env, tmp_path):
    proc = subprocess.run([str(Path(sys.executable).with_name("civilqa")), "bench", "--cold-runs", "0",
                           "--no-ingest", "--scale", "400", "--variants", "500", "--hnsw-max", "400",
                           "--templates", "40",
                           "--out", str(tmp_path), "--name", "b"], capture_output=True, text=True,
                          env=cli_env, cwd=ROOT, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    md = (tmp_path / "b" / "bench.md").read_text(encoding="utf-8")
    assert "热启动单题 p50" in md and "400 片段" in md
    assert (tmp_path / "b" / "bench.json").is_file()
    bad = subprocess.run([str(Path(sys.executable).with_name("civilqa")), "bench", "--vectors", "noise",
                          "--out", str(tmp_path)], capture_output=True, text=True, env=cli_env, timeout=300)
    assert bad.returncode == 2 and "structured" in bad.stderr


def test_latency_bench_times_two_checkouts_by_stage(cli_env, tmp_path):
    cmd = [sys.executable, "-m", "eval.bench.latency", "--set", "seeds", "--questions", "2"]
    proc = subprocess.run([*cmd, "--against", str(ROOT)], capture_output=True, text=True, env=cli_env, cwd=ROOT,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = proc.stdout
    assert out.startswith("seeds: 2 asks per checkout, 1-minute load ")
    rows = {line.split(" | ")[0].strip("| "): line for line in out.splitlines() if line.startswith("| ")}
    for stage in ("total", "analyze", "retrieve", "answer", "embed question", "embed question, CPU", "BM25", "FAISS",
                  "answerer (all)"):
        cells = rows[stage].strip("| ").split(" | ")
        assert len(cells) == 4, rows[stage]  # stage, this, against, ratio
        p50, p95 = (float(x) for x in cells[1].split(" / "))
        assert 0 < p50 <= p95, rows[stage]
    assert "this / against p50, p95" in rows["stage"]
    bad = subprocess.run([*cmd, "--against", str(tmp_path)], capture_output=True, text=True, env=cli_env,
                         cwd=ROOT, timeout=120)
    assert bad.returncode == 2 and "not a checkout" in bad.stderr
    during = subprocess.run([*cmd[:-2], "--during-ingest", "3"], capture_output=True, text=True, env=cli_env,
                            cwd=ROOT, timeout=300)
    assert during.returncode == 0, during.stderr[-2000:]
    assert re.fullmatch(r"seeds: ask alone p50 [0-9.]+ ms \(20 questions\); while 3 passages were embedded "
                        r"\([0-9.]+ s\): \d+ questions.*; 1-minute load .*\n", during.stdout), during.stdout

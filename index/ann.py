"""The vector index, chosen by the collection's size: exact below a threshold, approximate above.

- ``flat``: ``IndexFlatIP``, exact, for collections up to ``flat_max`` chunks (50,000: exact
  search over 384-dim vectors costs ~0.15 ms per 1,000 chunks on these cores, so ~8 ms there;
  the benchmark measured p95 192 ms at 10^6).
- ``ivf``: ``IVF{nlist},Flat`` with nlist ≈ 4·√n, trained at ingest on a sample of the
  collection's own vectors, for collections up to ``sq_min`` chunks (200,000). Its vectors can be
  memory-mapped (workers share them). ``nprobe`` is chosen at ingest as the smallest of
  ``nprobe_choices`` (1, 2, 3, 4, 6, 8, 12, …: powers of two and 1.5 times them) whose recall@10
  against exact search reaches ``recall_target`` (0.95) on 200 probe queries (``probe_queries``).
  With nprobe = nlist the search is exhaustive: the target is always reachable. Its cost grows
  with n at a given recall: at 10^5 nprobe 256 met 0.95 on real questions at p95 6.6 ms, at 10^6
  it took nprobe 512 and p95 51 ms (eval/reports/bench/news.md), over the ~20 ms the dense
  search has in ``ask``'s 100 ms.
- ``ivf_sq``: above ``sq_min``, the same IVF lists holding 8-bit scalar-quantised vectors (a byte
  per dimension, a quarter of the floats: the scan of nprobe lists reads a quarter of the
  memory), then the ``k·K_FACTOR`` best re-ranked exactly on the float vectors
  (``IndexRefineFlat``): the ranking is exact among the candidates, so recall is the lists'. At
  10^6 on the news benchmark (real questions, one thread, load 2.7): nprobe 512 → recall 0.967 at
  p95 15.5 ms, where IVF-Flat took 51 ms (load 4). ``nprobe`` chosen as for ``ivf``.
- ``hnsw``: ``HNSW32`` (efConstruction 40), ``efSearch`` chosen the same way (the smallest of
  ``HNSW_EF_SEARCH``; the recall reached is stored whatever it is). Only on request: at 10^6 on
  the news benchmark real questions got recall 0.878 at efSearch 1024 and 0.938 at 2048 (p50 16.5
  ms): the questions lie far from the chunks, where a graph search of this size finds them badly.

Probe queries: ``sample`` of the collection's vectors, each moved by Gaussian noise
(``QUERY_NOISE`` = 0.08 per dimension) and normalised. The noise is calibrated on the real
question set over the 10^6 news benchmark (IVF4000): recall at σ = 0.08 was 0.779/0.879/0.947/0.985
at nprobe 64/128/256/512 where real questions got 0.811/0.866/0.934/0.960, while σ = 0.04
gave 0.952 at nprobe 64 (real 0.811): it chose a setting far below the target.

The choice, its parameters and the measured recall (with the sample size) go into the manifest
(``vector_index``), and ``configure`` applies the parameters to an index read back with
``faiss.read_index``. Configuration, one place (``ingest.settings``): ``CIVILQA_VECTOR_INDEX`` =
auto (default) | flat | ivf | ivf_sq | hnsw, ``CIVILQA_FLAT_MAX`` and ``CIVILQA_SQ_MIN`` (the thresholds
of auto), so tests force IVF/HNSW on small data.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ingest.errors import REINGEST, ConfigError, IndexStoreError
from ingest.settings import settings

KINDS = ("flat", "ivf", "ivf_sq", "hnsw")
FLAT_MAX = 50_000
SQ_MIN = 200_000  # IVF-Flat's dense search stays within ~20 ms at 0.95 up to about here (see above)
K_FACTOR = 2  # ivf_sq: candidates re-ranked exactly, per result asked
RECALL_TARGET = 0.95
RECALL_SAMPLE = 200  # queries of the recall measurement (each a vector of the collection)
RECALL_K = 10
QUERY_NOISE = 0.08  # per dimension, on unit vectors of 384 dimensions (calibrated: see above)
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 40
HNSW_EF_SEARCH = (16, 32, 64, 128, 256, 384, 512, 768, 1024, 1536, 2048)  # choices, smallest first
MIN_POINTS_PER_LIST = 39  # faiss' k-means wants at least this many training points per centroid
TRAIN_POINTS_PER_LIST = 40  # k-means training points per list (faiss warns below 39); 64 took 7.5 min at 10^6


@dataclass(frozen=True)
class IndexConfig:
    kind: str = "auto"  # auto | flat | ivf | ivf_sq | hnsw
    flat_max: int = FLAT_MAX
    sq_min: int = SQ_MIN
    recall_target: float = RECALL_TARGET
    sample: int = RECALL_SAMPLE
    seed: int = 7

    def __post_init__(self) -> None:
        if self.kind not in ("auto", *KINDS):
            raise ConfigError(f"无效的向量索引类型：{self.kind!r}，可选：auto、{'、'.join(KINDS)}"
                              f"（CIVILQA_VECTOR_INDEX must be one of auto, {', '.join(KINDS)}）")
        if self.flat_max < 0:
            raise ConfigError(f"CIVILQA_FLAT_MAX 不能为负，当前为 {self.flat_max}（must be >= 0）")
        if self.sq_min < 0:
            raise ConfigError(f"CIVILQA_SQ_MIN 不能为负，当前为 {self.sq_min}（must be >= 0）")

    @classmethod
    def from_env(cls) -> "IndexConfig":
        """``CIVILQA_VECTOR_INDEX``, ``CIVILQA_FLAT_MAX`` and ``CIVILQA_SQ_MIN``, validated by
        ``ingest.settings``."""
        s = settings()
        return cls(kind=s.vector_index, flat_max=FLAT_MAX if s.flat_max is None else s.flat_max,
                   sq_min=SQ_MIN if s.sq_min is None else s.sq_min)

    def kind_for(self, n: int) -> str:
        """auto: flat up to ``flat_max`` chunks, ivf up to ``sq_min``, ivf_sq above."""
        if self.kind != "auto":
            return self.kind
        if n <= self.flat_max:
            return "flat"
        return "ivf" if n <= self.sq_min else "ivf_sq"


def nlist_for(n: int) -> int:
    """≈ 4·√n lists, but never fewer than MIN_POINTS_PER_LIST vectors per list."""
    return max(1, min(int(round(4 * math.sqrt(n))), n // MIN_POINTS_PER_LIST))


def nprobe_choices(nlist: int) -> list[int]:
    """1, 2, 3, 4, 6, 8, 12, 16, 24, …, nlist: powers of two and 1.5 times them, smallest first."""
    out = {nlist}
    p = 1
    while p < nlist:
        out.update(v for v in (p, p * 3 // 2) if 1 <= v < nlist)
        p *= 2
    return sorted(out)


def ivf_part(index: Any) -> Any:
    """The IVF part of an ``ivf`` or ``ivf_sq`` index (where nprobe is set)."""
    import faiss

    return faiss.downcast_index(index.base_index) if isinstance(index, faiss.IndexRefine) else index


def probe_queries(x: np.ndarray, sample: int, seed: int) -> np.ndarray:
    """``sample`` of the collection's vectors, each moved by Gaussian noise (QUERY_NOISE per
    dimension) and normalised: queries whose recall tracks real questions' (calibration in the
    module's docstring). The chunks themselves as queries overstate recall (0.961 where real
    questions got 0.848 at the same nprobe, 10^5 chunks), and so did σ = 0.04."""
    rng = np.random.default_rng(seed)
    rows = np.sort(rng.choice(len(x), size=min(len(x), sample), replace=False))
    q = x[rows] + QUERY_NOISE * rng.standard_normal((len(rows), x.shape[1])).astype(np.float32)
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    return np.ascontiguousarray(q, dtype=np.float32)


def recall(truth: list[list[int]], got: list[list[int]]) -> float:
    total = sum(len(t) for t in truth)
    return sum(len(set(t) & set(g)) for t, g in zip(truth, got)) / total if total else 1.0


def build(vectors: np.ndarray, dim: int, config: IndexConfig | None = None) -> tuple[Any, dict[str, Any]]:
    """The index for ``vectors`` (normalised, float32) and its manifest entry."""
    import faiss

    config = config or IndexConfig.from_env()
    x = np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, dim)
    n = len(x)
    kind = config.kind_for(n)
    if kind != "flat" and n < 2 * MIN_POINTS_PER_LIST:
        kind = "flat"  # nothing to train on: exact is also the fastest
    info: dict[str, Any] = {"kind": kind, "chunks": n, "params": {}}
    if kind == "flat":
        flat = faiss.IndexFlatIP(dim)
        if n:
            flat.add(x)
        info.update(recall_at_10=1.0, recall_sample=0)
        return flat, info
    rng = np.random.default_rng(config.seed)
    queries = probe_queries(x, config.sample, config.seed)
    # exact neighbours without a second copy of the vectors (an IndexFlat would hold one)
    truth = faiss.knn(queries, x, RECALL_K, metric=faiss.METRIC_INNER_PRODUCT)[1].tolist()
    if kind in ("ivf", "ivf_sq"):
        nlist = nlist_for(n)
        quantizer = faiss.IndexFlatIP(dim)
        if kind == "ivf":
            index = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
        else:  # the vectors themselves, not residuals: one code table for every list
            base = faiss.IndexIVFScalarQuantizer(quantizer, dim, nlist, faiss.ScalarQuantizer.QT_8bit,
                                                 faiss.METRIC_INNER_PRODUCT, False)
            index = faiss.IndexRefineFlat(base)
            index.k_factor = K_FACTOR
        train = x if n <= TRAIN_POINTS_PER_LIST * nlist else x[np.sort(rng.choice(
            n, size=TRAIN_POINTS_PER_LIST * nlist, replace=False))]
        index.train(train)
        index.add(x)  # ivf_sq: the codes into the lists and the floats into the re-ranking index
        choices = nprobe_choices(nlist)
        attr, params = "nprobe", {"nlist": nlist}
        if kind == "ivf_sq":
            params.update(codec="SQ8", k_factor=K_FACTOR)
    else:
        index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index.add(x)
        choices = list(HNSW_EF_SEARCH)
        attr, params = "efSearch", {"M": HNSW_M, "efConstruction": HNSW_EF_CONSTRUCTION}
    target = ivf_part(index) if attr == "nprobe" else index.hnsw
    reached = 0.0
    for value in choices:
        setattr(target, attr, value)
        reached = recall(truth, index.search(queries, RECALL_K)[1].tolist())
        if reached >= config.recall_target:
            break
    params[attr] = value
    info.update(params=params, recall_at_10=round(reached, 4), recall_sample=len(queries),
                recall_target=config.recall_target)
    return index, info


def configure(index: Any, info: dict[str, Any] | None) -> Any:
    """Check that ``index`` (read back from disk) is the kind the manifest names and apply its
    search parameters. An IVF index gets its direct map, so vectors can be read back
    (incremental ingest, document vectors)."""
    import faiss

    info = info or {"kind": "flat", "params": {}}
    kind = info.get("kind")
    types = {"flat": faiss.IndexFlat, "ivf": faiss.IndexIVF, "ivf_sq": faiss.IndexRefine, "hnsw": faiss.IndexHNSW}
    if kind not in types or not isinstance(index, types[kind]) or (
            kind == "ivf_sq" and not isinstance(ivf_part(index), faiss.IndexIVFScalarQuantizer)):
        raise IndexStoreError(f"向量索引文件 faiss.index 的类型（{type(index).__name__}）与索引清单记录的"
                          f"“{kind}”不符。{REINGEST}（faiss.index is not the kind the manifest names）")
    params = info.get("params") or {}
    try:
        if kind == "ivf":
            index.nprobe = int(params["nprobe"])
            index.make_direct_map()
        elif kind == "ivf_sq":
            ivf_part(index).nprobe = int(params["nprobe"])
            index.k_factor = float(params["k_factor"])
        elif kind == "hnsw":
            index.hnsw.efSearch = int(params["efSearch"])
    except (KeyError, TypeError, ValueError) as exc:
        raise IndexStoreError(f"索引清单中向量索引的参数无效（{exc!r}）。{REINGEST}"
                          f"（invalid vector_index parameters in the manifest）") from None
    return index


def describe(info: dict[str, Any] | None) -> str:
    """One line for people (``civilqa list``): which index, its parameters, its recall."""
    info = info or {"kind": "flat"}
    kind = info.get("kind", "flat")
    if kind == "flat":
        return "向量索引：Flat（精确检索）"
    p = info.get("params") or {}
    name = {"ivf": f"IVF{p.get('nlist')},Flat，nprobe={p.get('nprobe')}",
            "ivf_sq": f"IVF{p.get('nlist')},SQ8（精确重排 ×{p.get('k_factor')}），nprobe={p.get('nprobe')}"}.get(
        kind, f"HNSW{p.get('M')}，efSearch={p.get('efSearch')}")
    return (f"向量索引：{name}（近似检索；recall@10 = {info.get('recall_at_10', 0):.3f}，"
            f"样本 {info.get('recall_sample', 0)} 个向量）")

"""The scale worker: ``python -m eval.bench scale N structured|random SIGMA VARIANTS HNSW_MAX [TEMPLATES_MAX]``."""
import json
import sys

from eval.bench.scale import bench_scale

if __name__ == "__main__":
    if len(sys.argv) in (7, 8) and sys.argv[1] == "scale":
        result = bench_scale(int(sys.argv[2]), sys.argv[3], float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]),
                             templates_max=int(sys.argv[7]) if len(sys.argv) == 8 else 0)
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    else:
        sys.exit("usage: python -m eval.bench scale N structured|random SIGMA VARIANTS HNSW_MAX [TEMPLATES_MAX]")

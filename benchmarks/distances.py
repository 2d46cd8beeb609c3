#!/usr/bin/env python3
"""dist_matrix_chunked (from chapters/fast_distances.md) against SciPy and scikit-learn.

For N = 2000 and D in (64, 3): median time (candidates interleaved in one process), peak memory
relative to the (N, N) output (tracemalloc), and max absolute error for points offset by 1e6.
Writes benchmarks/results/distances.json.

    .venv/bin/python benchmarks/distances.py [--quick]
"""
from __future__ import annotations

import json
import sys
import tracemalloc
from pathlib import Path

import numpy as np
from scipy.spatial.distance import cdist, pdist, squareform
from sklearn.metrics import pairwise_distances

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks import machine  # noqa: E402
from course_tools.notebooks import load_chapter  # noqa: E402
from course_tools.timing import time_candidates  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "distances.json"
LIBRARIES = ("scipy cdist", "scipy squareform(pdist)", "sklearn pairwise_distances")


def candidates() -> dict:
    fast = load_chapter("fast_distances")
    broadcast = load_chapter("distance_matrix").dist_matrix_vec
    return {"dist_matrix_chunked": fast.dist_matrix_chunked,
            "scipy cdist": lambda X: cdist(X, X),
            "scipy squareform(pdist)": lambda X: squareform(pdist(X)),
            "sklearn pairwise_distances": lambda X: pairwise_distances(X),
            "broadcast one-liner": broadcast}


def peak_bytes(fn, X) -> int:
    tracemalloc.start()
    try:
        fn(X)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def measure(N: int, D: int, budget_s: float) -> dict:
    rng = np.random.default_rng(0)
    X = rng.standard_normal((N, D))
    far = X + 1e6
    exact = np.sqrt(((far[:, None, :] - far[None, :, :]) ** 2).sum(axis=-1))  # differences are exact
    output_bytes = 8 * N * N
    fns = candidates()
    timings = time_candidates({name: (lambda fn=fn: fn(X)) for name, fn in fns.items()}, budget_s)
    fastest_library = min(timings[name].median for name in LIBRARIES)
    rows = {}
    for name, fn in fns.items():
        rows[name] = {"median_s": timings[name].median, "spread": timings[name].spread,
                      "repeats": len(timings[name].seconds_per_call),
                      "vs_fastest_library": timings[name].median / fastest_library,
                      "peak_over_output": peak_bytes(fn, X) / output_bytes,
                      "max_error_offset_1e6": float(np.abs(fn(far) - exact).max())}
    return {"N": N, "D": D, "candidates": rows}


def main(quick: bool) -> dict:
    N, budget = (300, 0.5) if quick else (2000, 20.0)
    results = {"date": machine.today(), "machine": machine.describe(),
               "cases": [measure(N, D, budget) for D in (64, 3)]}
    if not quick:
        RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    for case in results["cases"]:
        for name, row in case["candidates"].items():
            print(f"D={case['D']:>2} {name:<27} {row['median_s'] * 1e3:8.1f} ms "
                  f"{row['vs_fastest_library']:6.2f}x  peak {row['peak_over_output']:5.2f}x output  "
                  f"error {row['max_error_offset_1e6']:.1e}")
    return results


if __name__ == "__main__":
    main(quick="--quick" in sys.argv[1:])

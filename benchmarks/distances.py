"""dist_matrix_chunked (chapters/fast_distances.md) against SciPy and scikit-learn.

At N = 2000 points and D in (64, 3), in one run: median time (candidates interleaved in one
process), time relative to the fastest library routine, peak memory relative to the (N, N) output
(tracemalloc: NumPy reports its buffers to it), and max absolute error for the same points offset
by 1e6, against an exact reference. Part of ``python3 tasks.py bench``; alone:

    python3 tasks.py bench --only distances [--quick --output-dir DIR]
"""
from __future__ import annotations

import numpy as np
from scipy.spatial.distance import cdist, pdist, squareform
from sklearn.metrics import pairwise_distances

from benchmarks import machine
from course_tools.notebooks import load_chapter
from course_tools.timing import time_candidates

LIBRARIES = ("scipy cdist", "scipy squareform(pdist)", "sklearn pairwise_distances")
OURS = "dist_matrix_chunked"
TARGETS = {64: 1.2, 3: 1.5}        # time / fastest library, by D
MEMORY_TARGET = 1.1                # peak / output bytes
ERROR_TARGET = 1e-12               # max absolute error at offset 1e6
OFFSET = 1e6


def candidates() -> dict:
    fast = load_chapter("fast_distances")
    return {OURS: fast.dist_matrix_chunked,
            "scipy cdist": lambda X: cdist(X, X),
            "scipy squareform(pdist)": lambda X: squareform(pdist(X)),
            "sklearn pairwise_distances": lambda X: pairwise_distances(X),
            "textbook Gram trick": fast.dist_matrix_gram,
            "broadcast one-liner": load_chapter("distance_matrix").dist_matrix_vec}


def exact_distances(X: np.ndarray, rows: int = 64) -> np.ndarray:
    """The definition, a few rows at a time. For points offset by 1e6 every difference of two
    coordinates is exact in float64 (Sterbenz), so the only rounding is in the sum of D squares and
    the square root: relative error about 1e-16 (tests/test_fast_distances.py checks this against
    exact rational arithmetic)."""
    out = np.empty((len(X), len(X)))
    for start in range(0, len(X), rows):
        out[start:start + rows] = np.sqrt(((X[start:start + rows, None, :] - X[None, :, :]) ** 2).sum(axis=-1))
    return out


def measure_case(N: int, D: int, budget_s: float) -> dict:
    rng = np.random.default_rng(0)
    X = rng.standard_normal((N, D))
    far = X + OFFSET
    exact = exact_distances(far)
    output_bytes = X.dtype.itemsize * N * N
    fns = candidates()
    peak_bytes = load_chapter("fast_distances").peak_bytes
    timings = time_candidates({name: (lambda fn=fn: fn(X)) for name, fn in fns.items()}, budget_s)
    fastest_library = min(timings[name].median for name in LIBRARIES)
    rows = {}
    for name, fn in fns.items():
        peak = peak_bytes(fn, X)
        rows[name] = {"median_s": timings[name].median, "spread": timings[name].spread,
                      "samples": len(timings[name].seconds_per_call),
                      "vs_fastest_library": timings[name].median / fastest_library,
                      "peak_bytes": peak, "peak_over_output": peak / output_bytes,
                      "max_error_offset_1e6": float(np.abs(fn(far) - exact).max())}
    ours = rows[OURS]
    targets = {"time_vs_fastest_library": {"target": TARGETS.get(D), "measured": ours["vs_fastest_library"]},
               "peak_over_output": {"target": MEMORY_TARGET, "measured": ours["peak_over_output"]},
               "max_error_offset_1e6": {"target": ERROR_TARGET, "measured": ours["max_error_offset_1e6"]}}
    for row in targets.values():
        row["met"] = row["target"] is None or row["measured"] <= row["target"]
    return {"N": N, "D": D, "output_bytes": output_bytes, "fastest_library":
            min(LIBRARIES, key=lambda name: timings[name].median), "targets": targets, "candidates": rows}


def measure(quick: bool = False) -> dict:
    N, budget = (200, 0.3) if quick else (2000, 20.0)
    results = {"benchmark": "distances", "quick": quick, "date": machine.today(),
               "machine": machine.describe(), "note": machine.SHARED_MACHINE_NOTE,
               "cases": [measure_case(N, D, budget) for D in (64, 3)]}
    results["machine"]["load_average_end"] = machine.load_average()
    return results


def report(results: dict) -> None:
    for case in results["cases"]:
        print(f"N = {case['N']}, D = {case['D']}")
        for name, row in case["candidates"].items():
            print(f"  {name:<27} {row['median_s'] * 1e3:8.1f} ms {row['vs_fastest_library']:6.2f}x  "
                  f"peak {row['peak_bytes'] / 1e6:8.1f} MB = {row['peak_over_output']:6.2f}x output  "
                  f"error at 1e6 {row['max_error_offset_1e6']:.1e}")
        for target, row in case["targets"].items():
            print(f"  target {target}: {row['measured']:.3g} (target {row['target']}) "
                  f"{'met' if row['met'] else 'NOT MET'}")


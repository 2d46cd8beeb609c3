#!/usr/bin/env python3
"""Time every chapter's <op>_loop against <op>_vec, and measure the machine's limits.

Functions are loaded from the chapters themselves (course_tools.notebooks.load_chapter), so the
benchmark times exactly the code on the pages. Candidates are interleaved in one process.
Writes benchmarks/results/operations.json (medians, spread, ratios, scaling series, machine).

    .venv/bin/python benchmarks/run.py           # about 3 minutes on 2 cores
    .venv/bin/python benchmarks/run.py --quick   # seconds: small sizes, nothing written
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks import machine  # noqa: E402
from course_tools.notebooks import load_chapter  # noqa: E402
from course_tools.timing import time_candidates  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "operations.json"
rng = np.random.default_rng(0)


def cube(x):
    return x**3


# operation -> (chapter, loop, vec, make inputs from a size, teaching size, large size)
OPERATIONS = {
    "dot product": ("dot_product", "dot_loop", "dot_vec",
                    lambda n: (rng.standard_normal(n), rng.standard_normal(n)), 1_000, 1_000_000),
    "matrix multiplication": ("matmul", "matmul_loop", "matmul_vec",
                              lambda n: (rng.standard_normal((n, n)), rng.standard_normal((n, n))), 64, 128),
    "L2 norm": ("l2_norm", "norm_loop", "norm_vec", lambda n: (rng.standard_normal(n),), 1_000, 1_000_000),
    "distance matrix": ("distance_matrix", "dist_matrix_loop", "dist_matrix_vec",
                        lambda n: (rng.standard_normal((n, 3)),), 50, 400),
    "cosine similarity": ("cosine_similarity", "cosine_loop", "cosine_vec",
                          lambda n: (rng.standard_normal(n), rng.standard_normal(n)), 1_000, 1_000_000),
    "linear layer": ("linear_layer", "layer_loop", "layer_vec",
                     lambda n: (rng.standard_normal((n, 32)), rng.standard_normal((16, 32)),
                                rng.standard_normal(16)), 64, 1_024),
    "central difference": ("central_difference", "central_diff_loop", "central_diff_vec",
                           lambda n: (cube, np.linspace(-2, 2, n), 1e-3), 9, 100_000),
    "standardization": ("standardization", "standardize_loop", "standardize_vec",
                        lambda n: (rng.standard_normal((n, 4)),), 200, 50_000),
    "mean squared error": ("mse", "mse_loop", "mse_vec",
                           lambda n: (rng.standard_normal(n), rng.standard_normal(n)), 1_000, 1_000_000),
}
# Sizes for the time-against-size plots (loops stop earlier: they would take minutes).
SERIES = {"dot product": ([10, 100, 1_000, 10_000, 100_000], [10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000]),
          "matrix multiplication": ([8, 16, 32, 64, 128], [8, 16, 32, 64, 128, 256, 512, 1024]),
          "distance matrix": ([10, 20, 50, 100, 200], [10, 20, 50, 100, 200, 500, 1000, 2000])}


def compare_at(loop, vec, args, budget_s):
    timings = time_candidates({"loop": lambda: loop(*args), "vec": lambda: vec(*args)}, budget_s)
    return {"loop_s": timings["loop"].median, "vec_s": timings["vec"].median,
            "loop_spread": timings["loop"].spread, "vec_spread": timings["vec"].spread,
            "ratio": timings["loop"].median / timings["vec"].median}


def time_one(fn, args, budget_s):
    return time_candidates({"f": lambda: fn(*args)}, budget_s)["f"].median


def operations(quick: bool) -> dict:
    results = {}
    for name, (stem, loop_name, vec_name, make, teaching, large) in OPERATIONS.items():
        chapter = load_chapter(stem)
        loop, vec = getattr(chapter, loop_name), getattr(chapter, vec_name)
        sizes = {"teaching": teaching} if quick else {"teaching": teaching, "large": large}
        results[name] = {"chapter": stem}
        for label, size in sizes.items():
            results[name][label] = {"size": size, **compare_at(loop, vec, make(size), 0.2 if quick else 2.0)}
        print(f"{name:<22} " + "  ".join(f"{label} n={r['size']:,}: {r['ratio']:,.0f}x"
                                          for label, r in results[name].items() if label != "chapter"))
    return results


def series(quick: bool) -> dict:
    out = {}
    for name, (loop_sizes, vec_sizes) in SERIES.items():
        stem, loop_name, vec_name, make, *_ = OPERATIONS[name]
        chapter = load_chapter(stem)
        if quick:
            loop_sizes, vec_sizes = loop_sizes[:2], vec_sizes[:2]
        out[name] = {"loop": [[n, time_one(getattr(chapter, loop_name), make(n), 0.3)] for n in loop_sizes],
                     "vec": [[n, time_one(getattr(chapter, vec_name), make(n), 0.3)] for n in vec_sizes]}
    return out


def peak_gflops() -> dict:
    """Theoretical float64 peak: cores x clock x FLOPs per cycle per core (FMA vector width x 2 units)."""
    text = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    flags = set(re.search(r"^flags\s*:(.*)$", text, re.M).group(1).split()) if "flags" in text else set()
    mhz = [float(m) for m in re.findall(r"^cpu MHz\s*:\s*([\d.]+)", text, re.M)]
    per_cycle = 32 if "avx512f" in flags else 16 if {"avx2", "fma"} <= flags else 4
    cores = machine.describe()["cores"]
    ghz = max(mhz) / 1e3 if mhz else float("nan")
    return {"gflops": cores * ghz * per_cycle, "cores": cores, "ghz": ghz, "flops_per_cycle": per_cycle,
            "assumption": "2 FMA units per core; AVX-512: 8 doubles x 2 FLOPs x 2 units = 32/cycle, "
                          "AVX2+FMA: 16/cycle; clock is the cpu MHz that /proc/cpuinfo reports"}


def limits(quick: bool) -> dict:
    result = {"matmul": {}, "bandwidth": {}}
    for n in ([256] if quick else [1024, 2048]):
        A, B = rng.standard_normal((n, n)), rng.standard_normal((n, n))
        seconds = time_one(np.matmul, (A, B), 0.5 if quick else 3.0)
        result["matmul"][str(n)] = {"seconds": seconds, "gflops": 2 * n**3 / seconds / 1e9}
    result["peak"] = peak_gflops()
    n = 1_000_000 if quick else 20_000_000
    a, b, target = rng.standard_normal(n), rng.standard_normal(n), np.empty(n)
    budget = 0.3 if quick else 2.0
    copy_s = time_one(np.copyto, (target, a), budget)
    dot_s = time_one(np.dot, (a, b), budget)
    norm_s = time_one(np.linalg.norm, (a,), budget)
    result["bandwidth"] = {"n": n, "copy_gbs": 2 * 8 * n / copy_s / 1e9,   # read + write
                           "dot_gbs": 2 * 8 * n / dot_s / 1e9,             # two arrays read
                           "norm_gbs": 8 * n / norm_s / 1e9}               # one array read
    return result


def main(quick: bool) -> dict:
    results = {"date": machine.today(), "machine": machine.describe(), "operations": operations(quick),
               "series": series(quick), "limits": limits(quick)}
    lim = results["limits"]
    for n, row in lim["matmul"].items():
        print(f"matmul {n}: {row['gflops']:.1f} GFLOP/s = {row['gflops'] / lim['peak']['gflops']:.0%} of peak")
    print("bandwidth GB/s: " + ", ".join(f"{k} {v:.1f}" for k, v in lim["bandwidth"].items() if k != "n"))
    if not quick:
        RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    return results


if __name__ == "__main__":
    main(quick="--quick" in sys.argv[1:])

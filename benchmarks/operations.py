"""Every chapter's <op>_loop against its <op>_vec, and how close the vectorized code comes to the
machine's limits.

The functions are loaded from the chapters themselves (``course_tools.notebooks.load_chapter``),
so the benchmark times exactly the code on the pages. Candidates are interleaved in one process
by ``course_tools.timing.time_candidates``. Run through ``python -m benchmarks.run``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from benchmarks import machine
from course_tools.notebooks import load_chapter
from course_tools.timing import Timing, time_candidates

F64 = 8  # bytes per float64


@dataclass(frozen=True)
class Operation:
    chapter: str                       # file stem under chapters/
    loop: str
    vec: str
    inputs: Callable[[np.random.Generator, int], tuple]   # arguments at size n
    teaching: int                      # the size the chapter itself times
    large: int                         # where the loop is slow enough to be timed once or twice
    roofline_size: int                 # vectorized only: arrays far larger than the caches
    # Work at size n: (floating-point operations, bytes that must move at least: inputs read once,
    # output written once). Counted by hand from the formula; temporaries are not counted.
    work: Callable[[int], tuple[float, float]]
    size_label: str = "n: vector length"   # what the size means, for tables


def _cube():
    return load_chapter("central_difference").cube  # the chapter's own f(x) = x**3


def two_vectors(rng, n):
    return rng.standard_normal(n), rng.standard_normal(n)


OPERATIONS = {
    "dot product": Operation(
        "dot_product", "dot_loop", "dot_vec",
        two_vectors,
        1_000, 1_000_000, 20_000_000, lambda n: (2 * n, 2 * F64 * n)),
    "matrix multiplication": Operation(
        "matmul", "matmul_loop", "matmul_vec",
        lambda rng, n: (rng.standard_normal((n, n)), rng.standard_normal((n, n))),
        64, 128, 1_024, lambda n: (2 * n**3, 3 * F64 * n**2), "n: n × n matrices"),
    "L2 norm": Operation(
        "l2_norm", "norm_loop", "norm_vec", lambda rng, n: (rng.standard_normal(n),),
        1_000, 1_000_000, 20_000_000, lambda n: (2 * n, F64 * n)),
    "distance matrix": Operation(
        "distance_matrix", "dist_matrix_loop", "dist_matrix_vec",
        lambda rng, n: (rng.standard_normal((n, 3)),),
        50, 400, 2_000, lambda n: ((3 * 3 + 1) * n**2, F64 * (n**2 + 3 * n)), "N points, D = 3"),
    "cosine similarity": Operation(
        "cosine_similarity", "cosine_loop", "cosine_vec",
        two_vectors,
        1_000, 1_000_000, 20_000_000, lambda n: (6 * n, 2 * F64 * n)),
    "linear layer": Operation(
        "linear_layer", "layer_loop", "layer_vec",
        lambda rng, n: (rng.standard_normal((n, 32)), rng.standard_normal((16, 32)), rng.standard_normal(16)),
        64, 1_024, 1_000_000, lambda n: ((2 * 32 + 1) * 16 * n, F64 * (32 * n + 16 * n)),
        "N rows, D = 32, H = 16"),
    "central difference": Operation(
        "central_difference", "central_diff_loop", "central_diff_vec",
        lambda rng, n: (_cube(), np.linspace(-2.0, 2.0, n), 1e-3),
        9, 100_000, 20_000_000, lambda n: (8 * n, 2 * F64 * n), "n grid points"),  # x±h, 2 cubes, -, /
    "standardization": Operation(
        "standardization", "standardize_loop", "standardize_vec",
        lambda rng, n: (rng.standard_normal((n, 4)),),
        200, 50_000, 5_000_000, lambda n: (6 * 4 * n, 2 * F64 * 4 * n), "N rows, D = 4"),  # mean, var, -, /
    "mean squared error": Operation(
        "mse", "mse_loop", "mse_vec", lambda rng, n: (rng.standard_normal(n), rng.standard_normal(n)),
        1_000, 1_000_000, 20_000_000, lambda n: (3 * n, 2 * F64 * n), "N values"),
}
# Time-against-size series for the log-log plots; the loops stop earlier (minutes otherwise).
SERIES = {"dot product": ([10, 100, 1_000, 10_000, 100_000],
                          [10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000]),
          "L2 norm": ([10, 100, 1_000, 10_000, 100_000],
                      [10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000]),
          "matrix multiplication": ([8, 16, 32, 64, 128], [8, 16, 32, 64, 128, 256, 512, 1024]),
          "distance matrix": ([10, 20, 50, 100, 200], [10, 20, 50, 100, 200, 500, 1000, 2000])}
MATMUL_SIZES = (1_024, 2_048)
COPY_SIZE = 20_000_000  # 160 MB per array: far beyond any cache


def _stats(timing: Timing) -> dict:
    return {"median_s": timing.median, "spread": timing.spread, "samples": len(timing.seconds_per_call)}


def _functions(op: Operation) -> tuple[Callable, Callable]:
    chapter = load_chapter(op.chapter)
    return getattr(chapter, op.loop), getattr(chapter, op.vec)


def _time(fn: Callable, args: tuple, budget_s: float) -> Timing:
    return time_candidates({"f": lambda: fn(*args)}, budget_s)["f"]


def speedups(quick: bool) -> dict:
    """Loop against vectorized at the teaching and the large size, interleaved."""
    rng = np.random.default_rng(0)
    results = {}
    for name, op in OPERATIONS.items():
        loop, vec = _functions(op)
        results[name] = {"chapter": op.chapter, "loop": op.loop, "vec": op.vec, "size_label": op.size_label}
        for label, size in (("teaching", op.teaching), ("large", op.large)):
            if quick and label == "large":
                size = op.teaching * 2
            args = op.inputs(rng, size)
            timings = time_candidates({"loop": lambda: loop(*args), "vec": lambda: vec(*args)},
                                      budget_s=0.1 if quick else 2.0)
            results[name][label] = {"size": size, "loop": _stats(timings["loop"]),
                                    "vec": _stats(timings["vec"]),
                                    "ratio": timings["loop"].median / timings["vec"].median}
        print(f"{name:<22} teaching {results[name]['teaching']['ratio']:>8,.0f}x   "
              f"large {results[name]['large']['ratio']:>8,.0f}x", flush=True)
    return results


def series(quick: bool) -> dict:
    rng = np.random.default_rng(0)
    out = {}
    for name, (loop_sizes, vec_sizes) in SERIES.items():
        op = OPERATIONS[name]
        loop, vec = _functions(op)
        if quick:
            loop_sizes, vec_sizes = loop_sizes[:2], vec_sizes[:2]
        out[name] = {"size_label": op.size_label,
                     "loop": [[n, _time(loop, op.inputs(rng, n), 0.3).median] for n in loop_sizes],
                     "vec": [[n, _time(vec, op.inputs(rng, n), 0.3).median] for n in vec_sizes]}
    return out


def limits(quick: bool) -> dict:
    """BLAS matmul GFLOP/s and the nominal peak; read and copy bandwidth; every vectorized
    operation on large arrays against the measured roofs (a roofline: attainable =
    min(best BLAS rate, FLOPs per byte x fastest streaming rate))."""
    rng = np.random.default_rng(0)
    peak = machine.nominal_peak_gflops()
    matmul = {}
    for n in ((128,) if quick else MATMUL_SIZES):
        A, B = rng.standard_normal((n, n)), rng.standard_normal((n, n))
        timing = _time(np.matmul, (A, B), 0.2 if quick else 3.0)
        matmul[str(n)] = {**_stats(timing), "gflops": 2 * n**3 / timing.median / 1e9,
                          "best_gflops": 2 * n**3 / min(timing.seconds_per_call) / 1e9,
                          "share_of_peak": 2 * n**3 / timing.median / 1e9 / peak["gflops"]}
    n = 100_000 if quick else COPY_SIZE
    source, target = rng.standard_normal(n), np.empty(n)
    copy = _time(np.copyto, (target, source), 0.2 if quick else 2.0)
    del source, target
    copy_gbs = 2 * F64 * n / copy.median / 1e9  # one array read, one written
    copy_best_gbs = 2 * F64 * n / min(copy.seconds_per_call) / 1e9
    read = machine.read_bandwidth(rng.standard_normal(n), 0.2 if quick else 2.0)
    # The memory roof: the fastest any of the three streaming kernels went.
    streams = {**read["rates"], "np.copyto on one thread": copy_best_gbs}
    fastest = max(streams, key=streams.get)
    memory = {"gbs": streams[fastest], "kernel": fastest, "rates": streams,
              "method": "the fastest of three kernels streaming n float64 "
                        "(fastest repetition each): " + ", ".join(streams)}
    per_op = {}
    for name, op in OPERATIONS.items():
        _, vec = _functions(op)
        size = op.teaching * 4 if quick else op.roofline_size
        timing = _time(vec, op.inputs(rng, size), 0.1 if quick else 1.0)
        flops, moved = op.work(size)
        per_op[name] = {"size": size, **_stats(timing), "flops": flops,
                        "bytes": moved, "gflops": flops / timing.median / 1e9,
                        "best_gflops": flops / min(timing.seconds_per_call) / 1e9,
                        "gbs": moved / timing.median / 1e9,
                        "flops_per_byte": flops / moved}
    # Measured roofs: the best BLAS matmul rate of this run (the roofline's own
    # matmul included) and the read-only bandwidth, each from its fastest
    # repetition; the points are medians. A nominal peak from the clock, or a
    # one-thread copy, can sit below what the code reaches.
    compute = max([row["best_gflops"] for row in matmul.values()]
                  + [per_op["matrix multiplication"]["best_gflops"]])
    for row in per_op.values():
        attainable = min(compute, row["flops_per_byte"] * memory["gbs"])
        row.update(bound="compute" if attainable == compute else "memory",
                   share_of_attainable=row["gflops"] / attainable)
    return {"peak": peak, "matmul": matmul,
            "compute_roof": {"gflops": compute, "method": "the best BLAS "
                             "matmul rate of this run (fastest repetition)"},
            "read": read, "memory_roof": memory,
            "copy": {"n": n, **_stats(copy), "gbs": copy_gbs,
                     "method": "np.copyto(target, source) of two float64 arrays; counted as one read "
                               "and one write of n x 8 bytes"},
            "operations": per_op}


def measure(quick: bool = False) -> dict:
    results = {"benchmark": "operations", "quick": quick, "date": machine.today(),
               "machine": machine.describe(), "note": machine.SHARED_MACHINE_NOTE,
               "speedups": speedups(quick), "series": series(quick), "limits": limits(quick)}
    results["machine"]["load_average_end"] = machine.load_average()
    return results


def report(results: dict) -> None:
    lim = results["limits"]
    peak = lim["peak"]
    print(f"nominal peak {peak['gflops']:.1f} GFLOP/s ({peak['method']})")
    for n, row in lim["matmul"].items():
        print(f"matmul {n}: {row['gflops']:.1f} GFLOP/s = {row['share_of_peak']:.0%} of nominal peak")
    memory = lim["memory_roof"]
    print(f"memory roof {memory['gbs']:.1f} GB/s ({memory['kernel']}); "
          f"compute roof {lim['compute_roof']['gflops']:.1f} GFLOP/s")
    for name, row in lim["operations"].items():
        print(f"  {name:<22} {row['gflops']:7.2f} GFLOP/s {row['gbs']:7.1f} GB/s  {row['bound']}-bound, "
              f"{row['share_of_attainable']:.0%} of attainable")


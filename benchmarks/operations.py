"""Every chapter's <op>_loop against its <op>_vec, and how close the vectorized code comes to the
machine's limits.

The functions are loaded from the chapters themselves (``course_tools.notebooks.load_chapter``),
so the benchmark times exactly the code on the pages, by the course's one timing method
(``course_tools.timing``: BLAS on one thread, warm blocks, interleaved rounds, medians) — the method
the chapters use. Each operation's results carry their own date, machine and load, so one operation
can be re-measured alone (``python3 tasks.py bench --only "dot product"``) and the others kept.
Run through ``python -m benchmarks.run``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from benchmarks import machine
from course_tools.notebooks import load_chapter
from course_tools.timing import Timing, blas_setting, time_candidates

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
SERIES_ROUNDS = 5          # every point of a series: at least this many interleaved rounds
MATMUL_SIZES = (1_024, 2_048)
STREAM_SIZE = 20_000_000   # 160 MB per array: far beyond any cache


def _stats(timing: Timing) -> dict:
    return {"median_s": timing.median, "spread": timing.spread, "samples": len(timing.seconds_per_call)}


def _functions(op: Operation) -> tuple[Callable, Callable]:
    chapter = load_chapter(op.chapter)
    return getattr(chapter, op.loop), getattr(chapter, op.vec)


def _time(fn: Callable, args: tuple, budget_s: float, min_rounds: int = 3) -> Timing:
    return time_candidates({"f": lambda: fn(*args)}, budget_s, min_rounds=min_rounds)["f"]


def when() -> dict:
    """Where and when a result was measured: each operation keeps its own."""
    described = machine.describe()
    return {"date": machine.today(), "cpu": described["cpu"], "cores": described["cores"],
            "numpy": described["numpy"], "blas_setting": blas_setting(),
            "load_average_start": machine.load_average()}


def speedup(name: str, quick: bool) -> dict:
    """Loop against vectorized at the teaching and the large size, interleaved."""
    op = OPERATIONS[name]
    rng = np.random.default_rng(0)
    loop, vec = _functions(op)
    result = {"chapter": op.chapter, "loop": op.loop, "vec": op.vec, "size_label": op.size_label}
    for label, size in (("teaching", op.teaching), ("large", op.large)):
        if quick and label == "large":
            size = op.teaching * 2
        args = op.inputs(rng, size)
        timings = time_candidates({"loop": lambda: loop(*args), "vec": lambda: vec(*args)},
                                  budget_s=0.1 if quick else 2.0)
        result[label] = {"size": size, "loop": _stats(timings["loop"]), "vec": _stats(timings["vec"]),
                         "ratio": timings["loop"].median / timings["vec"].median}
    return result


def series(name: str, quick: bool) -> dict:
    """Time against size; where both versions are measured at a size they are interleaved."""
    op = OPERATIONS[name]
    loop_sizes, vec_sizes = SERIES[name]
    if quick:
        loop_sizes, vec_sizes = loop_sizes[:2], vec_sizes[:2]
    rng = np.random.default_rng(0)
    loop, vec = _functions(op)
    out = {"size_label": op.size_label, "loop": [], "vec": []}
    for n in vec_sizes:
        args = op.inputs(rng, n)
        candidates = {"vec": lambda: vec(*args)}
        if n in loop_sizes:
            candidates["loop"] = lambda: loop(*args)
        timings = time_candidates(candidates, budget_s=0.1 if quick else 0.6,
                                  min_rounds=3 if quick else SERIES_ROUNDS)
        for version, timing in timings.items():
            out[version].append([n, timing.median, len(timing.seconds_per_call)])
    return out


def roofs(quick: bool) -> dict:
    """The machine's limits on one core (BLAS on one thread, as every timing here): the best BLAS
    matmul rate, and the fastest of two streaming kernels that no chapter uses (``np.sum``, a read,
    and ``np.copyto``, a read and a write). Each rated by its fastest repetition."""
    rng = np.random.default_rng(0)
    peak = machine.nominal_peak_gflops(cores=1)
    matmul = {}
    for n in ((128,) if quick else MATMUL_SIZES):
        A, B = rng.standard_normal((n, n)), rng.standard_normal((n, n))
        timing = _time(np.matmul, (A, B), 0.2 if quick else 3.0)
        matmul[str(n)] = {**_stats(timing), "gflops": 2 * n**3 / timing.median / 1e9,
                          "best_gflops": 2 * n**3 / min(timing.seconds_per_call) / 1e9,
                          "share_of_peak": 2 * n**3 / timing.median / 1e9 / peak["gflops"]}
    n = 100_000 if quick else STREAM_SIZE
    source, target = rng.standard_normal(n), np.empty(n)
    streams = time_candidates({"np.sum": lambda: np.sum(source),
                               "np.copyto": lambda: np.copyto(target, source)}, 0.2 if quick else 2.0)
    moved = {"np.sum": F64 * n, "np.copyto": 2 * F64 * n}  # copy: one array read, one written
    rates = {name: moved[name] / min(t.seconds_per_call) / 1e9 for name, t in streams.items()}
    fastest = max(rates, key=rates.get)
    compute = max(row["best_gflops"] for row in matmul.values())
    return {"peak": peak, "matmul": matmul,
            "compute_roof": {"gflops": compute, "method": "the best BLAS matmul rate on one thread "
                             "(fastest repetition)"},
            "memory_roof": {"gbs": rates[fastest], "kernel": fastest, "rates": rates, "n": n,
                            "method": "the faster of np.sum (reads n float64) and np.copyto (reads and "
                                      "writes n float64) on one core, fastest repetition each; no "
                                      "chapter's operation is one of them"}}


def roofline_point(name: str, quick: bool, limits: dict) -> dict:
    """The vectorized operation on arrays far larger than the caches, against the roofs."""
    op = OPERATIONS[name]
    _, vec = _functions(op)
    size = op.teaching * 4 if quick else op.roofline_size
    timing = _time(vec, op.inputs(np.random.default_rng(0), size), 0.1 if quick else 1.0)
    flops, moved = op.work(size)
    row = {"size": size, **_stats(timing), "flops": flops, "bytes": moved,
           "gflops": flops / timing.median / 1e9, "gbs": moved / timing.median / 1e9,
           "flops_per_byte": flops / moved}
    return {**row, **against_roofs(row, limits)}


def against_roofs(row: dict, limits: dict) -> dict:
    """Roofline: attainable = min(compute roof, intensity x memory roof)."""
    compute, memory = limits["compute_roof"]["gflops"], limits["memory_roof"]["gbs"]
    attainable = min(compute, row["flops_per_byte"] * memory)
    return {"bound": "compute" if attainable == compute else "memory",
            "share_of_attainable": row["gflops"] / attainable}


def measure_operation(name: str, quick: bool, limits: dict) -> dict:
    measured = when()
    result = {"speedup": speedup(name, quick), "roofline": roofline_point(name, quick, limits)}
    if name in SERIES:
        result["series"] = series(name, quick)
    measured["load_average_end"] = machine.load_average()
    row = result["speedup"]
    print(f"{name:<22} teaching {row['teaching']['ratio']:>8,.0f}x   large {row['large']['ratio']:>8,.0f}x"
          f"   load {measured['load_average_start'][0]} -> {measured['load_average_end'][0]}", flush=True)
    return {**result, "measured": measured}


def measure(quick: bool = False, only: str | None = None, previous: dict | None = None) -> dict:
    """Every operation, or only ``only`` (its results replace those in ``previous``, the rest kept)."""
    if only is not None and previous is None:
        raise ValueError("measuring one operation needs the previous results to keep the others")
    results = {"benchmark": "operations", "quick": quick, "date": machine.today(),
               "machine": machine.describe(), "note": machine.SHARED_MACHINE_NOTE,
               "timing": "course_tools.timing: BLAS limited to one thread (threadpoolctl), vectorized "
                         "calls timed warm in blocks of at least 5 ms, loop and vectorized interleaved "
                         "by rounds in a shuffled order, CPU time of the timing thread where precise, medians"}
    if only is None:
        limits = roofs(quick)
        limits["measured"] = {**when(), "load_average_end": machine.load_average()}
        operations = {name: measure_operation(name, quick, limits) for name in OPERATIONS}
    else:
        limits = previous["limits"]
        operations = {name: {"speedup": previous["speedups"][name], "roofline": limits["operations"][name],
                             "measured": previous["measured"][name],
                             **({"series": previous["series"][name]} if name in previous["series"] else {})}
                      for name in OPERATIONS if name != only and name in previous["speedups"]}
        operations[only] = measure_operation(only, quick, limits)
        operations = {name: operations[name] for name in OPERATIONS if name in operations}
    results["machine"]["load_average_end"] = machine.load_average()
    results.update(speedups={name: op["speedup"] for name, op in operations.items()},
                   series={name: op["series"] for name, op in operations.items() if "series" in op},
                   measured={name: op["measured"] for name, op in operations.items()},
                   limits={**{k: v for k, v in limits.items() if k != "operations"},
                           "operations": {name: op["roofline"] for name, op in operations.items()}})
    return results


def disagreements(results: dict, tolerance: float = 1.5) -> list[str]:
    """Every (operation, version, size) timed both in the speed-up table and in a series, where the
    two medians differ by more than ``tolerance``×."""
    found = []
    for name, row in results["speedups"].items():
        for version in ("loop", "vec"):
            points = {n: t for n, t, *_ in results["series"].get(name, {}).get(version, [])}
            for label in ("teaching", "large"):
                size, median = row[label]["size"], row[label][version]["median_s"]
                if size in points and max(median, points[size]) / min(median, points[size]) > tolerance:
                    found.append(f"{name} {version} at {size:,}: {median:.3g} s in the speed-up table, "
                                 f"{points[size]:.3g} s in the series")
    return found


def report(results: dict) -> None:
    lim = results["limits"]
    peak = lim["peak"]
    print(f"nominal peak of one core {peak['gflops']:.1f} GFLOP/s ({peak['method']})")
    for n, row in lim["matmul"].items():
        print(f"matmul {n}: {row['gflops']:.1f} GFLOP/s = {row['share_of_peak']:.0%} of nominal peak")
    memory = lim["memory_roof"]
    print(f"memory roof {memory['gbs']:.1f} GB/s ({memory['kernel']}); "
          f"compute roof {lim['compute_roof']['gflops']:.1f} GFLOP/s")
    for name, row in lim["operations"].items():
        print(f"  {name:<22} {row['gflops']:7.2f} GFLOP/s {row['gbs']:7.1f} GB/s  {row['bound']}-bound, "
              f"{row['share_of_attainable']:.0%} of attainable")
    for line in disagreements(results):
        print("DISAGREE:", line)

"""The course's one timing method, used by every chapter, the performance lab and the benchmarks.

- **BLAS on one thread**, set with threadpoolctl while timing and reported with the result. On a
  small or shared machine a multi-threaded BLAS call waits for a second thread that another
  process may be using (oversubscription), and a call after an idle pause pays for waking its
  threads: `a @ b` measured 0.86–12 ms that way against 0.06–0.1 ms back to back.
- **Warm blocks.** A fast call is repeated until one block lasts at least ``MIN_BLOCK_S``, after
  one untimed call; the time per call is block / calls.
- **Interleaved rounds.** Each round times one block of every candidate, in a shuffled order, so a
  burst of background load hits the loop and the vectorized version alike.
- **Medians** over the rounds, with the interquartile spread.
- **CPU time of the timing thread** (``time.thread_time``) where the system measures it to the
  microsecond: time spent waiting for a core that another process holds is not the code's cost,
  and on a busy machine it swamped wall-clock blocks. Elsewhere (Windows' 16 ms thread clock, a
  browser kernel) the wall clock, ``time.perf_counter``. The time budget is always wall-clock.

Never ``%timeit`` for the book's numbers: it costs seconds per statement and interleaves nothing.
"""
from __future__ import annotations

import math
import os
import random
import statistics
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable

# One block of calls must be long enough for the clock and short enough to interleave often.
MIN_BLOCK_S = 5e-3
# Seconds of timing per second of budget asked for. Only the test suite lowers it
# (the root conftest.py): it runs every notebook again to prove that it runs and that each claim holds,
# not to publish a number. Each timing still takes its calibration and at least ``min_rounds``
# rounds. The book build and the benchmarks, which publish numbers, always run at 1 (tasks.py).
BUDGET_SCALE = float(os.environ.get("COURSE_TIMING_BUDGET", "1"))
# BLAS threads while timing: one, so a result does not depend on what else the machine runs
# (and so the timing thread's CPU time is all of the call's work).
BLAS_THREADS = 1


def _thread_clock_is_fine() -> bool:
    try:
        time.thread_time()
        return time.get_clock_info("thread_time").resolution <= 1e-6
    except (AttributeError, OSError, ValueError):
        return False


CLOCK = "thread CPU time" if _thread_clock_is_fine() else "wall clock"


def _now() -> float:
    return time.thread_time() if CLOCK == "thread CPU time" else time.perf_counter()


@contextmanager
def blas_threads(limit: int | None = BLAS_THREADS):
    """Limit BLAS (OpenBLAS, MKL, BLIS) to ``limit`` threads inside the block (None: no limit).

    Without threadpoolctl (a browser kernel: JupyterLite installs only what its setup cell asks
    for) nothing is limited, and :func:`blas_setting` says so.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        yield
        return
    with threadpool_limits(limits=limit, user_api="blas"):
        yield


def blas_setting() -> str:
    """What the timings ran with, e.g. 'OpenBLAS 0.3.30 on 1 thread (of 2 cores)'."""
    import numpy  # noqa: F401  (loads NumPy's BLAS, so threadpoolctl can see it)

    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return f"BLAS threads not set (threadpoolctl is not installed); clock: {CLOCK}"

    with blas_threads():
        pools = [p for p in threadpool_info() if p.get("user_api") == "blas"]
    if not pools:
        return f"no BLAS thread pool found (of {os.cpu_count()} cores); clock: {CLOCK}"
    names = {"openblas": "OpenBLAS", "mkl": "MKL", "blis": "BLIS"}
    pool = pools[0]
    threads = pool["num_threads"]
    return (f"{names.get(pool['internal_api'], pool['internal_api'])} {pool.get('version') or ''}".strip()
            + f" on {threads} thread{'s' * (threads != 1)} (of {os.cpu_count()} cores); clock: {CLOCK}")


@dataclass(frozen=True)
class Timing:
    name: str
    seconds_per_call: list[float]   # one entry per round: block time / calls per block
    calls_per_block: int = 1

    @property
    def median(self) -> float:
        return statistics.median(self.seconds_per_call)

    @property
    def spread(self) -> float:
        """Interquartile range relative to the median (0.1 means the middle half spans ±5 %)."""
        samples = self.seconds_per_call
        if len(samples) < 4:
            return (max(samples) - min(samples)) / self.median
        q1, _, q3 = statistics.quantiles(samples, n=4)
        return (q3 - q1) / self.median


def calls_per_block(fn: Callable[[], object], min_block_s: float = MIN_BLOCK_S) -> int:
    """How many back-to-back calls of ``fn`` last at least ``min_block_s`` (``fn`` warm)."""
    fn()  # warm: first-call costs (allocation, caches, page faults) are not the call's cost
    calls = 1
    while True:
        start = _now()
        for _ in range(calls):
            fn()
        elapsed = _now() - start
        if elapsed >= min_block_s or calls >= 10_000_000:
            return calls
        # Aim 20 % past the threshold from the rate so far; at least double.
        calls = max(2 * calls, math.ceil(1.2 * min_block_s * calls / max(elapsed, 1e-9)))


def time_candidates(candidates: dict[str, Callable[[], object]], budget_s: float = 0.5,
                    min_rounds: int = 3, max_rounds: int = 25,
                    min_block_s: float = MIN_BLOCK_S) -> dict[str, Timing]:
    """Time zero-argument callables by the course's method, within about ``budget_s`` seconds.

    At least ``min_rounds`` rounds, whatever the budget: a call longer than the budget costs
    about ``min_rounds + 2`` calls.
    """
    with blas_threads():
        calls = {name: calls_per_block(fn, min_block_s) for name, fn in candidates.items()}
        deadline = time.perf_counter() + budget_s * BUDGET_SCALE
        samples = {name: [] for name in candidates}
        order, shuffler = list(candidates), random.Random(0)
        for round_number in range(1, max_rounds + 1):
            # A new order each round: a candidate that always ran right after a memory-hungry one
            # would always pay for refaulting the memory that one freed, and look slower.
            shuffler.shuffle(order)
            for name in order:
                fn, n = candidates[name], calls[name]
                if n > 1:
                    fn()  # untimed: the block starts warm
                start = _now()
                for _ in range(n):
                    fn()
                samples[name].append((_now() - start) / n)
            if round_number >= min_rounds and time.perf_counter() >= deadline:
                break
    return {name: Timing(name, s, calls[name]) for name, s in samples.items()}


def format_seconds(seconds: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


@dataclass(frozen=True)
class Comparison:
    loop: Timing
    vectorized: Timing
    setting: str = ""   # the BLAS thread setting the timings ran with

    @property
    def ratio(self) -> float:
        """How many times faster the vectorized version is (median / median)."""
        return self.loop.median / self.vectorized.median

    def __str__(self) -> str:
        rows = [f"{t.name:<11} {format_seconds(t.median):>10}  (median of {len(t.seconds_per_call)} rounds, "
                f"spread ±{t.spread / 2:.0%})" for t in (self.loop, self.vectorized)]
        return "\n".join(rows + [f"speed-up    {self.ratio:>9.3g}×", f"BLAS: {self.setting}"])

    def _repr_pretty_(self, printer, cycle):  # IPython shows str(), not the dataclass fields
        printer.text(str(self))


def compare(loop_fn: Callable, vec_fn: Callable, *args, budget_s: float = 0.5) -> Comparison:
    """Median time of ``loop_fn(*args)`` against ``vec_fn(*args)``, interleaved, and their ratio."""
    timings = time_candidates({"loop": lambda: loop_fn(*args),
                               "vectorized": lambda: vec_fn(*args)}, budget_s=budget_s)
    return Comparison(timings["loop"], timings["vectorized"], blas_setting())

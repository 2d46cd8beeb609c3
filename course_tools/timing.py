"""A small, time-capped timer for notebooks (never ``%timeit``: minutes per build).

Candidates are interleaved round by round, in a shuffled order, so a burst of
background load, or the aftermath of a memory-hungry neighbour, hits all of them
alike, and each round is short enough that a slow loop is timed only once or twice. Results
are medians; the ratio is loop median / vectorized median.
"""
from __future__ import annotations

import random
import statistics
import time
from dataclasses import dataclass
from typing import Callable

# One measurement should be long enough for the clock to resolve it.
MIN_MEASUREMENT_S = 2e-4


@dataclass(frozen=True)
class Timing:
    name: str
    seconds_per_call: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds_per_call)

    @property
    def spread(self) -> float:
        """Interquartile range relative to the median (0.05 means ±5 %)."""
        samples = self.seconds_per_call
        if len(samples) < 4:
            return (max(samples) - min(samples)) / self.median
        q1, _, q3 = statistics.quantiles(samples, n=4)
        return (q3 - q1) / self.median


def _calls_per_measurement(fn: Callable[[], object]) -> tuple[int, float]:
    """Grow the number of calls until one measurement is long enough to resolve."""
    calls = 1
    while True:
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        elapsed = time.perf_counter() - start
        if elapsed >= MIN_MEASUREMENT_S or calls >= 1_000_000:
            return calls, elapsed
        calls *= 10


def time_candidates(candidates: dict[str, Callable[[], object]], budget_s: float = 0.5,
                    max_rounds: int = 25) -> dict[str, Timing]:
    """Time zero-argument callables, interleaved, within about ``budget_s`` seconds.

    Every candidate is measured at least twice (calibration plus one round), so a
    call that alone takes longer than the budget costs about two calls, not more.
    """
    deadline = time.perf_counter() + budget_s
    calls, samples = {}, {}
    for name, fn in candidates.items():
        calls[name], elapsed = _calls_per_measurement(fn)
        samples[name] = [elapsed / calls[name]]
    order, shuffler = list(candidates), random.Random(0)
    for _ in range(max_rounds):
        for name in order:
            fn = candidates[name]
            start = time.perf_counter()
            for _ in range(calls[name]):
                fn()
            samples[name].append((time.perf_counter() - start) / calls[name])
        # A new order each round: a candidate that always ran right after a memory-hungry one
        # would always pay for refaulting the memory that one freed, and look slower.
        shuffler.shuffle(order)
        if time.perf_counter() >= deadline:
            break
    return {name: Timing(name, s) for name, s in samples.items()}


def format_seconds(seconds: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


@dataclass(frozen=True)
class Comparison:
    loop: Timing
    vectorized: Timing

    @property
    def ratio(self) -> float:
        """How many times faster the vectorized version is (median / median)."""
        return self.loop.median / self.vectorized.median

    def __str__(self) -> str:
        rows = [f"{t.name:<11} {format_seconds(t.median):>10}  (median of {len(t.seconds_per_call)}, "
                f"spread ±{t.spread / 2:.0%})" for t in (self.loop, self.vectorized)]
        return "\n".join(rows + [f"speed-up    {self.ratio:>9.3g}×"])

    def _repr_pretty_(self, printer, cycle):  # IPython shows str(), not the dataclass fields
        printer.text(str(self))


def compare(loop_fn: Callable, vec_fn: Callable, *args, budget_s: float = 0.5) -> Comparison:
    """Median time of ``loop_fn(*args)`` against ``vec_fn(*args)``, and their ratio."""
    timings = time_candidates({"loop": lambda: loop_fn(*args),
                               "vectorized": lambda: vec_fn(*args)}, budget_s=budget_s)
    return Comparison(timings["loop"], timings["vectorized"])

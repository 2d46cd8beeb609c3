"""The course's timing method, on a fake clock: its logic is tested, never wall-clock figures."""
import pytest

from course_tools import timing


class FakeClock:
    """perf_counter() that advances only when a timed function 'runs'."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def costing(self, seconds):
        def fn():
            self.now += seconds
        return fn


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(timing.time, "perf_counter", fake)  # the budget
    monkeypatch.setattr(timing.time, "thread_time", fake)   # the measurements, where precise
    monkeypatch.setattr(timing, "BUDGET_SCALE", 1.0)        # as the book build times
    return fake


def test_measurements_use_the_thread_cpu_clock_where_it_is_precise(monkeypatch):
    """Time spent waiting for a core is not the code's cost: measure CPU time when it resolves
    microseconds, else the wall clock (Windows' thread clock ticks every 16 ms)."""
    monkeypatch.setattr(timing, "CLOCK", "thread CPU time")
    monkeypatch.setattr(timing.time, "thread_time", lambda: 1.0)
    monkeypatch.setattr(timing.time, "perf_counter", lambda: 2.0)
    assert timing._now() == 1.0
    monkeypatch.setattr(timing, "CLOCK", "wall clock")
    assert timing._now() == 2.0
    coarse = type("Info", (), {"resolution": 0.015625})()
    monkeypatch.setattr(timing.time, "get_clock_info", lambda name: coarse)
    assert not timing._thread_clock_is_fine()


def test_slow_candidate_gets_the_minimum_rounds_and_no_more(clock):
    calls = []
    slow = clock.costing(1.0)
    result = timing.time_candidates({"slow": lambda: (calls.append(1), slow())}, budget_s=0.5)
    assert len(calls) == 2 + 3, "a warm-up, a one-call calibration, then the three minimum rounds"
    assert result["slow"].seconds_per_call == [1.0, 1.0, 1.0]
    assert result["slow"].calls_per_block == 1


def test_fast_candidate_is_timed_warm_in_blocks_of_at_least_min_block(clock):
    calls = []
    fast = clock.costing(1e-6)
    result = timing.time_candidates({"fast": lambda: (calls.append(1), fast())}, budget_s=10.0)
    block = result["fast"].calls_per_block
    assert block * 1e-6 >= timing.MIN_BLOCK_S and block * 1e-6 < 3 * timing.MIN_BLOCK_S
    samples = result["fast"].seconds_per_call
    assert len(samples) == 25, "the maximum of 25 rounds (budget not reached)"
    assert all(s == pytest.approx(1e-6) for s in samples)
    # Every timed block is preceded by one untimed call: 25 rounds of block + 1 after calibration.
    calibration = len(calls) - 25 * (block + 1)
    assert calibration >= 1 + block


def test_rounds_stop_at_the_budget_after_the_minimum(clock):
    result = timing.time_candidates({"a": clock.costing(0.01), "b": clock.costing(0.01)},
                                    budget_s=0.09)
    # Blocks of one call (0.01 s >= 5 ms); each round costs 0.02 s: the fifth round crosses 0.09 s.
    assert len(result["a"].seconds_per_call) == len(result["b"].seconds_per_call) == 5


def test_the_test_suites_smaller_budget_keeps_the_minimum_rounds(clock, monkeypatch):
    """The root conftest.py times at a fifth of each budget: fewer rounds, never under the minimum."""
    candidates = {"a": clock.costing(0.01), "b": clock.costing(0.01)}
    monkeypatch.setattr(timing, "BUDGET_SCALE", 0.5)
    assert len(timing.time_candidates(candidates, budget_s=0.18)["a"].seconds_per_call) == 5
    monkeypatch.setattr(timing, "BUDGET_SCALE", 0.01)
    assert len(timing.time_candidates(candidates, budget_s=0.18)["a"].seconds_per_call) == 3


def test_order_is_shuffled_so_no_candidate_always_follows_the_same_one(clock):
    order = []
    candidates = {name: (lambda name=name: (order.append(name), clock.costing(0.01)())) for name in "abcd"}
    timing.time_candidates(candidates, budget_s=1.0)
    rounds = [order[i:i + 4] for i in range(8, len(order), 4)]  # after warm-up and calibration
    assert all(sorted(one) == list("abcd") for one in rounds)
    followers = {(first, then) for one in rounds for first, then in zip(one, one[1:])}
    assert followers == {(x, y) for x in "abcd" for y in "abcd" if x != y}


def test_blas_is_limited_to_one_thread_while_timing_and_restored_after():
    from threadpoolctl import threadpool_info

    def blas_threads():
        return [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]

    import numpy  # noqa: F401  (loads NumPy's BLAS, so threadpoolctl can see it)
    before, seen = blas_threads(), []
    timing.time_candidates({"probe": lambda: seen.append(blas_threads())}, budget_s=0.0, min_block_s=0.0)
    assert seen and all(threads == [timing.BLAS_THREADS] * len(threads) for threads in seen)
    assert blas_threads() == before
    assert "1 thread " in timing.blas_setting() or "no BLAS" in timing.blas_setting()


def test_without_threadpoolctl_timing_still_works_and_says_so(clock, monkeypatch):
    """A browser kernel (JupyterLite) may lack threadpoolctl: the timer runs, unpinned, and says so."""
    import sys
    monkeypatch.setitem(sys.modules, "threadpoolctl", None)  # import now raises ImportError
    comparison = timing.compare(lambda: clock.costing(1e-3)(), lambda: clock.costing(1e-5)(), budget_s=0.05)
    assert comparison.ratio == pytest.approx(100.0)
    assert "BLAS threads not set (threadpoolctl is not installed)" in str(comparison)


def test_comparison_ratio_and_report(clock):
    comparison = timing.compare(lambda _: clock.costing(1e-3)(), lambda _: clock.costing(1e-5)(),
                                None, budget_s=0.05)
    assert comparison.ratio == pytest.approx(100.0)
    report = str(comparison)
    assert "1 ms" in report and "10 µs" in report and "100×" in report
    assert "BLAS: " in report and "thread" in report and "clock: " in report


@pytest.mark.parametrize("seconds, text", [(2.5, "2.5 s"), (0.0031, "3.1 ms"),
                                           (4.2e-6, "4.2 µs"), (7e-8, "70 ns")])
def test_format_seconds(seconds, text):
    assert timing.format_seconds(seconds) == text

"""The time-capped timer, on a fake clock: its logic is tested, never wall-clock figures."""
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
    monkeypatch.setattr(timing.time, "perf_counter", fake)
    return fake


def test_slow_candidate_is_timed_only_twice(clock):
    calls = []
    slow = clock.costing(1.0)
    result = timing.time_candidates({"slow": lambda: (calls.append(1), slow())}, budget_s=0.5)
    assert len(calls) == 2, "calibration plus one round, then the budget is spent"
    assert result["slow"].seconds_per_call == [1.0, 1.0]


def test_fast_candidate_is_batched_until_the_clock_resolves_it(clock):
    result = timing.time_candidates({"fast": clock.costing(1e-6)}, budget_s=0.5)
    samples = result["fast"].seconds_per_call
    assert len(samples) == 26, "calibration plus the maximum of 25 rounds"
    assert all(s == pytest.approx(1e-6) for s in samples)


def test_rounds_stop_at_the_budget(clock):
    result = timing.time_candidates({"a": clock.costing(0.01), "b": clock.costing(0.01)},
                                    budget_s=0.09)
    # Calibration costs 0.02 s and each round 0.02 s: the fourth round crosses 0.09 s.
    assert len(result["a"].seconds_per_call) == len(result["b"].seconds_per_call) == 5


def test_order_is_shuffled_so_no_candidate_always_follows_the_same_one(clock):
    order = []
    candidates = {name: (lambda name=name: (order.append(name), clock.costing(0.01)())) for name in "abcd"}
    timing.time_candidates(candidates, budget_s=1.0)
    rounds = [order[i:i + 4] for i in range(4, len(order), 4)]  # after calibration
    assert rounds[0] == list("abcd") and all(sorted(one) == list("abcd") for one in rounds)
    followers = {(first, then) for one in rounds for first, then in zip(one, one[1:])}
    assert followers == {(x, y) for x in "abcd" for y in "abcd" if x != y}


def test_comparison_ratio_and_report(clock):
    comparison = timing.compare(lambda _: clock.costing(1e-3)(), lambda _: clock.costing(1e-5)(),
                                None, budget_s=0.05)
    assert comparison.ratio == pytest.approx(100.0)
    report = str(comparison)
    assert "1 ms" in report and "10 µs" in report and "100×" in report


@pytest.mark.parametrize("seconds, text", [(2.5, "2.5 s"), (0.0031, "3.1 ms"),
                                           (4.2e-6, "4.2 µs"), (7e-8, "70 ns")])
def test_format_seconds(seconds, text):
    assert timing.format_seconds(seconds) == text

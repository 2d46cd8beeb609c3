"""The central-difference chapter's functions against exact derivatives and a pure-Python reference."""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from course_tools.notebooks import load_chapter
from op_testing import call_without_mutation, float_arrays

chapter = load_chapter("central_difference")
IMPLEMENTATIONS = [chapter.central_diff_loop, chapter.central_diff_vec]
STEPS = (1e-1, 1e-2, 1e-3)


def cube(x):
    return x**3


def check_central_difference(central_diff, x, h):
    """For x**3 the central difference is exactly 3x^2 + h^2 (the forward one 3x^2 + 3xh + h^2)."""
    result = np.asarray(call_without_mutation(central_diff, cube, x, h))
    assert result.shape == x.shape, f"{central_diff.__name__}: shape {result.shape}, expected {x.shape}"
    x = x.astype(np.float64)
    # Round-off in float64: the values f(x +- h) ~ |x|^3 carry ~eps relative error, divided by 2h.
    tolerance = 1e-9 + 4e-16 * (np.abs(x) + h) ** 3 / h
    error = np.abs(result - (3 * x**2 + h**2))
    if np.all(error <= tolerance):
        return
    if np.allclose(result, 3 * x**2 + 3 * x * h + h**2, rtol=0, atol=1e-6):
        raise AssertionError(f"{central_diff.__name__} is the forward (one-sided) difference, not central")
    if np.allclose(result, 2 * (3 * x**2 + h**2), rtol=0, atol=1e-6):
        raise AssertionError(f"{central_diff.__name__} divides by h instead of 2h")
    if np.all(error <= 1e-9 + 4e-7 * (np.abs(x) + h) ** 3 / h):  # float32-sized round-off
        raise AssertionError(f"{central_diff.__name__} computes in float32: round-off too large")
    raise AssertionError(f"{central_diff.__name__} disagrees with the central difference 3x^2 + h^2")


def reference_central(f, x, h):
    """The formula in Python floats, with the math module's f: no NumPy arithmetic."""
    return [(f(float(v) + h) - f(float(v) - h)) / (2 * h) for v in x.tolist()]


@pytest.mark.parametrize("central_diff", IMPLEMENTATIONS, ids=lambda f: f.__name__)
@settings(max_examples=50, deadline=None)
@given(x=st.integers(1, 20).flatmap(lambda n: float_arrays((n,))), h=st.sampled_from(STEPS))
def test_matches_exact_formula(central_diff, x, h):
    """float64/float32/int64 grids, contiguous or strided, |x| <= 10."""
    check_central_difference(central_diff, x / 100, h)


@pytest.mark.parametrize("central_diff", IMPLEMENTATIONS, ids=lambda f: f.__name__)
@settings(max_examples=30, deadline=None)
@given(x=st.integers(1, 20).flatmap(lambda n: float_arrays((n,), dtypes=(np.float64,))),
       h=st.sampled_from(STEPS + (1e-5,)))
def test_matches_pure_python_reference(central_diff, x, h):
    x = x / 200  # |x| <= 5
    result = call_without_mutation(central_diff, np.exp, x, h)
    # NumPy's and math's exp may differ by an ulp or two; divided by 2h, that is the tolerance.
    tolerance = 1e-15 * np.exp(np.abs(x) + h) / h
    assert np.all(np.abs(result - reference_central(math.exp, x, h)) <= tolerance)


@pytest.mark.parametrize("central_diff", IMPLEMENTATIONS, ids=lambda f: f.__name__)
def test_edge_cases(central_diff):
    assert np.allclose(central_diff(np.sin, np.array([0.0]), 1e-5), [1.0], rtol=0, atol=1e-10)  # length 1
    check_central_difference(central_diff, np.array([1, 2, -3]), 1e-3)                       # int grid
    check_central_difference(central_diff, np.linspace(-2, 2, 9, dtype=np.float32), 1e-3)   # float32 grid
    strided = np.linspace(-2, 2, 18)[::2]
    assert not strided.flags.c_contiguous
    check_central_difference(central_diff, strided, 1e-2)
    nine = central_diff(cube, np.linspace(-2, 2, 9), 1e-3)          # the chapter's check
    assert np.allclose(nine, 3 * np.linspace(-2, 2, 9) ** 2, rtol=0, atol=1e-4)


@pytest.mark.parametrize("central_diff", IMPLEMENTATIONS, ids=lambda f: f.__name__)
def test_rejects_bad_arguments(central_diff):
    with pytest.raises(AssertionError, match="h > 0"):
        central_diff(cube, np.ones(3), 0.0)
    with pytest.raises(AssertionError, match=r"need an \(n,\) grid"):
        central_diff(cube, np.ones((3, 1)), 1e-3)


# Known-wrong differences: each must be rejected with a message naming the mistake.
def forward_difference(f, x, h):
    return (f(x + h) - f(x)) / h


def missing_factor_two(f, x, h):
    return (f(x + h) - f(x - h)) / h


def in_float32(f, x, h):
    x, h = x.astype(np.float32), np.float32(h)
    return (f(x + h) - f(x - h)) / (2 * h)


def steps_the_grid_in_place(f, x, h):
    """Saves two temporaries by moving x and moving it back: rounding leaves it changed."""
    x += h
    upper = f(x)
    x -= 2 * h
    lower = f(x)
    x += h
    return (upper - lower) / (2 * h)


@pytest.mark.parametrize("wrong, message", [
    (forward_difference, r"forward \(one-sided\) difference"),
    (missing_factor_two, "divides by h instead of 2h"),
    (in_float32, "computes in float32"),
    (steps_the_grid_in_place, "mutated its argument #1"),
], ids=lambda v: getattr(v, "__name__", ""))
def test_check_rejects_known_wrong_differences(wrong, message):
    with pytest.raises(AssertionError, match=message):
        check_central_difference(wrong, np.linspace(-2, 2, 9), 1e-2)

"""The central-difference chapter's functions against exact derivatives."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from course_tools.notebooks import load_chapter
from op_testing import call_without_mutation, float_arrays

chapter = load_chapter("central_difference")
IMPLEMENTATIONS = [chapter.central_diff_loop, chapter.central_diff_vec]


def cube(x):
    return x**3


def check_central_difference(central_diff, x, h):
    """For x**3 the central difference is exactly 3x^2 + h^2: test against that."""
    result = call_without_mutation(central_diff, cube, x, h)
    assert np.shape(result) == x.shape, f"{central_diff.__name__}: shape {np.shape(result)}, expected {x.shape}"
    x = x.astype(np.float64)
    expected = 3 * x**2 + h**2
    # Round-off: about eps * |x|^3 / h from the two function values.
    tolerance = 1e-5 + 1e-15 * np.abs(x) ** 3 / h
    assert np.all(np.abs(result - expected) <= tolerance), (
        f"{central_diff.__name__} disagrees with the central difference (one-sided? wrong divisor?)")


@pytest.mark.parametrize("central_diff", IMPLEMENTATIONS, ids=lambda f: f.__name__)
@settings(max_examples=50, deadline=None)
@given(x=st.integers(1, 20).flatmap(lambda n: float_arrays((n,), dtypes=(np.float64, np.int64))),
       h=st.sampled_from([1e-1, 1e-2, 1e-3]))
def test_matches_exact_formula(central_diff, x, h):
    check_central_difference(central_diff, x / 100, h)  # keep |x| <= 10


@pytest.mark.parametrize("central_diff", IMPLEMENTATIONS, ids=lambda f: f.__name__)
def test_edge_cases(central_diff):
    assert np.allclose(central_diff(np.sin, np.array([0.0]), 1e-5), [1.0], atol=1e-10)  # length 1
    result = central_diff(cube, np.array([1, 2]), 1e-3)                                  # int grid
    assert np.allclose(result, [3.0, 12.0], atol=1e-5)
    with pytest.raises(AssertionError, match="h > 0"):
        central_diff(cube, np.ones(3), 0.0)


def forward_difference(f, x, h):
    return (f(x + h) - f(x)) / h


def missing_factor_two(f, x, h):
    return (f(x + h) - f(x - h)) / h


@pytest.mark.parametrize("wrong", [forward_difference, missing_factor_two], ids=lambda f: f.__name__)
def test_check_rejects_known_wrong_differences(wrong):
    with pytest.raises(AssertionError, match="disagrees with the central difference"):
        check_central_difference(wrong, np.linspace(-2, 2, 9), 1e-2)

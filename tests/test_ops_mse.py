"""The MSE chapter's functions against a math.fsum reference."""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from course_tools.notebooks import load_chapter
from op_testing import call_without_mutation, float_arrays

chapter = load_chapter("mse")
IMPLEMENTATIONS = [chapter.mse_loop, chapter.mse_vec]


def reference_mse(y, yhat):
    """Exactly rounded sum of the squared matched residuals, in Python floats."""
    return math.fsum((float(a) - float(b)) ** 2 for a, b in zip(y.tolist(), yhat.tolist())) / len(y)


def reference_outer(y, yhat):
    """The mean over all N^2 cross-pairs: what an accidental outer difference computes."""
    return math.fsum((float(a) - float(b)) ** 2 for a in y.tolist() for b in yhat.tolist()) / len(y) ** 2


def check_mse(mse, y, yhat):
    """Fail with a message naming the mistake when ``mse`` is not the matched-pair MSE."""
    result = call_without_mutation(mse, y, yhat)
    # np.float64 subclasses float but prints as np.float64(...) in NumPy 2: require the plain type.
    assert type(result) is float, f"{mse.__name__} must return one Python float, got {type(result)}"
    expected = reference_mse(y, yhat)
    # float32 residuals carry ~6e-8 relative error each; float64 ones ~1e-16.
    tolerance = 1e-6 if np.float32 in (y.dtype, yhat.dtype) else 1e-12
    if math.isclose(result, expected, rel_tol=tolerance, abs_tol=1e-12):
        return
    if math.isclose(result, reference_outer(y, yhat), rel_tol=1e-9):
        raise AssertionError(f"{mse.__name__} averages an outer difference (N, N), not matched pairs")
    if math.isclose(result, math.sqrt(expected), rel_tol=1e-9):
        raise AssertionError(f"{mse.__name__} returns the root (RMSE), not the mean squared error")
    if math.isclose(result, expected * len(y), rel_tol=1e-9):
        raise AssertionError(f"{mse.__name__} sums the squares instead of averaging them")
    raise AssertionError(f"{mse.__name__} disagrees with the reference")


@st.composite
def target_pairs(draw):
    n = draw(st.integers(1, 40))
    return draw(float_arrays((n,))), draw(float_arrays((n,)))


@pytest.mark.parametrize("mse", IMPLEMENTATIONS, ids=lambda f: f.__name__)
@settings(max_examples=60, deadline=None)
@given(pair=target_pairs())
def test_matches_reference(mse, pair):
    """Lengths 1..40, float64/float32/int64, contiguous or strided views."""
    check_mse(mse, *pair)


@pytest.mark.parametrize("mse", IMPLEMENTATIONS, ids=lambda f: f.__name__)
def test_edge_cases(mse):
    assert mse(np.array([3.0]), np.array([1.0])) == 4.0                           # length 1
    assert mse(np.array([3, 5]), np.array([1, 4])) == 2.5                         # int
    assert mse(np.zeros(4), np.zeros(4)) == 0.0
    pixels = np.array([200, 10, 90], dtype=np.uint8)                              # unsigned: no wrap-around
    assert mse(pixels, np.array([180, 30, 95], dtype=np.uint8)) == 275.0
    check_mse(mse, np.array([1.5, -2.0], dtype=np.float32), np.array([1.0, 2.0]))
    strided = np.arange(10.0)[::2]
    assert not strided.flags.c_contiguous
    check_mse(mse, strided, np.ones(5))


@pytest.mark.parametrize("mse", IMPLEMENTATIONS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("yhat", [np.ones((3, 1)), np.ones(1), np.ones(4)], ids=["column", "one", "longer"])
def test_rejects_mismatched_shapes(mse, yhat):
    with pytest.raises(AssertionError, match=r"need two \(N,\) arrays"):
        mse(np.ones(3), yhat)


# Known-wrong MSEs: each must be rejected with a message naming the mistake.
def outer_difference(y, yhat):
    return float(np.mean((y[:, None] - yhat[None, :]) ** 2))


def column_against_row(y, yhat):
    return float(np.mean((y - yhat.reshape(-1, 1)) ** 2))  # (N,) - (N, 1) -> (N, N)


def root_mse(y, yhat):
    return float(np.sqrt(np.mean((y - yhat) ** 2)))


def sum_not_mean(y, yhat):
    return float(np.sum((y - yhat) ** 2))


def numpy_scalar(y, yhat):
    return np.mean((y - yhat) ** 2)


def residuals_in_place(y, yhat):
    y -= yhat
    return float(np.mean(y**2))


@pytest.mark.parametrize("wrong, message", [
    (outer_difference, r"outer difference \(N, N\)"),
    (column_against_row, r"outer difference \(N, N\)"),
    (root_mse, "root"),
    (sum_not_mean, "sums the squares"),
    (numpy_scalar, "one Python float"),
    (residuals_in_place, "mutated its argument #0"),
], ids=lambda v: getattr(v, "__name__", ""))
def test_check_rejects_known_wrong_mses(wrong, message):
    y, yhat = np.array([1.0, 2.0, 3.0]), np.array([1.5, 1.5, 3.5])
    with pytest.raises(AssertionError, match=message):
        check_mse(wrong, y, yhat)

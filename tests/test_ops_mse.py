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
    pairs = zip(y.tolist(), yhat.tolist())
    return math.fsum((float(a) - float(b)) ** 2 for a, b in pairs) / len(y)


def check_mse(mse, y, yhat):
    result = call_without_mutation(mse, y, yhat)
    assert np.ndim(result) == 0, f"{mse.__name__} must return one scalar"
    expected = reference_mse(y, yhat)
    tolerance = 1e-5 if np.float32 in (y.dtype, yhat.dtype) else 1e-12
    if not math.isclose(result, expected, rel_tol=tolerance, abs_tol=1e-12):
        outer = float(np.mean((y[:, None].astype(float) - yhat[None, :]) ** 2))
        if math.isclose(result, outer, rel_tol=1e-9):
            raise AssertionError(f"{mse.__name__} averages an outer difference (N, N), not matched pairs")
        raise AssertionError(f"{mse.__name__} disagrees with the reference")


@st.composite
def target_pairs(draw):
    n = draw(st.integers(1, 40))
    return draw(float_arrays((n,))), draw(float_arrays((n,)))


@pytest.mark.parametrize("mse", IMPLEMENTATIONS, ids=lambda f: f.__name__)
@settings(max_examples=60, deadline=None)
@given(pair=target_pairs())
def test_matches_reference(mse, pair):
    check_mse(mse, *pair)


@pytest.mark.parametrize("mse", IMPLEMENTATIONS, ids=lambda f: f.__name__)
def test_edge_cases(mse):
    assert mse(np.array([3.0]), np.array([1.0])) == 4.0                     # length 1
    assert mse(np.array([3, 5]), np.array([1, 4])) == 2.5                   # int
    with pytest.raises(AssertionError, match=r"need two \(N,\) arrays"):
        mse(np.ones(3), np.ones((3, 1)))                                    # column predictions


def outer_difference(y, yhat):
    return float(np.mean((y[:, None] - yhat[None, :]) ** 2))


def root_mse(y, yhat):
    return float(np.sqrt(np.mean((y - yhat) ** 2)))


def sum_not_mean(y, yhat):
    return float(np.sum((y - yhat) ** 2))


@pytest.mark.parametrize("wrong, message", [
    (outer_difference, r"outer difference \(N, N\)"),
    (root_mse, "disagrees with the reference"),
    (sum_not_mean, "disagrees with the reference"),
])
def test_check_rejects_known_wrong_mses(wrong, message):
    y, yhat = np.array([1.0, 2.0, 3.0]), np.array([1.5, 1.5, 3.5])
    with pytest.raises(AssertionError, match=message):
        check_mse(wrong, y, yhat)

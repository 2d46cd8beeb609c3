"""The standardization chapter's functions against a pure-Python reference."""
import math
import statistics

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from course_tools.notebooks import load_chapter
from op_testing import call_without_mutation, float_arrays

chapter = load_chapter("standardization")
IMPLEMENTATIONS = [chapter.standardize_loop, chapter.standardize_vec]


def reference_standardize(X):
    columns = [[float(v) for v in column] for column in X.T.tolist()]
    result = []
    for column in columns:
        mean = statistics.fmean(column)
        std = statistics.pstdev(column)
        result.append([(v - mean) / (std if std > 0 else 1.0) for v in column])
    return np.array(result).T.reshape(X.shape)


def check_standardize(standardize, X):
    result = call_without_mutation(standardize, X)
    assert np.shape(result) == X.shape, f"{standardize.__name__}: shape {np.shape(result)}, expected {X.shape}"
    assert not np.isnan(result).any(), f"{standardize.__name__} produced nan: no zero-std guard?"
    expected = reference_standardize(X)
    tolerance = 1e-4 if X.dtype == np.float32 else 1e-8
    if not np.allclose(result, expected, rtol=0, atol=tolerance):
        Xf = X.astype(float)
        by_row = (Xf - Xf.mean(axis=1, keepdims=True)) / np.where(
            Xf.std(axis=1, keepdims=True) > 0, Xf.std(axis=1, keepdims=True), 1)
        if np.allclose(result, by_row, atol=tolerance):
            raise AssertionError(f"{standardize.__name__} uses statistics over the wrong axis (rows)")
        raise AssertionError(f"{standardize.__name__} disagrees with the reference (epsilon in sd?)")


@pytest.mark.parametrize("standardize", IMPLEMENTATIONS, ids=lambda f: f.__name__)
@settings(max_examples=50, deadline=None)
@given(X=st.tuples(st.integers(1, 10), st.integers(1, 4)).flatmap(float_arrays))
def test_matches_reference(standardize, X):
    check_standardize(standardize, X)


@pytest.mark.parametrize("standardize", IMPLEMENTATIONS, ids=lambda f: f.__name__)
def test_edge_cases(standardize):
    constant = np.array([[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]])
    Z = standardize(constant)
    assert np.array_equal(Z[:, 1], [0.0, 0.0, 0.0]), "a constant column becomes zeros"
    assert np.allclose(Z[:, 0], [-math.sqrt(1.5), 0, math.sqrt(1.5)])
    assert np.array_equal(standardize(np.array([[4.0, -1.0]])), [[0.0, 0.0]])  # a single row
    assert np.allclose(standardize(np.array([[1, 2], [3, 6]])), [[-1, -1], [1, 1]])  # int


def wrong_axis(X):
    X = X.astype(float)
    return (X - X.mean(axis=1, keepdims=True)) / X.std(axis=1, keepdims=True)


def no_guard(X):
    with np.errstate(invalid="ignore", divide="ignore"):
        return (X - X.mean(axis=0)) / X.std(axis=0)


def epsilon_guard(X):
    return (X - X.mean(axis=0)) / (X.std(axis=0) + 1e-3)


def in_place(X):
    X -= X.mean(axis=0)
    X /= np.where(X.std(axis=0) > 0, X.std(axis=0), 1.0)
    return X


@pytest.mark.parametrize("wrong, X, message", [
    (wrong_axis, np.array([[1.0, 2.0, 4.0], [3.0, 7.0, 0.0], [5.0, 5.0, 5.5]]), "wrong axis"),
    (no_guard, np.array([[1.0, 5.0], [2.0, 5.0]]), "no zero-std guard"),
    (epsilon_guard, np.array([[0.001, 1.0], [0.002, 3.0], [0.004, 2.0]]), "epsilon"),
    (in_place, np.array([[1.0, 5.0], [2.0, 7.0]]), "mutated its argument"),
])
def test_check_rejects_known_wrong_standardizations(wrong, X, message):
    with pytest.raises(AssertionError, match=message):
        check_standardize(wrong, X)

"""The distance-matrix chapter's functions against a pure-Python reference."""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from course_tools.notebooks import load_chapter
from op_testing import call_without_mutation, float_arrays

chapter = load_chapter("distance_matrix")
IMPLEMENTATIONS = [chapter.dist_matrix_loop, chapter.dist_matrix_vec]


def reference_distances(X):
    points = [[float(v) for v in row] for row in X.tolist()]
    return np.array([[math.dist(p, q) for q in points] for p in points])


def check_distances(dist_matrix, X):
    result = call_without_mutation(dist_matrix, X)
    N = X.shape[0]
    assert np.shape(result) == (N, N), f"{dist_matrix.__name__}: shape {np.shape(result)}, expected {(N, N)}"
    assert np.array_equal(result, result.T), f"{dist_matrix.__name__} is not symmetric"
    assert np.all(np.diag(result) == 0), f"{dist_matrix.__name__} has a non-zero diagonal"
    expected = reference_distances(X)
    tolerance = (1e-5 if X.dtype == np.float32 else 1e-12) * np.maximum(expected, 1.0)
    assert np.all(np.abs(result - expected) <= tolerance), (
        f"{dist_matrix.__name__} disagrees with the reference (squared? another metric?)")


@pytest.mark.parametrize("dist_matrix", IMPLEMENTATIONS, ids=lambda f: f.__name__)
@settings(max_examples=40, deadline=None)
@given(X=st.tuples(st.integers(1, 8), st.integers(1, 4)).flatmap(float_arrays))
def test_matches_reference(dist_matrix, X):
    check_distances(dist_matrix, X)


@pytest.mark.parametrize("dist_matrix", IMPLEMENTATIONS, ids=lambda f: f.__name__)
def test_edge_cases(dist_matrix):
    assert np.array_equal(dist_matrix(np.array([[1.0, 2.0]])), [[0.0]])        # one point
    assert np.array_equal(dist_matrix(np.array([[0], [3]])), [[0, 3], [3, 0]])  # int, D = 1
    far = np.array([[0, 0], [4_000_000_000, 0]])                                # int64 overflow
    check_distances(dist_matrix, far)


def squared_distances(X):
    return ((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=-1)


def manhattan(X):
    return np.abs(X[:, None, :] - X[None, :, :]).sum(axis=-1)


def row_norm_differences(X):
    norms = np.linalg.norm(X, axis=1)
    return np.abs(norms[:, None] - norms[None, :])


def distances_to_first_point(X):
    return np.linalg.norm(X - X[0], axis=1)[None, :].repeat(len(X), axis=0)


@pytest.mark.parametrize("wrong, message", [
    (squared_distances, "disagrees with the reference"),
    (manhattan, "disagrees with the reference"),
    (row_norm_differences, "disagrees with the reference"),
    (distances_to_first_point, "not symmetric"),
])
def test_check_rejects_known_wrong_distances(wrong, message):
    X = np.array([[0.0, 0.0], [3.0, 4.0], [1.0, -2.0]])
    with pytest.raises(AssertionError, match=message):
        check_distances(wrong, X)

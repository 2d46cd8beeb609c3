"""dist_matrix_chunked (chapters/fast_distances.md): exact enough, exactly symmetric, memory-bounded."""
import tracemalloc

import numpy as np
import pytest

from course_tools.notebooks import load_chapter
from op_testing import call_without_mutation

chapter = load_chapter("fast_distances")


def exact_distances(X):
    X = np.asarray(X, dtype=np.float64)
    return np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=-1))


def check_distances(dist_matrix, X, tolerance=1e-12):
    result = call_without_mutation(dist_matrix, X)
    N = X.shape[0]
    assert result.shape == (N, N), f"shape {result.shape}, expected {(N, N)}"
    assert not np.isnan(result).any(), "nan: a negative value reached the square root (clip it)"
    assert np.all(result >= 0), "negative distances"
    assert np.array_equal(result, result.T), "not exactly symmetric"
    assert np.all(np.diag(result) == 0), "the diagonal is not exactly 0"
    error = np.abs(result - exact_distances(X)).max()
    assert error <= tolerance, f"max error {error:.1e} > {tolerance:.0e} against the exact distances"


def peak_over_output(dist_matrix, X):
    tracemalloc.start()
    try:
        dist_matrix(X)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak / (8 * X.shape[0] ** 2)


def check_memory(dist_matrix, N=2000, D=64):
    ratio = peak_over_output(dist_matrix, np.random.default_rng(0).standard_normal((N, D)))
    assert ratio <= 1.1, f"peak memory {ratio:.2f}× the (N, N) output, more than 1.1×"


rng = np.random.default_rng(0)
CASES = {
    "near the origin": rng.standard_normal((257, 16)),
    "offset by 1e6": rng.standard_normal((200, 3)) + 1e6,
    "offset by 1e6, D = 64": rng.standard_normal((130, 64)) + 1e6,
    "duplicates": np.repeat(rng.standard_normal((60, 5)), 3, axis=0),
    "a single point": np.array([[1.0, 2.0, 3.0]]),
    "D = 1": rng.standard_normal((40, 1)),
    "integer input": rng.integers(-1000, 1000, size=(50, 4)),
    "float32 input": rng.standard_normal((50, 4)).astype(np.float32),
    "a non-contiguous view": rng.standard_normal((100, 10))[::2, ::3],
    "all points equal": np.full((10, 3), 7.25),
}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_accurate_symmetric_zero_diagonal(case):
    check_distances(chapter.dist_matrix_chunked, CASES[case])


@pytest.mark.parametrize("block", [1, 7, 64, 1000])
def test_any_block_size(block):
    X = CASES["near the origin"]
    check_distances(lambda X: chapter.dist_matrix_chunked(X, block=block), X)


def test_memory_bound():
    check_memory(chapter.dist_matrix_chunked)


def textbook_gram(X):
    squared = (X**2).sum(axis=1)
    return np.sqrt(np.maximum(squared[:, None] + squared[None, :] - 2 * X @ X.T, 0))


def centred_gram_without_clip(X):
    X = X - X.mean(axis=0)
    squared = (X**2).sum(axis=1)
    with np.errstate(invalid="ignore"):
        return np.sqrt(squared[:, None] + squared[None, :] - 2 * X @ X.T)


def squared_distances(X):
    return exact_distances(X) ** 2


@pytest.mark.parametrize("wrong, case, message", [
    (textbook_gram, "offset by 1e6", "diagonal|max error"),
    (centred_gram_without_clip, "duplicates", "nan"),
    (squared_distances, "near the origin", "max error"),
])
def test_checks_reject_known_wrong_versions(wrong, case, message):
    with pytest.raises(AssertionError, match=message):
        check_distances(wrong, CASES[case])


def test_memory_check_rejects_the_broadcast_block():
    with pytest.raises(AssertionError, match="peak memory"):
        check_memory(exact_distances, N=300, D=64)

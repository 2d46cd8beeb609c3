"""dist_matrix_chunked (chapters/fast_distances.md): accurate, exactly symmetric, memory-bounded.

Each check's failure message names the mistake that typically causes it, and the last tests show
that known-wrong implementations are rejected by the same checks, with that message.
"""
import math
from fractions import Fraction

import numpy as np
import pytest

from course_tools.notebooks import load_chapter
from op_testing import call_without_mutation

chapter = load_chapter("fast_distances")
exact_distances = chapter.exact_distances  # checked against exact rational arithmetic below
MEMORY_LIMIT = 1.1  # peak allocation / output bytes


def diagnose(dist_matrix, X, result, exact, tolerance):
    """Name the likely mistake behind an inaccurate result."""
    if np.allclose(result, exact**2, rtol=1e-9, atol=1e-9):
        return "these are squared distances; missing sqrt"
    error = float(np.abs(result - exact).max())
    centred_error = float(np.abs(dist_matrix(X - X.mean(axis=0)) - exact).max())
    if centred_error <= max(tolerance, error / 1000):
        return (f"{centred_error:.1e} once the points are centred: catastrophic cancellation in "
                "|x|^2 + |y|^2 - 2 x.y far from the origin (uncentred Gram trick); "
                "subtract the mean point first")
    if not np.array_equal(result, result.T):
        return "not exactly symmetric: compute one triangle, mirror it"
    return "cause not recognized"


def check_distances(dist_matrix, X, tolerance=1e-12):
    """Fail with a message naming the likely mistake. The tolerance is absolute, or 16 ulps of
    the largest distance when that is larger (distances in the thousands)."""
    result = np.asarray(call_without_mutation(dist_matrix, X))
    N = X.shape[0]
    assert result.shape == (N, N), f"shape {result.shape}, expected {(N, N)}"
    assert not np.isnan(result).any(), (
        "nan in the result: a negative squared distance (rounding) reached the square root; "
        "missing clip at 0")
    assert np.all(result >= 0), "negative distances"
    exact = exact_distances(X)
    tolerance = max(tolerance, 16 * float(np.spacing(exact.max())))
    error = float(np.abs(result - exact).max())
    assert error <= tolerance, (f"max error {error:.1e} > {tolerance:.0e} against the exact distances: "
                                + diagnose(dist_matrix, X, result, exact, tolerance))
    assert np.array_equal(result, result.T), "not exactly symmetric: compute one triangle, mirror it"
    assert np.all(np.diag(result) == 0), "the diagonal is not exactly 0"


def peak_over_output(dist_matrix, X):
    return chapter.peak_bytes(dist_matrix, X) / (8 * X.shape[0] ** 2)


def check_memory(dist_matrix, X):
    ratio = peak_over_output(dist_matrix, X)
    D = X.shape[1]
    culprit = ("an (N, N, D) broadcast block" if D > 2 and ratio > D / 2
               else "full-size (N, N) temporaries")
    assert ratio <= MEMORY_LIMIT, (
        f"peak memory {ratio:.2f}× the (N, N) output, more than {MEMORY_LIMIT}×, with D = {D}: "
        f"{culprit}? Work in row blocks and write into the output")


rng = np.random.default_rng(0)
CLUSTERS = np.vstack([rng.standard_normal((70, 8)) + 1_000, rng.standard_normal((70, 8)) - 1_000])
CASES = {
    "near the origin": rng.standard_normal((257, 16)),
    "offset by 1e6": rng.standard_normal((200, 3)) + 1e6,
    "offset by 1e6, D = 64": rng.standard_normal((130, 64)) + 1e6,
    "duplicates": np.repeat(rng.standard_normal((60, 5)), 3, axis=0),
    "duplicates offset by 1e6": np.repeat(rng.standard_normal((40, 5)), 3, axis=0) + 1e6,
    "near-duplicates": np.repeat(rng.standard_normal((40, 5)), 3, axis=0) + 1e-7 * rng.standard_normal((120, 5)),
    "two tight clusters far apart": CLUSTERS,
    "a single point": np.array([[1.0, 2.0, 3.0]]),
    "two points": np.array([[0.0, 0.0], [3.0, 4.0]]),
    "D = 1": rng.standard_normal((40, 1)),
    "integer input": rng.integers(-1000, 1000, size=(50, 4)),
    "float32 input": rng.standard_normal((50, 4)).astype(np.float32),
    "a non-contiguous view": rng.standard_normal((100, 10))[::2, ::3],
    "all points equal": np.full((10, 3), 0.1),
}


def test_the_reference_is_exact():
    """The reference itself, against exact rational arithmetic, for points offset by 1e6."""
    X = CASES["offset by 1e6, D = 64"]
    reference = exact_distances(X)
    for i, j in rng.integers(0, len(X), size=(40, 2)):
        squared = sum((Fraction(a) - Fraction(b)) ** 2 for a, b in zip(X[i], X[j]))
        assert abs(reference[i, j] - math.sqrt(float(squared))) <= 2 * np.spacing(reference[i, j])


@pytest.mark.parametrize("case", CASES, ids=str)
def test_accurate_symmetric_zero_diagonal_and_no_mutation(case):
    check_distances(chapter.dist_matrix_chunked, CASES[case])


@pytest.mark.parametrize("block", [1, 7, 64, 256, 1000])
def test_any_block_size(block):
    for case in ("near the origin", "duplicates offset by 1e6", "two tight clusters far apart"):
        check_distances(lambda X: chapter.dist_matrix_chunked(X, block=block), CASES[case])


def test_exact_values_on_a_hand_checked_case():
    result = chapter.dist_matrix_chunked(CASES["two points"])
    assert np.array_equal(result, [[0.0, 5.0], [5.0, 0.0]])


def test_float64_output_for_any_input_dtype():
    for case in ("integer input", "float32 input"):
        assert chapter.dist_matrix_chunked(CASES[case]).dtype == np.float64


@pytest.mark.parametrize("data", ["standard normal", "offset by 1e6", "two tight clusters"])
def test_memory_bound(data):
    X = np.random.default_rng(0).standard_normal((2000, 64))
    if data == "offset by 1e6":
        X += 1e6
    elif data == "two tight clusters":  # every within-cluster pair takes the recompute path
        X[:1000] += 1_000
        X[1000:] -= 1_000
    check_memory(chapter.dist_matrix_chunked, X)


# Known-wrong implementations: each must be rejected, by the check that names its mistake.

def textbook_gram(X):
    X = np.asarray(X, dtype=np.float64)
    squared = (X**2).sum(axis=1)
    return np.sqrt(np.maximum(squared[:, None] + squared[None, :] - 2 * X @ X.T, 0))


def textbook_gram_zero_diagonal(X):
    result = textbook_gram(X)
    np.fill_diagonal(result, 0.0)  # an exact diagonal does not repair the rest, far out
    return result


def centred_gram_without_clip(X):
    X = np.asarray(X, dtype=np.float64)
    X = X - X.mean(axis=0)
    squared = (X**2).sum(axis=1)
    with np.errstate(invalid="ignore"):
        return np.sqrt(squared[:, None] + squared[None, :] - 2 * X @ X.T)


def missing_sqrt(X):
    return chapter.dist_matrix_chunked(X) ** 2


def centres_the_callers_array(X):
    X -= X.mean(axis=0)  # writes into the caller's array
    return chapter.dist_matrix_chunked(X)


def upper_triangle_only(X):
    return np.triu(chapter.dist_matrix_chunked(X))


@pytest.mark.parametrize("wrong, case, message", [
    (textbook_gram, "offset by 1e6", r"cancellation .* \(uncentred Gram trick\)"),
    (textbook_gram_zero_diagonal, "offset by 1e6, D = 64", r"cancellation .* \(uncentred Gram trick\)"),
    (centred_gram_without_clip, "duplicates", "missing clip at 0"),
    (missing_sqrt, "near the origin", "missing sqrt"),
    (centres_the_callers_array, "near the origin", "mutated its argument"),
    (upper_triangle_only, "near the origin", "not exactly symmetric"),
])
def test_checks_reject_known_wrong_versions(wrong, case, message):
    with pytest.raises(AssertionError, match=message):
        check_distances(wrong, CASES[case].astype(np.float64))


def test_memory_check_rejects_the_broadcast_block():
    with pytest.raises(AssertionError, match="broadcast block"):
        check_memory(exact_distances, np.random.default_rng(0).standard_normal((300, 64)))


def test_memory_check_rejects_full_size_temporaries():
    with pytest.raises(AssertionError, match=r"full-size \(N, N\) temporaries"):
        check_memory(textbook_gram, np.random.default_rng(0).standard_normal((500, 8)))

"""The L2-norm chapter's functions against math.hypot, including the overflow-safe version."""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from course_tools.notebooks import load_chapter
from op_testing import call_without_mutation, float_arrays

chapter = load_chapter("l2_norm")
IMPLEMENTATIONS = [chapter.norm_loop, chapter.norm_vec, chapter.norm_scaled]
# Squares of |x| < 1e-154 underflow in the plain norms (the chapter shows it); ignore below this.
TINY = 1e-150


def check_norm(norm, x):
    result = call_without_mutation(norm, x)
    assert isinstance(result, float), f"{norm.__name__} must return one scalar"
    expected = math.hypot(*map(float, x.tolist()))  # correctly scaled, independent of NumPy
    tolerance = 1e-6 if x.dtype == np.float32 else 1e-13
    assert math.isclose(result, expected, rel_tol=tolerance, abs_tol=TINY), (
        f"{norm.__name__} disagrees with the reference: {result} vs {expected}")


@pytest.mark.parametrize("norm", IMPLEMENTATIONS, ids=lambda f: f.__name__)
@settings(max_examples=60, deadline=None)
@given(x=st.integers(1, 40).flatmap(lambda n: float_arrays((n,))))
def test_matches_reference(norm, x):
    check_norm(norm, x)


@pytest.mark.parametrize("norm", IMPLEMENTATIONS, ids=lambda f: f.__name__)
def test_edge_cases(norm):
    assert norm(np.array([-7.0])) == 7.0
    assert norm(np.array([3, 4])) == 5.0
    assert norm(np.zeros(4)) == 0.0


def test_scaled_norm_survives_extreme_magnitudes():
    for value in (1e200, 1e-200):
        check_norm(chapter.norm_scaled, np.array([value, value]))


@pytest.mark.parametrize("plain", [chapter.norm_loop, chapter.norm_vec], ids=lambda f: f.__name__)
def test_plain_norms_overflow_as_the_chapter_says(plain):
    with np.errstate(over="ignore", under="ignore"):
        assert plain(np.array([1e200, 1e200])) == math.inf
        assert plain(np.array([1e-200, 1e-200])) == 0.0


def sum_of_squares(x):
    return float(x @ x)


def manhattan(x):
    return float(np.abs(x).sum())


@pytest.mark.parametrize("wrong, x, message", [
    (sum_of_squares, np.array([3.0, 4.0]), "disagrees with the reference"),
    (manhattan, np.array([3.0, 4.0]), "disagrees with the reference"),
    (lambda x: np.linalg.norm(x), np.array([1e200, 1e200]), "disagrees|overflow"),
])
def test_check_rejects_known_wrong_norms(wrong, x, message):
    with np.errstate(over="ignore"), pytest.raises(AssertionError, match=message):
        check_norm(wrong, x)


def test_scipy_norm_is_the_scaled_library_remedy_the_chapter_names():
    """The page names scipy.linalg.norm (BLAS nrm2, written to avoid overflow and underflow; how
    depends on the BLAS build); SciPy is a dev dependency only. What is asserted is the
    guarantee: 1e200 and 1e-200 survive."""
    scipy_linalg = pytest.importorskip("scipy.linalg")
    for value in (1e200, 1e-200):
        assert math.isclose(scipy_linalg.norm(np.array([value, value])), math.sqrt(2) * value,
                            rel_tol=1e-15)

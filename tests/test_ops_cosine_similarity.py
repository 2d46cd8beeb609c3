"""The cosine-similarity chapter's functions against a math.fsum reference."""
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st

from course_tools.notebooks import load_chapter
from op_testing import call_without_mutation, float_arrays

chapter = load_chapter("cosine_similarity")
IMPLEMENTATIONS = [chapter.cosine_loop, chapter.cosine_vec]


def reference_cosine(a, b):
    a, b = [float(v) for v in a.tolist()], [float(v) for v in b.tolist()]
    dot = math.fsum(x * y for x, y in zip(a, b))
    return dot / (math.hypot(*a) * math.hypot(*b))


def check_cosine(cosine, a, b):
    result = call_without_mutation(cosine, a, b)
    assert isinstance(result, float), f"{cosine.__name__} must return one scalar"
    # Rounding may overshoot +-1 by a few units in the last place of the input precision.
    tolerance = 1e-5 if np.float32 in (a.dtype, b.dtype) else 1e-10
    assert -1.0 - tolerance <= result <= 1.0 + tolerance, f"{cosine.__name__} left [-1, 1]: {result}"
    assert math.isclose(result, reference_cosine(a, b), rel_tol=0, abs_tol=tolerance), (
        f"{cosine.__name__} disagrees with the reference (a missing norm?)")


@st.composite
def nonzero_pairs(draw):
    n = draw(st.integers(1, 30))
    a, b = draw(float_arrays((n,))), draw(float_arrays((n,)))
    # Vectors with tiny norms make the angle ill-conditioned; the property is about the formula.
    assume(np.linalg.norm(a.astype(float)) > 1e-3 and np.linalg.norm(b.astype(float)) > 1e-3)
    return a, b


@pytest.mark.parametrize("cosine", IMPLEMENTATIONS, ids=lambda f: f.__name__)
@settings(max_examples=60, deadline=None)
@given(pair=nonzero_pairs())
def test_matches_reference(cosine, pair):
    check_cosine(cosine, *pair)


@pytest.mark.parametrize("cosine", IMPLEMENTATIONS, ids=lambda f: f.__name__)
def test_edge_cases(cosine):
    assert cosine(np.array([2.0]), np.array([5.0])) == 1.0                     # length 1
    assert cosine(np.array([1, 0]), np.array([0, 3])) == 0.0                   # int, orthogonal
    assert math.isclose(cosine(np.array([1.0, 2.0]), np.array([-2.0, -4.0])), -1.0)
    with pytest.raises(ValueError, match="zero vector"):
        cosine(np.zeros(3), np.ones(3))


def dot_only(a, b):
    return float(a @ b)


def one_norm_missing(a, b):
    return float(a @ b / np.linalg.norm(a))


def squared_norms(a, b):
    return float(a @ b / ((a @ a) * (b @ b)))


@pytest.mark.parametrize("wrong, message", [
    (dot_only, r"left \[-1, 1\]"),
    (one_norm_missing, "disagrees with the reference"),
    (squared_norms, "disagrees with the reference"),
])
def test_check_rejects_known_wrong_cosines(wrong, message):
    a, b = np.array([1.0, 2.0, 0.5]), np.array([0.5, 0.4, 0.3])
    with pytest.raises(AssertionError, match=message):
        check_cosine(wrong, a, b)


@pytest.mark.parametrize("cosine", IMPLEMENTATIONS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("magnitude", [1e-170, 1e-300, 1e160, 1e300])
def test_extreme_magnitudes_are_scaled_not_mistaken_for_zero(cosine, magnitude):
    """Squares underflow or overflow; the cosine of a vector with itself is still exactly 1."""
    v = magnitude * np.ones(3)
    assert cosine(v, v) == 1.0
    assert math.isclose(cosine(v, magnitude * np.array([1.0, 0.0, 0.0])), 1 / math.sqrt(3))


def cosine_unscaled(a, b):
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_check_rejects_the_unscaled_formula_on_extreme_magnitudes():
    v = 1e160 * np.ones(3)
    with np.errstate(all="ignore"), pytest.raises(AssertionError, match="disagrees|left"):
        check_cosine(cosine_unscaled, v, 1e160 * np.array([1.0, 2.0, 3.0]))

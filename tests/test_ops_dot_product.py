"""The dot-product chapter's own functions against an independent reference."""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from course_tools.notebooks import load_chapter
from op_testing import call_without_mutation, float_arrays

chapter = load_chapter("dot_product")
IMPLEMENTATIONS = [chapter.dot_loop, chapter.dot_vec]


def reference_dot(a, b):
    # math.fsum: exactly rounded sum of exact products, independent of NumPy and BLAS order.
    return math.fsum(float(x) * float(y) for x, y in zip(a.tolist(), b.tolist()))


@st.composite
def vector_pairs(draw):
    n = draw(st.integers(1, 40))
    return draw(float_arrays((n,))), draw(float_arrays((n,)))


def check_dot(dot, a, b):
    result = call_without_mutation(dot, a, b)
    assert isinstance(result, float), f"{dot.__name__} must return one scalar, got {type(result)}"
    scale = reference_dot(np.abs(a), np.abs(b))
    # float32 inputs round each product to ~6e-8 relative; float64 to ~1e-16.
    tolerance = (1e-5 if np.float32 in (a.dtype, b.dtype) else 1e-12) * max(scale, 1.0)
    assert abs(result - reference_dot(a, b)) <= tolerance, f"{dot.__name__} disagrees with the reference"


@pytest.mark.parametrize("dot", IMPLEMENTATIONS, ids=lambda f: f.__name__)
@settings(max_examples=60, deadline=None)
@given(pair=vector_pairs())
def test_matches_reference(dot, pair):
    check_dot(dot, *pair)


@pytest.mark.parametrize("dot", IMPLEMENTATIONS, ids=lambda f: f.__name__)
def test_edge_cases(dot):
    assert dot(np.array([3.0]), np.array([-2.0])) == -6.0                   # length 1
    assert dot(np.array([1, 2, 3]), np.array([4, 5, 6])) == 32.0             # integer input
    assert dot(np.zeros(5), np.ones(5)) == 0.0


@pytest.mark.parametrize("dot", IMPLEMENTATIONS, ids=lambda f: f.__name__)
def test_rejects_mismatched_lengths(dot):
    with pytest.raises(AssertionError, match=r"need two \(n,\) vectors"):
        dot(np.ones(3), np.ones(4))


def elementwise_product(a, b):
    return a * b


def dot_without_last_term(a, b):
    return float(a[:-1] @ b[:-1])


def dot_in_place(a, b):
    a *= b
    return float(a.sum())


@pytest.mark.parametrize("wrong, message", [
    (elementwise_product, "must return one scalar"),
    (dot_without_last_term, "disagrees with the reference"),
    (dot_in_place, "mutated its argument #0"),
])
def test_check_rejects_known_wrong_dots(wrong, message):
    """The check bites: each classic mistake fails with a message that names it."""
    a, b = np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0, 6.0])
    with pytest.raises(AssertionError, match=message):
        check_dot(wrong, a, b)

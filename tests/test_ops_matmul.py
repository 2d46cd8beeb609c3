"""The matrix-multiplication chapter's functions against a pure-Python reference."""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from course_tools.notebooks import load_chapter
from op_testing import call_without_mutation, float_arrays

chapter = load_chapter("matmul")
IMPLEMENTATIONS = [chapter.matmul_loop, chapter.matmul_vec]


def reference_matmul(A, B):
    rows, columns = A.tolist(), B.T.tolist()
    return [[math.fsum(float(x) * float(y) for x, y in zip(row, col)) for col in columns]
            for row in rows]


def check_matmul(matmul, A, B):
    result = call_without_mutation(matmul, A, B)
    expected_shape = (A.shape[0], B.shape[1])
    assert np.shape(result) == expected_shape, (
        f"{matmul.__name__}: shape {np.shape(result)}, expected {expected_shape} (wrong orientation?)")
    low_precision = np.float32 in (A.dtype, B.dtype)
    scale = np.abs(A).astype(float) @ np.abs(B).astype(float)
    tolerance = (1e-5 if low_precision else 1e-12) * np.maximum(scale, 1.0)
    assert np.all(np.abs(result - np.array(reference_matmul(A, B))) <= tolerance), (
        f"{matmul.__name__} disagrees with the reference")


@st.composite
def compatible_pairs(draw):
    m, n, p = (draw(st.integers(1, 6)) for _ in range(3))
    return draw(float_arrays((m, n))), draw(float_arrays((n, p)))


@pytest.mark.parametrize("matmul", IMPLEMENTATIONS, ids=lambda f: f.__name__)
@settings(max_examples=50, deadline=None)
@given(pair=compatible_pairs())
def test_matches_reference(matmul, pair):
    check_matmul(matmul, *pair)


@pytest.mark.parametrize("matmul", IMPLEMENTATIONS, ids=lambda f: f.__name__)
def test_edge_cases(matmul):
    assert np.array_equal(matmul(np.array([[2.0]]), np.array([[3.0]])), [[6.0]])  # 1x1
    assert np.array_equal(matmul(np.array([[1, 2]]), np.array([[3], [4]])), [[11]])  # int
    assert matmul(np.ones((1, 3)), np.ones((3, 5))).shape == (1, 5)


@pytest.mark.parametrize("matmul", IMPLEMENTATIONS, ids=lambda f: f.__name__)
def test_rejects_mismatched_inner_dimensions(matmul):
    with pytest.raises(AssertionError, match="inner dimensions must match"):
        matmul(np.ones((3, 4)), np.ones((3, 4)))


def transposed_result(A, B):
    return (A @ B).T


def elementwise(A, B):
    return A * B


def second_operand_transposed(A, B):
    return A @ B.T  # right shape for square B, wrong numbers


def first_column_only(A, B):
    C = A @ B
    C[:, 1:] = 0.0
    return C


@pytest.mark.parametrize("wrong, message", [
    (transposed_result, "wrong orientation"),
    (elementwise, "disagrees with the reference"),
    (second_operand_transposed, "disagrees with the reference"),
    (first_column_only, "disagrees with the reference"),
])
def test_check_rejects_known_wrong_products(wrong, message):
    rng = np.random.default_rng(0)
    A, B = rng.standard_normal((2, 2)), rng.standard_normal((2, 2))
    if wrong is transposed_result:
        A, B = rng.standard_normal((2, 3)), rng.standard_normal((3, 4))
    with pytest.raises(AssertionError, match=message):
        check_matmul(wrong, A, B)

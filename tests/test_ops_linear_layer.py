"""The linear-layer chapter's functions against a pure-Python reference."""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from course_tools.notebooks import load_chapter
from op_testing import call_without_mutation, float_arrays

chapter = load_chapter("linear_layer")
IMPLEMENTATIONS = [chapter.layer_loop, chapter.layer_vec]


def reference_layer(X, W, b):
    return np.array([[math.fsum([float(bh)] + [float(x) * float(w) for x, w in zip(row, unit)])
                      for unit, bh in zip(W.tolist(), b.tolist())] for row in X.tolist()])


def check_layer(layer, X, W, b):
    result = call_without_mutation(layer, X, W, b)
    expected_shape = (X.shape[0], W.shape[0])
    assert np.shape(result) == expected_shape, (
        f"{layer.__name__}: output shape {np.shape(result)}, expected (N, H) = {expected_shape}")
    expected = reference_layer(X, W, b)
    scale = np.abs(X).astype(float) @ np.abs(W).astype(float).T + np.abs(b)
    tolerance = (1e-5 if np.float32 in (X.dtype, W.dtype, b.dtype) else 1e-12) * np.maximum(scale, 1)
    assert np.all(np.abs(result - expected) <= tolerance), (
        f"{layer.__name__} disagrees with the reference (bias added per row? W not transposed?)")


@st.composite
def layer_inputs(draw):
    N, D, H = (draw(st.integers(1, 6)) for _ in range(3))
    return draw(float_arrays((N, D))), draw(float_arrays((H, D))), draw(float_arrays((H,)))


@pytest.mark.parametrize("layer", IMPLEMENTATIONS, ids=lambda f: f.__name__)
@settings(max_examples=50, deadline=None)
@given(inputs=layer_inputs())
def test_matches_reference(layer, inputs):
    check_layer(layer, *inputs)


@pytest.mark.parametrize("layer", IMPLEMENTATIONS, ids=lambda f: f.__name__)
def test_edge_cases(layer):
    assert np.array_equal(layer(np.array([[2.0]]), np.array([[3.0]]), np.array([1.0])), [[7.0]])
    ints = layer(np.array([[1, 2]]), np.array([[1, 1], [0, 1]]), np.array([0, 5]))
    assert np.array_equal(ints, [[3, 7]])


@pytest.mark.parametrize("layer", IMPLEMENTATIONS, ids=lambda f: f.__name__)
def test_rejects_a_column_bias(layer):
    X, W = np.ones((3, 2)), np.ones((3, 2))
    with pytest.raises(AssertionError, match=r"b \(H,\)"):
        layer(X, W, np.zeros((3, 1)))


def column_bias(X, W, b):
    return X @ W.T + b[:, None]


def untransposed(X, W, b):
    return X @ W + b


def transposed_output(X, W, b):
    return (X @ W.T + b).T


def bias_ignored(X, W, b):
    return X @ W.T


@pytest.mark.parametrize("wrong, N, D, H, message", [
    (column_bias, 3, 2, 3, "disagrees with the reference"),     # N == H: runs, wrong values
    (column_bias, 1, 2, 3, r"output shape \(3, 3\)"),          # N == 1: wrong shape (H, H)
    (untransposed, 4, 3, 3, "disagrees with the reference"),    # H == D: runs, other layer
    (transposed_output, 4, 2, 3, r"output shape \(3, 4\)"),
    (bias_ignored, 2, 2, 2, "disagrees with the reference"),
])
def test_check_rejects_known_wrong_layers(wrong, N, D, H, message):
    rng = np.random.default_rng(0)
    X, W, b = rng.standard_normal((N, D)), rng.standard_normal((H, D)), rng.standard_normal(H)
    with pytest.raises(AssertionError, match=message):
        check_layer(wrong, X, W, b)

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
    """Y[n][h] = fsum of X[n][d] * W[h][d] and b[h]: exactly rounded, no NumPy arithmetic."""
    return [[math.fsum([float(bias)] + [float(x) * float(w) for x, w in zip(row, unit)])
             for unit, bias in zip(W.tolist(), b.tolist())] for row in X.tolist()]


def close(result, expected, tolerance):
    return result.shape == expected.shape and bool(np.all(np.abs(result - expected) <= tolerance))


def check_layer(layer, X, W, b):
    """Fail with a message naming the mistake when ``layer`` is not Y = X W^T + b."""
    N, H = X.shape[0], W.shape[0]
    result = np.asarray(call_without_mutation(layer, X, W, b), dtype=np.float64)
    if result.shape != (N, H):
        hint = {(H, H): " — a (H, 1) bias broadcast against the batch?",
                (H, N): " — the output is transposed"}.get(result.shape, "")
        raise AssertionError(f"{layer.__name__}: output shape {result.shape}, "
                             f"expected (N, H) = {(N, H)}{hint}")
    expected = np.array(reference_layer(X, W, b)).reshape(N, H)
    Xf, Wf, bf = (a.astype(np.float64) for a in (X, W, b))
    # Rounding: each product and partial sum is off by ~eps relative to the sum of |terms|.
    eps = 1e-6 if np.float32 in (X.dtype, W.dtype, b.dtype) else 1e-13
    tolerance = eps * (np.abs(Xf) @ np.abs(Wf).T + np.abs(bf) + 1.0)
    if close(result, expected, tolerance):
        return
    diagnoses = [(Xf @ Wf.T + bf[:, None] if N == H else None,
                  "adds the bias per row: a (H, 1) bias broadcast against the batch"),
                 (Xf @ Wf + bf if H == X.shape[1] else None, "computes X @ W without the transpose"),
                 (Xf @ Wf.T, "forgets the bias")]
    for wrong, mistake in diagnoses:
        if wrong is not None and close(result, wrong, tolerance):
            raise AssertionError(f"{layer.__name__} {mistake}")
    raise AssertionError(f"{layer.__name__} disagrees with the reference X W^T + b")


@st.composite
def layer_inputs(draw):
    N, D, H = (draw(st.integers(1, 6)) for _ in range(3))
    return draw(float_arrays((N, D))), draw(float_arrays((H, D))), draw(float_arrays((H,)))


@pytest.mark.parametrize("layer", IMPLEMENTATIONS, ids=lambda f: f.__name__)
@settings(max_examples=50, deadline=None)
@given(inputs=layer_inputs())
def test_matches_reference(layer, inputs):
    """Random shapes 1..6, float64/float32/int64, contiguous or strided views."""
    check_layer(layer, *inputs)


@pytest.mark.parametrize("layer", IMPLEMENTATIONS, ids=lambda f: f.__name__)
def test_edge_cases(layer):
    assert np.array_equal(layer(np.array([[2.0]]), np.array([[3.0]]), np.array([1.0])), [[7.0]])  # 1x1
    hand = layer(np.array([[1, 2]]), np.array([[1, 1], [0, 1]]), np.array([0, 5]))  # single row, int
    assert np.array_equal(hand, [[3, 7]])
    rng = np.random.default_rng(0)
    X32 = rng.standard_normal((4, 3)).astype(np.float32)
    check_layer(layer, X32, rng.standard_normal((2, 3)), rng.standard_normal(2).astype(np.float32))
    strided = rng.standard_normal((10, 6))[::2, ::2]  # (5, 3), not contiguous
    assert not strided.flags.c_contiguous
    check_layer(layer, strided, rng.standard_normal((4, 3)), rng.standard_normal(4))


@pytest.mark.parametrize("layer", IMPLEMENTATIONS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("N", [1, 3, 5])  # N == H is where a column bias would pass silently
def test_rejects_a_column_bias(layer, N):
    X, W = np.ones((N, 2)), np.ones((3, 2))
    with pytest.raises(AssertionError, match=r"b \(H,\)"):
        layer(X, W, np.zeros((3, 1)))


@pytest.mark.parametrize("layer", IMPLEMENTATIONS, ids=lambda f: f.__name__)
def test_rejects_weights_stored_as_d_by_h(layer):
    with pytest.raises(AssertionError, match=r"W \(H, D\)"):
        layer(np.ones((4, 2)), np.ones((2, 3)), np.zeros(3))


# Known-wrong layers: each must be rejected by check_layer with a message naming the mistake.
def column_bias(X, W, b):
    return X @ W.T + b[:, None]


def untransposed(X, W, b):
    return X @ W + b


def transposed_output(X, W, b):
    return (X @ W.T + b).T


def bias_forgotten(X, W, b):
    return X @ W.T


def writes_into_input(X, W, b):
    """'Saves memory' by reusing X's buffer for the output (possible when H == D)."""
    np.matmul(X, W.T, out=X)
    X += b
    return X


@pytest.mark.parametrize("wrong, N, D, H, message", [
    (column_bias, 3, 2, 3, r"bias per row: a \(H, 1\) bias"),   # N == H: right shape, wrong values
    (column_bias, 1, 2, 3, r"shape \(3, 3\).*\(H, 1\) bias"),   # N == 1: wrong shape (H, H)
    (untransposed, 4, 3, 3, "X @ W without the transpose"),     # H == D: runs, another layer
    (transposed_output, 4, 2, 3, "output is transposed"),
    (bias_forgotten, 2, 2, 2, "forgets the bias"),
    (writes_into_input, 4, 3, 3, "mutated its argument #0"),
])
def test_check_rejects_known_wrong_layers(wrong, N, D, H, message):
    rng = np.random.default_rng(0)
    X, W, b = rng.standard_normal((N, D)), rng.standard_normal((H, D)), rng.standard_normal(H)
    with pytest.raises(AssertionError, match=message):
        check_layer(wrong, X, W, b)


@pytest.mark.parametrize("wrong, message", [
    (column_bias, "could not be broadcast"),   # N != H, N != 1
    (untransposed, "mismatch in its core dimension"),   # H != D
])
def test_other_shapes_make_the_same_mistakes_fail_loudly(wrong, message):
    rng = np.random.default_rng(0)
    X, W, b = rng.standard_normal((5, 2)), rng.standard_normal((3, 2)), rng.standard_normal(3)
    with pytest.raises(ValueError, match=message):
        check_layer(wrong, X, W, b)

"""Checks for the implementation exercises (C1, C2, C3, C4 and D1's chunked distances).

Each runs the learner's function on hidden cases, edge cases included, and when the result is
wrong, compares it with the classic mistakes so the message can name the bug.
"""
from __future__ import annotations

import ast
import inspect
import textwrap
import tracemalloc

import numpy as np

from course_tools.checking import WrongAnswer

_rng = np.random.default_rng(0)


def _call(fn, *args):
    """fn(*args) on copies, failing if fn modified them; NotImplementedError means unanswered."""
    copies = [np.array(a, copy=True) for a in args]
    try:
        result = fn(*copies)
    except (NotImplementedError, WrongAnswer):
        raise
    except Exception as error:  # a crash on valid input is feedback, not a test-suite error
        raise WrongAnswer(f"{fn.__name__} raised {type(error).__name__}: {error}") from error
    for original, copy in zip(args, copies):
        if not np.array_equal(original, copy, equal_nan=True):
            raise WrongAnswer(f"{fn.__name__} modified its input in place. Work on new arrays "
                              "(X - mu creates one) so the caller's data stays intact.")
    return np.asarray(result)


def _loops(fn) -> bool | None:
    """Whether fn's source contains a for/while loop or comprehension (None if unavailable)."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError):
        return None
    loop_nodes = (ast.For, ast.While, ast.ListComp, ast.GeneratorExp, ast.DictComp, ast.SetComp)
    return any(isinstance(node, loop_nodes) for node in ast.walk(tree))


def _close(a, b, atol=1e-8) -> bool:
    return np.shape(a) == np.shape(b) and np.allclose(a, b, rtol=1e-7, atol=atol)


def _matches(result, mistake) -> bool:
    """Whether result equals what a known mistake computes (False if the mistake cannot run here)."""
    try:
        return _close(result, mistake())
    except ValueError:
        return False


# C1 ------------------------------------------------------------------------------------------

def _reference_standardize(X, ddof=0, axis=0, eps=0.0):
    X = np.asarray(X, dtype=np.float64)
    mu, sd = X.mean(axis=axis, keepdims=True), X.std(axis=axis, ddof=ddof, keepdims=True)
    constant = X.max(axis=axis, keepdims=True) == X.min(axis=axis, keepdims=True)
    return np.where(constant, 0.0, (X - mu) / np.where(constant, 1.0, sd + eps))


def _standardize_cases():
    spread = _rng.normal([0.0, 50.0, -3.0], [1.0, 10.0, 1e-3], size=(20, 3))
    constant = np.column_stack([_rng.standard_normal(10), np.full(10, 0.7), np.full(10, 5.0)])
    return {"random features": spread,
            "constant columns": constant,
            "a single row": np.array([[4.0, -1.0, 2.5]]),
            "integer input": np.array([[1, 2], [3, 6], [5, 11]]),
            "points far from the origin": spread[:, :2] + 1e6}


def check_standardize(standardize):
    for case, X in _standardize_cases().items():
        Z = _call(standardize, X)
        if Z.shape != X.shape:
            raise WrongAnswer(f"On {case}: output shape {Z.shape}, but it must equal the input's {X.shape}.")
        if np.issubdtype(Z.dtype, np.integer):
            raise WrongAnswer(f"On {case}: integer output. Convert X to float64 before the arithmetic.")
        if np.isnan(Z).any():
            raise WrongAnswer(f"On {case}: nan in the output. A constant column divides 0 by 0: "
                              "guard the zero standard deviation.")
        expected = _reference_standardize(X)
        if _close(Z, expected, atol=1e-6):
            continue
        if X.shape[0] > 1 and _close(Z, _reference_standardize(X, axis=1), atol=1e-6):
            raise WrongAnswer("Statistics over the wrong axis: that centres each example (row). "
                              "Use axis=0, one mean and std per feature.")
        if X.shape[0] > 1 and _close(Z, _reference_standardize(X, ddof=1), atol=1e-6):
            raise WrongAnswer("That uses the sample std (ddof=1). Use np.std's default, ddof=0.")
        if case == "random features" and np.std(Z[:, 2]) < 0.99:
            raise WrongAnswer("A feature with a small spread no longer has unit variance: an epsilon "
                              "added to sd distorts the data. Guard only the constant columns.")
        if case == "constant columns" and np.abs(Z[:, 1:]).max() > 1e-6:
            raise WrongAnswer("A constant column came out non-zero. Its computed std can be tiny but not "
                              "exactly 0 (rounding in the mean), so `sd > 0` lets it through; test "
                              "constancy exactly, with X.max(axis=0) == X.min(axis=0).")
        raise WrongAnswer(f"On {case}: the output is not the per-column standardization.")
    return "Zero mean and unit std per column, constant columns to zero, input untouched."


# C2 and C3 -----------------------------------------------------------------------------------

def _layer_cases():
    def draw(N, D, H, dtype=float):
        X, W, b = _rng.standard_normal((N, D)), _rng.standard_normal((H, D)), _rng.standard_normal(H)
        return tuple(np.round(a * 3).astype(dtype) if dtype is int else a for a in (X, W, b))
    return {"a batch": draw(5, 4, 2), "a batch with N = H": draw(3, 2, 3),
            "a layer with H = D": draw(4, 3, 3), "a single example": draw(1, 3, 2),
            "integer input": draw(3, 2, 2, dtype=int)}


def _diagnose_layer(name, Y, X, W, b, case):
    N, H = X.shape[0], W.shape[0]
    if Y.shape == (H, N) and N != H:
        raise WrongAnswer(f"{name} on {case}: output is (H, N), the transpose. Rows must be examples: (N, H).")
    if Y.shape == (H, H) and N == 1:
        raise WrongAnswer(f"{name} on {case}: output is (H, H). A bias of shape (H, 1) broadcasts "
                          "against the batch axis; it must have shape (H,).")
    if Y.shape != (N, H):
        raise WrongAnswer(f"{name} on {case}: output shape {Y.shape}, expected (N, H) = {(N, H)}.")
    X, W, b = (np.asarray(a, dtype=float) for a in (X, W, b))
    if _close(Y, X @ W.T + b):
        return
    if _matches(Y, lambda: X @ W.T + b[:, None]):
        raise WrongAnswer(f"{name} on {case}: the bias is added per row, as if it had shape (H, 1). "
                          "Keep b as (H,) so it broadcasts across the rows.")
    if _matches(Y, lambda: X @ W + b):
        raise WrongAnswer(f"{name} on {case}: that is X @ W. Without the transpose the columns of W "
                          "act as units; use X @ W.T.")
    if _close(Y, X @ W.T):
        raise WrongAnswer(f"{name} on {case}: the bias is missing.")
    raise WrongAnswer(f"{name} on {case}: the values are not X W^T + b.")


def _call_layer(fn, name, case, *args):
    try:
        return _call(fn, *args)
    except WrongAnswer as error:
        if "could not be broadcast" in str(error):
            raise WrongAnswer(f"{name} on {case}: the bias does not broadcast. A bias of shape (H, 1) "
                              "lines up with the batch axis; keep it (H,).") from error
        if "matmul" in str(error):
            raise WrongAnswer(f"{name} on {case}: the inner dimensions of the product do not match. "
                              "W is (H, D): transpose it, X @ W.T.") from error
        raise


def check_layer_pair(layer_loop, layer_vec):
    for case, (X, W, b) in _layer_cases().items():
        for fn in (layer_loop, layer_vec):
            _diagnose_layer(fn.__name__, _call_layer(fn, fn.__name__, case, X, W, b), X, W, b, case)
    if _loops(layer_loop) is False:
        raise WrongAnswer("layer_loop has no loop. Write the explicit loops over n, h and d.")
    if _loops(layer_vec):
        raise WrongAnswer("layer_vec contains a Python loop. Use one expression: X @ W.T + b.")
    return "Both versions agree with X W^T + b on every hidden case, shape (N, H)."


def check_fixed_layer(fixed_layer):
    for case, (X, W, _) in _layer_cases().items():
        Y = _call_layer(fixed_layer, "fixed_layer", case, X, W)
        _diagnose_layer("fixed_layer", Y, X, W, np.zeros(W.shape[0]), case)


# C4 and D1 -----------------------------------------------------------------------------------

def _exact_distances(X):
    X = np.asarray(X, dtype=np.float64)
    return np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=-1))


def _int64_distances(X):
    """What the broadcast formula gives when int64 squares wrap around."""
    with np.errstate(all="ignore"):
        return np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=-1).astype(np.float64))


def _distance_cases():
    points = _rng.standard_normal((7, 3))
    return {"random points": points, "a single point": np.array([[2.0, -1.0]]),
            "one-dimensional points": np.array([[0.0], [3.0], [-1.5]]),
            "integer coordinates": np.array([[0, 0], [4_000_000_000, 0], [0, 3]]),
            "points far from the origin": points + 1e6}


def check_dist_matrix(dist_matrix, name="dist_matrix", allow_loops=False):
    for case, X in _distance_cases().items():
        with np.errstate(all="ignore"):
            result = _call(dist_matrix, X)
        N = X.shape[0]
        expected = _exact_distances(X)
        if result.shape != (N, N):
            raise WrongAnswer(f"{name} on {case}: shape {result.shape}, expected (N, N) = {(N, N)}.")
        wrapped = _int64_distances(X)
        if case == "integer coordinates" and np.allclose(result, wrapped, equal_nan=True):
            raise WrongAnswer(f"{name} on {case}: wrong values. Squaring large int64 differences "
                              "overflows silently; convert to float64 first.")
        if np.isnan(result).any():
            raise WrongAnswer(f"{name} on {case}: nan. Rounding made a squared distance negative "
                              "before the square root; clip it at 0, or compute differences.")
        if _close(result, expected, atol=1e-6 * max(1.0, expected.max())):
            if np.any(np.diag(result) != 0):
                raise WrongAnswer(f"{name} on {case}: the diagonal is not exactly 0.")
            continue
        Xf = X.astype(np.float64)
        if _close(result, expected**2, atol=1e-6):
            raise WrongAnswer(f"{name} on {case}: these are squared distances; the square root is missing.")
        if _close(result, np.abs(Xf[:, None, :] - Xf[None, :, :]).sum(axis=-1)):
            raise WrongAnswer(f"{name} on {case}: that is the Manhattan (L1) distance, not the Euclidean.")
        if not np.allclose(result, result.T):
            raise WrongAnswer(f"{name} on {case}: the matrix is not symmetric.")
        if case == "points far from the origin":
            raise WrongAnswer(f"{name} on {case}: inaccurate. The expansion |x|^2 + |y|^2 - 2 x.y "
                              "cancels catastrophically far from the origin; subtract first "
                              "(or centre X before using it).")
        raise WrongAnswer(f"{name} on {case}: the values are not the Euclidean distances.")
    if not allow_loops and _loops(dist_matrix):
        raise WrongAnswer(f"{name} uses a Python loop. Build all differences at once by broadcasting "
                          "X[:, None, :] against X[None, :, :].")
    return "Euclidean, symmetric, exact zero diagonal, robust on every hidden case."


def check_chunked_distances(dist_matrix_chunked, N=600, D=50):
    check_dist_matrix(dist_matrix_chunked, "dist_matrix_chunked", allow_loops=True)
    X = _rng.standard_normal((N, D))
    full_block = 8 * N * N * D
    tracemalloc.start()
    try:
        result = _call(dist_matrix_chunked, X)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    if not _close(result, _exact_distances(X)):
        raise WrongAnswer("dist_matrix_chunked: wrong values on a larger case (check the block edges).")
    if peak > 0.25 * full_block:
        raise WrongAnswer(f"dist_matrix_chunked: peak memory {peak / 1e6:.0f} MB, "
                          f"{peak / full_block:.0%} of the full (N, N, D) block. Process a few rows at a time.")
    return f"Peak memory {peak / 1e6:.1f} MB against {full_block / 1e6:.0f} MB for the full block."

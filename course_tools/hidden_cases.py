"""Implementation checks (C1, C2, C3, C4 and D1's chunked distances) on hidden cases.

Each runs the learner's function on hidden cases, edge cases included, and when the result is
wrong, compares it with what the classic mistakes compute so the message can name the bug.
"""
from __future__ import annotations

import os
import sys
import tracemalloc

import numpy as np

from course_tools.feedback import COURSE_CODE, LearnerError, WrongAnswer, call_learner, function_name


def _learner_code(code) -> bool:
    """Whether a code object is the learner's: not NumPy's, the standard library's or ours."""
    filename = code.co_filename
    return not (filename.startswith(_LIBRARY_PATHS) or filename.startswith("<frozen"))


_LIBRARY_PATHS = tuple({os.path.join(path, "") for path in (
    COURSE_CODE, sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(os.__file__),
    os.path.dirname(np.__file__)) if os.path.dirname(path) != path})  # never "/" (Pyodide)


def lines_run(fn, *args) -> int:
    """How many lines of the learner's own code (fn, the helpers and comprehensions it calls)
    run for fn(*args). A loop over array elements runs its body once per element, so this count
    grows with the input; a vectorized body, or a loop over a fixed few items such as
    X.shape, runs the same lines at every size."""
    count = 0

    def local(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return local

    def on_call(frame, event, arg):
        return local if _learner_code(frame.f_code) else None

    previous = sys.gettrace()  # a debugger's or coverage's tracer, restored afterwards
    sys.settrace(on_call)
    try:
        with np.errstate(all="ignore"):
            fn(*args)
    finally:
        sys.settrace(previous)
    return count


def loop_growth(fn, make_input, sizes=(8, 16, 32)) -> str | None:
    """'none', 'linear' or 'quadratic': how the lines fn runs grow with the input's size n,
    measured at three sizes. Called after the hidden cases passed; None (no verdict) if fn
    fails on these inputs, whose values the hidden cases already judged."""
    try:
        counts = [lines_run(fn, *make_input(n)) for n in sizes]
    except Exception:
        return None
    if not any(counts):  # none of fn's lines was seen (a C function, say): no verdict
        return None
    first, second = counts[1] - counts[0], counts[2] - counts[1]
    if second <= 0:
        return "none"
    # doubling N: a loop over N items adds about as many lines again, one over N**2 pairs four times
    return "quadratic" if first > 0 and second >= 3 * first else "linear"


def _close(a, b, atol=1e-8) -> bool:
    return np.shape(a) == np.shape(b) and np.allclose(a, b, rtol=1e-7, atol=atol)


def _matches(result, mistake) -> bool:
    """Whether result equals what a known mistake computes (False if the mistake cannot run here)."""
    try:
        with np.errstate(all="ignore"):
            return _close(result, mistake(), atol=1e-6)
    except ValueError:
        return False


# C1 ------------------------------------------------------------------------------------------

def _reference_standardize(X, axis=0, ddof=0, power=1):
    """Standardization, constant columns to 0; ddof and power reproduce mistakes. Every constant
    column among the hidden cases is exactly constant, so any guard that zeroes those passes:
    max == min, np.ptp(X, axis=0) == 0, or a variance bound relative to the data (scikit-learn's
    StandardScaler: var <= n*eps*var + (n*mean*eps)**2)."""
    X = np.asarray(X, dtype=np.float64)
    mu, sd = X.mean(axis=axis, keepdims=True), X.std(axis=axis, ddof=ddof, keepdims=True)
    constant = X.max(axis=axis, keepdims=True) == X.min(axis=axis, keepdims=True)
    return np.where(constant, 0.0, (X - mu) / np.where(constant, 1.0, sd**power))


def _standardize_cases():
    rng = np.random.default_rng(0)
    # The third feature has a small spread (sd 1e-3): an epsilon added to sd shows there first.
    spread = rng.normal([0.0, 50.0, -3.0], [1.0, 10.0, 1e-3], size=(20, 3))
    # Summed down the columns of this C-ordered batch, the 0.7s and the 3000.3s do not average
    # back to themselves: their computed sds are about 1e-16 and 5e-13, not 0. 5.0's is 0.
    constant = np.column_stack([rng.standard_normal(10), np.full(10, 0.7), np.full(10, 5.0),
                                np.full(10, 3000.3)])
    # A real feature with a tiny spread (a quantity in small units: sd about 3e-14): not
    # constant, so it is standardized like any other. An absolute threshold on sd either zeroes
    # it (threshold above 3e-14) or lets the 3000.3s through (below 5e-13), or both.
    tiny = np.column_stack([rng.standard_normal(12), 3e-14 * rng.standard_normal(12)])
    return {"random features": spread,
            "constant columns": constant,
            "a feature with a tiny spread": tiny,
            "a single row": np.array([[4.0, -1.0, 2.5]]),
            "integer input": np.array([[1, 2], [3, 6], [5, 11]]),
            "points far from the origin": spread[:, :2] + 1e6}


def _shrunk_columns(Z, expected) -> bool:
    """Whether every non-constant column is the right one scaled by a factor below 1 (sd + eps)."""
    varying = np.abs(expected).max(axis=0) > 0
    if not varying.any():
        return False
    scale = np.linalg.norm(Z[:, varying], axis=0) / np.linalg.norm(expected[:, varying], axis=0)
    return _close(Z[:, varying], expected[:, varying] * scale, atol=1e-9) and bool(np.all(scale < 1))


def _diagnose_standardize(Z, X, case):
    if Z.shape != X.shape:
        if Z.shape == X.T.shape:
            raise WrongAnswer(f"On {case}: output shape {Z.shape} is the input's transposed; keep "
                              f"examples as rows, shape {X.shape}.")
        raise WrongAnswer(f"On {case}: output shape {Z.shape}, but it must equal the input's {X.shape}.")
    if np.issubdtype(Z.dtype, np.integer):
        raise WrongAnswer(f"On {case}: integer output. Convert X to float64 before the arithmetic.")
    constant = X.max(axis=0) == X.min(axis=0)
    nan_columns = np.isnan(Z).any(axis=0)
    if np.isnan(Z).all() and not constant.all():
        raise WrongAnswer(f"On {case}: every entry of the output is nan. Something undefined "
                          "(0 / 0, the square root of a negative number, a nan) reaches every "
                          "column: print the intermediate arrays on a small input.")
    if nan_columns.any():
        if np.all(constant[nan_columns]):
            raise WrongAnswer(f"On {case}: nan in the output. A constant column divides 0 by 0: "
                              "no zero-std guard.")
        raise WrongAnswer(f"On {case}: nan in column(s) {np.flatnonzero(nan_columns).tolist()}, "
                          "which are not constant. Look for the square root of a negative "
                          "number: a variance computed as E[X^2] - E[X]^2 can round below 0, "
                          "while np.std, from the centred data X - mu, cannot.")
    expected = _reference_standardize(X)
    if _close(Z, expected, atol=1e-6):
        return
    if Z.dtype in (np.float32, np.float16):
        raise WrongAnswer(f"On {case}: wrong values, computed in {Z.dtype}: its few significant "
                          "digits are not enough here. Convert X to float64 first, "
                          "np.asarray(X, dtype=np.float64).")
    several_rows = X.shape[0] > 1
    Xf = np.asarray(X, dtype=np.float64)
    mu, sd = Xf.mean(axis=0), Xf.std(axis=0)
    spread = Xf.max(axis=0) - Xf.min(axis=0)
    safe = np.where(spread > 0, spread, 1.0)
    mistakes = [
        (True, lambda: (Xf - Xf.mean()) / Xf.std(),
         "One mean and one std for the whole array: the axis= argument is missing. Use "
         "X.mean(axis=0) and X.std(axis=0), one per feature."),
        (True, lambda: (Xf - Xf.mean()) / sd,
         "The mean is taken over the whole array: axis=0 is missing in X.mean."),
        (True, lambda: (Xf - mu) / Xf.std(),
         "The std is taken over the whole array: axis=0 is missing in X.std."),
        (True, lambda: (Xf - Xf.min(axis=0)) / safe,
         "That is min-max scaling, (X - min) / (max - min), into [0, 1]. Standardization "
         "subtracts the mean and divides by the standard deviation."),
        (True, lambda: (Xf - mu) / safe,
         "That divides by the range, max - min. Divide by the standard deviation."),
        (several_rows, lambda: _reference_standardize(X, axis=1),
         "Statistics over the wrong axis: that standardizes each example (row). Use axis=0, one "
         "mean and one std per feature."),
        (several_rows, lambda: _reference_standardize(X, ddof=1),
         "That uses the sample std (ddof=1). Use np.std's default, ddof=0."),
        (True, lambda: _reference_standardize(X, power=2),
         "That divides by the variance. Divide by the standard deviation, its square root."),
        (True, lambda: X - X.mean(axis=0), "That only centres the data: divide by the std too."),
    ]
    for applies, mistake, message in mistakes:
        if applies and _matches(Z, mistake):
            raise WrongAnswer(f"On {case}: {message}")
    if case == "points far from the origin":  # every case near the origin passed
        raise WrongAnswer(f"On {case}: inaccurate. A variance computed as E[X^2] - E[X]^2 cancels "
                          "catastrophically when the mean is large; compute the std from the "
                          "centred data, X - mu (np.std does).")
    treated_as_constant = [d for d in np.flatnonzero(~constant)
                           if np.all(Z[:, d] == 0) or _close(Z[:, d], Xf[:, d] - mu[d], atol=1e-6 * sd[d])]
    wrong_columns = ~np.isclose(Z, expected, rtol=1e-7, atol=1e-6).all(axis=0)
    if (treated_as_constant and set(np.flatnonzero(wrong_columns)) <= set(treated_as_constant)
            and (~wrong_columns & ~constant).any()):  # the other varying columns are right
        d = treated_as_constant[0]
        raise WrongAnswer(f"On {case}: column {d} is not constant (its values differ; sd "
                          f"{sd[d]:.0e}), but it was not standardized: an absolute tolerance, such "
                          "as sd < 1e-6, np.isclose(sd, 0) or np.allclose(column, column[0]), "
                          "treats a small spread as no spread. Decide constancy relative to the data (as in the "
                          "standardization chapter), or with max == min.")
    if _shrunk_columns(Z, expected):
        raise WrongAnswer(f"On {case}: every column comes out with a std below 1: an epsilon added to "
                          "sd distorts the data, most for features with a small spread. Guard only "
                          "the constant columns.")
    if constant.any() and np.abs(Z[:, constant]).max() > 1e-6:
        d = np.flatnonzero(constant & (np.abs(Z).max(axis=0) > 1e-6))[0]
        raise WrongAnswer(f"On {case}: constant column {d} came out non-zero. Its computed std is "
                          f"a rounding residue ({sd[d]:.0e}), not 0, and your constancy test let "
                          "it through: sd > 0 does (see B4), and so does an absolute threshold "
                          "below the residue. Decide constancy from the data instead: a bound on "
                          "the variance relative to the data, as in the standardization chapter, "
                          "or max == min.")
    raise WrongAnswer(f"On {case}: the output is not the per-column standardization.")


def check_standardize(standardize):
    name = function_name(standardize, "standardize")
    for case, X in _standardize_cases().items():
        with np.errstate(all="ignore"):  # the diagnosis, not a RuntimeWarning, should speak
            Z = call_learner(standardize, X, name=name, case=case)
        _diagnose_standardize(Z, X, case)
    return "Zero mean and unit std per column, constant columns to zero, input untouched."


# C2 and C3 -----------------------------------------------------------------------------------

def _layer_cases():
    rng = np.random.default_rng(0)

    def draw(N, D, H, dtype=float):
        X, W, b = rng.standard_normal((N, D)), rng.standard_normal((H, D)), rng.standard_normal(H)
        return tuple(np.round(a * 3).astype(int) if dtype is int else a for a in (X, W, b))
    # N = H lets a (H, 1) bias run with the right shape; H = D lets a missing transpose run.
    return {"a batch": draw(5, 4, 2), "a batch with N = H": draw(3, 2, 3),
            "a layer with H = D": draw(4, 3, 3), "a single example": draw(1, 3, 2),
            "integer input": draw(3, 2, 2, dtype=int)}


def _diagnose_layer(name, Y, X, W, b, case):
    N, H = X.shape[0], W.shape[0]
    if Y.shape == (H, N) and N != H:
        raise WrongAnswer(f"{name} on {case}: the output is transposed, {Y.shape}: wrong orientation. "
                          "Rows must be examples and columns units.")
    if Y.shape == (H, H) and N == 1:
        raise WrongAnswer(f"{name} on {case}: output is (H, H). A bias of shape (H, 1) broadcasts "
                          "against the batch axis; it must have shape (H,).")
    if Y.shape != (N, H):
        raise WrongAnswer(f"{name} on {case}: output shape {Y.shape}; expected one row per example "
                          f"and one column per unit, {(N, H)}.")
    X, W, b = (np.asarray(a, dtype=float) for a in (X, W, b))
    if _close(Y, X @ W.T + b):
        return
    if _matches(Y, lambda: X @ W.T + b[:, None]):
        raise WrongAnswer(f"{name} on {case}: the bias is added per row, as if it had shape (H, 1). "
                          "Keep b as (H,) so it broadcasts across the rows.")
    if _matches(Y, lambda: X @ W + b):
        raise WrongAnswer(f"{name} on {case}: that is X @ W, without the transpose: the columns of W "
                          "act as units. Use X @ W.T.")
    if _matches(Y, lambda: (X @ W.T + b).T):
        raise WrongAnswer(f"{name} on {case}: the output is transposed (wrong orientation). Rows must "
                          "be examples.")
    if _matches(Y, lambda: X @ W.T):
        raise WrongAnswer(f"{name} on {case}: the bias is missing.")
    raise WrongAnswer(f"{name} on {case}: the values are not X W^T + b.")


def _layer_mistake_behind(fn, name, with_bias) -> str | None:
    """When fn raised, the mistake it makes where that mistake runs: a missing transpose runs
    when H = D, a bias of shape (H, 1) when N = H. None if it makes neither there."""
    cases = _layer_cases()
    probes = [("a layer with H = D", lambda X, W, b: X @ W + b,
               "where it runs (H = D) it computes X @ W, without the transpose. W is (H, D): "
               "use X @ W.T."),
              ("a batch with N = H", lambda X, W, b: X @ W.T + b[:, None],
               "where it runs (N = H) it adds the bias per row, as if it had shape (H, 1). "
               "Keep b as (H,) so it broadcasts across the rows.")]
    for case, mistake, message in probes[:2 if with_bias else 1]:
        X, W, b = (np.asarray(a, dtype=float) for a in cases[case])
        try:
            Y = call_learner(fn, *((X, W, b) if with_bias else (X, W)), name=name, case=case)
        except WrongAnswer:
            continue
        if _matches(Y, lambda: mistake(X, W, b if with_bias else 0 * b)):
            return message
    return None


def _call_layer(fn, name, case, *args):
    try:
        return call_learner(fn, *args, name=name, case=case)
    except LearnerError as error:  # the mistake behind the crash, seen where it runs
        mistake = _layer_mistake_behind(fn, name, with_bias=len(args) == 3)
        if mistake:
            raise LearnerError(f"{name} raised {type(error.error).__name__} on {case}; {mistake}",
                               error.error, intro=f"{name} raised an error on {case}; {mistake} "
                               "In your code:") from None
        raise


def _verdict_or_none(fn, name, case, X, W, b) -> WrongAnswer | None:
    try:
        _diagnose_layer(name, _call_layer(fn, name, case, X, W, b), X, W, b, case)
    except WrongAnswer as error:
        return error
    return None


def _layer_of_size(n):
    """N = D = H = n: a loop over examples, inputs or units all run more often as n grows."""
    rng = np.random.default_rng(n)
    return rng.standard_normal((n, n)), rng.standard_normal((n, n)), rng.standard_normal(n)


def check_layer_pair(layer_loop, layer_vec):
    for case, (X, W, b) in _layer_cases().items():
        loop_error, vec_error = (_verdict_or_none(fn, name, case, X, W, b) for fn, name in
                                 ((layer_loop, "layer_loop"), (layer_vec, "layer_vec")))
        if loop_error and vec_error:
            raise loop_error
        if loop_error or vec_error:
            right, wrong = ("layer_vec", loop_error) if loop_error else ("layer_loop", vec_error)
            message = (f"The loop and vectorized versions disagree on {case}; {right} is "
                       f"right. {wrong}")
            if isinstance(wrong, LearnerError):
                raise LearnerError(message, wrong.error, wrong.intro)
            raise WrongAnswer(message)
    if loop_growth(layer_loop, _layer_of_size, sizes=(4, 8, 16)) == "none":
        raise WrongAnswer("layer_loop has no loop over the data: its lines run as often for a "
                          "16-by-16 layer as for a 4-by-4 one. Write the explicit loops over n, "
                          "h and d.")
    if loop_growth(layer_vec, _layer_of_size, sizes=(4, 8, 16)) not in ("none", None):
        raise WrongAnswer("layer_vec runs a Python loop over the data: its lines run more often "
                          "the larger the layer. Use one expression: X @ W.T + b.")
    return "Both versions agree with X W^T + b on every hidden case."


def check_fixed_layer(fixed_layer):
    for case, (X, W, _) in _layer_cases().items():
        Y = _call_layer(fixed_layer, "fixed_layer", case, X, W)
        _diagnose_layer("fixed_layer", Y, X, W, np.zeros(W.shape[0]), case)


# C4 and D1 -----------------------------------------------------------------------------------

def _broadcast_distances(X):
    """The definition through the (N, N, D) block, in X's own dtype: int64 squares can wrap."""
    with np.errstate(all="ignore"):
        return np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=-1))


def _exact_distances(X):
    return _broadcast_distances(np.asarray(X, dtype=np.float64))


def _distance_cases():
    points = np.random.default_rng(0).standard_normal((7, 3))
    return {"random points": points, "a single point": np.array([[2.0, -1.0]]),
            "one-dimensional points": np.array([[0.0], [3.0], [-1.5]]),
            # Differences of 4e9 square to 1.6e19, beyond int64's 9.2e18.
            "integer coordinates": np.array([[0, 0], [4_000_000_000, 0], [0, 3]]),
            "points far from the origin": points + 1e6}


_SINGLE_NAME = "float32 (or float16)"


def _single_precision(result, X) -> bool:
    """Whether the result was computed in float32 or float16: its dtype, or its values equal
    the float32 computation's (a float32 result cast back to float64)."""
    if result.dtype in (np.float32, np.float16):
        return True
    single = _broadcast_distances(np.asarray(X, dtype=np.float32)).astype(np.float64)
    return bool(np.array_equal(result, single))


def _diagnose_distances(name, result, X, case):
    N = X.shape[0]
    if result.shape != (N, N):
        if result.shape == X.shape and N != X.shape[1]:
            raise WrongAnswer(f"{name} on {case}: shape {result.shape}, the input's: the sum ran over a "
                              "point axis. Sum the squared differences over the feature axis, the last.")
        raise WrongAnswer(f"{name} on {case}: shape {result.shape}; expected one entry per pair of "
                          f"points, {(N, N)}.")
    expected = _exact_distances(X)
    atol = 1e-9 * max(1.0, expected.max())
    if case == "integer coordinates" and np.allclose(result, _broadcast_distances(X), rtol=1e-6,
                                                     equal_nan=True):
        raise WrongAnswer(f"{name} on {case}: wrong values. Squaring large int64 differences "
                          "overflows silently; convert to float64 first.")
    if not _close(result, expected, atol=atol) and _single_precision(result, X):
        raise WrongAnswer(f"{name} on {case}: wrong values, computed in {_SINGLE_NAME}: its 7 "
                          "significant digits are not enough here. Convert X to float64 first, "
                          "np.asarray(X, dtype=np.float64).")
    nan = np.isnan(result)
    if nan.any():
        if np.all(expected[nan] <= 1e-6 * max(1.0, expected.max())):
            raise WrongAnswer(f"{name} on {case}: nan where the distance is 0. Rounding made a "
                              "squared distance negative before the square root; clip it at 0, "
                              "or compute differences.")
        raise WrongAnswer(f"{name} on {case}: nan in {int(nan.sum())} of {nan.size} entries, "
                          "distances between different points included. Something undefined "
                          "(0 / 0, the square root of a negative number, a nan) reaches them: "
                          "print the intermediate arrays on a small input.")
    off_diagonal = ~np.eye(N, dtype=bool)
    if _close(result[off_diagonal], expected[off_diagonal], atol=atol) and np.any(np.diag(result) != 0):
        raise WrongAnswer(f"{name} on {case}: the diagonal is not exactly 0 (up to "
                          f"{np.abs(np.diag(result)).max():.1e}): an epsilon inside the square root, "
                          "or the rounding residue of |x|^2 + |y|^2 - 2 x.y. Subtract first.")
    if _close(result, expected, atol=atol):
        return
    if not np.any(result):
        raise WrongAnswer(f"{name} on {case}: the output is all zeros, never filled in. A loop over "
                          "blocks of rows must cover every row: N smaller than a block, and the "
                          "last, shorter block.")
    Xf = X.astype(np.float64)
    if _close(result, expected**2, atol=1e-6 * max(1.0, expected.max() ** 2)):
        raise WrongAnswer(f"{name} on {case}: these are squared distances; the square root is missing.")
    if _close(result, np.abs(Xf[:, None, :] - Xf[None, :, :]).sum(axis=-1)):
        raise WrongAnswer(f"{name} on {case}: that is the Manhattan (L1) distance, not the Euclidean "
                          "(square, sum, then take one square root).")
    right_rows = np.all(np.isclose(result, expected, rtol=1e-7, atol=1e-9), axis=1)
    if right_rows.any():
        raise WrongAnswer(f"{name} on {case}: rows {np.flatnonzero(right_rows).tolist()} are right, "
                          f"rows {np.flatnonzero(~right_rows).tolist()} are not. Check where each "
                          "block of rows starts and ends, the last (shorter) block included.")
    if not np.allclose(result, result.T):
        raise WrongAnswer(f"{name} on {case}: the matrix is not symmetric.")
    if case == "points far from the origin":
        raise WrongAnswer(f"{name} on {case}: inaccurate. The expansion |x|^2 + |y|^2 - 2 x.y "
                          "cancels catastrophically far from the origin; subtract first "
                          "(or centre X before using it).")
    raise WrongAnswer(f"{name} on {case}: the values are not the Euclidean distances.")


def _points_of_size(N, D=3):
    return (np.random.default_rng(N).standard_normal((N, D)),)


def check_dist_matrix(dist_matrix, name="dist_matrix", allow_loops=False):
    for case, X in _distance_cases().items():
        with np.errstate(all="ignore"):
            result = call_learner(dist_matrix, X, name=name, case=case)
        _diagnose_distances(name, result, X, case)
    if not allow_loops and loop_growth(dist_matrix, _points_of_size) == "quadratic":
        raise WrongAnswer(f"{name} runs a Python loop over pairs of points: its lines run about "
                          "four times as often each time N doubles. Build all differences at once "
                          "by broadcasting X[:, None, :] against X[None, :, :].")
    return "Euclidean, symmetric, exact zero diagonal, robust on every hidden case."


def _peak_memory(fn, *args, **kwargs):
    """fn's result and the peak memory traced while it ran (NumPy reports its buffers to
    tracemalloc), leaving a learner's own tracing running if they started one."""
    already = tracemalloc.is_tracing()
    if already:
        tracemalloc.reset_peak()
    else:
        tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        result = fn(*args, **kwargs)
        return result, tracemalloc.get_traced_memory()[1] - start
    finally:
        if not already:
            tracemalloc.stop()


def check_chunked_distances(dist_matrix_chunked, N=1024, D=16):
    """Values on the hidden cases, then peak memory at a size where a block of 64 rows is 1/16
    of the (N, N, D) block: the result plus a quarter of that block leaves room for a few
    block-sized temporaries (differences and squares kept in named variables, say)."""
    name = "dist_matrix_chunked"
    check_dist_matrix(dist_matrix_chunked, name, allow_loops=True)
    X = np.random.default_rng(0).standard_normal((N, D))
    case = f"a larger case, N = {N} points in D = {D} dimensions"
    result, peak = _peak_memory(call_learner, dist_matrix_chunked, X, name=name, case=case)
    if not _close(result, _exact_distances(X)):
        raise WrongAnswer(f"{name}: wrong values on {case}; check the rows at the block edges "
                          "(N is not a multiple of the block size).")
    output, full_block = 8 * N * N, 8 * N * N * D
    bound = output + full_block / 4
    measured = (f"Peak memory {peak / 1e6:.1f} MB at N = {N}, D = {D} (tracemalloc, default "
                f"rows_per_block); the (N, N) result takes {output / 1e6:.1f} MB and the full "
                f"(N, N, D) block {full_block / 1e6:.0f} MB")
    if peak > bound:
        raise WrongAnswer(f"{name}: {measured}. A chunked version stays under the result plus a "
                          f"quarter of the block, {bound / 1e6:.0f} MB: process a block of rows "
                          "at a time, so each temporary is (rows_per_block, N, D).")
    return f"{measured}."

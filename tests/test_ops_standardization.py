"""The standardization chapter's functions against a pure-Python reference."""
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from course_tools.notebooks import load_chapter
from op_testing import call_without_mutation, float_arrays

chapter = load_chapter("standardization")
IMPLEMENTATIONS = [chapter.standardize_loop, chapter.standardize_vec]


EPS = 2.0**-52
# A column counts as constant when its variance is within the rounding error of the two-pass
# variance, N eps var + (N eps mean)**2 (scikit-learn's StandardScaler). Near that bound a
# computed variance may land on either side, so columns whose exact variance lies within this
# factor of the bound are accepted either way: zeros or z-scores.
BORDERLINE = 16


def reference_columns(X):
    """Per column: (values, exact mean, exact population variance), in fractions."""
    for column in X.T.tolist():
        values = [float(v) for v in column]
        exact = [Fraction(v) for v in values]
        mean = sum(exact) / len(exact)
        yield values, mean, sum((v - mean) ** 2 for v in exact) / len(exact)


def column_kinds(X):
    """'constant' (within the rounding bound), 'borderline' or 'data', per column."""
    kinds = []
    for values, mean, var in reference_columns(X):
        n = len(values)
        bound = n * Fraction(EPS) * var + (n * Fraction(EPS) * mean) ** 2
        kinds.append("constant" if var * BORDERLINE <= bound
                     else "borderline" if var <= BORDERLINE * bound else "data")
    return np.array(kinds)


def reference_standardize(X):
    columns = []
    for values, mean, var in reference_columns(X):
        std = math.sqrt(var)
        columns.append([float((Fraction(v) - mean) / Fraction(std)) if var > 0 else 0.0
                        for v in values])
    return np.array(columns, dtype=np.float64).T.reshape(X.shape)


def reference_tolerance(X):
    """float64 rounding of the centring, relative to each column's spread: eps * max|x| / std;
    constant columns must be zeros (to 1e-12); borderline ones are not compared."""
    tolerances = []
    for kind, (values, _, var) in zip(column_kinds(X), reference_columns(X)):
        tolerances.append(1e-12 if kind == "constant" else math.inf if kind == "borderline"
                          else 1e-9 + 64 * EPS * max(abs(v) for v in values) / math.sqrt(var))
    return np.array(tolerances)


def check_standardize(standardize, X):
    """Fail with a message naming the mistake when ``standardize`` is not per-column z-scoring."""
    result = call_without_mutation(standardize, X)
    assert np.shape(result) == X.shape, f"{standardize.__name__}: shape {np.shape(result)}, expected {X.shape}"
    assert np.asarray(result).dtype.kind == "f", (
        f"{standardize.__name__} returns {np.asarray(result).dtype}: integer output truncates z-scores"
        " (cast to float64 first)")
    assert not np.isnan(result).any(), f"{standardize.__name__} produced nan: no zero-std guard"
    kinds = column_kinds(X)
    expected = np.where(kinds == "constant", 0.0, reference_standardize(X))
    errors = np.abs(np.asarray(result, dtype=np.float64) - expected)
    tolerance = reference_tolerance(X)
    if np.all(errors <= tolerance):
        return
    constant = kinds == "constant"
    wrong_columns = np.any(errors > tolerance, axis=0)
    if constant.any() and not (wrong_columns & ~constant).any():
        exact = np.array([max(values) == min(values) for values, *_ in reference_columns(X)])
        if (wrong_columns & exact).any():
            raise AssertionError(f"{standardize.__name__} leaves a constant column non-zero: "
                                 "the sd > 0 guard misses sd that rounding made tiny but non-zero")
        raise AssertionError(f"{standardize.__name__} standardizes a column that is constant up to "
                             "rounding (one value an ulp off): an exact test such as max == min "
                             "misses it; compare the variance with the rounding bound "
                             "N eps var + (N eps mean)**2")
    Xf = X.astype(np.float64)
    row_sd = Xf.std(axis=1, keepdims=True)
    by_row = (Xf - Xf.mean(axis=1, keepdims=True)) / np.where(row_sd > 0, row_sd, 1.0)
    if np.allclose(result, by_row, atol=1e-9):
        raise AssertionError(f"{standardize.__name__} takes the statistics over the wrong axis (rows)")
    stds = np.asarray(result, dtype=np.float64)[:, kinds == "data"].std(axis=0)
    if X.shape[0] > 1 and stds.size and np.all(stds < 1 - 1e-9):
        raise AssertionError(f"{standardize.__name__} shrinks every column's std below 1: "
                             "an epsilon added to sd distorts the unit variance")
    raise AssertionError(f"{standardize.__name__} disagrees with the reference")


@st.composite
def batches(draw):
    """(N, D) arrays of every dtype and layout; sometimes one column made constant."""
    X = draw(st.tuples(st.integers(1, 10), st.integers(1, 4)).flatmap(float_arrays))
    if draw(st.booleans()):
        j = draw(st.integers(0, X.shape[1] - 1))
        X[:, j] = X[0, j]
    return X


@pytest.mark.parametrize("standardize", IMPLEMENTATIONS, ids=lambda f: f.__name__)
@settings(max_examples=60, deadline=None)
@given(X=batches())
def test_matches_reference(standardize, X):
    check_standardize(standardize, X)


@pytest.mark.parametrize("standardize", IMPLEMENTATIONS, ids=lambda f: f.__name__)
def test_edge_cases(standardize):
    constant = np.array([[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]])
    Z = standardize(constant)
    assert np.array_equal(Z[:, 1], [0.0, 0.0, 0.0]), "a constant column becomes zeros"
    assert np.allclose(Z[:, 0], [-math.sqrt(1.5), 0, math.sqrt(1.5)])
    assert np.array_equal(standardize(np.array([[4.0, -1.0]])), [[0.0, 0.0]])       # a single row
    assert np.array_equal(standardize(np.array([[3.5]])), [[0.0]])                  # 1x1
    assert np.allclose(standardize(np.array([[1, 2], [3, 6]])), [[-1, -1], [1, 1]])  # int
    check_standardize(standardize, np.array([[1, 10], [2, 20], [4, 40]]))             # int, truncation-prone
    check_standardize(standardize, np.array([[0.5, 1e3], [1.5, 3e3]], dtype=np.float32))
    strided = np.arange(24.0).reshape(6, 4)[::2, ::2]
    assert not strided.flags.c_contiguous
    check_standardize(standardize, strided)


@pytest.mark.parametrize("standardize", IMPLEMENTATIONS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("value", [0.7, 0.1, 123.456, -999.9])
def test_constant_columns_are_exact_zeros_even_when_sd_rounds_above_zero(standardize, value):
    X = np.column_stack([np.full(10, value), np.arange(10.0)])
    assert np.array_equal(standardize(X)[:, 0], np.zeros(10))


@pytest.mark.parametrize("standardize", IMPLEMENTATIONS, ids=lambda f: f.__name__)
def test_rejects_a_vector(standardize):
    with pytest.raises(AssertionError, match=r"need a batch of shape \(N, D\)"):
        standardize(np.arange(5.0))


@pytest.mark.parametrize("standardize", IMPLEMENTATIONS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("value", [0.7, 0.1, 123.456, -999.9])
def test_columns_constant_up_to_rounding_become_zeros(standardize, value):
    """One entry one ulp off: not exactly constant, yet indistinguishable from it."""
    X = np.column_stack([np.full(10, value), np.arange(10.0)])
    X[3, 0] = np.nextafter(value, np.inf)
    assert X[:, 0].max() != X[:, 0].min()
    assert np.array_equal(standardize(X)[:, 0], np.zeros(10))
    check_standardize(standardize, X)


@pytest.mark.parametrize("standardize", IMPLEMENTATIONS, ids=lambda f: f.__name__)
def test_a_small_but_real_spread_is_standardized(standardize):
    """The bound is relative to the mean: a spread of 1e-9 around 1000 is data, not rounding."""
    X = 1000.0 + 1e-9 * np.array([[-1.0], [0.0], [1.0], [2.0]])
    assert np.isclose(standardize(X).std(), 1.0, rtol=1e-6)
    check_standardize(standardize, X)


def test_near_constant_test_is_scikit_learns():
    """The chapter's is_near_constant is StandardScaler's _is_constant_feature, column by column."""
    sklearn_data = pytest.importorskip("sklearn.preprocessing._data")
    rng = np.random.default_rng(0)
    columns = [np.full(10, 0.7), np.r_[np.full(9, 0.7), np.nextafter(0.7, 1)],
               1000.0 + 1e-9 * rng.standard_normal(10), 1000.0 + 1e-13 * rng.standard_normal(10),
               rng.standard_normal(10), np.zeros(10)]
    X = np.column_stack(columns)
    mean, var = X.mean(axis=0), X.var(axis=0)
    ours = chapter.is_near_constant(var, mean, X.shape[0])
    theirs = sklearn_data._is_constant_feature(var, mean, X.shape[0])
    assert ours.tolist() == theirs.tolist() == [True, True, False, True, False, True]


# Known-wrong standardizations: each must be rejected with a message naming the mistake.
def wrong_axis(X):
    X = X.astype(float)
    return (X - X.mean(axis=1, keepdims=True)) / X.std(axis=1, keepdims=True)


def no_guard(X):
    with np.errstate(invalid="ignore", divide="ignore"):
        return (X - X.mean(axis=0)) / X.std(axis=0)


def sd_guard_only(X):
    sd = X.std(axis=0)
    return (X - X.mean(axis=0)) / np.where(sd > 0, sd, 1.0)


def exact_constant_test(X):
    X = X.astype(np.float64)
    sd = X.std(axis=0)
    constant = X.max(axis=0) == X.min(axis=0)
    return np.where(constant, 0.0, (X - X.mean(axis=0)) / np.where(sd > 0, sd, 1.0))


def epsilon_guard(X):
    return (X - X.mean(axis=0)) / (X.std(axis=0) + 1e-3)


def integer_output(X):
    Z = np.zeros_like(X)
    Z[:] = (X - X.mean(axis=0)) / X.std(axis=0)
    return Z


def in_place(X):
    X -= X.mean(axis=0)
    sd = X.std(axis=0)
    X /= np.where(sd > 0, sd, 1.0)
    return X


ROUNDING_CONSTANT = np.column_stack([np.full(10, 0.7), np.arange(10.0)])
assert ROUNDING_CONSTANT.std(axis=0)[0] > 0  # the premise of the sd_guard_only case
ONE_ULP_OFF = ROUNDING_CONSTANT.copy()
ONE_ULP_OFF[3, 0] = np.nextafter(0.7, 1.0)
assert ONE_ULP_OFF[:, 0].max() != ONE_ULP_OFF[:, 0].min()  # the premise of exact_constant_test


@pytest.mark.parametrize("wrong, X, message", [
    (wrong_axis, np.array([[1.0, 2.0, 4.0], [3.0, 7.0, 0.0], [5.0, 5.0, 5.5]]), "wrong axis"),
    (no_guard, np.array([[1.0, 5.0], [2.0, 5.0]]), "no zero-std guard"),
    (sd_guard_only, ROUNDING_CONSTANT, "constant column non-zero: the sd > 0 guard"),
    (exact_constant_test, ONE_ULP_OFF, "constant up to rounding .* max == min misses it"),
    (epsilon_guard, np.array([[0.001, 1.0], [0.002, 3.0], [0.004, 2.0]]), "epsilon"),
    (integer_output, np.array([[1, 10], [2, 20], [4, 40]]), "integer output"),
    (in_place, np.array([[1.0, 5.0], [2.0, 7.0]]), "mutated its argument #0"),
], ids=lambda v: getattr(v, "__name__", ""))
def test_check_rejects_known_wrong_standardizations(wrong, X, message):
    with pytest.raises(AssertionError, match=message):
        check_standardize(wrong, X)

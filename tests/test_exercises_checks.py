"""Every exercise check accepts several correct answers and rejects known-wrong ones, naming the bug.

Each wrong answer is paired with a pattern the message must match: the test fails if a check
lets the mistake through, or if it catches it for the wrong reason.
"""
import re
import statistics

import numpy as np
import pytest
from test_feedback import renders_in_the_book

from course_tools.exercises import check
from course_tools.feedback import WrongAnswer


def accepts(capsys, exercise_id, *answers):
    check(exercise_id, *answers)
    assert f"{exercise_id}: correct." in capsys.readouterr().out


def rejects(exercise_id, *answers, match):
    with pytest.raises(WrongAnswer, match=match) as error:
        with np.errstate(all="ignore"):
            check(exercise_id, *answers)
    renders_in_the_book(error.value._render_traceback_())
    return str(error.value)


# Value answers: shapes, numbers, letters ------------------------------------------------------

CORRECT = {
    "A1": [(3, 2), [3, 2], (np.int64(3), np.int64(2)), np.array([3, 2]), (3.0, 2.0)],
    "A2": [32, 32.0, np.float64(32), np.int64(32), np.array(32.0), 1 * 4 + 2 * 5 + 3 * 6],
    "A3": [2.5, np.float64(2.5), 5 / 2, np.mean(np.array([2.0, 1.0]) ** 2)],
    "A4": [(4,), [4], (np.int64(4),)],
    "A5": [(100,), [100], np.zeros((100, 4)).mean(axis=1).shape],
    "A6": ["b", "B", " b ", "(b)", "b."],
    "B1": ["(N, N)", "N,N", ("N", "N"), "(n, n)", "N x N", "N*N", "N by N", "N X N", "N×N",
           "[N,N]", "n-by-n", "NxN", " ( N , N ) ", ["n", "n"]],
    "B3": [(6, 6, 3), [6, 6, 3], np.zeros((6, 6, 3)).shape],
    "B5": ["c", "C", "(c)"],
}

# (wrong value, what the hint must say): the hint must not reveal the right answer either
WRONG = {
    "A1": [((2, 3), "outer dimensions in the wrong order"), ((4, 3), "A.T"),
           ((3, 4), "A's own shape"), ((4, 2), "B's own shape"), ((4, 4), "inner dimensions"),
           ((3, 4, 2), "2-D"), ((5, 5), "meet in the middle")],
    "A2": [(np.array([4.0, 10.0, 18.0]), "element-wise"), (90, "multiplied the two sums"),
           (14, "a · a"), (77, "b · b"), (21, "added all the entries"), (31, "term by term")],
    "A3": [(5.0, "sum of squared residuals"), (np.sqrt(2.5), "root mean squared"),
           (1.58, "root mean squared"), (1.5, "mean absolute"), (2.25, "squared the mean residual"),
           (1.25, "half the MSE"), (2.6, "Residuals y - yhat first")],
    "A4": [((100,), "axis=1"), ((1, 4), "keepdims"), ((100, 4), "removes the axis"), ((4, 1), "column")],
    "A5": [((4,), "axis=0"), ((100, 1), "keepdims"), ((1, 100), "adds none"), ((100, 4), "removes the axis")],
    "A6": [("a", "element-wise"), ("c", "outer"), ("d", r"\.T changes nothing"), ("e", "one of the letters")],
    "B1": [("(N, N, D)", "before the sum"), ("(N, D)", "the input"), ("(D, N)", "transposed"),
           ("(N,)", "not per point"), ("(D, D)", "between features"), ("(N, H)", "How many pairs")],
    "B3": [((6, 6), "after summing"), ((6, 3, 6), "Broadcast them"), ((3, 6, 6), "Broadcast them"),
           ((6, 1, 3), "alone"), ((6, 3), "X itself"), ((36, 3), "both operands")],
    "B5": [("a", "GPU"), ("b", "same n multiplications"), ("d", "cached"), ("x", "one of the letters")],
}
HIDDEN = {"A1": ["(3, 2)", "3, 2"], "A2": ["32"], "A3": ["2.5"], "A4": ["(4,)"], "A5": ["(100,)"],
          "A6": ["'b'", "(b)", "answer is b"], "B1": ["(N, N)"], "B3": ["(6, 6, 3)"],
          "B5": ["'c'", "(c)", "answer is c"]}
# Answers in the wrong form get told the form (they may echo the learner's own input).
WRONG_FORM = [("A1", 6, r"tuple with one size per axis.*6 is a bare number"),
              ("A1", "3, 2", "tuple of integers"), ("A1", (3.5, 2), "whole number"),
              ("A2", "32", "not the text"), ("A3", "2.5", "not the text"), ("A4", 4, r"\(4,\)"),
              ("A5", 100, "tuple"), ("A6", "ab", "one letter"), ("A6", 2, "one letter"),
              ("B5", "c and d", "one letter"),
              # symbolic text it cannot read gets told the form, never a verdict on its content
              ("B1", "N^2", "Could not read 'N\\^2' as a shape"), ("B1", "N squared", "Could not read"),
              ("B1", "(N, N", "Could not read"), ("B1", "(rows, cols)", "Could not read"),
              ("B1", ("N", "N^2"), "Could not read"),
              # None is what print(...) returns: the learner is told, not "not answered yet"
              ("A1", None, "print"), ("A2", None, "print"), ("A6", None, "print"),
              ("B1", None, "print"), ("B2", None, "print"), ("B3", None, "print"),
              ("D2", None, "print")]


@pytest.mark.parametrize("exercise_id", sorted(CORRECT))
def test_equivalent_forms_of_the_right_answer_pass(capsys, exercise_id):
    for answer in CORRECT[exercise_id]:
        accepts(capsys, exercise_id, answer)


@pytest.mark.parametrize("exercise_id", sorted(WRONG))
def test_wrong_answers_get_their_hint_and_never_the_answer(exercise_id):
    for answer, diagnosis in WRONG[exercise_id]:
        message = rejects(exercise_id, answer, match=diagnosis)
        for revealing in HIDDEN[exercise_id]:
            assert revealing not in message, f"{exercise_id} reveals its answer for {answer!r}"


@pytest.mark.parametrize("exercise_id, answer, diagnosis", WRONG_FORM)
def test_answers_in_the_wrong_form_are_told_the_form(exercise_id, answer, diagnosis):
    answers = [answer] + ["A long enough explanation of the two competing errors."] * (exercise_id == "D2")
    message = rejects(exercise_id, *answers, match=diagnosis)
    assert "Not the shape" not in message and "(6,)" not in message


def test_the_templates_ellipsis_is_not_answered_yet(capsys):
    for exercise_id in ("A1", "A2", "A6", "B1", "B2", "B4"):
        check(exercise_id, ...)
        assert capsys.readouterr().out.startswith(f"{exercise_id}: not answered yet.")


# Written answers: what a machine can grade gets a verdict, the prose never does ----------------

def accepts_prose(capsys, exercise_id, *answers):
    """Accepted, and sent to the self-check list: explanations are the learner's to judge."""
    check(exercise_id, *answers)
    out = capsys.readouterr().out
    assert f"{exercise_id}: the checked parts are right. " in out, out
    assert "Your explanation is not graded" in out, out
    assert "self-check list" in out and "correct" not in out, out
    return out


# Right explanations in different words, including the ones a keyword spotter rejected.
B2_WHYS = [
    "Broadcasting aligns shapes from the right, so the (H, 1) bias lines up with the batch "
    "axis N instead of the units; with one example it stretches to a square.",
    "NumPy compares shapes starting from the last axis: H meets 1, then N meets H, so with a "
    "single example both stretch to H by H.",
    "The trailing dimensions are matched first. The bias column gets spread over the rows, "
    "which only works when the batch has one example or exactly H of them.",
]


def test_B2_grades_the_shapes_and_never_the_prose(capsys):
    for why in B2_WHYS:
        accepts_prose(capsys, "B2", {"shape": "(H, H)", "bias_shape": "(H,)", "why": why})
    accepts_prose(capsys, "B2", {"shape": ("H", "H"), "bias_shape": "(1, H)", "why": B2_WHYS[1]})
    accepts_prose(capsys, "B2", {"shape": "H x H", "bias_shape": ["H"], "why": B2_WHYS[2]})
    short = accepts_prose(capsys, "B2", {"shape": "(H, H)", "bias_shape": "(H,)", "why": "Trailing axes first."})
    assert "3 words" in short and "few sentences" in short
    for answer, diagnosis in [
        ({"shape": "(N, H)", "bias_shape": "(H,)", "why": B2_WHYS[0]}, "expected shape"),
        ({"shape": "(H, 1)", "bias_shape": "(H,)", "why": B2_WHYS[0]}, "That is the bias"),
        ({"shape": "(N, N)", "bias_shape": "(H,)", "why": B2_WHYS[0]}, "from the right"),
        ({"shape": "(H, H)", "bias_shape": "(H, 1)", "why": B2_WHYS[0]}, "still misaligns"),
        ({"shape": "(H, H)", "bias_shape": "(N,)", "why": B2_WHYS[0]}, "last axis"),
        ({"shape": "(H, H)", "bias_shape": "(H,)", "why": 42}, "as text"),
        ({"shape": "(H, H)"}, "Fill in the dictionary"),
        ("(H, H)", "Fill in the dictionary"),
    ]:
        assert "(H, H)" not in rejects("B2", answer, match=diagnosis)


def test_a_missing_explanation_is_not_answered_yet_not_wrong(capsys):
    check("B2", {"shape": "(H, H)", "bias_shape": "(H,)", "why": "  "})
    assert "B2: not answered yet. The checked parts are right" in capsys.readouterr().out


B4_WHYS = [
    "0.7 is not exact in binary, so the mean is rounded and the centred values are about 1e-16, "
    "not 0; sd > 0 lets that through and the residues divided by their own sd are of order one. "
    "Compare the variance with a bound relative to the data instead, as StandardScaler does.",
    "Dividing by zero only happens for the 5.0s; for the 0.7s the computed standard deviation is "
    "a tiny rounding error, so the guard keeps it and 0 divided by 0 turns into noise divided by "
    "noise. Checking max == min, or a relative variance bound, catches it.",
]


def test_B4_grades_the_choices_and_never_the_prose(capsys):
    for why in B4_WHYS:
        accepts_prose(capsys, "B4", {"no_guard": "b", "guard_fails": "c", "why": why})
    accepts_prose(capsys, "B4", {"no_guard": "(B)", "guard_fails": " C ", "why": B4_WHYS[1]})
    for answer, diagnosis in [
        ({"no_guard": "a", "guard_fails": "c", "why": B4_WHYS[0]}, "0 / 0 is not 0"),
        ({"no_guard": "c", "guard_fails": "c", "why": B4_WHYS[0]}, "do not raise"),
        ({"no_guard": "d", "guard_fails": "c", "why": B4_WHYS[0]}, "inf only for"),
        ({"no_guard": "b", "guard_fails": "a", "why": B4_WHYS[0]}, "is every constant column zeros"),
        ({"no_guard": "b", "guard_fails": "b", "why": B4_WHYS[0]}, "5.0 is exact"),
        ({"no_guard": "b", "guard_fails": "d", "why": B4_WHYS[0]}, "5.0s comes out as zeros"),
        ({"no_guard": "b", "guard_fails": "e", "why": B4_WHYS[0]}, "one of the letters"),
        ({"no_guard": "b", "why": B4_WHYS[0]}, "Fill in the dictionary"),
        ("It gives nan.", "Fill in the dictionary"),
    ]:
        rejects("B4", answer, match=diagnosis)


# C1 ------------------------------------------------------------------------------------------

def standardize_vec(X):
    X = np.asarray(X, dtype=float)
    constant = X.max(axis=0) == X.min(axis=0)
    return np.where(constant, 0.0, (X - X.mean(axis=0)) / np.where(constant, 1.0, X.std(axis=0)))


def standardize_loop(X):
    X = np.asarray(X, dtype=float)
    Z = np.zeros_like(X)
    for d in range(X.shape[1]):
        if X[:, d].max() > X[:, d].min():
            Z[:, d] = (X[:, d] - X[:, d].mean()) / X[:, d].std()
    return Z


def standardize_relative_guard(X):
    X = np.asarray(X, dtype=float)
    sd = X.std(axis=0)
    return (X - X.mean(axis=0)) / np.where(sd > 1e-12 * np.abs(X).max(axis=0), sd, np.inf)


def standardize_keepdims(X):
    X = X.astype(np.float64)
    centred = X - X.mean(axis=0, keepdims=True)
    sd = np.sqrt((centred**2).mean(axis=0, keepdims=True))
    return np.divide(centred, sd, out=np.zeros_like(centred), where=np.ptp(X, axis=0, keepdims=True) > 0)


def standardize_sklearn_bound(X):
    """The near-constant test the chapter teaches (scikit-learn's _is_constant_feature)."""
    X = np.asarray(X, dtype=np.float64)
    n, eps = X.shape[0], np.finfo(np.float64).eps
    mean, var = X.mean(axis=0), X.var(axis=0)
    constant = var <= n * eps * var + (n * mean * eps) ** 2
    return (X - mean) / np.sqrt(np.where(constant, 1.0, var)) * ~constant


def standardize_ptp(X):
    X = np.asarray(X, dtype=float)
    spread = np.ptp(X, axis=0)
    return np.where(spread == 0, 0.0, (X - X.mean(axis=0)) / np.where(spread == 0, 1.0, X.std(axis=0)))


def standardize_named_steps(X):
    data = X.astype(float)
    mean = data.mean(axis=0)
    centred = data - mean
    sd = np.sqrt(np.einsum("nd,nd->d", centred, centred) / len(data))
    is_constant = np.all(data == data[0], axis=0)
    safe_sd = np.where(is_constant, 1.0, sd)
    result = centred / safe_sd
    result[:, is_constant] = 0.0
    return result


def standardize_all_equal(X):
    X = np.array(X, dtype=np.float64)  # a copy: filled in column by column below
    for d in range(X.shape[1]):
        column = X[:, d]
        X[:, d] = 0.0 if np.all(column == column[0]) else (column - column.mean()) / column.std()
    return X


def standardize_statistics(X):
    """Pure Python per column, with the statistics module."""
    X = np.asarray(X, dtype=float)
    Z = np.zeros_like(X)
    for d in range(X.shape[1]):
        column = X[:, d].tolist()
        if len(set(column)) > 1:
            mean, sd = statistics.fmean(column), statistics.pstdev(column)
            Z[:, d] = [(value - mean) / sd for value in column]
    return Z


def standardize_relative_to_mean(X):
    X = np.asarray(X, dtype=float)
    mu, sd = X.mean(axis=0), X.std(axis=0)
    constant = sd <= 1e-10 * np.abs(mu)
    return np.where(constant, 0.0, (X - mu) / np.where(constant, 1.0, sd))


def standardize_rows_of_transpose(X):
    rows = []
    for feature in np.asarray(X, dtype=float).T:
        spread = feature.max() > feature.min()
        rows.append((feature - feature.mean()) / feature.std() if spread else np.zeros_like(feature))
    return np.array(rows).T


def test_C1_accepts_every_guard_that_zeroes_exactly_constant_columns(capsys):
    for standardize in (standardize_vec, standardize_loop, standardize_relative_guard,
                        standardize_keepdims, standardize_sklearn_bound, standardize_ptp,
                        standardize_named_steps, standardize_all_equal, standardize_statistics,
                        standardize_relative_to_mean, standardize_rows_of_transpose):
        accepts(capsys, "C1", standardize)


def absolute_threshold(threshold, replacement=0.0):
    def standardize(X):
        X = np.asarray(X, dtype=float)
        sd = X.std(axis=0)
        small = sd < threshold
        Z = (X - X.mean(axis=0)) / np.where(small, 1.0, sd)
        return np.where(small, replacement * Z, Z) if replacement != 1.0 else Z
    return standardize


def isclose_guard(X):
    X = np.asarray(X, dtype=float)
    sd = X.std(axis=0)
    return np.where(np.isclose(sd, 0), 0.0, (X - X.mean(axis=0)) / np.where(np.isclose(sd, 0), 1.0, sd))


def allclose_guard(X):
    X = np.asarray(X, dtype=float)
    Z = np.zeros_like(X)
    for d in range(X.shape[1]):
        if not np.allclose(X[:, d], X[0, d]):
            Z[:, d] = (X[:, d] - X[:, d].mean()) / X[:, d].std()
    return Z


@pytest.mark.parametrize("wrong", [absolute_threshold(1e-12), absolute_threshold(1e-6),
                                   absolute_threshold(1e-6, replacement=1.0), isclose_guard,
                                   allclose_guard])
def test_C1_an_absolute_threshold_zeroes_a_real_feature_with_a_small_spread(wrong):
    rejects("C1", wrong, match="tiny spread: column 1 is not constant.*absolute tolerance")


@pytest.mark.parametrize("threshold", [np.finfo(float).eps, 1e-14])
def test_C1_an_absolute_threshold_below_the_small_spread_lets_a_rounding_residue_through(threshold):
    """No absolute threshold passes both: 3e-14 is a real spread, 5e-13 a constant's residue."""
    rejects("C1", absolute_threshold(threshold), match=r"constant column 3 came out non-zero.*residue \(5e-13\)")


def guarded(X, sd):
    return (X - X.mean(axis=0)) / np.where(sd > 0, sd, 1.0)


def mutates_input(X):
    X -= X.mean(axis=0)  # in place: the caller's array changes
    sd = X.std(axis=0)
    return X / np.where(sd > 0, sd, 1.0)


def one_pass_variance(X):
    X = np.asarray(X, dtype=float)
    variance = (X**2).mean(axis=0) - X.mean(axis=0) ** 2
    constant = X.max(axis=0) == X.min(axis=0)
    return np.where(constant, 0.0, (X - X.mean(axis=0)) / np.sqrt(np.where(constant, 1.0, variance)))


@pytest.mark.parametrize("wrong, diagnosis", [
    (lambda X: (X - X.mean(axis=1, keepdims=True)) / X.std(axis=1, keepdims=True), "wrong axis"),
    (lambda X: standardize_vec(X.T).T, "wrong axis"),
    (lambda X: (X - X.mean(axis=0)) / X.std(axis=0), "no zero-std guard"),
    (lambda X: (X - X.mean(axis=0)) / (X.std(axis=0) + 1e-8), "epsilon"),
    (lambda X: (X - X.mean(axis=0)) / (X.std(axis=0) + 1e-15), "epsilon"),
    (lambda X: (X - X.min(axis=0)) / (X.max(axis=0) - X.min(axis=0)), "min-max scaling"),
    (lambda X: (X - X.min(axis=0)) / np.where(np.ptp(X, axis=0) > 0, np.ptp(X, axis=0), 1),
     "min-max scaling"),
    (lambda X: (X - X.mean(axis=0)) / np.ptp(X, axis=0), "divides by the range"),
    (lambda X: (X - X.mean()) / X.std(), "whole array: the axis= argument is missing"),
    (lambda X: (X - np.mean(X)) / np.std(X, axis=0), "mean is taken over the whole array"),
    (lambda X: (X - np.mean(X, axis=0)) / np.std(X), "std is taken over the whole array"),
    (lambda X: standardize_vec(np.asarray(X, dtype=np.float32)).astype(np.float32), "computed in float32"),
    (lambda X: (X - X.mean(axis=0)) / (X.std(axis=0) + 1e-3), "epsilon"),
    (lambda X: guarded(X, X.std(axis=0)), r"sd > 0"),
    (lambda X: guarded(X, X.std(axis=0, ddof=1)), "ddof=1"),
    (lambda X: guarded(X, X.var(axis=0)), "variance"),
    (lambda X: X - X.mean(axis=0), "only centres"),
    (lambda X: standardize_vec(X) if X.dtype != int else (X - X.mean(0)).astype(int), "integer output"),
    (mutates_input, "modified its input"),
    (lambda X: standardize_vec(X).T, "transposed|output shape"),
    (lambda X: standardize_vec(X)[:, 0], "output shape"),
    (one_pass_variance, "far from the origin.*E\\[X\\^2\\]"),
    # a negative "variance" (as E[X^2] - E[X]^2 can round to) gives nan in a varying column
    (lambda X: (X - X.mean(axis=0)) / np.sqrt(X.var(axis=0) - 2 * X.var(axis=0).max()),
     "every entry of the output is nan|not constant"),
    (lambda X: np.sqrt(X.astype(float) - 1e9), "every entry of the output is nan"),
    (lambda X: standardize_vec(X) * np.where(np.arange(X.shape[1]) == 0, np.nan, 1.0),
     r"nan in column\(s\) \[0\], which are not constant"),
])
def test_C1_names_the_bug(wrong, diagnosis):
    message = rejects("C1", wrong, match=diagnosis)
    # each message is produced by its own mistake only
    for other in ("epsilon", "min-max", "absolute tolerance", "axis= argument", "sd > 0"):
        assert other not in message or re.search(re.escape(other), diagnosis), (other, message)


# C2 and C3 -----------------------------------------------------------------------------------

def layer_loop(X, W, b):
    Y = np.zeros((X.shape[0], W.shape[0]))
    for n in range(X.shape[0]):
        for h in range(W.shape[0]):
            Y[n, h] = b[h] + sum(X[n, d] * W[h, d] for d in range(X.shape[1]))
    return Y


def layer_loop_rows(X, W, b):
    return np.array([W @ x + b for x in X], dtype=float).reshape(X.shape[0], W.shape[0])


def layer_vec(X, W, b):
    return X @ W.T + b


def layer_einsum(X, W, b):
    return np.einsum("nd,hd->nh", X, W) + b


def layer_matmul(X, W, b):
    return np.matmul(X, W.T) + b[np.newaxis, :]


def layer_vec_asserting(X, W, b):
    assert all(s > 0 for s in X.shape) and W.shape[1] == X.shape[1]  # a generator: not a loop over data
    Y = X @ W.T + b
    assert Y.shape == (X.shape[0], W.shape[0])
    return Y


def layer_loop_asserting(X, W, b):
    assert all(s > 0 for s in X.shape)
    return np.array([[b[h] + sum(x * w for x, w in zip(row, W[h])) for h in range(len(W))]
                     for row in X], dtype=float).reshape(len(X), len(W))


def layer_loop_units(X, W, b):
    """A loop over the units only: each one vectorized over the batch."""
    Y = np.empty((X.shape[0], W.shape[0]))
    for h in range(W.shape[0]):
        Y[:, h] = X @ W[h] + b[h]
    return Y


def test_C2_accepts_different_correct_implementations(capsys):
    for loop, vec in [(layer_loop, layer_vec), (layer_loop, layer_einsum), (layer_loop_rows, layer_matmul),
                      (layer_loop_asserting, layer_vec_asserting),
                      (layer_loop_units, lambda X, W, b: np.tensordot(X, W, axes=([1], [1])) + b),
                      (layer_loop_units, lambda X, W, b: (W @ X.T).T + b),
                      (layer_loop_asserting, lambda X, W, b: np.einsum("hd,nd->nh", W, X) + b[None, :]),
                      (layer_loop, lambda X, W, b: np.einsum("nd,dh->nh", X, W.T) + b)]:
        accepts(capsys, "C2", loop, vec)


def layer_loop_without_bias(X, W, b):
    Y = np.zeros((X.shape[0], W.shape[0]))
    for n in range(X.shape[0]):
        for h in range(W.shape[0]):
            Y[n, h] = sum(X[n, d] * W[h, d] for d in range(X.shape[1]))
    return Y


@pytest.mark.parametrize("wrong_vec, diagnosis", [
    (lambda X, W, b: X @ W.T + b.reshape(-1, 1), r"\(H, 1\)"),
    (lambda X, W, b: X @ W + b, "transpose"),
    (lambda X, W, b: np.einsum("nd,dh->nh", X, W) + b, "computes X @ W, without the transpose"),
    (lambda X, W, b: np.matmul(X, W) + b, "computes X @ W, without the transpose"),
    (lambda X, W, b: X @ W.T + b[:, np.newaxis], r"as if it had shape \(H, 1\)"),
    (lambda X, W, b: (X @ W.T + b).T, "transposed"),
    (lambda X, W, b: W @ X.T + b[:, None], "transposed"),
    (lambda X, W, b: X @ W.T, "bias is missing"),
])
def test_C2_names_the_bug_in_the_vectorized_version(wrong_vec, diagnosis):
    message = rejects("C2", layer_loop, wrong_vec, match=diagnosis)
    assert "disagree on" in message and "layer_loop is right" in message
    if "transpose" in diagnosis:  # a missing transpose is not a bias problem, and vice versa
        assert "(H, 1)" not in message
    if "(H, 1)" in diagnosis:
        assert "transpose" not in message


def test_C2_names_the_bug_in_the_loop_and_other_mistakes():
    rejects("C2", layer_loop_without_bias, layer_vec, match="disagree.*layer_vec is right.*bias is missing")
    rejects("C2", layer_vec, layer_vec, match="layer_loop has no loop")
    rejects("C2", layer_loop, layer_loop_rows, match="layer_vec runs a Python loop over the data")
    rejects("C2", lambda X, W, b: X @ W.T + b, layer_vec, match="layer_loop has no loop over the data")

    def vec_by_rows(X, W, b):
        Y = np.empty((len(X), len(W)))
        for n in range(len(X)):
            Y[n] = W @ X[n] + b
        return Y
    rejects("C2", layer_loop, vec_by_rows, match="layer_vec runs a Python loop")
    rejects("C2", lambda X, W, b: X @ W.T, lambda X, W, b: X @ W.T, match="bias is missing")

    def mutating_vec(X, W, b):
        X *= 1.0
        X += 1.0
        return (X - 1.0) @ W.T + b
    rejects("C2", layer_loop, mutating_vec, match="modified its input")


C3_EXPLANATIONS = [
    "matmul needs the inner dimensions to match: D against H here. The transpose W.T is (D, H), "
    "so the product is (N, H).",
    "For A @ B the last axis of A must equal the first axis of B; W is (H, D), so we take W.T of "
    "shape (D, H) and the sizes D match.",
    "Transposing W turns it into a D by H matrix, and then the columns of X line up with the rows "
    "of the weights.",
    "After transposition the shared size is D on both sides, which is what the product sums over.",
]


def test_C3_grades_the_function_and_shape_never_the_prose(capsys):
    for explanation in C3_EXPLANATIONS:
        accepts_prose(capsys, "C3", lambda X, W: X @ W.T, "(N, H)", explanation)
    accepts_prose(capsys, "C3", lambda X, W: (W @ X.T).T, ("N", "H"), C3_EXPLANATIONS[1])
    accepts_prose(capsys, "C3", lambda X, W: np.einsum("nd,hd->nh", X, W), "N x H", C3_EXPLANATIONS[2])
    accepts_prose(capsys, "C3", lambda X, W: np.dot(X, W.T), ["n", "h"], C3_EXPLANATIONS[3])


@pytest.mark.parametrize("answers, diagnosis", [
    ((lambda X, W: X @ W, "(N, H)", C3_EXPLANATIONS[0]), "transpose"),
    ((lambda X, W: W @ X.T, "(N, H)", C3_EXPLANATIONS[0]), "transposed"),
    ((lambda X, W: X @ W.T + 1, "(N, H)", C3_EXPLANATIONS[0]), "values are not"),
    ((lambda X, W: X @ W.T, "(H, N)", C3_EXPLANATIONS[0]), "orientation of W @ X.T"),
    ((lambda X, W: X @ W.T, "(N, D)", C3_EXPLANATIONS[0]), "input's shape"),
    ((lambda X, W: X @ W.T, "(D, H)", C3_EXPLANATIONS[0]), "W.T"),
    ((lambda X, W: X @ W.T, "(N, H)", ["inner", "dims"]), "as text"),
    ((np.zeros((3, 2)), "(N, H)", C3_EXPLANATIONS[0]), "without calling it"),
])
def test_C3_names_the_bug(answers, diagnosis):
    assert "(N, H)" not in rejects("C3", *answers, match=diagnosis).replace("X @ W.T", "")


# C4 ------------------------------------------------------------------------------------------

def dist_broadcast(X):
    X = np.asarray(X, dtype=float)
    return np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=-1))


def dist_einsum(X):
    differences = X[:, None, :].astype(float) - X[None, :, :]
    return np.sqrt(np.einsum("ijk,ijk->ij", differences, differences))


def dist_centred_gram(X):
    X = np.asarray(X, dtype=float)
    X = X - X.mean(axis=0)  # centring keeps the expansion accurate far from the origin
    squared = (X**2).sum(axis=1)
    D2 = np.maximum(squared[:, None] + squared[None, :] - 2 * X @ X.T, 0)
    np.fill_diagonal(D2, 0)
    return np.sqrt(D2)


def dist_asserting(X):
    X = np.asarray(X, dtype=np.float64)
    assert X.ndim == 2 and all(s > 0 for s in X.shape)  # a generator over the shape, not the data
    distances = np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=-1))
    assert all(n == len(X) for n in distances.shape)
    return distances


def dist_by_rows(X):
    """A loop over rows, each row vectorized: the prompt forbids only a loop over pairs."""
    X = np.asarray(X, dtype=np.float64)
    return np.array([np.sqrt(((X - x) ** 2).sum(axis=1)) for x in X]).reshape(len(X), len(X))


def dist_by_features(X):
    """A loop over the D features, each vectorized over all pairs: not a loop over pairs."""
    X = np.asarray(X, dtype=float)
    squared = np.zeros((len(X), len(X)))
    for d in range(X.shape[1]):
        squared += (X[:, None, d] - X[None, :, d]) ** 2
    return np.sqrt(squared)


def test_C4_accepts_different_correct_implementations(capsys):
    cdist = pytest.importorskip("scipy.spatial.distance").cdist
    for dist_matrix in (dist_broadcast, dist_einsum, dist_centred_gram, dist_asserting, dist_by_rows,
                        dist_by_features, lambda X: cdist(X, X),
                        lambda X: np.linalg.norm(X[:, None, :] - X[None, :, :].astype(float), axis=-1)):
        accepts(capsys, "C4", dist_matrix)


def dist_float32(X):
    X = np.asarray(X, dtype=np.float32)  # subtracts first, but in single precision
    return np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=-1))


def dist_pairs(X):
    X = np.asarray(X, dtype=np.float64)
    out = np.zeros((len(X), len(X)))
    for i in range(len(X)):
        for j in range(len(X)):
            out[i, j] = np.sqrt(((X[i] - X[j]) ** 2).sum())
    return out


def gram(X, zero_diagonal):
    X = np.asarray(X, dtype=float)
    squared = (X**2).sum(axis=1)
    D2 = np.maximum(squared[:, None] + squared[None, :] - 2 * X @ X.T, 0)
    if zero_diagonal:
        np.fill_diagonal(D2, 0)
    return np.sqrt(D2)


def centres_in_place(X):
    X -= X.mean(axis=0).astype(X.dtype)
    return dist_broadcast(X)


def half_computed(X):
    distances = dist_broadcast(X)
    distances[len(X) // 2 + 1:] = 0  # e.g. a last block of rows never written
    return distances


@pytest.mark.parametrize("wrong, diagnosis", [
    (lambda X: ((X[:, None, :] - X[None, :, :]) ** 2.0).sum(axis=-1), "square root is missing"),
    (lambda X: np.abs(X[:, None, :] - X[None, :, :]).sum(axis=-1) * 1.0, "Manhattan"),
    (lambda X: np.sqrt((X[:, None, :] - X[None, :, :]) ** 2.0).sum(axis=-1), "Manhattan"),
    (lambda X: np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=-1)), "overflows"),
    (lambda X: gram(X, zero_diagonal=True), "far from the origin"),
    (lambda X: gram(X, zero_diagonal=False), "far from the origin|rounding residue"),
    (lambda X: np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2.0).sum(axis=-1) + 1e-12), "diagonal is not exactly 0"),
    (lambda X: np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2.0).sum(axis=0)), "feature axis"),
    (lambda X: dist_broadcast(X)[:, :1], r"shape \(\d+, 1\)"),
    (centres_in_place, "modified its input"),
    (half_computed, "rows .* are right"),
    (lambda X: np.array([[np.linalg.norm(p - q) for q in X.astype(float)] for p in X.astype(float)]),
     "loop over pairs"),
    (dist_pairs, "loop over pairs"),
    (dist_float32, "computed in float32"),
    (lambda X: dist_float32(X).astype(np.float64), "computed in float32"),
    (lambda X: np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=-1)).astype(np.float32), "overflows"),
])
def test_C4_names_the_bug(wrong, diagnosis):
    message = rejects("C4", wrong, match=diagnosis)
    for other in ("float32", "loop over pairs", "overflows"):
        assert other not in message or other in diagnosis, (other, message)
    if "float32" in diagnosis:  # it did subtract first: not told to
        assert "ubtract first" not in message and "expansion" not in message


# D1 and D2 -----------------------------------------------------------------------------------

def chunked(X, rows_per_block=64):
    X = np.asarray(X, dtype=float)
    out = np.empty((len(X), len(X)))
    for start in range(0, len(X), rows_per_block):
        rows = X[start:start + rows_per_block]
        out[start:start + rows_per_block] = np.sqrt(((rows[:, None, :] - X[None, :, :]) ** 2).sum(-1))
    return out


def chunked_per_row(X, rows_per_block=64):
    X = np.asarray(X, dtype=float)
    return np.array([np.linalg.norm(X - row, axis=1) for row in X]).reshape(len(X), len(X))


def chunked_skipping_the_last_block(X, rows_per_block=64):
    X = np.asarray(X, dtype=float)
    out = np.zeros((len(X), len(X)))
    for start in range(0, len(X) - rows_per_block + 1, rows_per_block):
        out[start:start + rows_per_block] = dist_broadcast(X)[start:start + rows_per_block]
    return out


def chunked_named_temporaries(X, rows_per_block=64):
    """Issue 10's example: differences and squares kept alive, about three block temporaries."""
    X = np.asarray(X, dtype=np.float64)
    result = np.empty((X.shape[0], X.shape[0]))
    for start in range(0, X.shape[0], rows_per_block):
        stop = min(start + rows_per_block, X.shape[0])
        diff = X[start:stop, None, :] - X[None, :, :]
        sq = diff * diff
        summed = sq.sum(axis=2)
        result[start:stop] = np.sqrt(summed)
    return result


def chunked_einsum_blocks(X, rows_per_block=64):
    X = np.asarray(X, dtype=float)
    blocks = []
    for rows in np.array_split(X, max(1, -(-len(X) // rows_per_block))):
        differences = rows[:, None, :] - X[None, :, :]
        blocks.append(np.sqrt(np.einsum("ijk,ijk->ij", differences, differences)))
    return np.vstack(blocks)


def chunked_norm(X, rows_per_block=64):
    X = np.asarray(X, dtype=float)
    out = np.zeros((len(X), len(X)))
    start = 0
    while start < len(X):
        block = X[start:start + rows_per_block]
        out[start:start + len(block)] = np.linalg.norm(block[:, np.newaxis] - X, axis=-1)
        start += rows_per_block
    return out


D1_EXPLANATIONS = [
    "The block needs 80 GB of memory, more RAM than a laptop has; computing a block of rows at a "
    "time keeps the temporary small and still vectorized.",
    "N*N*D*8 bytes is far beyond the machine; split X into chunks of B rows, so each temporary "
    "is B*N*D values and the loop runs N/B times.",
    "Split the rows into blocks and compute each block's distances with broadcasting.",
    "Process slices of 64 rows: each slice's differences are 64*N*D numbers instead of N*N*D.",
]


def test_D1_accepts_different_correct_answers(capsys):
    functions = [chunked, chunked_per_row, chunked_named_temporaries, chunked_einsum_blocks,
                 chunked_norm]
    answers = [80, 10_000 * 10_000 * 100 * 8 / 1e9, np.float64(80.0), 80.0, np.array(80)]
    for answer, function, explanation in zip(answers, functions, D1_EXPLANATIONS * 2):
        out = accepts_prose(capsys, "D1", answer, function, explanation)
        assert re.search(r"Peak memory [\d.]+ MB at N = 1024, D = 16", out)


@pytest.mark.parametrize("answer, function, diagnosis", [
    (74.5058, chunked, "GiB"),
    (74.5, chunked, "GiB"),
    (0.8, chunked, "output matrix"),
    (40, chunked, "8 bytes"),
    (640, chunked, "bits"),
    (8e10, chunked, "in bytes"),
    (10, chunked, "counts entries"),
    (8, chunked, "D = 10"),
    (800, chunked, "Count its entries"),
    (np.inf, chunked, "finite"),
    (80, dist_broadcast, r"Peak memory [\d.]+ MB at N = 1024, D = 16 .* the full \(N, N, D\) block "
                         r"134 MB\. A chunked version stays under .* quarter of the block, 42 MB"),
    (80, lambda X, rows_per_block=512: chunked(X, rows_per_block), "stays under"),
    (80, chunked_skipping_the_last_block, "block edges|last.*block"),
    (80, lambda X, rows_per_block=64: chunked(X) ** 2, "square root is missing"),
    (80, chunked(np.zeros((3, 2))), "without calling it"),
])
def test_D1_names_the_mistake(answer, function, diagnosis):
    message = rejects("D1", answer, function, D1_EXPLANATIONS[0], match=diagnosis)
    assert not re.search(r"\b80(\.0*)?\s*GB", message), "the hint reveals the answer"


D2_EXPLANATIONS = [
    "Truncation error shrinks like h^2 while round-off error from cancellation grows like eps/h, "
    "so the best h balances them; for gradient checks use h near 1e-5.",
    "The Taylor remainder falls with h but floating-point precision is lost when subtracting "
    "nearly equal values, so gradient checks need a moderate h.",
    "Floating-point error in f(x+h) - f(x-h) is divided by 2h, so it grows like eps/h; the "
    "approximation error shrinks like h squared. Their sum has a minimum in between.",
]


SWEEP_STEPS = np.logspace(-15, -1, 141)
SWEEP_ERRORS = np.abs((np.sin(1 + SWEEP_STEPS) - np.sin(1 - SWEEP_STEPS)) / (2 * SWEEP_STEPS) - np.cos(1))


def test_D2_accepts_different_correct_answers(capsys):
    steps = np.logspace(-15, -1, 141)
    errors = np.abs((np.sin(1 + steps) - np.sin(1 - steps)) / (2 * steps) - np.cos(1))
    for answer in (steps[np.argmin(errors)], 6e-6, np.float64(1.6e-5), np.array(5e-6)):
        for explanation in D2_EXPLANATIONS:
            accepts_prose(capsys, "D2", answer, explanation)
    accepts_prose(capsys, "D2", np.finfo(float).eps ** (1 / 3), D2_EXPLANATIONS[1])


@pytest.mark.parametrize("answer, diagnosis", [
    (1.5e-8, r"sqrt\(eps\)"),
    (1e-14, "round-off dominates"),
    (1e-2, "truncation error .* still dominates"),
    (95, "position in the sweep"), (np.int64(94), "position in the sweep"),
    (0, "position in the sweep"),
    (SWEEP_ERRORS[95], "one of the errors"), (float(SWEEP_ERRORS.min()), "one of the errors"),
    (-6e-6, "positive"),
    ("6e-6", "not the text"),
    (np.nan, "finite"),
    (np.inf, "finite"),
    ([6e-6], "single number"),
])
def test_D2_names_the_mistake(answer, diagnosis):
    rejects("D2", answer, D2_EXPLANATIONS[0], match=diagnosis)


def test_D1_prompt_states_the_size_the_memory_is_measured_at():
    import inspect

    from course_tools.hidden_cases import check_chunked_distances
    from course_tools.notebooks import REPO_ROOT

    size = inspect.signature(check_chunked_distances).parameters
    prompt = (REPO_ROOT / "exercises" / "level_d.md").read_text()
    assert f"$N = {size['N'].default}$, $D = {size['D'].default}$" in prompt

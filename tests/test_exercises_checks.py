"""Every exercise check accepts several correct answers and rejects known-wrong ones, naming the bug.

Each wrong answer is paired with a pattern the message must match: the test fails if a check
lets the mistake through, or if it catches it for the wrong reason.
"""
import re

import numpy as np
import pytest

from course_tools.checking import WrongAnswer
from course_tools.exercise_checks import check


def accepts(capsys, exercise_id, *answers):
    check(exercise_id, *answers)
    assert f"{exercise_id}: correct." in capsys.readouterr().out


def rejects(exercise_id, *answers, match):
    with pytest.raises(WrongAnswer, match=match) as error:
        with np.errstate(all="ignore"):
            check(exercise_id, *answers)
    return str(error.value)


# Value answers: shapes, numbers, letters ------------------------------------------------------

CORRECT = {
    "A1": [(3, 2), [3, 2], (np.int64(3), np.int64(2)), np.array([3, 2]), (3.0, 2.0)],
    "A2": [32, 32.0, np.float64(32), np.int64(32), np.array(32.0), 1 * 4 + 2 * 5 + 3 * 6],
    "A3": [2.5, np.float64(2.5), 5 / 2, np.mean(np.array([2.0, 1.0]) ** 2)],
    "A4": [(4,), [4], (np.int64(4),)],
    "A5": [(100,), [100], np.zeros((100, 4)).mean(axis=1).shape],
    "A6": ["b", "B", " b ", "(b)", "b."],
    "B1": ["(N, N)", "N,N", ("N", "N"), "(n, n)", "N x N"],
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
WRONG_FORM = [("A1", 6, "tuple"), ("A1", "3, 2", "tuple of integers"), ("A1", (3.5, 2), "whole number"),
              ("A2", "32", "single number"), ("A3", "2.5", "single number"), ("A4", 4, r"\(4,\)"),
              ("A5", 100, "tuple"), ("A6", "ab", "one letter"), ("A6", 2, "one letter"),
              ("B5", "c and d", "one letter")]


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
    rejects(exercise_id, answer, match=diagnosis)


# Written answers ----------------------------------------------------------------------------

B2_WHY = ("Broadcasting aligns shapes from the right, so the (H, 1) bias lines up with the batch "
          "axis N instead of the units; with one example it stretches to a square.")
B2_WHY_OTHER = ("Shapes are compared starting at the trailing axis: H meets 1, then N meets H, so "
                "the bias is spread over rows of the batch; with N = 1 both stretch to H by H.")


def test_B2(capsys):
    accepts(capsys, "B2", {"shape": "(H, H)", "bias_shape": "(H,)", "why": B2_WHY})
    accepts(capsys, "B2", {"shape": ("H", "H"), "bias_shape": "(1, H)", "why": B2_WHY_OTHER})
    accepts(capsys, "B2", {"shape": "H x H", "bias_shape": ["H"], "why": B2_WHY})
    for answer, diagnosis in [
        ({"shape": "(N, H)", "bias_shape": "(H,)", "why": B2_WHY}, "expected shape"),
        ({"shape": "(H, 1)", "bias_shape": "(H,)", "why": B2_WHY}, "That is the bias"),
        ({"shape": "(N, N)", "bias_shape": "(H,)", "why": B2_WHY}, "from the right"),
        ({"shape": "(H, H)", "bias_shape": "(H, 1)", "why": B2_WHY}, "still misaligns"),
        ({"shape": "(H, H)", "bias_shape": "(N,)", "why": B2_WHY}, "last axis"),
        ({"shape": "(H, H)", "bias_shape": "(H,)", "why": "It is wrong."}, "few sentences"),
        ({"shape": "(H, H)", "bias_shape": "(H,)",
          "why": "The bias has the wrong number of dimensions for this particular computation so it fails."},
         "broadcasting aligns"),
        ({"shape": "(H, H)", "bias_shape": "(H,)",
          "why": "Broadcasting aligns shapes from the right and these shapes do not fit together as intended."},
         "which axis"),
        ({"shape": "(H, H)"}, "Fill in the dictionary"),
        ("(H, H)", "Fill in the dictionary"),
    ]:
        assert "(H, H)" not in rejects("B2", answer, match=diagnosis)


def test_B4(capsys):
    accepts(capsys, "B4", "A constant column has zero standard deviation, so we divide 0 by 0 and get "
                          "nan. The guard divides only those columns by 1, leaving the others unchanged.")
    accepts(capsys, "B4", "With sd = 0 the centred column is divided by zero, which gives NaN values "
                          "everywhere. np.where swaps in 1 for that column only, so non-constant "
                          "features keep their scale.")
    rejects("B4", "Standardization makes the features comparable so that gradient descent works "
                  "much better and faster on every dataset we try.", match="constant column")
    rejects("B4", "A constant column makes the division 0/0 which is nan and it spreads into every "
                  "later computation of the model.", match="other columns")
    rejects("B4", "It gives nan.", match="few sentences")
    rejects("B4", 42, match="string")


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


def test_C1_accepts_different_correct_implementations(capsys):
    for standardize in (standardize_vec, standardize_loop, standardize_relative_guard,
                        standardize_keepdims):
        accepts(capsys, "C1", standardize)


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
    (lambda X: (X - X.mean(axis=0)) / np.sqrt(X.var(axis=0) - 2 * X.var(axis=0).max()), "not constant"),
])
def test_C1_names_the_bug(wrong, diagnosis):
    rejects("C1", wrong, match=diagnosis)


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


def test_C2_accepts_different_correct_implementations(capsys):
    for loop, vec in [(layer_loop, layer_vec), (layer_loop, layer_einsum), (layer_loop_rows, layer_matmul)]:
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
    (lambda X, W, b: (X @ W.T + b).T, "transposed"),
    (lambda X, W, b: W @ X.T + b[:, None], "transposed"),
    (lambda X, W, b: X @ W.T, "bias is missing"),
])
def test_C2_names_the_bug_in_the_vectorized_version(wrong_vec, diagnosis):
    message = rejects("C2", layer_loop, wrong_vec, match=diagnosis)
    assert "disagree on" in message and "layer_loop is right" in message


def test_C2_names_the_bug_in_the_loop_and_other_mistakes():
    rejects("C2", layer_loop_without_bias, layer_vec, match="disagree.*layer_vec is right.*bias is missing")
    rejects("C2", layer_vec, layer_vec, match="layer_loop has no loop")
    rejects("C2", layer_loop, layer_loop_rows, match="layer_vec contains a Python loop")
    rejects("C2", lambda X, W, b: X @ W.T, lambda X, W, b: X @ W.T, match="bias is missing")

    def mutating_vec(X, W, b):
        X *= 1.0
        X += 1.0
        return (X - 1.0) @ W.T + b
    rejects("C2", layer_loop, mutating_vec, match="modified its input")


C3_EXPLANATION = ("matmul needs the inner dimensions to match: D against H here. The transpose W.T "
                  "is (D, H), so the product is (N, H).")
C3_EXPLANATION_OTHER = ("For A @ B the last axis of A must equal the first axis of B; W is (H, D), "
                        "so we take W.T of shape (D, H) and the sizes D match.")


def test_C3_accepts_different_correct_answers(capsys):
    accepts(capsys, "C3", lambda X, W: X @ W.T, "(N, H)", C3_EXPLANATION)
    accepts(capsys, "C3", lambda X, W: (W @ X.T).T, ("N", "H"), C3_EXPLANATION_OTHER)
    accepts(capsys, "C3", lambda X, W: np.einsum("nd,hd->nh", X, W), "N x H", C3_EXPLANATION)
    accepts(capsys, "C3", lambda X, W: np.dot(X, W.T), ["n", "h"], C3_EXPLANATION_OTHER)


@pytest.mark.parametrize("answers, diagnosis", [
    ((lambda X, W: X @ W, "(N, H)", C3_EXPLANATION), "transpose"),
    ((lambda X, W: W @ X.T, "(N, H)", C3_EXPLANATION), "transposed"),
    ((lambda X, W: X @ W.T + 1, "(N, H)", C3_EXPLANATION), "values are not"),
    ((lambda X, W: X @ W.T, "(H, N)", C3_EXPLANATION), "orientation of W @ X.T"),
    ((lambda X, W: X @ W.T, "(N, D)", C3_EXPLANATION), "input's shape"),
    ((lambda X, W: X @ W.T, "(D, H)", C3_EXPLANATION), "W.T"),
    ((lambda X, W: X @ W.T, "(N, H)", "It needs fixing with numpy somehow, I think, because the shapes "
                                      "are not right at all."), "which dimensions"),
    ((lambda X, W: X @ W.T, "(N, H)", "The inner sizes of the two operands must match, and here they "
                                      "do not, so numpy refuses the product."), "transpose changes"),
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


def test_C4_accepts_different_correct_implementations(capsys):
    for dist_matrix in (dist_broadcast, dist_einsum, dist_centred_gram,
                        lambda X: np.linalg.norm(X[:, None, :] - X[None, :, :].astype(float), axis=-1)):
        accepts(capsys, "C4", dist_matrix)


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
     "Python loop"),
])
def test_C4_names_the_bug(wrong, diagnosis):
    rejects("C4", wrong, match=diagnosis)


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


D1_EXPLANATION = ("The block needs 80 GB of memory, more RAM than a laptop has; computing a block of "
                  "rows at a time keeps the temporary small and still vectorized.")
D1_EXPLANATION_OTHER = ("N*N*D*8 bytes is far beyond the machine; split X into chunks of B rows, so "
                        "each temporary is B*N*D values and the loop runs N/B times.")


def test_D1_accepts_different_correct_answers(capsys):
    accepts(capsys, "D1", 80, chunked, D1_EXPLANATION)
    accepts(capsys, "D1", 10_000 * 10_000 * 100 * 8 / 1e9, chunked_per_row, D1_EXPLANATION_OTHER)
    accepts(capsys, "D1", np.float64(80.0), chunked, D1_EXPLANATION_OTHER)


@pytest.mark.parametrize("answer, function, explanation, diagnosis", [
    (74.5058, chunked, D1_EXPLANATION, "GiB"),
    (74.5, chunked, D1_EXPLANATION, "GiB"),
    (0.8, chunked, D1_EXPLANATION, "output matrix"),
    (40, chunked, D1_EXPLANATION, "8 bytes"),
    (640, chunked, D1_EXPLANATION, "bits"),
    (8e10, chunked, D1_EXPLANATION, "in bytes"),
    (10, chunked, D1_EXPLANATION, "counts entries"),
    (8, chunked, D1_EXPLANATION, "D = 10"),
    (800, chunked, D1_EXPLANATION, "Count its entries"),
    (80, dist_broadcast, D1_EXPLANATION, "peak memory"),
    (80, chunked_skipping_the_last_block, D1_EXPLANATION, "block edges|last.*block"),
    (80, lambda X, rows_per_block=64: chunked(X) ** 2, D1_EXPLANATION, "square root is missing"),
    (80, chunked, "The vectorized version is slow because NumPy has to do a lot of work for big inputs.",
     "how much memory"),
    (80, chunked, "The block needs 80 GB of memory, which is more RAM than the machine has, so the "
                  "one-liner fails.", "how to bound the temporary"),
])
def test_D1_names_the_mistake(answer, function, explanation, diagnosis):
    message = rejects("D1", answer, function, explanation, match=diagnosis)
    assert not re.search(r"\b80(\.0*)?\s*GB", message), "the hint reveals the answer"


D2_EXPLANATION = ("Truncation error shrinks like h^2 while round-off error from cancellation grows "
                  "like eps/h, so the best h balances them; for gradient checks use h near 1e-5.")
D2_EXPLANATION_OTHER = ("The Taylor remainder falls with h but floating-point precision is lost when "
                        "subtracting nearly equal values, so gradient checks need a moderate h.")


def test_D2_accepts_different_correct_answers(capsys):
    steps = np.logspace(-15, -1, 141)
    errors = np.abs((np.sin(1 + steps) - np.sin(1 - steps)) / (2 * steps) - np.cos(1))
    for answer in (steps[np.argmin(errors)], 6e-6, np.float64(1.6e-5), np.array(5e-6)):
        accepts(capsys, "D2", answer, D2_EXPLANATION)
    accepts(capsys, "D2", np.finfo(float).eps ** (1 / 3), D2_EXPLANATION_OTHER)


@pytest.mark.parametrize("answer, explanation, diagnosis", [
    (1.5e-8, D2_EXPLANATION, r"sqrt\(eps\)"),
    (1e-14, D2_EXPLANATION, "round-off dominates"),
    (1e-2, D2_EXPLANATION, "truncation error .* still dominates"),
    (-6e-6, D2_EXPLANATION, "positive"),
    ("6e-6", D2_EXPLANATION, "single number"),
    (6e-6, "The error is smallest in the middle of the range because of the computer and how it "
           "stores numbers.", "truncation error"),
    (6e-6, "Truncation error falls like h^2 as h shrinks, while round-off grows; the best h is in "
           "between those two regimes.", "gradient checks"),
    (6e-6, "Truncation error falls like h^2 as h shrinks, so around 1e-5 is a good choice for "
           "gradient checks in practice.", "round-off error"),
])
def test_D2_names_the_mistake(answer, explanation, diagnosis):
    rejects("D2", answer, explanation, match=diagnosis)

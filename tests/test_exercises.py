"""Exercise checks: right answers pass, known-wrong answers fail with the right diagnosis."""
import re
import sys
from pathlib import Path

import numpy as np
import pytest

from course_tools import exercise_checks
from course_tools.checking import WrongAnswer
from course_tools.exercise_checks import check
from course_tools.notebooks import REPO_ROOT, read_notebook

sys.path.insert(0, str(REPO_ROOT / "tools"))
import make_exercises  # noqa: E402

IDS = [f"{level}{n}" for level, count in zip("ABCD", (6, 5, 4, 2)) for n in range(1, count + 1)]


def rejects(exercise_id, *answers, match):
    with pytest.raises(WrongAnswer, match=match):
        check(exercise_id, *answers)


def accepts(capsys, exercise_id, *answers):
    check(exercise_id, *answers)
    assert f"{exercise_id}: correct." in capsys.readouterr().out


# Structure -----------------------------------------------------------------------------------

def test_committed_exercises_match_the_generator():
    assert make_exercises.main(check=True) == 0, "run python3 tools/make_exercises.py"


@pytest.mark.parametrize("folder", ["exercises", "solutions"])
def test_every_exercise_has_an_answer_cell_then_its_check_cell(folder):
    found = []
    for path in sorted((REPO_ROOT / folder).glob("level_*.md")):
        cells = [c for c in read_notebook(path).cells if c.cell_type == "code"]
        for index, cell in enumerate(cells):
            tags = [t for t in cell.metadata.get("tags", []) if t.startswith("answer-")]
            if tags:
                exercise_id = tags[0].removeprefix("answer-")
                assert f"check-{exercise_id}" in cells[index + 1].metadata.get("tags", [])
                assert f'check("{exercise_id}"' in cells[index + 1].source
                found.append(exercise_id)
    assert found == IDS


def test_exercises_contain_no_solution_code():
    for path in (REPO_ROOT / "exercises").glob("level_*.md"):
        text = path.read_text()
        assert "BEGIN SOLUTION" not in text and '"solution"' not in text


def test_checks_do_not_spell_out_the_answers():
    source = Path(exercise_checks.__file__).read_text()
    for literal in ["(3, 2)", "(6, 6, 3)", "(N, N)", "(H, H)", '"(N, H)"', "2.5,", "32.0", "80.0"]:
        assert literal not in source, f"{literal} is readable in the check code"


@pytest.mark.parametrize("exercise_id", IDS)
def test_untouched_answers_are_reported_not_raised(exercise_id, capsys):
    def unwritten(*_):
        raise NotImplementedError

    answers = {"C1": [unwritten], "C2": [unwritten, unwritten], "C3": [unwritten, None, None],
               "C4": [unwritten], "D1": [None, unwritten], "D2": [None, None]}
    check(exercise_id, *answers.get(exercise_id, [None]))
    assert "not answered yet" in capsys.readouterr().out


# Level A -------------------------------------------------------------------------------------

def test_A1(capsys):
    for answer in [(3, 2), [3, 2], (np.int64(3), np.int64(2)), np.array([3, 2])]:
        accepts(capsys, "A1", answer)
    rejects("A1", (2, 3), match="Rows come from A")
    rejects("A1", (4, 4), match="inner dimension")
    rejects("A1", (3, 4, 2), match="2-D")
    rejects("A1", 6, match="tuple")


def test_A2(capsys):
    for answer in [32, 32.0, np.float64(32), np.int64(32)]:
        accepts(capsys, "A2", answer)
    rejects("A2", [4.0, 10.0, 18.0], match="element-wise")
    rejects("A2", 90, match="multiplied the two sums")
    rejects("A2", 21, match="added all the entries")
    rejects("A2", 31, match="term by term")


def test_A3(capsys):
    for answer in [2.5, np.float64(2.5), 5 / 2]:
        accepts(capsys, "A3", answer)
    rejects("A3", 5.0, match="sum of squared residuals")
    rejects("A3", np.sqrt(2.5), match="root mean squared")
    rejects("A3", 1.5, match="mean absolute")
    rejects("A3", "2.5", match="single number")


def test_A4_and_A5(capsys):
    accepts(capsys, "A4", (4,))
    accepts(capsys, "A4", [4])
    rejects("A4", (100,), match="axis=1")
    rejects("A4", (1, 4), match="keepdims")
    rejects("A4", 4, match=r"\(4,\)")
    accepts(capsys, "A5", (100,))
    rejects("A5", (4,), match="axis=0")
    rejects("A5", (100, 1), match="keepdims")


def test_multiple_choice(capsys):
    for answer in ["b", "B", " b ", "(b)"]:
        accepts(capsys, "A6", answer)
    rejects("A6", "a", match="element-wise")
    rejects("A6", "c", match="outer")
    rejects("A6", "ab", match="one letter")
    accepts(capsys, "B5", "c")
    rejects("B5", "a", match="GPU")
    rejects("B5", "b", match="same n multiplications")


# Level B -------------------------------------------------------------------------------------

B2_WHY = ("Broadcasting aligns shapes from the right, so the (H, 1) bias lines up with the batch "
          "axis N instead of the units; with one example it stretches to a square.")


def test_B1_and_B3(capsys):
    for answer in ["(N, N)", "N,N", ("N", "N"), "(n, n)"]:
        accepts(capsys, "B1", answer)
    rejects("B1", "(N, N, D)", match="before the sum")
    rejects("B1", "(N, D)", match="input")
    accepts(capsys, "B3", (6, 6, 3))
    rejects("B3", (6, 6), match="after summing")
    rejects("B3", (6, 3, 6), match="Broadcast them")


def test_B2(capsys):
    accepts(capsys, "B2", {"shape": "(H, H)", "bias_shape": "(H,)", "why": B2_WHY})
    accepts(capsys, "B2", {"shape": ("H", "H"), "bias_shape": "(1, H)", "why": B2_WHY})
    rejects("B2", {"shape": "(N, H)", "bias_shape": "(H,)", "why": B2_WHY}, match="expected shape")
    rejects("B2", {"shape": "(H, H)", "bias_shape": "(H, 1)", "why": B2_WHY}, match="still misaligns")
    rejects("B2", {"shape": "(H, H)", "bias_shape": "(H,)", "why": "It is wrong."}, match="few sentences")
    rejects("B2", {"shape": "(H, H)"}, match="Fill in the dictionary")


def test_B4(capsys):
    accepts(capsys, "B4", "A constant column has zero standard deviation, so we divide 0 by 0 and get "
                          "nan. The guard divides only those columns by 1, leaving the others unchanged.")
    rejects("B4", "Standardization makes the features comparable so that gradient descent works "
                  "much better and faster on every dataset we try.", match="constant column")
    rejects("B4", "A constant column makes the division 0/0 which is nan and it spreads into every "
                  "later computation of the model.", match="other columns")


# Level C -------------------------------------------------------------------------------------

def standardize_good(X):
    X = np.asarray(X, dtype=float)
    constant = X.max(axis=0) == X.min(axis=0)
    return np.where(constant, 0.0, (X - X.mean(axis=0)) / np.where(constant, 1.0, X.std(axis=0)))


def standardize_loop_good(X):
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


def test_C1_accepts_different_correct_implementations(capsys):
    for standardize in (standardize_good, standardize_loop_good, standardize_relative_guard):
        accepts(capsys, "C1", standardize)


@pytest.mark.parametrize("wrong, match", [
    (lambda X: (X - X.mean(axis=1, keepdims=True)) / X.std(axis=1, keepdims=True), "wrong axis"),
    (lambda X: (X - X.mean(axis=0)) / X.std(axis=0), "nan|guard"),
    (lambda X: (X - X.mean(axis=0)) / (X.std(axis=0) + 1e-3), "epsilon"),
    (lambda X: (X - X.mean(axis=0)) / np.where(X.std(axis=0) > 0, X.std(axis=0), 1.0), "constant column"),
    (lambda X: standardize_good(X) if X.dtype != int else (X - X.mean(0)).astype(int), "integer"),
    (lambda X: np.subtract(X, X.mean(axis=0), out=X) / np.where(X.std(axis=0) > 0, X.std(axis=0), 1),
     "modified its input"),
    (lambda X: (X - X.mean(axis=0)) / np.where(X.std(axis=0, ddof=1) > 0, X.std(axis=0, ddof=1), 1),
     "ddof=1|constant"),
    (lambda X: standardize_good(X).T, "output shape"),
])
def test_C1_names_the_bug(wrong, match):
    with np.errstate(all="ignore"):
        rejects("C1", wrong, match=match)


def layer_loop_good(X, W, b):
    Y = np.zeros((X.shape[0], W.shape[0]))
    for n in range(X.shape[0]):
        for h in range(W.shape[0]):
            Y[n, h] = b[h] + sum(X[n, d] * W[h, d] for d in range(X.shape[1]))
    return Y


def layer_vec_good(X, W, b):
    return X @ W.T + b


def layer_einsum(X, W, b):
    return np.einsum("nd,hd->nh", X, W) + b


def test_C2_accepts_different_correct_implementations(capsys):
    accepts(capsys, "C2", layer_loop_good, layer_vec_good)
    accepts(capsys, "C2", layer_loop_good, layer_einsum)


@pytest.mark.parametrize("wrong_vec, match", [
    (lambda X, W, b: X @ W.T + b.reshape(-1, 1), r"\(H, 1\)"),
    (lambda X, W, b: X @ W + b, "transpose|raised ValueError"),
    (lambda X, W, b: (X @ W.T + b).T, r"\(H, N\)"),
    (lambda X, W, b: X @ W.T, "bias is missing"),
])
def test_C2_names_the_bug(wrong_vec, match):
    rejects("C2", layer_loop_good, wrong_vec, match=match)


def test_C2_catches_disagreeing_and_loopless_versions():
    def layer_vec_with_loop(X, W, b):
        return np.array([W @ x + b for x in X])

    rejects("C2", layer_vec_good, layer_vec_good, match="layer_loop has no loop")
    rejects("C2", layer_loop_good, layer_vec_with_loop, match="layer_vec contains a Python loop")


C3_EXPLANATION = ("matmul needs the inner dimensions to match: D against H here. The transpose W.T "
                  "is (D, H), so the product is (N, H).")


def test_C3(capsys):
    accepts(capsys, "C3", lambda X, W: X @ W.T, "(N, H)", C3_EXPLANATION)
    accepts(capsys, "C3", lambda X, W: (W @ X.T).T, ("N", "H"), C3_EXPLANATION)
    rejects("C3", lambda X, W: X @ W, "(N, H)", C3_EXPLANATION, match="transpose|raised ValueError")
    rejects("C3", lambda X, W: W @ X.T, "(N, H)", C3_EXPLANATION, match=r"\(H, N\)")
    rejects("C3", lambda X, W: X @ W.T, "(H, N)", C3_EXPLANATION, match="orientation of W @ X.T")
    rejects("C3", lambda X, W: X @ W.T, "(N, H)", "It needs fixing with numpy somehow, I think, because the shapes are not right at all.",
            match="which dimensions")


def dist_good(X):
    X = np.asarray(X, dtype=float)
    return np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=-1))


def dist_centered_gram(X):
    X = np.asarray(X, dtype=float)
    X = X - X.mean(axis=0)
    squared = (X**2).sum(axis=1)
    D2 = np.maximum(squared[:, None] + squared[None, :] - 2 * X @ X.T, 0)
    np.fill_diagonal(D2, 0)
    return np.sqrt(D2)


def test_C4_accepts_different_correct_implementations(capsys):
    accepts(capsys, "C4", dist_good)
    accepts(capsys, "C4", lambda X: np.linalg.norm(X[:, None, :] - X[None, :, :].astype(float), axis=-1))


def gram_uncentered(X):
    X = np.asarray(X, dtype=float)
    squared = (X**2).sum(axis=1)
    return np.sqrt(np.maximum(squared[:, None] + squared[None, :] - 2 * X @ X.T, 0))


@pytest.mark.parametrize("wrong, match", [
    (lambda X: ((X[:, None, :] - X[None, :, :]) ** 2.0).sum(axis=-1), "square root is missing"),
    (lambda X: np.abs(X[:, None, :] - X[None, :, :]).sum(axis=-1) * 1.0, "Manhattan"),
    (lambda X: np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=-1)), "overflow"),
    (gram_uncentered, "far from the origin|diagonal"),
    (lambda X: np.array([[np.linalg.norm(p - q) for q in X.astype(float)] for p in X.astype(float)]),
     "Python loop"),
    (lambda X: dist_good(X)[:, :1], r"shape \(\d+, 1\)"),
])
def test_C4_names_the_bug(wrong, match):
    with np.errstate(all="ignore"):
        rejects("C4", wrong, match=match)


# Level D -------------------------------------------------------------------------------------

def chunked_good(X, rows_per_block=64):
    X = np.asarray(X, dtype=float)
    out = np.empty((len(X), len(X)))
    for start in range(0, len(X), rows_per_block):
        rows = X[start:start + rows_per_block]
        out[start:start + rows_per_block] = np.sqrt(((rows[:, None, :] - X[None, :, :]) ** 2).sum(-1))
    return out


def test_D1(capsys):
    accepts(capsys, "D1", 80, chunked_good)
    accepts(capsys, "D1", 8e10 / 1e9, lambda X: np.array([np.linalg.norm(X - row, axis=1) for row in X.astype(float)]))
    rejects("D1", 74.5058, chunked_good, match="GiB")
    rejects("D1", 0.8, chunked_good, match="output matrix")
    rejects("D1", 40, chunked_good, match="8 bytes")
    rejects("D1", 80, dist_good, match="peak memory")


D2_EXPLANATION = ("Truncation error shrinks like h^2 while round-off error from cancellation grows "
                  "like eps/h, so the best h balances them; for gradient checks use h near 1e-5.")


def test_D2(capsys):
    accepts(capsys, "D2", 6e-6, D2_EXPLANATION)
    accepts(capsys, "D2", np.float64(1.6e-5), D2_EXPLANATION)
    rejects("D2", 1.5e-8, D2_EXPLANATION, match="sqrt\\(eps\\)")
    rejects("D2", 1e-14, D2_EXPLANATION, match="round-off dominates")
    rejects("D2", 1e-2, D2_EXPLANATION, match="truncation")
    rejects("D2", 6e-6, "The error is smallest in the middle of the range because of the computer and how it stores numbers.",
            match="truncation error")

"""The exercises' checks, one per exercise ID: ``check("A1", answer)`` in a notebook.

Typed answers are compared with digests (:mod:`course_tools.answers`); functions run on hidden
cases (:mod:`course_tools.hidden_cases`); what the learner sees is :mod:`course_tools.feedback`.
"""
from __future__ import annotations

import functools
import inspect

import numpy as np

from course_tools import hidden_cases
from course_tools.answers import (
    answer_name,
    as_choice,
    as_dictionary,
    as_function,
    as_number,
    as_symbolic_shape,
    number_verdict,
    shape_verdict,
    verdict,
    written,
)
from course_tools.feedback import NotAnswered, PartlyChecked, WrongAnswer, run_check


def check_A1(answer):
    shape_verdict("A1", answer, "37dd64ff7295a7d6", {
        "21d60447521ef1ee": "You took the outer dimensions in the wrong order: the rows of A @ B come "
                         "from A, the columns from B.",
        "9709d8143eb6d37a": "That is the shape of A.T. In A @ B nothing is transposed; write "
                         "(3, 4) @ (4, 2) and see which dimensions meet in the middle.",
        "d441487831419e22": "That is A's own shape. Which of its dimensions is summed away?",
        "5d46e7e453c0abba": "That is B's own shape. The rows of the result come from A.",
        "538802ffc84793ec": "You kept the inner dimensions; they are the ones summed away. The outer ones stay.",
        "109cd082df346a7b": "The product of two 2-D arrays is 2-D: the shared axis is summed away.",
    }, "Not the shape of A @ B. Write (3, 4) @ (4, 2) and ask which dimensions meet in the middle.")


def check_A2(answer):
    if isinstance(answer, (list, tuple, np.ndarray)):
        try:
            elementwise = np.allclose(np.asarray(answer, dtype=float), [4.0, 10.0, 18.0])
        except (ValueError, TypeError):
            elementwise = False
        if elementwise:
            raise WrongAnswer("That is the element-wise product a * b. The dot product also "
                              "adds it up.")
    number_verdict("A2", as_number(answer), "912707a63e6f25b5", {
        "23b3290e54f87c85": "You multiplied the two sums. Multiply matching entries, then add.",
        "72f23c04720740f9": "That is a · a. Pair each entry of a with the matching entry of b.",
        "8bc7aec6cae309fb": "That is b · b. Pair each entry of a with the matching entry of b.",
        "cb1272d86627d69c": "You added all the entries. Multiply matching entries first.",
    }, "Not a · b. Compute 1·4 + 2·5 + 3·6 term by term.")


def check_A3(answer):
    number_verdict("A3", as_number(answer), "854136b02244aac7", {
        "2714ecfed75b090b": "That is the sum of squared residuals; the mean divides by N.",
        "772d340129058065": "That is the root mean squared error; the MSE has no square root.",
        "f2472affb12c078d": "That is the mean absolute error; square each residual first.",
        "abf4d6d8dde1d2d2": "You squared the mean residual; average the squared residuals instead.",
        "542ca8db9477531c": "That is half the MSE (the 1/2 some losses carry for a tidy gradient); "
                       "the MSE divides by N only.",
    }, "Not the MSE. Residuals y - yhat first, then square each, then average.")


def check_A4(answer):
    shape_verdict("A4", answer, "4aac1d967c2de235", {
        "ea97743d1413cf28": "That is X.mean(axis=1): one value per example. axis=0 reduces over the examples.",
        "ab4e36d0423c53b8": "That would be with keepdims=True. Without it the reduced axis is removed.",
        "db5cba058ea427bc": "A reduction removes the axis it reduces over.",
        "04763902a59c41f4": "A reduction removes an axis; it does not turn the result into a column.",
    }, "Not the shape of X.mean(axis=0). Which axis is removed, and which one stays?")


def check_A5(answer):
    shape_verdict("A5", answer, "8baca4cc80fcc44f", {
        "b5d093fb1c442603": "That is X.mean(axis=0). axis=1 reduces over the features.",
        "d5b09bfda8153c8b": "That would be with keepdims=True. Without it the reduced axis is removed.",
        "fa2b7089ce4a6441": "A reduction without keepdims only removes an axis; it adds none.",
        "1526179678dcc1a8": "A reduction removes the axis it reduces over.",
    }, "Not the shape of X.mean(axis=1). Which axis is removed, and which one stays?")


def check_A6(answer):
    verdict("A6", as_choice(answer), "21b1f5da5dec162d", {
        "aa407058d70e15cb": "a * b is element-wise: shape (n,), nothing is summed.",
        "52b94ad8d0360fd7": "np.outer(a, b) is the (n, n) table of all products, not matched pairs.",
        "ae94fbab5bf78873": "For a 1-D array .T changes nothing, so a.T * b is still element-wise.",
    }, "Choose one of the letters a, b, c, d.")


def check_B1(answer):
    verdict("B1", as_symbolic_shape(answer), "9ee771d4330521b8", {
        "203c7be9b347071d": "That is the broadcast block of differences, before the sum over features.",
        "bfc76bac7f915551": "That is the input. The matrix has one entry per pair of points.",
        "27aa81201f57d1c9": "That is the input transposed. The matrix has one entry per pair of points.",
        "99ad75ff7a4c3fc2": "One distance per pair of points, not per point.",
        "b681f91a49cdc7e6": "Distances are between points (rows), not between features.",
    }, "Not the shape of the distance matrix. How many pairs (i, j) of points are there?")


def check_B2(answer):
    answer = as_dictionary(answer, ("shape", "bias_shape", "why"))
    verdict("B2", as_symbolic_shape(answer["shape"]), "8e6becd9df5f8959", {
        "3b9586cacce42573": "That is the expected shape. For which batch size does the addition run but "
                         "change the shape?",
        "10df94f16fe7eea3": "That is the bias. What does (1, H) + (H, 1) broadcast to?",
        "97939a5602357680": "Line up (N, H) and (H, 1) from the right: which sizes meet, and when may they differ?",
    }, "Not the shape Y gets. Line up (N, H) and (H, 1) from the right, with N = 1.")
    fix = as_symbolic_shape(answer["bias_shape"])
    if fix not in ("H", "1,H"):
        raise WrongAnswer("That bias shape still misaligns: one bias per output unit, along the last axis."
                          if fix == "H,1" else "Which bias shape broadcasts along the last axis, H?")
    return written(answer["why"])


def check_B3(answer):
    shape_verdict("B3", answer, "b029e3dbf830905b", {
        "d14315ea5619e8bc": "That is the distance matrix after summing over the feature axis.",
        "79e22841319f9833": "X[:, None, :] is (6, 1, 3) and X[None, :, :] is (1, 6, 3). Broadcast them.",
        "f8c868da010a0713": "X[:, None, :] is (6, 1, 3) and X[None, :, :] is (1, 6, 3). Broadcast them.",
        "be7ccc9508b5cd1b": "That is X[:, None, :] alone. Broadcasting stretches each size-1 axis to "
                            "match the other operand.",
        "990ce5c4ca600523": "That is X itself. The broadcast adds a pair axis.",
    }, "Not the shape of the difference block. Write both operands' shapes and broadcast them.")


def check_B4(answer):
    answer = as_dictionary(answer, ("no_guard", "guard_fails", "why"))
    verdict("B4a", as_choice(answer["no_guard"]), "6beb3aba3bbd1b26", {
        "72f8fb13ae156f82": "no_guard: (X - mu) is 0 in that column, but 0 / 0 is not 0 in "
                            "floating point. Run it and look.",
        "086db1bd0ead9f92": "no_guard: NumPy arrays do not raise on a division by zero; they "
                            "warn and go on. Run it and look.",
        "31857176b9d13884": "no_guard: x / 0 is inf only for x != 0; here the centred value "
                            "is 0 too. Run it and look.",
    }, "no_guard: choose one of the letters a, b, c, d.")
    verdict("B4b", as_choice(answer["guard_fails"]), "80e56646cf6dc55d", {
        "6780655f8e8db83e": "guard_fails: run both columns through the guard and look at the "
                            "output: is every constant column zeros?",
        "b6420ce93ea0e77a": "guard_fails: 5.0 is exact in binary, its mean too: its sd is "
                            "exactly 0 and the guard does its job. Print X.std(axis=0).",
        "f3a183cad85a8f25": "guard_fails: the column of 5.0s comes out as zeros. Print "
                            "X.std(axis=0) and the guarded output.",
    }, "guard_fails: choose one of the letters a, b, c, d.")
    return written(answer["why"])


def check_B5(answer):
    verdict("B5", as_choice(answer), "18c37c11493a371f", {
        "e1629977f8a4c066": "NumPy runs on the CPU here; no GPU is involved.",
        "c4389e3b8c5285ae": "Both versions do the same n multiplications and n - 1 additions.",
        "607565acfcbbdab1": "Nothing is cached: each call recomputes the sum.",
    }, "Choose one of the letters a, b, c, d.")


def check_C3(fixed_layer, answer, explanation):
    hidden_cases.check_fixed_layer(as_function(fixed_layer, "fixed_layer"))
    verdict("C3", as_symbolic_shape(answer), "c1c651f0b9cb7876", {
        "d2b8713b2f99fb8a": "That is the orientation of W @ X.T. Rows should be examples.",
        "23523ceb5c8c8bb9": "That is the input's shape. The layer maps D features to H units.",
        "27193e13ddf3b2ef": "That is the shape of W.T, one factor of the product.",
    }, "Not the shape of the corrected output. Write the shapes of both factors and multiply.")
    return written(explanation)


def check_D1(answer, dist_matrix_chunked, explanation):
    number_verdict("D1", as_number(answer), "0b401b1e7c4fe619", {
        "97a5533cf4cce883": "That is in GiB (2**30 bytes). The question asks for GB (10**9 bytes).",
        "76422db5ea946e61": "That is the size of the output matrix. The block has D times more entries.",
        "4eadb30b523b465c": "float64 takes 8 bytes per number, not 4.",
        "f8dac3c34bb7a383": "That counts bits. Count bytes: 8 per float64.",
        "22a27a0605a7d137": "That is in bytes. Convert to GB (10**9 bytes).",
        "6b9899624d750c81": "That counts entries (in billions), not bytes: each float64 takes 8.",
        "ce7c01e18aff6ab8": "That is GB for N = 10,000 and D = 10. Use D = 100.",
    }, "Not the block's size. Count its entries (N * N * D), then the bytes per entry.")
    function = as_function(dist_matrix_chunked, "dist_matrix_chunked")
    message = hidden_cases.check_chunked_distances(function)
    return PartlyChecked(f"{message} {written(explanation)}")


@functools.cache  # the same every call; the site's build asks for it tens of thousands of times
def _d2_sweep():
    """The sweep the exercise asks for: its steps and each step's error (read-only: shared)."""
    steps = np.logspace(-15, -1, 141)
    estimates = (np.sin(1.0 + steps) - np.sin(1.0 - steps)) / (2 * steps)
    errors = np.abs(estimates - np.cos(1.0))
    steps.flags.writeable = errors.flags.writeable = False
    return steps, errors


def check_D2(answer, explanation):
    h = as_number(answer)
    steps, errors = _d2_sweep()
    if h == int(h) and 0 <= h < len(steps):
        raise WrongAnswer(f"{h:g} looks like a position in the sweep (np.argmin returns an "
                          "index), not a step: the step is steps[index].")
    if np.any(np.isclose(h, errors, rtol=1e-6, atol=0)) and not np.any(np.isclose(h, steps, rtol=1e-6, atol=0)):
        raise WrongAnswer("That is one of the errors, not a step: the answer is the h at which "
                          "the error is smallest.")
    if h <= 0:
        raise WrongAnswer("A step size is positive.")
    if h < 1e-10:
        raise WrongAnswer("At that h, round-off dominates: f(x + h) - f(x - h) has lost most of its digits.")
    if h < 3e-7:
        raise WrongAnswer("That is near sqrt(eps), the optimum of the one-sided difference. "
                          "The central difference's truncation error falls faster, like h**2.")
    if h > 1e-4:
        raise WrongAnswer("At that h, truncation error (proportional to h**2) still dominates.")
    return written(explanation)


def check_C1(standardize):
    return hidden_cases.check_standardize(as_function(standardize, "standardize"))


def check_C2(layer_loop, layer_vec):
    return hidden_cases.check_layer_pair(as_function(layer_loop, "layer_loop"),
                                         as_function(layer_vec, "layer_vec"))


def check_C4(dist_matrix):
    return hidden_cases.check_dist_matrix(as_function(dist_matrix, "dist_matrix"))


CHECKS = {"A1": check_A1, "A2": check_A2, "A3": check_A3, "A4": check_A4, "A5": check_A5,
          "A6": check_A6, "B1": check_B1, "B2": check_B2, "B3": check_B3, "B4": check_B4,
          "B5": check_B5, "C1": check_C1, "C2": check_C2, "C3": check_C3, "C4": check_C4,
          "D1": check_D1, "D2": check_D2}


def id_ranges(dash: str = "-") -> dict[str, str]:
    """Each level's exercise IDs, from CHECKS: ``{"A": "A1-A6", ...}``."""
    levels: dict[str, list[int]] = {}
    for exercise_id in CHECKS:
        levels.setdefault(exercise_id[0], []).append(int(exercise_id[1:]))
    return {level: f"{level}{min(n)}{dash}{level}{max(n)}" if len(n) > 1 else f"{level}{n[0]}"
            for level, n in sorted(levels.items())}


def _run(key: str, answers: tuple, named: dict):
    """The check for this ID on the learner's answers, or a message saying how to call it."""
    if key not in CHECKS:
        raise WrongAnswer(f"There is no exercise {key}: the IDs are {', '.join(id_ranges().values())}, "
                          'as in check("A1", answer).')
    signature = inspect.signature(CHECKS[key])
    try:
        signature.bind(*answers, **named)
    except TypeError:
        names = ", ".join(signature.parameters)
        raise WrongAnswer(f'check("{key}", ...) takes {len(signature.parameters)} answer(s) '
                          f"after the ID, {names}; you gave "
                          f"{len(answers) + len(named)}.") from None
    try:
        return CHECKS[key](*answers, **named)
    except NotAnswered as unanswered:
        if unanswered.args or not any(a is Ellipsis for a in (*answers, *named.values())):
            raise
        name = answer_name(key)
        raise NotAnswered(f"{name} still holds the template's ...: assign your answer to "
                          f"{name} (is the name spelt so?) in the cell above and run it.") from None


def check(exercise_id, *answers, **named) -> None:
    """Check an exercise: prints success or 'not answered yet', or raises WrongAnswer, which
    IPython shows as one short message naming the mistake."""
    key = exercise_id.strip().upper() if isinstance(exercise_id, str) else repr(exercise_id)
    run_check(key, lambda: _run(key, answers, named))

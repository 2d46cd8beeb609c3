"""The closing chapter's active-recall questions: the parts answered with a shape or an axis,
checked as the exercises' typed answers are (:mod:`course_tools.answers`): right answers and
known mistakes stored as digests salted with the question's ID, one message per mistake, the
same readers of "(3, 2)", "3 x 2" or "N*N".

One source for every place that judges them: ``check("Q2", (3, 2))`` in a notebook; the closing
chapter's hidden check cell runs the shapes it computes through these checks (so the build fails
if a digest here is wrong); and the site's closing page judges what a reader types with data
generated from them (``book_build/page_answers.py``). To add an answer or a hint, print its
digest: ``python -m course_tools.answers Q5 "(N, N)"``.
"""
from __future__ import annotations

from course_tools.answers import (
    as_dictionary,
    as_number,
    as_symbolic_shape,
    number_verdict,
    shape_verdict,
    verdict,
)
from course_tools.feedback import WrongAnswer, run_check


def check_Q1(answer):
    """The shape of a @ b for two vectors of length n."""
    shape_verdict("Q1", answer, "9ee27dbde68d38bd", {
        "8da4a81e3460254a": "(1,) is a 1-D array holding one number. The dot product sums the "
                            "only axis away: no axis is left.",
    }, "Not the shape of a @ b. Both vectors have one axis, of length n, and the dot product "
       "sums over it: how many axes are left?")


def check_Q2(answer):
    """The shape of A @ B for A of shape (3, 4) and B of shape (4, 2)."""
    shape_verdict("Q2", answer, "148a16fb3dee3a7e", {
        "6d145e0d915a09e0": "You took the outer dimensions in the wrong order: the rows of A @ B "
                            "come from A, the columns from B.",
        "c137c365f39b4c43": "That is A's own shape. Which of its dimensions is summed away?",
        "3518ca5c97c46223": "That is B's own shape. The rows of the result come from A.",
        "d8247ee96abb9a37": "You kept the inner dimensions; they are the ones summed away. The "
                            "outer ones stay.",
        "5731da64199c3bd0": "The shared 4 is summed away: the product of two 2-D arrays is 2-D.",
    }, "Not the shape of A @ B. Write (3, 4) @ (4, 2) and ask which dimensions meet in the "
       "middle.")


def check_Q3(answer):
    """The shapes in the batched layer X @ W.T + b."""
    shapes = as_dictionary(answer, ("X", "W", "b", "output"))
    verdict("Q3X", as_symbolic_shape(shapes["X"]), "b112931205995b04", {
        "c5de554a107599b6": "X: rows are examples. X holds N examples of D features each.",
        "3132b9c89058ef43": "X: that is the output's shape. X holds the inputs, D features each.",
    }, "X: one row per example, one column per input feature.")
    verdict("Q3W", as_symbolic_shape(shapes["W"]), "4d344f1533f19fd6", {
        "9183a1eb7d0942fd": "W: that is W.T, the factor in X @ W.T. W itself has one row of D "
                            "weights per output unit.",
        "dfb1bc2a469decaf": "W: that is X's shape. W has one row of D weights per output unit.",
        "0c692a5bfb466066": "W: that is the bias's shape. W has one row of D weights per output "
                            "unit.",
    }, "W: one row of weights per output unit, one weight per input feature.")
    # (1, H) broadcasts exactly as (H,) does: both are right.
    verdict("Q3b", as_symbolic_shape(shapes["b"]), ("9c971a28ab514319", "181fcaabcdc77e75"), {
        "b59e7cbcfb126577": "b: a (H, 1) bias lines its H up with the batch axis N. The addition "
                            "fails when N != H, gives (H, H) when N = 1, and adds the wrong "
                            "biases when N = H.",
        "829bdbfc512e5905": "b: one bias per output unit, shared by every example: the bias has "
                            "no batch axis.",
        "c9437242448cccab": "b: one bias per output unit, not one per example.",
        "cada329c896fe9c1": "b: one bias per output unit, not one per input feature.",
    }, "b: one bias per output unit, added to every example's row.")
    verdict("Q3output", as_symbolic_shape(shapes["output"]), "c346223381c6134e", {
        "32fe1f0a18d4b7d6": "output: that is the orientation of W @ X.T. Rows are examples: one "
                            "row of H outputs per example.",
        "533eaf650fe5df96": "output: that is X's shape. The layer maps D features to H units.",
        "c4e477b9260d084f": "output: that is what a (H, 1) bias makes of a batch of one. The "
                            "layer keeps one row per example.",
    }, "output: one row per example, one column per output unit.")


def check_Q4(answer):
    """The axis of the per-feature mean and standard deviation of X, shape (N, D), and their shape."""
    parts = as_dictionary(answer, ("axis", "shape"))
    # axis=-2 is axis 0 of a 2-D X: both are right.
    number_verdict("Q4axis", as_number(parts["axis"]), ("fd6c547f71650955", "a7fb5ef8933bd7db"), {
        "736d978087bf69b1": "axis: axis=1 gives one statistic per example, shape (N,): each "
                            "example would be centred against its own, unrelated features.",
        "e9387898d06a959b": "axis: axis=-1 is the last axis, the features, as axis=1: one "
                            "statistic per example instead of one per feature.",
    }, "axis: X has two axes, 0 (the examples) and 1 (the features). Which one do you average "
       "over to get one mean per feature?")
    verdict("Q4shape", as_symbolic_shape(parts["shape"]), "148777d4aadceab4", {
        "8b5a3b1a9743b9a1": "shape: one statistic per example is what axis=1 gives. One per "
                            "feature?",
        "71556f652e901f42": "shape: that would be with keepdims=True. Without it the reduced "
                            "axis is removed.",
        "ef06d027c4bd7e70": "shape: a reduction removes the axis it reduces over.",
        "5d4fe419a9df59e2": "shape: a reduction removes an axis; it does not turn the result "
                            "into a column.",
        "380a29960409dccc": "shape: that is axis=1 with keepdims=True, one statistic per "
                            "example. One per feature?",
    }, "shape: one mean per feature. Which axis is removed, and which one stays?")


def check_Q5(answer):
    """The shape of y[:, None] - yhat[None, :] for y and yhat of shape (N,)."""
    verdict("Q5", as_symbolic_shape(answer), "36ffa889a1228c9e", {
        "a577f30aee41e88a": "(N,) is the shape of y - yhat, matched pairs. Here y[:, None] is "
                            "(N, 1) and yhat[None, :] is (1, N): broadcast them.",
        "3dbe3f7e527f45a1": "That is y[:, None] alone. Broadcasting stretches its size-1 axis "
                            "to match yhat[None, :].",
        "d684d3fb6895331f": "That is yhat[None, :] alone. Broadcasting stretches its size-1 "
                            "axis to match y[:, None].",
    }, "Not the shape of the difference. Write the shapes of y[:, None] and yhat[None, :], "
       "then broadcast them.")


CHECKS = {"Q1": check_Q1, "Q2": check_Q2, "Q3": check_Q3, "Q4": check_Q4, "Q5": check_Q5}


def _run(key: str, answer):
    if key not in CHECKS:
        raise WrongAnswer(f"There is no recall question {key}: they are Q1 to Q{len(CHECKS)}, "
                          'as in check("Q2", answer).')
    return CHECKS[key](answer)


def check(question_id, answer) -> None:
    """Check the typed part of a recall question: prints "correct", or names the mistake."""
    key = question_id.strip().upper() if isinstance(question_id, str) else repr(question_id)
    run_check(key, lambda: _run(key, answer))

"""Checks for the value and written exercises (A1-A6, B1-B5, C3's shape, D1, D2).

Expected answers appear only as digests (see ``checking.digest``); each known mistake maps to a
hint. Implementation exercises are checked in :mod:`course_tools.implementation_checks`.
Use from a notebook: ``check("A1", answer)``.
"""
from __future__ import annotations

import numpy as np

from course_tools import implementation_checks as impl
from course_tools.checking import (NotAnswered, WrongAnswer, as_choice, as_number, as_shape,
                                   as_symbolic_shape, run_check, verdict, written)


def check_A1(answer):
    verdict(as_shape(answer), "05fa0b5c8aaef43a", {
        "1cd4a27cf7e1e209": "Rows come from A and columns from B, in that order.",
        "4211f9fa98a818d8": "That is A's own shape. Which of its dimensions is summed away?",
        "5d1698ea274195ae": "That is B's own shape. The rows of the result come from A.",
        "da7b9365340c6b79": "The inner dimension, 4, is the one that disappears; the outer ones stay.",
        "c35bbef7ac899866": "The product of two 2-D arrays is 2-D: the shared axis is summed away.",
    }, "Not the shape of A @ B. Write (3, 4) @ (4, 2) and ask which dimensions meet in the middle.")


def check_A2(answer):
    if np.ndim(answer) == 1 and len(answer) == 3:
        raise WrongAnswer("That is the element-wise product a * b. The dot product also adds it up.")
    verdict(as_number(answer), "4588e58c729443b9", {
        "ec5c5c2db74796fe": "You multiplied the two sums. Multiply matching entries, then add.",
        "f330a373dbfcdd17": "That is a · a. Pair each entry of a with the matching entry of b.",
        "bf58f894d7b54cf6": "That is b · b. Pair each entry of a with the matching entry of b.",
        "b7bb059879836863": "You added all the entries. Multiply matching entries first.",
    }, "Not a · b. Compute 1·4 + 2·5 + 3·6 term by term.")


def check_A3(answer):
    verdict(as_number(answer), "ffe962d230ccae33", {
        "45191c97c4aa435f": "That is the sum of squared residuals; the mean divides by N.",
        "9d1cd62bc417d3d6": "That is the root mean squared error; the MSE has no square root.",
        "a5e7239cf8890798": "That is the mean absolute error; square each residual first.",
        "267875617f11e8c7": "You squared the mean residual; average the squared residuals instead.",
        "5db4acf8926075d9": "Residuals are y - yhat: (3 - 1) and (5 - 4). Check each one.",
    }, "Not the MSE. Residuals first, then square each, then average.")


def check_A4(answer):
    verdict(as_shape(answer), "057006330c80b928", {
        "664ecba88d744c90": "That is X.mean(axis=1): one value per example. axis=0 reduces over the examples.",
        "e196b5d3c1800251": "That would be with keepdims=True. Without it the reduced axis is removed.",
        "99f1383ffb052b5d": "A reduction removes the axis it reduces over.",
    }, "Not the shape of X.mean(axis=0). Which axis is removed, and which one stays?")


def check_A5(answer):
    verdict(as_shape(answer), "664ecba88d744c90", {
        "057006330c80b928": "That is X.mean(axis=0). axis=1 reduces over the features.",
        "fb7ea84ec549df82": "That would be with keepdims=True. Without it the reduced axis is removed.",
        "41ce546a5af2e026": "Axis 0 stays and axis 1 goes: one value per example, as a 1-D array.",
        "99f1383ffb052b5d": "A reduction removes the axis it reduces over.",
    }, "Not the shape of X.mean(axis=1). Which axis is removed, and which one stays?")


def check_A6(answer):
    verdict(as_choice(answer), "ea7128247756285d", {
        "6303048b4e777877": "a * b is element-wise: shape (n,), nothing is summed.",
        "9cfc8e3dea24e52f": "np.outer(a, b) is the (n, n) table of all products, not matched pairs.",
        "c387a6c9a9838e6b": "For a 1-D array .T changes nothing, so a.T * b is still element-wise.",
    }, "Choose one of the letters a, b, c, d.")


def check_B1(answer):
    verdict(as_symbolic_shape(answer), "30062b20d0f42bee", {
        "39e19f3000c36f7e": "That is the broadcast block of differences, before the sum over features.",
        "5f570912a6e4e9a0": "That is the input. The matrix has one entry per pair of points.",
        "9e6e0595ef2136d4": "One distance per pair of points, not per point.",
        "9c89887fe8cdfde9": "Distances are between points (rows), not between features.",
    }, "Not the shape of the distance matrix. How many pairs (i, j) of points are there?")


def check_B2(answer):
    if not isinstance(answer, dict) or set(answer) != {"shape", "bias_shape", "why"}:
        raise NotAnswered if answer is None else WrongAnswer(
            'Fill in the dictionary: {"shape": ..., "bias_shape": ..., "why": ...}.')
    verdict(as_symbolic_shape(answer["shape"]), "bde9db63c7dd6830", {
        "bf93ccc43d167ea1": "That is the expected shape. For which batch size does the addition run "
                            "but change the shape?",
        "ae41b8a291a8a931": "That is the bias. What does (1, H) + (H, 1) broadcast to?",
    }, "Not the shape Y gets. Line up (N, H) and (H, 1) from the right, with N = 1.")
    fix = as_symbolic_shape(answer["bias_shape"])
    if fix not in ("H", "1,H"):
        raise WrongAnswer("That bias shape still misaligns: one bias per output unit, along the last axis."
                          if fix == "H,1" else "Which bias shape broadcasts along the last axis, H?")
    written(answer["why"], {"how broadcasting aligns the shapes": ("broadcast", "align", "right", "trailing"),
                            "which axis the (H, 1) bias lines up with": ("row", "batch", "first axis",
                                                                          "axis 0", "leading", "n")},
            minimum_words=12)


def check_B3(answer):
    verdict(as_shape(answer), "e2aa787c99d8d597", {
        "a523f641e1f5a525": "That is the distance matrix after summing over the feature axis.",
        "d87559efd5c442de": "X[:, None, :] is (6, 1, 3) and X[None, :, :] is (1, 6, 3). Broadcast them.",
        "ef18a3515002f143": "X[:, None, :] is (6, 1, 3) and X[None, :, :] is (1, 6, 3). Broadcast them.",
        "ba6953a454c7b5fe": "That is X itself. The broadcast adds a pair axis.",
    }, "Not the shape of the difference block. Write both operands' shapes and broadcast them.")


def check_B4(answer):
    written(answer, {"what a constant column does to the division": (
                         "nan", "divide by zero", "division by zero", "divides by zero", "0/0",
                         "zero division", "inf"),
                     "why the guard leaves the other columns untouched": (
                         "only", "unchanged", "untouched", "other columns", "non-constant",
                         "does not change", "doesn't change", "by 1", "by one")})


def check_B5(answer):
    verdict(as_choice(answer), "9cfc8e3dea24e52f", {
        "6303048b4e777877": "NumPy runs on the CPU here; no GPU is involved.",
        "ea7128247756285d": "Both versions do the same n multiplications and n additions.",
        "c387a6c9a9838e6b": "Nothing is cached: each call recomputes the sum.",
    }, "Choose one of the letters a, b, c, d.")


def check_C3(fixed_layer, answer, explanation):
    impl.check_fixed_layer(fixed_layer)
    verdict(as_symbolic_shape(answer), "bf93ccc43d167ea1", {
        "39a71d5340018d4a": "That is the orientation of W @ X.T. Rows should be examples.",
        "5f570912a6e4e9a0": "That is the input's shape. The layer maps D features to H units.",
    }, "Not the shape of the corrected output. Write (N, D) @ (D, H).")
    written(explanation, {"which dimensions matmul compares": ("inner", "last", "second", "columns",
                                                               "match"),
                          "what the transpose changes": ("transpose", ".t", "w.t")}, minimum_words=12)


def check_D1(answer, dist_matrix_chunked):
    verdict(as_number(answer, decimals=2), "71a3dd2254848b8b", {
        "71a6dc143802a6c8": "That is in GiB (2**30 bytes). The question asks for GB (10**9 bytes).",
        "0c8a4c81925023a4": "That is the size of the output matrix. The block has D times more entries.",
        "f0696f907715a76d": "float64 takes 8 bytes per number, not 4.",
        "cb58160a86cedcc2": "That counts bits. Count bytes: 8 per float64.",
        "b7cb3025a8e93db3": "That is in bytes. Convert to GB (10**9 bytes).",
        "2d6be5d9e43a7610": "That is GB for N = 10,000 and D = 10. Use D = 100.",
    }, "Not the block's size. Count its entries (N * N * D), then the bytes per entry.")
    return impl.check_chunked_distances(dist_matrix_chunked)


def check_D2(answer, explanation):
    h = float(as_number(answer, decimals=30))
    if h <= 0:
        raise WrongAnswer("A step size is positive.")
    if h < 1e-10:
        raise WrongAnswer("At that h, round-off dominates: f(x + h) - f(x - h) has lost most of its digits.")
    if h < 3e-7:
        raise WrongAnswer("That is near sqrt(eps), the optimum of the one-sided difference. "
                          "The central difference's truncation error falls faster, like h**2.")
    if h > 1e-4:
        raise WrongAnswer("At that h, truncation error (proportional to h**2) still dominates.")
    written(explanation, {"the truncation error": ("truncation", "h^2", "h**2", "h²", "taylor"),
                          "the round-off error": ("round", "cancellation", "epsilon", "precision"),
                          "what it means for gradient checks": ("gradient",)})


CHECKS = {"A1": check_A1, "A2": check_A2, "A3": check_A3, "A4": check_A4, "A5": check_A5,
          "A6": check_A6, "B1": check_B1, "B2": check_B2, "B3": check_B3, "B4": check_B4,
          "B5": check_B5, "C1": impl.check_standardize, "C2": impl.check_layer_pair,
          "C3": check_C3, "C4": impl.check_dist_matrix, "D1": check_D1, "D2": check_D2}


def check(exercise_id: str, *answers) -> None:
    """Check an exercise: prints success or 'not answered yet', raises WrongAnswer with a hint."""
    run_check(exercise_id, lambda: CHECKS[exercise_id](*answers))

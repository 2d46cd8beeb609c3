"""Typed answers: read as a shape, a number, a letter, a function or a text, then compared
with digests of the expected answer.

Expected values (and the known wrong ones that get a hint) are stored only as digests salted
with the exercise ID, so reading a check gives neither its answer away nor a hint from one
exercise about another's answer. To add an answer or a hint, print its digest:
``python -m course_tools.answers A1 "(2, 3)"`` (the text is read as a shape, a number or a
letter, the way the check reads it).
"""
from __future__ import annotations

import ast
import hashlib
import math
import numbers
import re
import sys

import numpy as np

from course_tools.feedback import NotAnswered, PartlyChecked, WrongAnswer, describe

SALT = "implementing-mathematics-with-numpy"


def digest(exercise_id: str, normalized: str) -> str:
    return hashlib.sha256(f"{SALT}:{exercise_id}:{normalized}".encode()).hexdigest()[:16]


def answer_name(exercise_id: str) -> str:
    """The variable an exercise's answer cell assigns: answer_a1 for A1. One name per exercise,
    so a typo in one cell cannot hand the check another exercise's left-over answer."""
    return f"answer_{exercise_id.lower()}"


def unanswered_or_none(answer) -> None:
    """The template's `...` is "not answered yet"; None is what print(...) returns."""
    if answer is Ellipsis:
        raise NotAnswered
    if answer is None:
        raise WrongAnswer("The answer is None. print(...) shows a value but returns None, and so "
                          "does a function without a return: assign the value itself, without "
                          "print.")


def as_shape(answer, exercise_id: str = "", expected: str = "") -> str:
    """(3, 2), [3, 2], (np.int64(3), 2), np.array([3, 2]) -> '3,2'. A bare number is told to
    write a tuple; "(n,)" is spelled out only when that is the exercise's answer."""
    unanswered_or_none(answer)
    if isinstance(answer, numbers.Integral) and not isinstance(answer, bool):
        if exercise_id and digest(exercise_id, str(answer)) == expected:
            raise WrongAnswer(f"A shape is a tuple, even in one dimension: write ({answer},) "
                              f"rather than {answer}.")
        raise WrongAnswer(f"Give the shape as a tuple with one size per axis, e.g. (2, 5); "
                          f"{answer} is a bare number.")
    if isinstance(answer, str):
        raise WrongAnswer(f"Give the shape as a tuple of integers, e.g. (2, 5), not the "
                          f"text {answer!r}.")
    try:
        sizes = [int(size) for size in answer]
        whole = all(size == original for size, original in zip(sizes, answer))
    except (TypeError, ValueError, OverflowError):
        raise WrongAnswer("Give the shape as a tuple of whole numbers, e.g. (2, 5); got "
                          f"{describe(answer)}.") from None
    if not whole:
        raise WrongAnswer("Every size in a shape is a whole number.")
    return ",".join(map(str, sizes))


# Between two sizes: a comma, "*", "×", "x" or "X", or the word "by" ("N by D", "n-by-d").
_SEPARATOR = re.compile(r"\s*(?:,|\*|×|(?<=\w)\s*[xX]\s*(?=\w)|[\s-]+by[\s-]+|\s+)\s*")


def as_symbolic_shape(answer) -> str:
    """'(N, N)', ('N', 'N'), ['n', 'n'], 'N x N', 'N×N', 'N*N', 'N by N', '[N,N]' -> 'N,N'.
    Text it cannot read as one symbol or whole number per axis gets a message on the form,
    never a verdict on its content."""
    unanswered_or_none(answer)
    if isinstance(answer, str):
        text = answer
    elif isinstance(answer, (tuple, list)) and all(isinstance(a, (str, int)) for a in answer):
        text = ",".join(map(str, answer))
    else:
        raise WrongAnswer(f'Give the shape with symbols, e.g. "(N, D)"; got {describe(answer)}.')
    inner = text.strip()
    if inner[:1] + inner[-1:] in ("()", "[]"):
        inner = inner[1:-1]
    sizes = [size for size in _SEPARATOR.split(inner.strip()) if size]
    if not sizes or not all(re.fullmatch(r"[A-Za-z]|\d+", size) for size in sizes):
        raise WrongAnswer(f"Could not read {text!r} as a shape. Write one symbol or number per "
                          'axis, e.g. "(N, D)" or "N x D".')
    return ",".join(size.upper() for size in sizes)


def as_number(answer) -> float:
    """32, 32.0, np.float64(32), np.int64(32), np.array(32.0) -> 32.0; nan and inf are refused."""
    unanswered_or_none(answer)
    if isinstance(answer, np.ndarray) and answer.ndim == 0:
        answer = answer.item()
    if isinstance(answer, str):
        raise WrongAnswer(f"Give a number, not the text {answer!r}: no quotes.")
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        raise WrongAnswer(f"Give a single number; got {describe(answer)}.")
    if not math.isfinite(answer):
        raise WrongAnswer(f"Give a finite number; got {answer}.")
    return float(answer)


def as_choice(answer) -> str:
    """'b', 'B', ' (b) ' -> 'b'."""
    unanswered_or_none(answer)
    letter = answer.strip().strip("().").strip() if isinstance(answer, str) else ""
    if len(letter) != 1:
        raise WrongAnswer(f"Give one letter, e.g. 'a'; got {describe(answer)}.")
    return letter.lower()


def as_function(answer, name: str):
    """The learner's function itself; its result or anything else gets told what to pass."""
    if answer is None or answer is Ellipsis:
        raise NotAnswered
    if not callable(answer):
        raise WrongAnswer(f"Pass your function {name} itself, without calling it (no "
                          f"parentheses after its name); got {describe(answer)}.")
    return answer


def as_dictionary(answer, keys: tuple[str, ...]) -> dict:
    """A dictionary with exactly these keys, or a message showing its form."""
    unanswered_or_none(answer)
    if not isinstance(answer, dict) or set(answer) != set(keys):
        form = ", ".join(f'"{key}": ...' for key in keys)
        raise WrongAnswer(f"Fill in the dictionary: {{{form}}}.")
    return answer


def written(text, minimum_words: int = 12) -> str:
    """A written explanation is the learner's to judge: a machine cannot grade an argument, so
    it is never marked wrong. Returns the note that sends them to the self-check list."""
    if text is None or text is Ellipsis or (isinstance(text, str) and not text.strip()):
        printed = (" (print(...) returns None: assign the text itself)" if text is None else "")
        raise NotAnswered(f"The checked parts are right; now write your explanation{printed}, "
                          "then run this cell again.")
    if not isinstance(text, str):
        raise WrongAnswer(f'Write your explanation as text in quotes, explanation = "..."; '
                          f"got {describe(text)}.")
    words = len(text.split())
    plural = "s" * (words != 1)
    short = (f" It has {words} word{plural}; the question asks for a few sentences."
             if words < minimum_words else "")
    return PartlyChecked("Your explanation is not graded: compare it with the self-check "
                         f"list below, then with the model answer on the solutions page.{short}")


def is_expected(key: str, expected: str | tuple[str, ...]) -> bool:
    """`expected` is the right answer's digest, or a tuple of digests where two forms are
    equally right (a (1, H) bias broadcasts as an (H,) one does)."""
    return key in (expected if isinstance(expected, tuple) else (expected,))


def verdict(exercise_id: str, normalized: str, expected: str | tuple[str, ...],
            hints: dict[str, str], fallback: str) -> None:
    """Pass if the digest matches; otherwise raise the hint for this known mistake, or the fallback."""
    key = digest(exercise_id, normalized)
    if not is_expected(key, expected):
        raise WrongAnswer(hints.get(key, fallback))


def shape_verdict(exercise_id: str, answer, expected: str, hints: dict[str, str],
                  fallback: str) -> None:
    """:func:`verdict` for a shape given as a tuple."""
    verdict(exercise_id, as_shape(answer, exercise_id, expected), expected, hints, fallback)


def number_verdict(exercise_id: str, value: float, expected: str | tuple[str, ...],
                   hints: dict[str, str], fallback: str) -> None:
    """Like :func:`verdict` for a number: right to 6 significant digits (float noise passes),
    while a known mistake is recognized to 3 (74.5, 74.51 and 74.5058 get the same hint)."""
    if not is_expected(digest(exercise_id, f"{value:.6g}"), expected):
        raise WrongAnswer(hints.get(digest(exercise_id, f"{value:.3g}"), fallback))


def _author_digest(exercise_id: str, text: str) -> str:
    """Digests of a typed answer, normalized as a letter, a symbolic shape, a shape or a number."""
    if re.fullmatch(r"\s*\(?[a-dA-D]\)?\s*", text):
        return digest(exercise_id, as_choice(text))
    if re.search(r"[A-Za-z]", text):
        return digest(exercise_id, as_symbolic_shape(text))
    value = ast.literal_eval(text)  # a tuple or a number
    if isinstance(value, (tuple, list)):
        return digest(exercise_id, as_shape(value))
    number = as_number(value)
    return (f"as the answer: {digest(exercise_id, f'{number:.6g}')}, "
            f"as a hint key: {digest(exercise_id, f'{number:.3g}')}")


if __name__ == "__main__":
    print(_author_digest(sys.argv[1], sys.argv[2]))

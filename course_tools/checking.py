"""The machinery behind the exercise checks: answers, verdicts and hidden expectations.

A check prints a short success message, prints "not answered yet" for an untouched exercise,
or raises :class:`WrongAnswer` with a hint that names the mistake. Expected values (and the known
wrong ones that get a hint) are stored only as digests salted with the exercise ID, so reading a
check gives neither its answer away nor a hint from one exercise about another's answer.

To add an answer or a hint, print its digest:
``python -m course_tools.checking A1 "(2, 3)"`` (the text is normalized as a shape, a number or a
letter, the way the check normalizes it).
"""
from __future__ import annotations

import ast
import hashlib
import numbers
import re
import sys
from typing import Callable

import numpy as np

SALT = "implementing-mathematics-with-numpy"


class WrongAnswer(AssertionError):
    """Raised by a check: the message says what is wrong, never what is right."""


class NotAnswered(Exception):
    """The answer cell is still the untouched template."""


def digest(exercise_id: str, normalized: str) -> str:
    return hashlib.sha256(f"{SALT}:{exercise_id}:{normalized}".encode()).hexdigest()[:16]


def as_shape(answer) -> str:
    """(3, 2), [3, 2], (np.int64(3), 2), np.array([3, 2]) -> '3,2'; a bare number gets a hint."""
    if answer is None:
        raise NotAnswered
    if isinstance(answer, numbers.Integral):
        raise WrongAnswer(f"A shape is a tuple, even in one dimension: write ({answer},) rather than {answer}.")
    try:
        sizes = [int(size) for size in answer]
    except (TypeError, ValueError):
        raise WrongAnswer(f"Give the shape as a tuple of integers, e.g. (2, 5); got {answer!r}.") from None
    if any(size != original for size, original in zip(sizes, answer)):
        raise WrongAnswer("Every size in a shape is a whole number.")
    return ",".join(map(str, sizes))


def as_symbolic_shape(answer) -> str:
    """'(N, N)', ('N', 'N'), ['n', 'n'], 'N x N' -> 'N,N'."""
    if answer is None:
        raise NotAnswered
    text = answer if isinstance(answer, str) else ",".join(map(str, answer))
    text = re.sub(r"\s*[x×]\s*", ",", text.strip()) if "," not in text else text
    return ",".join(part for part in re.sub(r"[\s()\[\]]", "", text).upper().split(",") if part)


def as_number(answer) -> float:
    """32, 32.0, np.float64(32), np.int64(32), np.array(32.0) -> 32.0."""
    if answer is None:
        raise NotAnswered
    if isinstance(answer, np.ndarray) and answer.ndim == 0:
        answer = answer.item()
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        raise WrongAnswer(f"Give a single number; got {type(answer).__name__} {answer!r}.")
    return float(answer)


def as_choice(answer) -> str:
    """'b', 'B', ' (b) ' -> 'b'."""
    if answer is None:
        raise NotAnswered
    letter = answer.strip().strip("().").strip() if isinstance(answer, str) else ""
    if len(letter) != 1:
        raise WrongAnswer(f"Give one letter, e.g. 'a'; got {answer!r}.")
    return letter.lower()


def verdict(exercise_id: str, normalized: str, expected: str, hints: dict[str, str],
            fallback: str) -> None:
    """Pass if the digest matches; otherwise raise the hint for this known mistake, or the fallback."""
    key = digest(exercise_id, normalized)
    if key != expected:
        raise WrongAnswer(hints.get(key, fallback))


def number_verdict(exercise_id: str, value: float, expected: str, hints: dict[str, str],
                   fallback: str) -> None:
    """Like :func:`verdict` for a number: right to 6 significant digits (float noise passes),
    while a known mistake is recognized to 3 (74.5, 74.51 and 74.5058 get the same hint)."""
    if digest(exercise_id, f"{value:.6g}") != expected:
        raise WrongAnswer(hints.get(digest(exercise_id, f"{value:.3g}"), fallback))


def written(answer, concepts: dict[str, tuple[str, ...]], minimum_words: int = 15) -> None:
    """A written answer must be substantial and touch each concept (any of its keywords).

    Keyword spotting cannot grade an argument: it catches an answer that misses an idea, and the
    rubric on the exercise page does the rest.
    """
    if answer is None or (isinstance(answer, str) and not answer.strip()):
        raise NotAnswered
    if not isinstance(answer, str):
        raise WrongAnswer("Write your answer as a string: answer = \"...\".")
    if len(answer.split()) < minimum_words:
        raise WrongAnswer(f"Explain in a few sentences (at least {minimum_words} words).")
    text = answer.lower()
    for concept, keywords in concepts.items():
        if not any(keyword in text for keyword in keywords):
            raise WrongAnswer(f"Your answer does not yet address {concept}.")


def run_check(exercise_id: str, check: Callable[[], str | None]) -> None:
    """Run one check: print success, or 'not answered yet'; a WrongAnswer propagates."""
    try:
        message = check()
    except (NotAnswered, NotImplementedError):
        print(f"{exercise_id}: not answered yet. Fill in the cell above and run it.")
        return
    print(f"{exercise_id}: correct. {message or ''}".rstrip())


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

"""The machinery behind the exercise checks: answers, verdicts and hidden expectations.

A check prints a short success message, prints "not answered yet" for an untouched exercise,
or raises :class:`WrongAnswer` with a hint that names the mistake. Expected values are stored
only as salted digests, so reading a check does not give its answer away.
"""
from __future__ import annotations

import hashlib
import numbers
import re
from typing import Callable

SALT = "implementing-mathematics-with-numpy"


class WrongAnswer(AssertionError):
    """Raised by a check: the message says what is wrong, never what is right."""


class NotAnswered(Exception):
    """The answer cell is still the untouched template."""


def digest(normalized: str) -> str:
    return hashlib.sha256(f"{SALT}:{normalized}".encode()).hexdigest()[:16]


def as_shape(answer) -> str:
    """(3, 2), [3, 2], (np.int64(3), 2) -> '3,2'; refuses a bare number with a hint."""
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
    """'(N, N)', ('N', 'N'), ['n', 'n'] -> 'N,N'."""
    if answer is None:
        raise NotAnswered
    text = answer if isinstance(answer, str) else ",".join(map(str, answer))
    return ",".join(part for part in re.sub(r"[\s()\[\]]", "", text).upper().split(",") if part)


def as_number(answer, decimals: int = 4) -> str:
    """32, 32.0, np.float64(32) -> '32.0' (rounded so that float noise does not matter)."""
    if answer is None:
        raise NotAnswered
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        raise WrongAnswer(f"Give a single number; got {type(answer).__name__} {answer!r}.")
    return repr(round(float(answer), decimals) + 0.0)


def as_choice(answer) -> str:
    if answer is None:
        raise NotAnswered
    if not isinstance(answer, str) or len(answer.strip().strip("()").strip()) != 1:
        raise WrongAnswer(f"Give one letter, e.g. 'a'; got {answer!r}.")
    return answer.strip().strip("()").strip().lower()


def verdict(normalized: str, expected: str, hints: dict[str, str], fallback: str) -> None:
    """Pass if the digest matches; otherwise raise the hint for this known mistake, or the fallback."""
    key = digest(normalized)
    if key == expected:
        return
    raise WrongAnswer(hints.get(key, fallback))


def written(answer, concepts: dict[str, tuple[str, ...]], minimum_words: int = 15) -> None:
    """A written answer must be substantial and touch each concept (any of its keywords)."""
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
        print(f"{exercise_id}: not answered yet. Fill in the cell above, run it, then run this one.")
        return
    print(f"{exercise_id}: correct. {message or ''}".rstrip())

"""Sentences tied to the numbers they interpret.

A page that says "faster", "climbs" or "bound by memory" next to a measured number must not be
able to publish it when the measurement says otherwise. Two tools:

- :func:`say` renders a sentence from the measurement itself (the output of the cell that
  measured), so the numbers, and the words chosen from them, are the reader's own run.
- :func:`claim` states a condition a sentence relies on; when the measurement contradicts it,
  the cell fails (and so does the strict book build) with the claim's name and the numbers.
"""
from __future__ import annotations


def say(template: str, **numbers) -> object:
    """``template.format(**numbers)`` as rendered Markdown (the cell's output)."""
    from IPython.display import Markdown

    return Markdown(template.format(**numbers))


def claim(name: str, holds: bool, **measured) -> None:
    """Raise AssertionError naming the claim and the measured values unless ``holds``."""
    if not holds:
        values = ", ".join(f"{key} = {_show(value)}" for key, value in measured.items())
        raise AssertionError(f"claim contradicted by the measurement: {name!r} ({values})")


def _show(value) -> str:
    return f"{value:.3g}" if isinstance(value, float) else repr(value)


def two_digits(x: float) -> str:
    """``x`` to two significant digits, with thousands separators: 0.93, 1.0, 16, 1,700."""
    rounded = float(f"{x:.2g}")
    if rounded == 0 or abs(rounded) >= 10:
        return f"{rounded:,.0f}"
    return f"{x:#.2g}"  # '#' keeps a trailing zero: 1.0, not 1


def speed(ratio: float) -> str:
    """A time ratio (old / new) as words: '4.1× faster', '1.1× slower' (a loss said as one),
    'about as fast (1.0×)' within 5 %."""
    if 1 / 1.05 < ratio < 1.05:
        return f"about as fast ({two_digits(ratio)}×)"
    if ratio >= 1:
        return f"{two_digits(ratio)}× faster"
    return f"{two_digits(1 / ratio)}× slower"

"""Intended errors: a pitfall shown by running it, without stopping the notebook.

A page shows a mistake by running the buggy line inside :func:`intended_error`::

    with intended_error(ValueError, match="could not be broadcast"):
        Y + b[:, None]  # (4, 2) + (2, 1)

The error is caught and printed as the last line of a traceback reads, ``ValueError: operands
could not be broadcast ...`` (an error that renders itself for IPython, such as a check's
WrongAnswer, prints that rendering), and the next cell runs. A cell that ends in an error
would stop "Run all" there in every client that ignores the ``raises-exception`` tag (Colab,
VS Code) and for every reader who did not know about it.

The block still checks its lesson: when the code runs without error, or raises another type,
or a message that ``match`` (a regular expression) does not find, the block itself raises an
AssertionError, so the book build and nbval fail. Inside the block an exercise check raises
its WrongAnswer instead of reporting it (see :func:`expecting_error`), so a page can show a
wrong answer's message and the build check that it is one.
"""
from __future__ import annotations

import re
import sys
import textwrap
from contextlib import contextmanager

WIDTH = 88  # wrapped between words: notebook front ends break long lines mid-word
_depth = 0  # intended_error blocks being run (they may nest)


def expecting_error() -> bool:
    """Whether the code now running is inside an intended_error block."""
    return _depth > 0


def error_name(error: BaseException) -> str:
    """The name a reader can look up: NumPy's private subclasses (``_UFuncOutputCastingError``)
    shown as their first public base (``UFuncTypeError``)."""
    return next(cls.__name__ for cls in type(error).__mro__ if not cls.__name__.startswith("_"))


def show(error: BaseException) -> None:
    render = getattr(error, "_render_traceback_", None)
    if callable(render):
        lines = render()
    else:
        lines = textwrap.wrap(f"{error_name(error)}: {error}", WIDTH) or [error_name(error)]
    print("\n".join(lines), file=sys.stderr)


@contextmanager
def intended_error(expected: type[BaseException], match: str | None = None):
    """Run the block, expecting it to raise ``expected`` (with a message ``match`` finds); print
    that error and go on. Anything else is an AssertionError: the lesson no longer holds."""
    global _depth
    _depth += 1
    try:
        yield
    except expected as error:
        if match is not None and not re.search(match, str(error)):
            raise AssertionError(f"the intended {expected.__name__} said {str(error)!r}, "
                                 f"which does not match {match!r}") from error
        show(error)
    except Exception as error:
        raise AssertionError(f"expected {expected.__name__}, but the code raised "
                             f"{error_name(error)}: {error}") from error
    else:
        raise AssertionError(f"expected {expected.__name__}, but the code ran without error")
    finally:
        _depth -= 1

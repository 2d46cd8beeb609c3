"""What a learner sees when a check runs, and how their own code is called.

A check prints "correct" (or, when an ungraded explanation comes with the answer, "the checked
parts are right"), or "not answered yet", or a :class:`WrongAnswer`'s short marked message, by
one rule (:func:`checks_raise`): with COURSE_CHECKS=raise in the environment (the book build,
the tests) it raises the WrongAnswer, so the cell fails nbval and the build; in a learner's
notebook it reports it and the cells after it still run. Raised in IPython (JupyterLab, Colab,
JupyterLite, the book build), a WrongAnswer renders itself, through IPython's
``_render_traceback_`` protocol, as the same message instead of a traceback through the
checker. Outside IPython it is an ordinary exception whose text is the message.

The learner's functions run through :func:`call_learner`: on copies of the inputs, within a time
budget, and when they raise, the message shows the learner's own frames and line, not ours.
"""
from __future__ import annotations

import os
import signal
import sys
import textwrap
import threading
import time
import traceback
from pathlib import Path

import numpy as np

from course_tools.pitfalls import expecting_error

COURSE_CODE = str(Path(__file__).resolve().parent)
# Seconds a whole check may spend in the learner's functions: every hidden case together takes
# a few milliseconds for a right answer, so this only stops a sleep or an endless loop.
TIME_LIMIT_SECONDS = 10.0
_deadline: float | None = None
RED, BOLD, RESET = "\x1b[31m", "\x1b[1m", "\x1b[0m"
WIDTH = 88  # wrapped here, between words: notebook front ends break long lines mid-word


class WrongAnswer(AssertionError):
    """Raised by a check: the message says what is wrong, never what is right."""

    exercise_id = ""  # set by run_check, for the header of the rendered message

    def marked(self, message: str) -> list[str]:
        """The message after a red 'A1: not right yet.', wrapped between words. Plain text
        otherwise: the book renders error output with Pygments' ipythontb lexer, which fails
        (a warning, so a strict build fails) on symbols such as a check mark or a dash."""
        header = f"{self.exercise_id + ': ' if self.exercise_id else ''}not right yet."
        lines = textwrap.wrap(f"{header} {message}", WIDTH)
        return [lines[0].replace(header, f"{RED}{BOLD}{header}{RESET}", 1), *lines[1:]]

    def _render_traceback_(self) -> list[str]:  # IPython shows these lines instead of a traceback
        return self.marked(str(self))


class LearnerError(WrongAnswer):
    """The learner's own function raised: the message, then their frames only."""

    def __init__(self, message: str, error: BaseException, intro: str | None = None):
        super().__init__(message)
        self.error, self.intro = error, intro or message

    def _render_traceback_(self) -> list[str]:
        return [*self.marked(self.intro), *_learner_traceback(self.error)]


class PartlyChecked(str):
    """A check's note when a machine graded only part of the answer (the shapes, the numbers,
    the function), and the rest, a written explanation, is the learner's to judge."""


class NotAnswered(Exception):
    """The answer cell is still the untouched template (or part of it is)."""


class TimeLimitExceeded(BaseException):
    """Raised inside the learner's code by the timer; a BaseException, so an `except Exception`
    in their code does not swallow it."""


def _learner_traceback(error: BaseException) -> list[str]:
    """The traceback of `error` without course_tools' frames: the learner's code only."""
    def ours(tb):
        return tb.tb_frame.f_code.co_filename.startswith(COURSE_CODE)

    tb = error.__traceback__
    while tb is not None and ours(tb):  # the checker's calls, above the learner's function
        tb = tb.tb_next
    last = tb
    while last is not None and last.tb_next is not None:
        if all(ours(t) for t in _chain(last.tb_next)):  # the timer's handler, below it
            last.tb_next = None
        else:
            last = last.tb_next
    try:
        from IPython import get_ipython
        shell = get_ipython()
    except ImportError:
        shell = None
    if shell is not None:  # IPython's own format: "Cell In[4], line 5", with context
        try:
            return shell.InteractiveTB.structured_traceback(type(error), error, tb)
        except Exception:  # a formatting problem must not hide the learner's error
            pass
    return "".join(traceback.format_exception(type(error), error, tb)).splitlines()


def _chain(tb):
    while tb is not None:
        yield tb
        tb = tb.tb_next


def function_name(fn, default: str) -> str:
    """fn's name for a message: functools.partial and other callables have none."""
    name = getattr(fn, "__name__", None)
    return name if isinstance(name, str) and name != "<lambda>" else default


def describe(value) -> str:
    """A short description of any value, for a message."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    text = repr(value)
    text = text if len(text) <= 60 else text[:57] + "..."
    return f"{type(value).__name__} {text}"


def _on_timer(signum, frame):
    raise TimeLimitExceeded


def _timed_call(fn, args, seconds: float):
    """fn(*args), interrupted after `seconds` where a timer signal exists (Unix, main thread:
    JupyterLab, Binder, Colab). Elsewhere (Windows, Pyodide in JupyterLite, a thread) it runs to
    its end; the caller still compares the elapsed time with the budget, and the kernel's
    interrupt button stops an endless loop. A thread would not help: it cannot be stopped."""
    timer = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if timer:
        try:
            previous = signal.signal(signal.SIGALRM, _on_timer)
            signal.setitimer(signal.ITIMER_REAL, max(seconds, 1e-3))
        except (ValueError, OSError, RuntimeError):
            timer = False
    try:
        return fn(*args)
    finally:
        if timer:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)


def call_learner(fn, *args, name: str, case: str):
    """fn(*args) on copies of args, as a float array; any failure becomes a WrongAnswer that
    names `case` (a hidden case) and says what went wrong. NotImplementedError (the untouched
    template) propagates: it means "not answered yet"."""
    copies = [np.array(a, copy=True) for a in args]
    budget = TIME_LIMIT_SECONDS if _deadline is None else _deadline - time.perf_counter()
    if budget <= 0:
        raise WrongAnswer(f"{name} did not finish the hidden cases within {TIME_LIMIT_SECONDS:g} s.")
    start = time.perf_counter()
    try:
        result = _timed_call(fn, copies, budget)
    except (NotImplementedError, WrongAnswer):
        raise
    except TimeLimitExceeded as error:
        raise LearnerError(f"{name} was stopped after {TIME_LIMIT_SECONDS:g} s on {case}, where a "
                           "right answer takes milliseconds: an endless loop, or a sleep?",
                           error) from None
    except KeyboardInterrupt as error:
        raise LearnerError(f"You interrupted {name} on {case}.", error) from None
    except Exception as error:  # a crash on valid input is feedback: their error, their line
        raise LearnerError(f"{name} raised {type(error).__name__} on {case}: {error}", error,
                           intro=f"{name} raised an error on {case}. In your code:") from None
    elapsed = time.perf_counter() - start
    if elapsed > budget:  # no timer here (see _timed_call): measured after the fact
        raise WrongAnswer(f"{name} took {elapsed:.1f} s on {case}, where a right answer takes "
                          f"milliseconds; the limit for a check is {TIME_LIMIT_SECONDS:g} s.")
    for original, copy in zip(args, copies):
        if not np.array_equal(original, copy, equal_nan=True):
            raise WrongAnswer(f"{name} modified its input in place. Work on new arrays "
                              "(X - mu creates one) so the caller's data stays intact.")
    return as_result_array(result, name, case)


def as_result_array(result, name: str, case: str) -> np.ndarray:
    """The learner's result as a real-valued array, or a WrongAnswer saying what it is."""
    if result is None:
        raise WrongAnswer(f"{name} returned None on {case}: is its return statement missing?")
    try:
        array = np.asarray(result)
    except (ValueError, TypeError):
        raise WrongAnswer(f"{name} returned {describe(result)} on {case}, which is not a "
                          "rectangular array of numbers.") from None
    if not (np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)):
        raise WrongAnswer(f"{name} returned {describe(result)} on {case}; expected an array "
                          "of real numbers.")
    return array


def checks_raise() -> bool:
    """The one rule for a wrong answer: it raises (the cell fails) when the environment sets
    COURSE_CHECKS=raise, as the book build and the test suite do, so a wrong solution fails
    them, or inside an intended_error block, which checks it; otherwise, in a learner's
    notebook, it is reported and the cells after it still run."""
    return os.environ.get("COURSE_CHECKS") == "raise" or expecting_error()


def report(wrong: WrongAnswer) -> None:
    """A wrong answer shown as it would render raised, on stderr (marked in notebook clients)."""
    print("\n".join(wrong._render_traceback_()), file=sys.stderr)


def run_check(exercise_id: str, check) -> None:
    """Run one check: print success, or 'not answered yet'; a WrongAnswer, marked with the
    exercise ID, is raised or reported (checks_raise). The learner's functions share one time budget."""
    global _deadline
    _deadline = time.perf_counter() + TIME_LIMIT_SECONDS
    try:
        message = check()
    except NotImplementedError:
        message = None
        print(f"{exercise_id}: not answered yet. Fill in the cell above and run it.")
    except NotAnswered as unanswered:
        message = None
        print(f"{exercise_id}: not answered yet. "
              f"{unanswered.args[0] if unanswered.args else 'Fill in the cell above and run it.'}")
    except WrongAnswer as error:
        error.exercise_id = exercise_id
        if checks_raise():
            raise error.with_traceback(None) from None
        report(error)
    except Exception as error:  # a gap in a check: still a course message, never a crash
        wrong = WrongAnswer(f"The check could not read this answer ({type(error).__name__}: "
                            f"{error}). Compare its form with the example in the question.")
        wrong.exercise_id = exercise_id
        if checks_raise():
            raise wrong from None
        report(wrong)
    else:
        verdict = ("the checked parts are right." if isinstance(message, PartlyChecked)
                   else "correct.")
        print(f"{exercise_id}: {verdict} {message or ''}".rstrip())
    finally:
        _deadline = None

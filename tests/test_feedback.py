"""What a learner sees: any input gets a short course message, never a crash from course_tools;
their own errors show their own code; slow code is stopped; and in a real kernel a wrong answer
is one marked line while the cell still fails (as nbval and the book build need)."""
import functools
import re
import signal
import time

import jupytext
import nbformat
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis.strategies import text
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from book_build.kernels import IpcKernelManager
from course_tools import feedback
from course_tools.answers import written
from course_tools.exercises import CHECKS, check
from course_tools.feedback import LearnerError, NotAnswered, WrongAnswer
from course_tools.notebooks import REPO_ROOT

SAFETY_NET = "could not read this answer"  # feedback.run_check's last resort: never expected


def standardize(X):
    X = np.asarray(X, dtype=float)
    constant = X.max(axis=0) == X.min(axis=0)
    return np.where(constant, 0.0, (X - X.mean(axis=0)) / np.where(constant, 1.0, X.std(axis=0)))


def renders_in_the_book(lines):
    """The book shows error output through Pygments' ipythontb lexer: an error token is a
    warning, and the strict build fails."""
    from pygments.lexers import get_lexer_by_name
    from pygments.token import Error

    text = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(lines))
    bad = [value for token, value in get_lexer_by_name("ipythontb").get_tokens(text) if token in Error]
    assert not bad, f"{bad} in {text!r}"


def wrong_message(exercise_id, *answers):
    with pytest.raises(WrongAnswer) as error:
        with np.errstate(all="ignore"):
            check(exercise_id, *answers)
    message = str(error.value)
    assert SAFETY_NET not in message, message
    renders_in_the_book(error.value._render_traceback_())
    return message


# Issue 11 item 2, case by case ---------------------------------------------------------------

@pytest.mark.parametrize("exercise_id, answers, expected", [
    ("C1", [None], None), ("C1", ["standardize"], "without calling it"),
    ("C1", [[1, 2]], "without calling it"), ("C1", [np.zeros((20, 3))], "without calling it.*array"),
    ("C4", [np.zeros((3, 3))], "without calling it"),
    ("C1", [functools.partial(lambda X, k: X * k, k=2.0)], "standardize on|not the per-column"),
    ("B1", [5], "with symbols"), ("B2", [{"shape": 5, "bias_shape": 5, "why": "x"}], "with symbols"),
    ("C3", [lambda X, W: X @ W.T, 5, "x"], "with symbols"),
    ("A1", [(np.inf, 2)], "whole numbers"), ("A1", [(np.nan, 2)], "whole numbers"),
    ("A2", [[1, [2, 3]]], "single number"), ("A2", [[32]], "single number"),
    ("A2", [np.array([4.0, 10.0, 18.0])], "element-wise"),
    ("A1", ["32"], "not the text"), ("A1", [32], "tuple"),
    ("E9", [1], "no exercise E9.*A1-A6"), (7, [1], "no exercise 7"),
    ("D1", [80], r'check\("D1", ...\) takes 3 answer\(s\).*answer, dist_matrix_chunked, '
                 r"explanation; you gave 1"),
    ("A1", [(3, 2), (3, 2)], "takes 1 answer"),
    ("D2", [np.nan, "x"], "finite"), ("D2", [np.inf, "x"], "finite"), ("A3", [np.nan], "finite"),
    ("C1", [lambda X: None], "returned None.*return"),
    ("C4", [lambda X: None], "returned None"),
    ("C1", [lambda X: [[1.0, 2.0], [3.0]]], "not a rectangular array"),
    ("C1", [lambda X: np.full(X.shape, "a")], "real numbers"),
    ("C1", [lambda X: np.full(X.shape, np.nan)], "every entry of the output is nan"),
    ("C4", [lambda X: np.full((len(X), len(X)), np.nan)], "nan in 49 of 49 entries"),
    ("D1", [80, lambda X, rows_per_block=64: np.full((len(X), len(X)), np.nan), "x"], "nan in"),
    ("C2", [lambda X, W, b: None, lambda X, W, b: X @ W.T + b], "layer_loop returned None"),
])
def test_odd_input_gets_a_course_message(capsys, exercise_id, answers, expected):
    if expected is None:
        check(exercise_id, *answers)
        assert "not answered yet" in capsys.readouterr().out
    else:
        assert re.search(expected, wrong_message(exercise_id, *answers))


def test_lower_case_ids_and_named_answers_work(capsys):
    check("a1", (3, 2))
    check(" c1 ", standardize=standardize)
    out = capsys.readouterr().out
    assert "A1: correct." in out and "C1: correct." in out


ODD = [None, "x", 5, -1.5, np.nan, np.inf, [1, [2, 3]], np.zeros(3), object(), {"a": 1},
       lambda *args: None, lambda *args: np.nan, functools.partial(np.add, 1)]


@pytest.mark.parametrize("exercise_id", sorted(CHECKS))
def test_any_input_in_any_position_gets_a_message_never_a_crash(capsys, exercise_id):
    """Each answer position in turn gets each odd value, the others a plausible value."""
    count = CHECKS[exercise_id].__code__.co_argcount
    for position in range(count):
        for odd in ODD:
            answers = ["(3, 2)"] * count
            answers[position] = odd
            try:
                with np.errstate(all="ignore"):
                    check(exercise_id, *answers)
            except WrongAnswer as error:
                assert SAFETY_NET not in str(error), (exercise_id, position, odd, str(error))
            capsys.readouterr()


# How it renders -------------------------------------------------------------------------------

def test_a_wrong_answer_renders_as_one_marked_line():
    with pytest.raises(WrongAnswer) as error:
        check("A1", (2, 3))
    lines = error.value._render_traceback_()
    assert len(lines) <= 3 and all(len(plain_text(line)) <= 88 for line in lines)
    assert re.search(r"A1: not right yet.*outer dimensions", " ".join(lines))
    renders_in_the_book(lines)


def learner_standardize(X):
    mu = X.mean(axis=0)
    return (X - mu) / X.sdt(axis=0)  # a typo: the learner's own error


def test_the_learners_error_shows_their_frames_only():
    with pytest.raises(LearnerError) as error:
        check("C1", learner_standardize)
    rendered = "\n".join(error.value._render_traceback_())
    assert "learner_standardize raised an error on random features" in rendered
    assert "return (X - mu) / X.sdt(axis=0)" in rendered and "AttributeError" in rendered
    assert "course_tools" not in rendered, rendered


# Time limit -----------------------------------------------------------------------------------

def sleeper(X):
    time.sleep(30)


def endless(X):
    while True:
        try:
            pass
        except Exception:  # a learner's broad except must not swallow the stop
            pass


@pytest.mark.parametrize("function", [sleeper, endless])
def test_slow_learner_code_is_stopped_and_told(monkeypatch, function):
    monkeypatch.setattr(feedback, "TIME_LIMIT_SECONDS", 0.5)
    handler = signal.getsignal(signal.SIGALRM)
    start = time.perf_counter()
    message = wrong_message("C1", function)
    assert time.perf_counter() - start < 5
    assert re.search(r"stopped after 0.5 s on random features.*endless loop", message)
    assert signal.getsignal(signal.SIGALRM) == handler and signal.getitimer(signal.ITIMER_REAL)[0] == 0


def test_without_a_timer_slow_code_is_measured_afterwards(monkeypatch):
    """Where no timer signal exists (Windows, Pyodide), the elapsed time is checked afterwards,
    and the budget is shared: a slow function is not called once per hidden case."""
    monkeypatch.delattr(signal, "setitimer")
    monkeypatch.setattr(feedback, "TIME_LIMIT_SECONDS", 0.3)
    calls = []

    def slow(X):
        calls.append(1)
        time.sleep(0.4)
        return standardize(X)
    assert re.search(r"took 0.\d s on random features.*limit for a check is 0.3 s",
                     wrong_message("C1", slow))
    assert len(calls) == 1


def test_the_page_states_the_time_limit():
    assert f"longer than {feedback.TIME_LIMIT_SECONDS:g} seconds" in (
        REPO_ROOT / "exercises" / "index.md").read_text()


# In a real kernel ----------------------------------------------------------------------------

def run_in_kernel(*sources, allow_errors=True):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    NotebookClient(notebook, kernel_name="python3", allow_errors=allow_errors, timeout=120,
                   kernel_manager_class=IpcKernelManager).execute()
    return notebook.cells


def plain_text(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def plain(output) -> str:
    return plain_text("\n".join(output.get("traceback", [])))


def test_in_a_kernel_a_wrong_answer_is_one_line_and_the_cell_fails():
    setup = "from course_tools.exercises import check\nimport course_tools.feedback as f"
    cells = run_in_kernel(
        setup,
        'check("A1", (2, 3))',
        "def standardize(X):\n    mu = X.mean(axis=0)\n    return (X - mu) / X.sdt(axis=0)\n\n"
        'check("C1", standardize)',
        'f.TIME_LIMIT_SECONDS = 1\n\ndef standardize(X):\n    while True:\n        pass\n\n'
        'check("C1", standardize)',
        'check("A1", (3, 2))')
    wrong, raised, endless_loop, right = (cell.outputs for cell in cells[1:])
    assert [o.output_type for o in wrong] == ["error"] and wrong[0].ename == "WrongAnswer"
    assert re.fullmatch(r"A1: not right yet\. You took the outer dimensions[^\n]*\n?[^\n]*",
                        plain(wrong[0]))
    text = plain(raised[0])
    assert re.match(r"C1: not right yet\. standardize raised an error on random\s+features", text)
    assert "Cell In[3], line 3" in text and "X.sdt(axis=0)" in text and "AttributeError" in text
    assert "course_tools" not in text and len(text.splitlines()) <= 12, text
    text = plain(endless_loop[0])
    assert "stopped after 1 s" in text and "Cell In[4], line 4" in text and "course_tools" not in text
    assert right[0].text.startswith("A1: correct.")
    with pytest.raises(CellExecutionError):  # what nbval and the book build see: a failed cell
        run_in_kernel("from course_tools.exercises import check", 'check("A1", (2, 3))',
                      allow_errors=False)


def test_on_the_built_page_a_wrong_answer_is_the_short_message():
    """The solutions of levels A and C end with a wrong answer and a learner's typo, run at
    build time."""
    pages = REPO_ROOT / "_build" / "html" / "solutions"
    assert pages.exists(), "no built site: run `python3 tasks.py build` first"
    level_a, level_c = (re.sub(r"<[^>]+>", "", (pages / f"level_{x}.html").read_text()) for x in "ac")
    assert re.search(r"A1: not right yet\. You took the outer dimensions", level_a)
    assert "standardize_with_a_typo raised an error on random" in level_c
    assert "X.sdt(axis=0)" in level_c and "AttributeError" in level_c
    for page in (level_a, level_c):
        assert "course_tools/" not in page and "run_check" not in page


@settings(max_examples=200, deadline=None)
@given(text())
def test_no_explanation_is_ever_marked_wrong(explanation):
    """Whatever the words, a text explanation is sent to the self-check list, never rejected."""
    try:
        note = written(explanation)
    except NotAnswered:
        assert not explanation.strip()
    else:
        assert "self-check list" in note


def test_an_interrupted_function_is_told_where_it_was():
    """Where no timer exists, the kernel's interrupt button is the way out of an endless loop."""
    def interrupted(X):
        raise KeyboardInterrupt  # what the interrupt button raises inside the loop

    with pytest.raises(LearnerError) as error:
        check("C1", interrupted)
    rendered = "\n".join(error.value._render_traceback_())
    assert "You interrupted interrupted on random features" in rendered
    assert "raise KeyboardInterrupt" in rendered and "course_tools" not in rendered


def test_in_a_kernel_print_and_a_typo_in_an_answer_name_are_told_apart():
    """The exercise notebook as a learner runs it: A1's answer printed instead of assigned, A2's
    name misspelt. A1 is told that print returns None; A2 reports its own template, not A1's
    left-over answer (whichever way a check reports: printed or raised)."""
    cells = jupytext.read(REPO_ROOT / "exercises" / "level_a.md").cells
    sources = []
    for cell in cells:
        if cell.cell_type != "code" or "raises-exception" in cell.metadata.get("tags", []):
            continue
        tags = cell.metadata.get("tags", [])
        source = {"answer-A1": "answer_a1 = print((3, 2))",
                  "answer-A2": "anwser_a2 = 32"}.get(next(iter(tags), ""), cell.source)
        sources.append(source)
    ran = run_in_kernel(*sources)

    def said(cell):
        return "\n".join(o.get("text", "") + plain(o) for o in cell.outputs)

    checks = {cell.source.split('"')[1]: said(cell) for cell in ran if cell.source.startswith("check(")}
    assert "print(...) shows a value but returns None" in checks["A1"], checks["A1"]
    assert checks["A2"].startswith("A2: not answered yet. answer_a2 still holds the template's ..."), checks["A2"]
    assert "spelt" in checks["A2"]
    assert "(3, 2)" not in checks["A1"] + checks["A2"]

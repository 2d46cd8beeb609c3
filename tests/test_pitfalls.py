"""Errors that must not stop Run all: intended errors (course_tools.pitfalls) and wrong answers
(course_tools.feedback.checks_raise), in-process and in a real kernel."""
import os
import re

import jupytext
import nbclient
import numpy as np
import pytest
from test_harness import notebook, run_nbval

from book_build.kernels import IpcKernelManager
from course_tools.exercises import check
from course_tools.feedback import WrongAnswer
from course_tools.notebooks import REPO_ROOT
from course_tools.pitfalls import intended_error


def test_the_intended_error_is_printed_in_one_line_and_the_cell_goes_on(capsys):
    with intended_error(ValueError, match="could not be broadcast"):
        np.ones((4, 2)) + np.ones((2, 1))
    err = capsys.readouterr().err
    assert err.startswith("ValueError: operands could not be broadcast together")
    assert "Traceback" not in err and "pitfalls" not in err


def test_numpy_private_error_classes_are_shown_by_their_public_name(capsys):
    counts = np.array([1, 2, 3])
    with intended_error(TypeError, match="Cannot cast"):
        counts -= counts.mean()
    assert capsys.readouterr().err.startswith("UFuncTypeError: Cannot cast ufunc")


@pytest.mark.parametrize("code, expected, match, problem", [
    ("1 + 1", ValueError, None, "ran without error"),
    ("1 / 0", ValueError, None, "raised ZeroDivisionError"),
    ("np.ones(2) @ np.ones(3)", ValueError, "could not be broadcast", "does not match"),
])
def test_any_other_outcome_fails_the_cell(code, expected, match, problem):
    with pytest.raises(AssertionError, match=problem):
        with intended_error(expected, match=match):
            eval(code)


def test_a_wrong_answer_raises_where_course_checks_is_raise(monkeypatch):
    monkeypatch.setenv("COURSE_CHECKS", "raise")  # as the root conftest.py and the build set it
    with pytest.raises(WrongAnswer):
        check("A1", (2, 3))


def test_a_wrong_answer_is_reported_in_a_learners_notebook(monkeypatch, capsys):
    monkeypatch.delenv("COURSE_CHECKS")
    check("A1", (2, 3))  # returns: the next cells run
    check("A2", 32.0)
    captured = capsys.readouterr()
    assert re.match(r"\S*A1: not right yet\.", captured.err) and len(captured.err.splitlines()) <= 3
    assert "A2: correct." in captured.out


def test_inside_intended_error_a_wrong_answer_raises_and_a_right_one_fails_the_block(monkeypatch, capsys):
    monkeypatch.delenv("COURSE_CHECKS")
    with intended_error(WrongAnswer):
        check("A1", (2, 3))
    assert "A1: not right yet." in capsys.readouterr().err
    with pytest.raises(AssertionError, match="ran without error"):
        with intended_error(WrongAnswer):
            check("A1", (3, 2))


# In a real kernel: nbval (the project's harness) and a learner's Run All (nbclient).

def test_an_intended_error_that_does_not_happen_fails_nbval(tmp_path):
    imports = "from course_tools.pitfalls import intended_error"
    good = run_nbval(tmp_path, notebook(("", imports), ("", "with intended_error(ZeroDivisionError):\n    1 / 0")))
    assert good.returncode == 0, good.stdout
    bad = run_nbval(tmp_path, notebook(("", imports), ("", "with intended_error(ZeroDivisionError):\n    1 / 1")))
    assert bad.returncode == 1 and "ran without error" in bad.stdout, bad.stdout


def test_a_wrong_answer_fails_nbval(tmp_path):
    imports = "from course_tools.exercises import check"
    result = run_nbval(tmp_path, notebook(("", imports), ("", 'check("A1", (2, 3))')))
    assert result.returncode == 1 and "1 failed" in result.stdout, result.stdout


def test_run_all_after_a_wrong_a1_still_runs_a2s_check():
    """Level A as a learner runs it (no COURSE_CHECKS): A1 answered wrong, then Run All."""
    page = jupytext.read(REPO_ROOT / "exercises" / "level_a.md")
    answer_a1 = next(c for c in page.cells if "answer-A1" in c.metadata.get("tags", []))
    answer_a1.source, wrong = re.subn(r"= \.\.\.", "= (2, 3)", answer_a1.source, count=1)
    assert wrong == 1, answer_a1.source
    env = {k: v for k, v in os.environ.items() if k != "COURSE_CHECKS"}
    client = nbclient.NotebookClient(page, timeout=120, kernel_name="python3", kernel_manager_class=IpcKernelManager,
                                     resources={"metadata": {"path": str(REPO_ROOT / "exercises")}})
    client.execute(env=env)  # raises CellExecutionError if any cell fails

    def output(tag):
        cell = next(c for c in page.cells if tag in c.metadata.get("tags", []))
        return "".join(o.get("text", "") for o in cell.outputs)
    assert "A1: not right yet." in output("check-A1")
    assert "A2: not answered yet." in output("check-A2")

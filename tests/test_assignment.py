"""The Otter-Grader assignment (`python3 tasks.py assignment`) grades as the course's checks do,
and the table of mistakes (`python3 tasks.py mistakes`) counts them.

One assignment with every level, and two submissions graded with `otter run`: the worked
solutions (full marks) and the solutions with one known mistake in every question, a mistake
that the question's public test (what the learner's notebook shows) lets through and its hidden
test (the course's check) catches: each question loses its points, with the course's message for
that mistake. The mistakes are those of tests/test_exercises_checks.py, where each is shown to
get its message from the check itself.
"""
import csv
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import numpy as np
import pytest
from test_exercises_checks import WRONG

from course_tools.notebooks import REPO_ROOT
from instructors.assignment import NAME, POINTS
from instructors.mistakes import NOT_ANSWERED

# Commands as instructors/teaching.md shows them (OUTDIR, RESULTS and the submission replaced).
ASSIGN = ["python3", "tasks.py", "assignment"]
RESULTS_FOLDER = ["mkdir", "-p"]  # otter run writes into a folder that exists
GRADE = ["otter", "run", "-a"]
MISTAKES = ["python3", "tasks.py", "mistakes"]


def value(answer) -> str:
    return f"np.array({answer.tolist()!r})" if isinstance(answer, np.ndarray) else repr(answer)


# question -> (code appended to its answer cell, what the course's message says)
KNOWN_MISTAKES = {
    **{q: (f"answer_{q.lower()} = {value(WRONG[q][0][0])}", WRONG[q][0][1])
       for q in ("A1", "A2", "A3", "A4", "A5", "A6", "B1", "B3", "B5")},
    "B2": ('answer_b2 = {**answer_b2, "shape": "(N, H)"}', "expected shape"),
    "B4": ('answer_b4 = {**answer_b4, "no_guard": "a"}', "0 / 0 is not 0"),
    "C1": ("def standardize(X):\n    return (X - X.mean(axis=0)) / X.std(axis=0)", "no zero-std guard"),
    # both versions agree (the notebook's own check) and both leave out the bias
    "C2": ("def layer_loop(X, W, b):\n    return X @ W.T\n\n\nlayer_vec = layer_loop", "bias is missing"),
    "C3": ("def fixed_layer(X, W):\n    return X @ W", "transpose"),
    # symmetric with a zero diagonal, as the notebook's own check asks
    "C4": ("def dist_matrix(X):\n    return ((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=-1)",
           "square root is missing"),
    "D1": ("answer_d1 = 74.5058", "GiB"),
    "D2": ("answer_d2 = 1e-14", "round-off dominates"),
}


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    executable = {"python3": [sys.executable], "otter": [str(Path(sys.executable).parent / "otter")],
                  "mkdir": ["mkdir"]}
    return subprocess.run(executable[command[0]] + command[1:], cwd=REPO_ROOT, check=True,
                          capture_output=True, text=True, **kwargs)


def with_mistakes(notebook, mistakes: dict[str, str]):
    """The notebook with each question's mistake appended to its answer cell (the cell before
    the question's grader.check)."""
    for cell, following in zip(notebook.cells, notebook.cells[1:]):
        question = re.fullmatch(r'grader\.check\("(\w+)"\)', following.source.strip())
        if question and question.group(1) in mistakes:
            cell.source += "\n\n" + mistakes[question.group(1)]
    return notebook


def grade(autograder: Path, notebook, folder: Path) -> dict:
    """`otter run` on one submission; its results.json, and its printed summary."""
    run([*RESULTS_FOLDER, str(folder)])
    (folder / "submission").mkdir()
    submission = folder / "submission" / f"{NAME}.ipynb"  # the name the student notebook has
    nbformat.write(notebook, submission)
    printed = run([*GRADE, str(autograder), "-o", str(folder), "--no-logo", str(submission)]).stdout
    results = json.loads((folder / "results.json").read_text())
    return {"tests": {t["name"]: t for t in results["tests"] if t.get("max_score")}, "printed": printed,
            "public": next(t for t in results["tests"] if t["name"] == "Public Tests")}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    out = tmp_path_factory.mktemp("assignment")
    run([*ASSIGN, str(out)])
    dist = out / "dist"
    autograder = next((dist / "autograder").glob(f"{NAME}-autograder_*.zip"))
    solved = nbformat.read(dist / "autograder" / f"{NAME}.ipynb", as_version=4)
    mistaken = with_mistakes(nbformat.read(dist / "autograder" / f"{NAME}.ipynb", as_version=4),
                             {q: code for q, (code, _) in KNOWN_MISTAKES.items()})
    results = out / "results"
    return {"dist": dist, "autograder": autograder, "results": results,
            "solved": grade(autograder, solved, results / "solved"),
            "mistaken": grade(autograder, mistaken, results / "mistaken")}


def test_student_notebook_has_no_solutions_and_no_hidden_tests(graded):
    student = nbformat.read(graded["dist"] / "student" / f"{NAME}.ipynb", as_version=4)
    source = "\n".join(cell.source for cell in student.cells)
    assert "SOLUTION" not in source and "return X @ W.T" not in source and "answer_a1 = (3, 2)" not in source
    assert source.count("raise NotImplementedError  # your code here") >= 5
    assert source.count('grader.check("') == len(KNOWN_MISTAKES)
    assert (graded["dist"] / "student" / "course_tools" / "exercises.py").exists()
    public = student.metadata["otter"]["tests"]  # the tests grader.check runs
    assert sorted(public) == sorted(KNOWN_MISTAKES)
    for question, test in public.items():
        assert f"def test_{question}_shown(" in test and "hidden=False" in test, question
        assert "hidden=True" not in test and "hidden_cases" not in test and "check(" not in test, question
    with zipfile.ZipFile(graded["autograder"]) as archive:
        names = archive.namelist()
        graded_tests = {q: archive.read(f"tests/{q}.py").decode() for q in KNOWN_MISTAKES}
        environment = archive.read("environment.yml").decode()  # what Gradescope installs
    for question, test in graded_tests.items():
        assert f"def test_{question}_shown(" in test and f"def test_{question}_hidden_cases(" in test
        assert test.count("hidden=True") == 1 and "all_or_nothing = True" in test, question
    assert "files/course_tools/exercises.py" in names
    otter = re.search(r"^otter-grader==(\S+)", (REPO_ROOT / "requirements-instructors.txt").read_text(), re.M)
    assert re.search(r"numpy==\d", environment) and f"otter-grader[grading,plugins]=={otter.group(1)}" in environment


def run_public_tests(student, env: dict) -> dict[str, str]:
    """What grader.check runs in a student's notebook: each question's public test on env,
    question -> Otter's summary of its failure ("" when it passes)."""
    from otter.test_files import ExceptionTestFile

    summaries = {}
    for question, source in student.metadata["otter"]["tests"].items():
        test = ExceptionTestFile.from_string(source, question)
        test.run(env)
        summaries[question] = "" if test.passed_all else test.summary()
    return summaries


@pytest.mark.filterwarnings("ignore:Traits should be given as instances:DeprecationWarning")  # otter's import
def test_public_tests_are_the_notebooks_own_checks_and_fail_an_unanswered_notebook(graded):
    """The student notebook run as handed out: every public test says "not answered yet"; a C1
    that returns the input transposed fails the shape assertion its answer cell shows."""
    student = nbformat.read(graded["dist"] / "student" / f"{NAME}.ipynb", as_version=4)
    env = {}
    for cell in student.cells:
        if cell.cell_type == "code" and "otter" not in cell.source and "grader." not in cell.source:
            exec(cell.source, env)
    failures = run_public_tests(student, env)
    assert all("not answered yet" in failures[q] for q in KNOWN_MISTAKES), failures
    env["standardize"] = lambda X: ((X - X.mean(axis=0)) / X.std(axis=0)).T
    assert "assert Z.shape == X.shape" in run_public_tests(student, env)["C1"]


def test_every_question_is_graded_with_its_stated_points(graded):
    tests = graded["solved"]["tests"]
    assert sorted(tests) == sorted(KNOWN_MISTAKES)
    for question, test in tests.items():
        assert test["max_score"] == POINTS[question[0]], question
    points = json.loads((graded["dist"].parent / "points.json").read_text())
    assert points == {q: POINTS[q[0]] for q in KNOWN_MISTAKES}


def test_worked_solutions_get_full_marks(graded):
    tests = graded["solved"]["tests"]
    assert all(t["score"] == t["max_score"] for t in tests.values()), tests
    total = sum(POINTS[q[0]] for q in KNOWN_MISTAKES)
    assert f"Total Score: {total:.3f} / {total:.3f}" in graded["solved"]["printed"]


def test_each_known_mistake_passes_the_public_test_and_loses_its_points_with_the_course_message(graded):
    assert graded["mistaken"]["public"]["status"] == "passed", graded["mistaken"]["public"]["output"]
    tests = graded["mistaken"]["tests"]
    for question, (_, message) in KNOWN_MISTAKES.items():
        assert tests[question]["score"] == 0, question
        # LearnerError: the learner's function raised (a WrongAnswer that also shows their frames)
        assert re.search(f"(WrongAnswer|LearnerError): .*{message}", tests[question]["output"]), question


def test_table_of_mistakes_from_a_synthetic_class(graded, tmp_path):
    """Ten submissions made from the two graded ones, question by question: submission i makes
    question q's mistake when (i, q) is in the plan, plus one submission left untouched."""
    solved, mistaken = graded["solved"]["tests"], graded["mistaken"]["tests"]
    plan = {"C1": range(4), "A1": range(2), "D2": range(7, 10)}
    for i in range(10):
        tests = [mistaken[q] if i in plan.get(q, ()) else solved[q] for q in solved]
        folder = tmp_path / "class" / f"student{i}"
        folder.mkdir(parents=True)
        (folder / "results.json").write_text(json.dumps({"tests": tests}))
    not_answered = dict(mistaken["B1"], output="B1 results:\n    AssertionError: B1: not answered yet. Fill in "
                                                "the cell above and run it.")
    (tmp_path / "class" / "student10").mkdir()
    (tmp_path / "class" / "student10" / "results.json").write_text(
        json.dumps({"tests": [not_answered if q == "B1" else solved[q] for q in solved]}))
    run([*MISTAKES, str(tmp_path / "class"), str(tmp_path / "table")])
    with (tmp_path / "table" / "mistakes.csv").open() as file:
        table = {(row["exercise"], row["submissions"], row["share"]): row["mistake"] for row in csv.DictReader(file)}
    assert set(table) == {("A1", "2", "18%"), ("C1", "4", "36%"), ("D2", "3", "27%"), ("B1", "1", "9%")}
    assert "no zero-std guard" in table["C1", "4", "36%"] and "round-off" in table["D2", "3", "27%"]
    assert table["B1", "1", "9%"] == NOT_ANSWERED
    page = (tmp_path / "table" / "mistakes.html").read_text()
    assert "11 graded submissions" in page and 'style="width: 36%"' in page


def page_commands() -> list[list[str]]:
    """The commands of instructors/teaching.md's bash blocks."""
    page = (REPO_ROOT / "instructors" / "teaching.md").read_text()
    blocks = re.findall(r"```bash\n(.*?)```", page, re.S)
    lines = "\n".join(blocks).replace("\\\n", " ").splitlines()  # a trailing backslash continues a line
    return [line.split() for line in lines if line.strip()]


def test_every_command_on_the_instructors_page_is_one_the_tests_run():
    from test_without_solutions import COMMAND as BUILD
    tested = [BUILD, ASSIGN, RESULTS_FOLDER, GRADE, MISTAKES, DIGEST, EXERCISES_CHECK]
    commands = page_commands()
    assert len(commands) == len(tested)
    for command in commands:
        assert any(command[:len(prefix)] == prefix for prefix in tested), command
        assert not (command[:len(BUILD)] == BUILD and command[len(BUILD):]), "the tested default folder"


DIGEST = ["python3", "tasks.py", "digest"]
EXERCISES_CHECK = ["python3", "tasks.py", "exercises", "--check"]


def test_the_pages_digest_and_exercise_commands_work():
    digest = next(c for c in page_commands() if c[:3] == DIGEST)
    printed = run([*DIGEST, digest[3], " ".join(digest[4:]).strip('"')]).stdout.strip()
    # A1's right answer, as its check stores it
    assert re.fullmatch(r"[0-9a-f]{16}", printed)
    assert printed in (REPO_ROOT / "course_tools" / "exercises.py").read_text()
    run(EXERCISES_CHECK)


def test_levels_choose_the_questions():
    from instructors.assignment import master_notebook
    questions = re.findall(r"^name: (\w+)$", "\n".join(c.source for c in master_notebook(["C", "D"]).cells), re.M)
    assert questions == ["C1", "C2", "C3", "C4", "D1", "D2"]
    with pytest.raises(subprocess.CalledProcessError) as error:
        run([*ASSIGN, "unused", "--levels", "C,X"])
    assert "unknown level X" in error.value.stderr

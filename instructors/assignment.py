"""The exercises as an Otter-Grader assignment, generated from solutions/ (their single source).

    python3 tasks.py assignment OUTDIR [--levels C,D]

writes ``OUTDIR/numpy-exercises.ipynb``, an Otter master notebook (Otter's notebook format v1):
each exercise of the chosen levels is one question with its prompt, its answer cell (the worked
solution between Otter's solution markers, the exercise's own template as the student's prompt)
and one test that runs the course's check (``course_tools.exercises.check``) on the answer, so a
wrong answer fails with the message that names the mistake. Then ``otter assign`` writes
``OUTDIR/dist/student/`` (the notebook without solutions, with ``course_tools/``) and
``OUTDIR/dist/autograder/`` (the autograder zip for Gradescope or ``otter run``).

The course's checks keep their cases to themselves: the learner sees a verdict and the name of
the mistake, never the cases. So each question's test is the check the learner's notebook shows,
public (``grader.check`` runs it in the student's notebook), worth the question's points.
"""
from __future__ import annotations

import argparse
import ast
import json
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import jupytext
import nbformat
import yaml

from book_build.make_exercises import (
    BLOCK,
    _stub as template,  # the exercise's own template
    exercise_from_solution,
)
from course_tools.notebooks import REPO_ROOT

NAME = "numpy-exercises"
LEVELS = ("A", "B", "C", "D")
# Points per exercise, by level: A reads shapes and values, B explains broadcasting and rounding,
# C implements an operation, D weighs memory and round-off.
POINTS = {"A": 1, "B": 2, "C": 3, "D": 4}
ANSWER_TAG, CHECK_TAG = "answer-", "check-"


REF = re.compile(r"\{ref\}`(?:([^`<]*?)\s*<([^`>]+)>|([^`]+))`")
LABEL_LINE = re.compile(r"^\([\w-]+\)=\n", re.M)


def _titles() -> dict[str, str]:
    """Each page label of the book and its page title: `(chapter-matmul)=` above `# Title`."""
    titles = {}
    for path in sorted(REPO_ROOT.glob("*/*.md")):
        for label, title in re.findall(r"^\(([\w-]+)\)=\n# (.+)$", path.read_text(), re.M):
            titles[label] = title
    return titles


def plain_markdown(source: str, titles: dict[str, str]) -> str:
    """MyST that plain Jupyter would show raw: labels dropped, references as their titles, as
    in Otter's notebooks the book's pages are not a click away."""
    source = re.sub(r"<!--.*?-->\n*", "", LABEL_LINE.sub("", source), flags=re.S)
    return REF.sub(lambda m: m.group(1) or titles.get(m.group(2) or m.group(3), m.group(3) or m.group(1)), source)


def _raw(text: str):
    return nbformat.v4.new_raw_cell(text)


def _with_prompt(match: re.Match) -> str:
    """A solution block between Otter's markers, with the exercise's template (what
    make_exercises puts in its place) as the student's prompt."""
    indent, body = match.group(1), match.group(2)
    prompt = template(match)  # indented already inside a function
    return (f'{indent}""" # BEGIN PROMPT\n{prompt}{indent}""" # END PROMPT\n'
            f"{indent}# BEGIN SOLUTION NO PROMPT\n{body}{indent}# END SOLUTION\n")


def otter_answer_cell(solution_source: str) -> str:
    return BLOCK.sub(_with_prompt, solution_source + "\n").rstrip("\n")


def check_call(source: str) -> tuple[str, list[str]]:
    """The exercise ID and the answer names of the learner's check cell, check("C1", standardize)."""
    call = ast.parse(source).body[-1].value
    names = [arg.id for arg in call.args[1:]]
    return call.args[0].value, names


def test_cell(exercise_id: str, names: list[str]) -> str:
    """Otter's exception-based test: the course's check on the answers, silent when right; a
    wrong answer raises the check's WrongAnswer, whose text names the mistake. Otter adds the
    decorator (``@test_case``, public, the question's points): a second one would make the test
    pass without running."""
    arguments = ", ".join(names)
    return textwrap.dedent(f"""\
        def test_{exercise_id}({arguments}):
            import contextlib
            import io
            import os

            from course_tools.exercises import check

            os.environ["COURSE_CHECKS"] = "raise"  # a wrong answer raises its message: the test fails
            printed = io.StringIO()
            with contextlib.redirect_stdout(printed):
                check("{exercise_id}", {arguments})
            verdict = printed.getvalue()
            assert ": correct." in verdict or ": the checked parts are right." in verdict, verdict.strip()""")


def question_cells(level_path: Path) -> list:
    """The level's exercise notebook, each exercise as an Otter question (solution kept)."""
    exercise = jupytext.reads(exercise_from_solution(level_path), fmt="md:myst")
    solution = {cell.metadata["tags"][0]: cell.source for cell in jupytext.read(level_path).cells
                if any(t.startswith(ANSWER_TAG) for t in cell.metadata.get("tags", []))}
    cells, question, titles = [], None, _titles()
    for cell in exercise.cells:
        tags = cell.metadata.get("tags", [])
        answer = next((t for t in tags if t.startswith(ANSWER_TAG)), None)
        check = next((t for t in tags if t.startswith(CHECK_TAG)), None)
        if cell.cell_type == "markdown" and re.match(r"^## [A-Z]\d+\.", cell.source):
            question = re.match(r"^## ([A-Z]\d+)\.", cell.source).group(1)
            points = POINTS[question[0]]
            cells.append(_raw(f"# BEGIN QUESTION\nname: {question}\npoints: {points}"))
            cell.source = cell.source.replace(f"## {question}.", f"## {question}. ({points} "
                                              f"point{'s' * (points != 1)})", 1)
        if answer:
            cells += [_raw("# BEGIN SOLUTION"),
                      nbformat.v4.new_code_cell(otter_answer_cell(solution[answer])),
                      _raw("# END SOLUTION")]
            continue
        if check:
            exercise_id, names = check_call(cell.source)
            cells += [_raw("# BEGIN TESTS"),
                      nbformat.v4.new_code_cell(test_cell(exercise_id, names)),
                      _raw("# END TESTS"), _raw("# END QUESTION")]
            question = None
            continue
        cells.append(nbformat.v4.new_markdown_cell(plain_markdown(cell.source, titles))
                     if cell.cell_type == "markdown"
                     else nbformat.v4.new_code_cell(cell.source))
    return cells


def master_notebook(levels: list[str]) -> nbformat.NotebookNode:
    config = {"name": NAME, "requirements": "requirements.txt", "files": ["course_tools"],
              "init_cell": True, "check_all_cell": False, "export_cell": False,
              "tests": {"ok_format": False},
              "generate": {"pdf": False, "filtering": False}}
    cells = [_raw("# ASSIGNMENT CONFIG\n" + yaml.safe_dump(config, sort_keys=False))]
    for level in levels:
        cells += question_cells(REPO_ROOT / "solutions" / f"level_{level.lower()}.md")
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                       "name": "python3"}
    return notebook


def points(levels: list[str]) -> dict[str, int]:
    """Each exercise's points, from the master notebook's questions."""
    found = {}
    for level in levels:
        for cell in jupytext.read(REPO_ROOT / "solutions" / f"level_{level.lower()}.md").cells:
            for tag in cell.metadata.get("tags", []):
                if tag.startswith(ANSWER_TAG):
                    found[tag.removeprefix(ANSWER_TAG)] = POINTS[level]
    return found


def autograder_requirements() -> str:
    """What the course's checks import, pinned as the reader set pins it (requirements.txt)."""
    pins = (REPO_ROOT / "requirements.txt").read_text().splitlines()
    return "\n".join(line for line in pins if line.startswith("numpy==")) + "\n"


def write_assignment(outdir: Path, levels: list[str]) -> Path:
    outdir.mkdir(parents=True, exist_ok=True)
    master = outdir / f"{NAME}.ipynb"
    nbformat.write(master_notebook(levels), master)
    shutil.rmtree(outdir / "course_tools", ignore_errors=True)
    shutil.copytree(REPO_ROOT / "course_tools", outdir / "course_tools",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (outdir / "requirements.txt").write_text(autograder_requirements())
    (outdir / "points.json").write_text(json.dumps(points(levels), indent=1) + "\n")
    otter = Path(sys.executable).parent / "otter"
    subprocess.run([otter, "assign", "--no-pdfs", master, outdir / "dist"], cwd=outdir, check=True)
    return outdir / "dist"


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python3 tasks.py assignment", description=__doc__.split("\n")[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--levels", default=",".join(LEVELS), help="comma-separated, e.g. C,D (default: all)")
    args = parser.parse_args(argv)
    levels = [level.strip().upper() for level in args.levels.split(",")]
    unknown = sorted(set(levels) - set(LEVELS))
    if unknown:
        parser.error(f"unknown level {', '.join(unknown)}: the levels are {', '.join(LEVELS)}")
    dist = write_assignment(args.outdir.resolve(), levels)
    total = sum(points(levels).values())
    print(f"student notebook: {dist / 'student'}\nautograder: {dist / 'autograder'}\n"
          f"points: {json.dumps(points(levels))} (total {total})")


if __name__ == "__main__":
    main(sys.argv[1:])

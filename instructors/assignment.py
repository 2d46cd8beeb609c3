"""The exercises as an Otter-Grader assignment, generated from solutions/ (their single source).

    python3 tasks.py assignment OUTDIR [--levels C,D]

writes ``OUTDIR/numpy-exercises.ipynb``, an Otter master notebook (Otter's notebook format v1):
each exercise of the chosen levels is one question with its prompt, its answer cell (the worked
solution between Otter's solution markers, the exercise's own template as the student's prompt)
and two tests. Then ``otter assign`` writes ``OUTDIR/dist/student/`` (the notebook without
solutions or hidden tests, with ``course_tools/``) and ``OUTDIR/dist/autograder/`` (the
autograder zip for Gradescope or ``otter run``).

- The public test is what the learner's notebook shows: the answer is given, and the answer
  cell's own checks pass (shape, agreement of loop and vectorized version, on the cell's example).
  ``grader.check("C1")`` runs it in the student's notebook.
- The hidden test is the course's check (``course_tools.exercises.check``): digests for typed
  answers, the hidden cases of ``course_tools.hidden_cases`` for functions. A wrong answer fails
  it with the message that names the mistake.

A question is all or nothing: its points, stated per level, are lost when either test fails.
"""
from __future__ import annotations

import argparse
import ast
import builtins
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

from book_build.make_exercises import BLOCK, STUBBED_NAMES, answer_template, exercise_from_solution
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
    prompt = answer_template(match)  # indented already inside a function
    return (f'{indent}""" # BEGIN PROMPT\n{prompt}{indent}""" # END PROMPT\n'
            f"{indent}# BEGIN SOLUTION NO PROMPT\n{body}{indent}# END SOLUTION\n")


def otter_answer_cell(solution_source: str) -> str:
    return BLOCK.sub(_with_prompt, solution_source + "\n").rstrip("\n")


def check_call(source: str) -> tuple[str, list[str]]:
    """The exercise ID and the answer names of the learner's check cell, check("C1", standardize)."""
    call = ast.parse(source).body[-1].value
    names = [arg.id for arg in call.args[1:]]
    return call.args[0].value, names


NOT_ANSWERED = "not answered yet. Fill in the cell above and run it."  # the check's own words


def _is_print(node: ast.stmt) -> bool:
    return (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
            and getattr(node.value.func, "id", None) == "print")


def _answer_only(node: ast.stmt) -> bool:
    """A function the learner writes, or the template's `answer_c3 = ...`."""
    return isinstance(node, ast.FunctionDef) or (isinstance(node, ast.Assign) and all(
        isinstance(target, ast.Name) and STUBBED_NAMES.fullmatch(target.id) for target in node.targets))


def shown_checks(exercise_id: str, answer_cell: str) -> list[ast.stmt]:
    """The answer cell's own checks, as the learner's notebook shows them: every statement but
    the answer itself and the prints. Its `except NotImplementedError`, which reports a function
    not written yet, fails the test instead."""
    not_answered = ast.parse(f"raise AssertionError({f'{exercise_id}: {NOT_ANSWERED}'!r}) from None").body
    kept = []
    for node in ast.parse(answer_cell).body:
        if _answer_only(node) or _is_print(node):
            continue
        if isinstance(node, ast.Try):
            node.body = [statement for statement in node.body if not _is_print(statement)]
            for handler in node.handlers:
                if getattr(handler.type, "id", None) == "NotImplementedError":
                    handler.body = not_answered
        kept.append(node)
    return kept


def _free_names(nodes: list[ast.stmt]) -> list[str]:
    """Names the statements read but do not set (the notebook's rng, say), NumPy and builtins aside."""
    loaded, stored = [], set()
    for node in ast.walk(ast.Module(body=nodes, type_ignores=[])):
        if isinstance(node, ast.Name):
            (stored.add(node.id) if isinstance(node.ctx, ast.Store) else loaded.append(node.id))
    return [name for name in dict.fromkeys(loaded)
            if name not in stored and name != "np" and not hasattr(builtins, name)]


def public_test(exercise_id: str, names: list[str], answer_cell: str) -> str:
    """Otter's exception-based test of what the learner's notebook shows: each answer given, and
    the answer cell's own checks. Otter passes the notebook's variables named as the parameters
    and adds the decorator (``@test_case``): a second one would make the test pass without running."""
    checks = shown_checks(exercise_id, answer_cell)
    parameters = ", ".join(dict.fromkeys(names + _free_names(checks)))
    answers = ", ".join(names)
    body = ast.unparse(ast.Module(body=checks, type_ignores=[])) if checks else ""
    return (f"def test_{exercise_id}_shown({parameters}):\n"
            + ("    import numpy as np\n\n" if checks else "")
            + "    def template(answer):  # the template's ..., or its function that only raises\n"
            '        code = getattr(answer, "__code__", None)\n'
            '        return answer is ... or getattr(code, "co_names", ()) == ("NotImplementedError",)\n\n'
            f"    assert not any(template(answer) for answer in [{answers}]), {f'{exercise_id}: {NOT_ANSWERED}'!r}\n"
            + textwrap.indent(body, "    ")).rstrip()


def hidden_test(exercise_id: str, names: list[str]) -> str:
    """Otter's hidden test: the course's check on the answers, silent when right; a wrong answer
    raises the check's WrongAnswer, whose text names the mistake. Otter reads the first line's
    "HIDDEN"."""
    arguments = ", ".join(names)
    return textwrap.dedent(f"""\
        # HIDDEN: the course's check, on its hidden cases
        def test_{exercise_id}_hidden_cases({arguments}):
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
    cells, question, titles, shown = [], None, _titles(), {}
    for cell in exercise.cells:
        tags = cell.metadata.get("tags", [])
        answer = next((t for t in tags if t.startswith(ANSWER_TAG)), None)
        check = next((t for t in tags if t.startswith(CHECK_TAG)), None)
        if cell.cell_type == "markdown" and re.match(r"^## [A-Z]\d+\.", cell.source):
            question = re.match(r"^## ([A-Z]\d+)\.", cell.source).group(1)
            points = POINTS[question[0]]
            cells.append(_raw(f"# BEGIN QUESTION\nname: {question}\npoints: {points}\n"
                              "all_or_nothing: true"))
            cell.source = cell.source.replace(f"## {question}.", f"## {question}. ({points} "
                                              f"point{'s' * (points != 1)})", 1)
        if answer:
            shown[answer.removeprefix(ANSWER_TAG)] = cell.source  # the template, as learners see it
            cells += [_raw("# BEGIN SOLUTION"),
                      nbformat.v4.new_code_cell(otter_answer_cell(solution[answer])),
                      _raw("# END SOLUTION")]
            continue
        if check:
            exercise_id, names = check_call(cell.source)
            cells += [_raw("# BEGIN TESTS"),
                      nbformat.v4.new_code_cell(public_test(exercise_id, names, shown[exercise_id])),
                      nbformat.v4.new_code_cell(hidden_test(exercise_id, names)),
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

"""Exercise pages: generated from the solutions, wired to their checks, runnable untouched.

The checks themselves (right answers pass, wrong ones are diagnosed) are tested in
tests/test_exercises_checks.py; nbval runs every exercise and solution notebook.
"""
import contextlib
import io
import re
from pathlib import Path

import jupytext
import nbformat
import pytest
import yaml

from book_build import make_exercises  # noqa: E402
from course_tools import exercises
from course_tools.answers import answer_name, digest
from course_tools.exercises import check
from course_tools.notebooks import REPO_ROOT

IDS = list(exercises.CHECKS)  # the registry: course_tools/exercises.py
LEVELS = "abcd"


def code_cells(path):
    return [cell for cell in jupytext.read(path).cells if cell.cell_type == "code"]


def tags(cell):
    return cell.metadata.get("tags", [])


# One source of truth -------------------------------------------------------------------------

def test_committed_exercises_match_the_generator():
    assert make_exercises.main(check=True) == 0, "exercises/ is stale: run python3 tasks.py exercises"


def test_generator_strips_solutions_and_keeps_exercise_only_cells(tmp_path):
    source = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

+++ {"tags": ["solution"]}

(solutions-x)=
# Worked solutions

+++ {"tags": ["exercise-only", "remove-cell"]}

(exercises-x)=
# Exercises

+++

```{code-cell} ipython3
from course_tools.exercises import check
```

## Z1. Double it

Write f and compute f(3).

```{code-cell} ipython3
:tags: [answer-Z1]

def f(x):
    ### BEGIN SOLUTION
    return 2 * x
    ### END SOLUTION


### BEGIN SOLUTION
helper = 3
answer_z1 = f(helper)
explanation_z1 = "because"
### END SOLUTION
```

```{code-cell} ipython3
:tags: [solution]

assert answer_z1 == 6
```
"""
    solution = tmp_path / "level_z.md"
    solution.write_text(source)
    exercise = jupytext.reads(make_exercises.exercise_from_solution(solution), fmt="md:myst")
    texts = [cell.source for cell in exercise.cells]
    assert not any("Worked solutions" in text or "answer_z1 == 6" in text for text in texts)
    header = next(cell for cell in exercise.cells if "(exercises-x)=" in cell.source)
    assert "tags" not in header.metadata, "exercise-only/remove-cell must not hide it on the exercise page"
    answer_cell = next(cell for cell in exercise.cells if "answer-Z1" in tags(cell))
    assert "raise NotImplementedError" in answer_cell.source
    assert "answer_z1 = ..." in answer_cell.source and "explanation_z1 = ..." in answer_cell.source
    setup = next(cell for cell in exercise.cells if "import check" in cell.source)
    assert setup.source.endswith("\nanswer_z1 = explanation_z1 = ..."), setup.source
    assert "2 * x" not in answer_cell.source and "helper" not in answer_cell.source
    namespace = {}
    exec(answer_cell.source, namespace)  # the stub runs, and the function says "unanswered"
    with pytest.raises(NotImplementedError):
        namespace["f"](1)


def test_generator_refuses_an_unpaired_marker(tmp_path):
    solution = tmp_path / "level_z.md"
    solution.write_text("---\nkernelspec:\n  name: python3\n  display_name: Python 3\n  language: python\n"
                        "---\n\n```{code-cell} ipython3\n### BEGIN SOLUTION\nanswer = 1\n```\n")
    with pytest.raises(ValueError, match="unpaired"):
        make_exercises.exercise_from_solution(solution)


A5_HEADING_IN_A_SOLUTION_CELL = """---
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

## A4. Shape of a mean

What is the shape?

```{code-cell} ipython3
:tags: [answer-A4]

### BEGIN SOLUTION
answer = (4,)
### END SOLUTION
```

+++ {"tags": ["solution"]}

**Solution.** One mean per feature.

## A5. The other axis

And along the other axis?

```{code-cell} ipython3
:tags: [answer-A5]

### BEGIN SOLUTION
answer = (100,)
### END SOLUTION
```
"""


def test_generator_refuses_an_answer_cell_without_its_heading_and_prompt(tmp_path):
    """The A5 bug: its heading sat in A4's solution cell and vanished from the exercises."""
    solution = tmp_path / "level_z.md"
    solution.write_text(A5_HEADING_IN_A_SOLUTION_CELL)
    with pytest.raises(ValueError, match="answer cell of A5 does not follow its own '## A5.'"):
        make_exercises.exercise_from_solution(solution)
    solution.write_text(A5_HEADING_IN_A_SOLUTION_CELL.replace("**Solution.** One mean per feature.\n",
                                                              "**Solution.** One mean per feature.\n\n+++\n"))
    make_exercises.exercise_from_solution(solution)  # with its own cell, the heading stays
    solution.write_text(A5_HEADING_IN_A_SOLUTION_CELL.replace("What is the shape?\n", ""))
    with pytest.raises(ValueError, match="A4 does not follow"):  # a heading without a prompt
        make_exercises.exercise_from_solution(solution)


def test_every_exercise_page_shows_each_heading_and_prompt_before_its_answer():
    for level in LEVELS:
        cells = jupytext.read(REPO_ROOT / "exercises" / f"level_{level}.md").cells
        make_exercises.check_questions_precede_answers(cells, f"level_{level}.md")
        text = (REPO_ROOT / "exercises" / f"level_{level}.md").read_text()
        for exercise_id in (i for i in IDS if i[0] == level.upper()):
            assert text.count(f"\n## {exercise_id}. ") == 1, exercise_id


def test_exercises_contain_no_solution():
    for path in (REPO_ROOT / "exercises").glob("level_*.md"):
        text = path.read_text()
        for leak in ("BEGIN SOLUTION", '"solution"', "[solution", "Model answer", "**Solution"):
            assert leak not in text, f"{path.name} contains {leak!r}"


# The cell contract ---------------------------------------------------------------------------

@pytest.mark.parametrize("folder", ["exercises", "solutions"])
def test_every_exercise_has_an_answer_cell_then_its_check_cell(folder):
    found = []
    for level in LEVELS:
        cells = code_cells(REPO_ROOT / folder / f"level_{level}.md")
        for index, cell in enumerate(cells):
            answer_tags = [t for t in tags(cell) if t.startswith("answer-")]
            if answer_tags:
                exercise_id = answer_tags[0].removeprefix("answer-")
                assert exercise_id[0] == level.upper(), f"{exercise_id} is on the level {level} page"
                assert f"check-{exercise_id}" in tags(cells[index + 1])
                assert cells[index + 1].source.startswith(f'check("{exercise_id}"')
                found.append(exercise_id)
    assert found == IDS


def test_untouched_exercise_notebooks_run_and_report_not_answered():
    """What a learner sees on opening a page and running every cell: no error, one line per check."""
    for level in LEVELS:
        namespace, output = {}, io.StringIO()
        with contextlib.redirect_stdout(output):
            for cell in code_cells(REPO_ROOT / "exercises" / f"level_{level}.md"):
                if "raises-exception" not in tags(cell):
                    exec(compile(cell.source, f"level_{level}", "exec"), namespace)
        for exercise_id in (i for i in IDS if i[0] == level.upper()):
            assert f"{exercise_id}: not answered yet." in output.getvalue()
        assert "correct." not in output.getvalue()


@pytest.mark.parametrize("exercise_id", IDS)
def test_unanswered_is_reported_not_raised(exercise_id, capsys):
    def unwritten(*_):
        raise NotImplementedError

    answers = {"C1": [unwritten], "C2": [unwritten, unwritten], "C3": [unwritten, ..., ...],
               "C4": [unwritten], "D1": [..., unwritten, ...], "D2": [..., ...]}
    check(exercise_id, *answers.get(exercise_id, [...]))
    assert capsys.readouterr().out.startswith(f"{exercise_id}: not answered yet.")


def test_each_exercise_has_its_own_answer_names():
    """A typo in one answer cell must not let the check grade another exercise's answer."""
    for level in LEVELS:
        for cells in [code_cells(REPO_ROOT / folder / f"level_{level}.md")
                      for folder in ("exercises", "solutions")]:
            for index, cell in enumerate(cells):
                answer_tags = [t for t in tags(cell) if t.startswith("answer-")]
                if not answer_tags:
                    continue
                exercise_id = answer_tags[0].removeprefix("answer-")
                names = set(re.findall(r"^(answer\w*|explanation\w*) =", cell.source, re.M))
                assert all(name in (answer_name(exercise_id), f"explanation_{exercise_id.lower()}")
                           for name in names), (exercise_id, names)
                assert all(name in cells[index + 1].source for name in names)


def test_checks_do_not_spell_out_the_answers():
    source = Path(exercises.__file__).read_text()
    for literal in ["(3, 2)", "(6, 6, 3)", '"(N, N)"', '"(H, H)"', '"(N, H)"', "2.5,", "32.0", "80.0"]:
        assert literal not in source, f"{literal} is readable in the check code"
    # Salted per exercise: A4's answer (4,) and A5's hint for (4,) have different digests.
    assert digest("A4", "4") != digest("A5", "4")


# Pages: labels, links, table of contents ------------------------------------------------------

@pytest.mark.parametrize("level", LEVELS)
def test_exercise_and_solution_pages_link_to_each_other(level):
    exercise = (REPO_ROOT / "exercises" / f"level_{level}.md").read_text()
    solution = (REPO_ROOT / "solutions" / f"level_{level}.md").read_text()
    solution_notebook = nbformat.from_dict(jupytext.reads(solution, fmt="md:myst"))
    assert f"(exercises-level-{level})=" in exercise and f"(solutions-level-{level})=" not in exercise
    assert re.search(rf"{{ref}}`[^`]*<solutions-level-{level}>`", exercise)
    assert re.search(rf"{{ref}}`[^`]*<exercises-level-{level}>`", solution)
    solution_label_cell = next(c for c in solution_notebook.cells if f"(solutions-level-{level})=" in c.source)
    assert "solution" in tags(solution_label_cell), "the solution heading must not reach the exercises"


def test_table_of_contents_ends_with_exercises_then_solutions():
    toc = yaml.safe_load((REPO_ROOT / "_toc.yml").read_text())
    exercises, solutions = toc["parts"][-2:]
    for part, folder in ((exercises, "exercises"), (solutions, "solutions")):
        assert part["caption"] == folder.capitalize()
        (index,) = part["chapters"]
        assert index["file"] == f"{folder}/index"
        assert [s["file"] for s in index["sections"]] == [f"{folder}/level_{level}" for level in LEVELS]


def test_the_closing_pages_next_is_the_next_page_in_the_table_of_contents():
    toc = yaml.safe_load((REPO_ROOT / "_toc.yml").read_text())
    files = [chapter["file"] for part in toc["parts"] for chapter in part["chapters"]]
    following = files[files.index("chapters/closing") + 1]
    label = re.search(r"^\((chapter-[\w-]+)\)=", (REPO_ROOT / f"{following}.md").read_text(), re.M).group(1)
    closing = (REPO_ROOT / "chapters" / "closing.md").read_text()
    next_paragraph = closing[closing.rindex("\nNext: "):]
    first_link = re.search(r"\{ref\}`[^<`]*<([\w-]+)>`", next_paragraph).group(1)
    assert first_link == label, (first_link, label)


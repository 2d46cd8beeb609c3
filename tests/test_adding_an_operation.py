"""Adding an operation and an exercise touches exactly the files CONTRIBUTING.md lists, and works.

In a copy of the repository (its tracked files, committed once in a fresh git repository), the
test follows CONTRIBUTING.md's "Adding an operation" for a throwaway operation (the sum of
squares) and "Adding an exercise" for a throwaway exercise (the next ID of level B). Then:

- `git status` in the copy shows exactly the files those two sections name (the paths that open
  each numbered step), so a step the documentation forgets fails here;
- in the copy, the registry tests, the benchmark-results and naming-contract tests, the new
  operation's tests, the exercise tests and the new exercise's check tests pass;
- the new chapter, the pages derived from the registry (intro, closing, performance lab) and the
  level's solutions execute as the book build executes them (its figure settings and figure
  layout check), and the closing summary and the performance lab show the new operation.

No site build: what the registry feeds a page is checked in the executed notebook.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jupytext
from nbclient import NotebookClient
from test_registry import NUMBER_WORDS

from benchmarks.operations import OPERATIONS
from book_build.figures import FIGURES
from book_build.kernels import IpcKernelManager
from course_tools.answers import digest
from course_tools.exercises import CHECKS
from course_tools.notebooks import REPO_ROOT

NAME, STEM, PREFIX = "sum of squares", "sum_of_squares", "sum_squares"
LAST = list(OPERATIONS.values())[-1]          # the new operation goes after it
# Level B: a seventh exercise in level A would overflow the exercise page's code box (the
# generated line that sets every answer of the level to ...; book_build/make_exercises.py).
LEVEL = "B"
LAST_ID = max((i for i in CHECKS if i[0] == LEVEL), key=lambda i: int(i[1:]))
NEW_ID = f"{LEVEL}{int(LAST_ID[1:]) + 1}"
ANSWER = f"answer_{NEW_ID.lower()}"

CHAPTER = f"""---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
kernelspec:
  display_name: Python 3 (ipykernel)
  language: python
  name: python3
---

(chapter-{STEM.replace("_", "-")})=
# Sum of squares

```{{admonition}} In this chapter
:class: tip

**You will be able to**

- compute a sum of squares, loop and vectorized

**You need**

- {{ref}}`chapter-dot-product`
```

## Recap

$$
\\sum_{{i=1}}^{{n}} x_i^2
$$

| direction | shape | note |
|---|---|---|
| in | `x`: `(n,)` | 1-D |
| out | `()` | the axis is summed away |

By hand: $(1, 2, 3)$ gives $1 + 4 + 9 = 14$.

```{{code-cell}} ipython3
import numpy as np

from course_tools.claims import say, speed
from course_tools.timing import compare

rng = np.random.default_rng(0)
```

## The loop

```{{code-cell}} ipython3
def {PREFIX}_loop(x):
    assert x.ndim == 1, f"expected a 1-D array, got shape {{x.shape}}"
    total = 0.0
    for value in x:
        total += float(value) * float(value)
    return total
```

## The vectorized expression

```{{code-cell}} ipython3
def {PREFIX}_vec(x):
    assert x.ndim == 1, f"expected a 1-D array, got shape {{x.shape}}"
    return float(np.square(x, dtype=np.float64).sum())
```

## Both agree

```{{code-cell}} ipython3
x = rng.standard_normal(1_000)
assert x.shape == (1_000,)
# the two sum in different orders: equal to rounding
assert np.isclose({PREFIX}_loop(x), {PREFIX}_vec(x), rtol=1e-12)
assert {PREFIX}_vec(np.array([1.0, 2.0, 3.0])) == 14.0
```

## What we bought

```{{code-cell}} ipython3
:tags: [nbval-ignore-output]

timing = compare({PREFIX}_loop, {PREFIX}_vec, x, budget_s=0.2)
print(timing)
```

```{{code-cell}} ipython3
:tags: [remove-input, nbval-ignore-output]

say("For $n = 1000$ the vectorized version was {{speed}}.",
    speed=speed(timing.ratio))
```
"""

OPS_TEST = f'''"""The sum-of-squares chapter's functions against math.fsum."""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from course_tools.notebooks import load_chapter
from op_testing import call_without_mutation, float_arrays

chapter = load_chapter("{STEM}")


def check(fn, x):
    result = call_without_mutation(fn, x)
    assert isinstance(result, float), f"{{fn.__name__}} must return one float"
    expected = math.fsum(float(v) * float(v) for v in x.tolist())
    assert math.isclose(result, expected, rel_tol=1e-12, abs_tol=1e-12), "disagrees with the reference"


@pytest.mark.parametrize("fn", [chapter.{PREFIX}_loop, chapter.{PREFIX}_vec], ids=lambda f: f.__name__)
@settings(max_examples=30, deadline=None)
@given(x=st.integers(1, 30).flatmap(lambda n: float_arrays((n,))))
def test_matches_reference(fn, x):
    check(fn, x)


def test_check_rejects_the_square_of_the_sum():
    with pytest.raises(AssertionError, match="disagrees"):
        check(lambda x: float(x.sum()) ** 2, np.array([1.0, 2.0]))
'''

EXERCISE = f"""+++

## {NEW_ID}. A sum of squares

What is the sum of the squares of the entries of `x = np.array([1.0, 2.0, 3.0])`? Assign the
number, e.g. `{ANSWER} = 0.0`. (Recap: {{ref}}`chapter-{STEM.replace("_", "-")}`.)

```{{code-cell}} ipython3
:tags: [answer-{NEW_ID}]

### BEGIN SOLUTION
{ANSWER} = 14.0
### END SOLUTION
```

```{{code-cell}} ipython3
:tags: [check-{NEW_ID}]

check("{NEW_ID}", {ANSWER})
```

"""

CHECK = f'''

def check_{NEW_ID}(answer):
    number_verdict("{NEW_ID}", as_number(answer), "{digest(NEW_ID, "14")}", {{
        "{digest(NEW_ID, "36")}": "That is the square of the sum. Square each entry, then add.",
        "{digest(NEW_ID, "6")}": "That is the plain sum. Square each entry first.",
    }}, "Not the sum of squares. Compute 1² + 2² + 3² term by term.")
'''


def git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@localhost", *args],
                          cwd=folder, check=True, capture_output=True, text=True).stdout


def copy_repository(target: Path) -> None:
    """The tracked files as they are in the working tree, committed in a fresh repository."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO_ROOT, check=True,
                            capture_output=True, text=True).stdout.split("\0")
    for name in filter(None, listed):
        if (REPO_ROOT / name).is_file():  # a file deleted in the working tree stays deleted
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO_ROOT / name, target / name)
    git(target, "init", "-q")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "the repository as it is")


def documented_files(section: str, **placeholders: str) -> set[str]:
    """The files a section of CONTRIBUTING.md says it touches: the quoted paths that open each of its
    numbered steps (before the step's first colon), placeholders such as <stem> filled in."""
    text = (REPO_ROOT / "CONTRIBUTING.md").read_text()
    body = text.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    files = set()
    for opening in re.findall(r"^\d+\. (.*?):\s", body, re.M):
        for path in re.findall(r"`([\w./<>-]+\.(?:md|py|yml|json))`", opening):
            for key, value in placeholders.items():
                path = path.replace(f"<{key}>", value)
            files.add(path)
    return files


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text()
    assert text.count(old) == count, f"{path.name}: expected {count} × {old!r}: did its layout change?"
    path.write_text(text.replace(old, new))


def add_operation(repo: Path) -> None:
    """CONTRIBUTING.md's "Adding an operation", steps 1 to 5 (6, the measurement, is run below)."""
    (repo / "chapters" / f"{STEM}.md").write_text(CHAPTER)
    edit(repo / "_toc.yml", f"      - file: chapters/{LAST.chapter}\n",
         f"      - file: chapters/{LAST.chapter}\n      - file: chapters/{STEM}\n")
    operations = repo / "benchmarks" / "operations.py"
    text = operations.read_text()
    end = text.index("\n}\n", text.index("\nOPERATIONS = {"))
    operations.write_text(text[:end] + f"""
    "{NAME}": Operation(
        "{STEM}", "{PREFIX}_loop", "{PREFIX}_vec", lambda rng, n: (rng.standard_normal(n),),
        1_000, 10_000, 1_000_000, lambda n: (2 * n, F64 * n)),""" + text[end:])
    (repo / "tests" / f"test_ops_{STEM}.py").write_text(OPS_TEST)
    # the three tables that name every operation
    row = re.search(rf"^\| `{LAST.chapter}` \|.*\n", (repo / "CONTRIBUTING.md").read_text(), re.M)[0]
    edit(repo / "CONTRIBUTING.md", row, row + f"| `{STEM}` | `{PREFIX}_loop(x)`, `{PREFIX}_vec(x)` |\n")
    label = "chapter-" + LAST.chapter.replace("_", "-")
    row = re.search(rf"^\| {{ref}}`{label}` \|.*\n", (repo / "chapters" / "intro.md").read_text(), re.M)[0]
    edit(repo / "chapters" / "intro.md", row, row + f"| {{ref}}`chapter-{STEM.replace('_', '-')}` "
         "| $\\sum_i x_i^2$ | a scalar |\n")
    readme = repo / "README.md"
    edit(readme, f"{list(OPERATIONS)[-1]}, and the normalize", f"{list(OPERATIONS)[-1]}, {NAME}, and the normalize")
    closing = repo / "chapters" / "closing.md"
    text = closing.read_text()
    end = text.index("\n}\n", text.index("\ncases = {"))
    closing.write_text(text[:end] + f'\n    "{NAME}": ("{STEM}", "{PREFIX}",\n'
                       f'{" " * (len(NAME) + 8)}(normal(1_000),), ()),' + text[end:])


def add_exercise(repo: Path) -> None:
    """CONTRIBUTING.md's "Adding an exercise": the solution cell, the check, the index, the tests."""
    solutions = repo / "solutions" / f"level_{LEVEL.lower()}.md"
    text = solutions.read_text()
    after = text.index(f":tags: [check-{LAST_ID}]")
    heading = text.find("\n## ", after)   # the next section, with the cell marker opening it
    at = len(text) if heading < 0 else text.rfind("\n+++", after, heading) + 1 or heading + 1
    assert "```" not in text[at:heading], "the next section's heading opens no cell of its own"
    solutions.write_text(text[:at].rstrip("\n") + "\n\n" + EXERCISE + text[at:])
    exercises = repo / "course_tools" / "exercises.py"
    edit(exercises, "\n\nCHECKS = {", CHECK + "\n\nCHECKS = {")
    edit(exercises, f'"{LAST_ID}": check_{LAST_ID},', f'"{LAST_ID}": check_{LAST_ID}, "{NEW_ID}": check_{NEW_ID},')
    index = repo / "exercises" / "index.md"
    edit(index, f"{NUMBER_WORDS[len(CHECKS)].capitalize()} exercises",
         f"{NUMBER_WORDS[len(CHECKS) + 1].capitalize()} exercises")
    edit(index, f"| {LEVEL}1–{LAST_ID} |", f"| {LEVEL}1–{NEW_ID} |")
    checks_tests = repo / "tests" / "test_exercises_checks.py"
    edit(checks_tests, "CORRECT = {\n", f'CORRECT = {{\n    "{NEW_ID}": [14, 14.0, np.int64(14), 1 + 4 + 9],\n')
    edit(checks_tests, "WRONG = {\n", f'WRONG = {{\n    "{NEW_ID}": [(36, "square of the sum"), '
         '(6, "plain sum"), (15, "term by term")],\n')
    edit(checks_tests, "HIDDEN = {", f'HIDDEN = {{"{NEW_ID}": ["14"], ')
    edit(repo / "tests" / "test_assignment.py", "for q in (", f'for q in ("{NEW_ID}", ')


def run(repo: Path, env: dict, *args: str) -> str:
    result = subprocess.run([sys.executable, *args], cwd=repo, env=env, capture_output=True, text=True)
    assert result.returncode == 0, (f"{' '.join(args)} failed in the copy:\n"
                                    f"{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return result.stdout


def executed_text(path: Path, env: dict) -> str:
    """Execute a MyST notebook as the build does, in its folder; all its outputs as text."""
    notebook = jupytext.read(path)
    NotebookClient(notebook, timeout=120, kernel_name="python3", kernel_manager_class=IpcKernelManager,
                   resources={"metadata": {"path": str(path.parent)}}).execute(env=env)
    return "\n".join(str(output.get("text", "")) + "".join(map(str, output.get("data", {}).values()))
                     for cell in notebook.cells for output in cell.get("outputs", []))


def test_adding_an_operation_and_an_exercise_touches_only_the_documented_files(tmp_path):
    repo = tmp_path / "repository"
    copy_repository(repo)
    # what the book build gives its kernels (book_build.figures): figure settings and layout check
    profile = tmp_path / "ipython" / "profile_default"
    profile.mkdir(parents=True)
    (profile / "ipython_kernel_config.py").write_text(
        "".join(f"c.InlineBackend.{key} = {value!r}\n" for key, value in FIGURES.items()))
    # the copy's modules first; none of this run's pytest (or xdist worker) variables
    env = {**{key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")},
           "PYTHONPATH": str(repo), "IPYTHONDIR": str(tmp_path / "ipython"), "COURSE_CHECKS": "raise"}

    add_operation(repo)
    run(repo, env, "-m", "benchmarks.run", "--only", NAME)   # step 6: writes its results
    add_exercise(repo)
    run(repo, env, "-m", "book_build.make_exercises")        # exercises/ from solutions/

    changed = {line[3:] for line in git(repo, "status", "--porcelain", "--untracked-files=all").splitlines()}
    documented = (documented_files("Adding an operation", stem=STEM)
                  | documented_files("Adding an exercise", x=LEVEL.lower()))
    assert changed == documented, (
        "adding an operation and an exercise changed other files than CONTRIBUTING.md lists: "
        f"changed but not listed {sorted(changed - documented)}, listed but unchanged {sorted(documented - changed)}")

    run(repo, env, "-m", "pytest", "-n", "0", "-q",
        "tests/test_registry.py", f"tests/test_ops_{STEM}.py", "tests/test_exercises.py",
        "tests/test_chapter_rules.py", "tests/test_code_width.py",
        *(f"tests/test_benchmarks.py::{name}" for name in (
            "test_contributing_naming_contract_is_the_benchmark_registry",
            "test_committed_results_cover_every_operation", "test_committed_results_are_valid_and_full_size")),
        *(f"tests/test_exercises_checks.py::{name}[{NEW_ID}]" for name in (
            "test_equivalent_forms_of_the_right_answer_pass",
            "test_wrong_answers_get_their_hint_and_never_the_answer")),
        # imported (its KNOWN_MISTAKES built), not run: grading with Otter takes minutes
        "tests/test_assignment.py", "--deselect", "tests/test_assignment.py")

    outputs = {page: executed_text(repo / f"{page}.md", env) for page in (
        f"chapters/{STEM}", "chapters/intro", "chapters/closing", "chapters/performance",
        f"solutions/level_{LEVEL.lower()}")}
    assert "the vectorized version was" in outputs[f"chapters/{STEM}"]
    assert NAME in outputs["chapters/closing"], "the closing summary does not show the new operation"
    assert outputs["chapters/performance"].count(NAME) >= 3, "the performance lab's tables miss the new operation"
    assert f"{NEW_ID}: correct." in outputs[f"solutions/level_{LEVEL.lower()}"]

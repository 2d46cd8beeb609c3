#!/usr/bin/env python3
"""Generate exercises/level_*.md from solutions/level_*.md, the single source of both.

Markup in a solution notebook:
- a cell tagged ``solution`` appears only in the solutions (model answers, worked code);
- a cell tagged ``exercise-only`` appears only in the exercises; it also carries ``remove-cell``
  so the solution page hides it (rubrics, the exercise page's header);
- every answer cell, tagged ``answer-<ID>``, must follow its own ``## <ID>.`` heading and a
  prompt on the exercise page; the generator refuses a page where it does not (a heading left
  inside a cell tagged ``solution`` would vanish from the exercises);
- in a code cell, lines between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` are the
  solution. Inside a function body they become ``raise NotImplementedError``; at top level they
  become ``answer_a1 = ...`` (and ``explanation_c3 = ...``) for each answer or explanation name
  the block assigns, so an untouched exercise notebook still runs and its checks say "not
  answered yet". Each exercise has its own names (``course_tools.answers.answer_name``): a typo
  in one cell then leaves the template's ``...`` rather than handing the check the previous
  exercise's answer; ``...`` rather than None, because None is what ``print(...)`` returns.
  The page's first cell, which imports ``check``, also sets every one of those names to ``...``,
  so a misspelt name reports "not answered yet" instead of a NameError that stops Run All.

    python3 tasks.py exercises           # rewrite exercises/level_*.md
    python3 tasks.py exercises --check   # exit 1 if a committed exercise file is stale
"""
from __future__ import annotations

import ast
import re
import sys
import textwrap
from pathlib import Path

import jupytext

from book_build import CODE_WIDTH
from course_tools.notebooks import REPO_ROOT

BLOCK = re.compile(r"^([ \t]*)### BEGIN SOLUTION\n(.*?)^[ \t]*### END SOLUTION\n?", re.M | re.S)
STUBBED_NAMES = re.compile(r"(answer|explanation)_[a-z]\d+")
HEADING = re.compile(r"^## ([A-Z]\d+)\.")


def answer_template(match: re.Match) -> str:
    """What the exercise shows in place of a solution block (BLOCK's match): a function body
    raises NotImplementedError, top-level answers are the template's `...`."""
    indent, body = match.group(1), match.group(2)
    if indent:
        return f"{indent}raise NotImplementedError  # your code here\n"
    assigned = {target.id for node in ast.parse(textwrap.dedent(body)).body
                if isinstance(node, ast.Assign) for target in node.targets if isinstance(target, ast.Name)}
    names = sorted(name for name in assigned if STUBBED_NAMES.fullmatch(name))
    return "# your code here\n" + "".join(f"{name} = ...  # your answer here\n" for name in names)


def check_questions_precede_answers(cells, name: str) -> None:
    """Refuse an answer cell that does not follow its own heading and a prompt."""
    heading, prompt = None, False
    for cell in cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                match = HEADING.match(line)
                if match:
                    heading, prompt = match.group(1), False
                elif line.strip() and heading:
                    prompt = True
        for tag in cell.metadata.get("tags", []):
            if tag.startswith("answer-"):
                exercise_id = tag.removeprefix("answer-")
                if heading != exercise_id or not prompt:
                    raise ValueError(f"{name}: the answer cell of {exercise_id} does not follow "
                                     f"its own '## {exercise_id}.' heading and prompt on the "
                                     "exercise page (is the heading in a solution cell?)")


def _start_every_answer_as_the_template(cells, name: str) -> None:
    """Append `answer_a1 = ... = ...` for the page's answer names to the cell importing check."""
    names = [stub.split(" = ")[0] for cell in cells if cell.cell_type == "code"
             for stub in cell.source.splitlines() if stub.endswith("= ...  # your answer here")]
    if not names:
        return
    setup = next((cell for cell in cells if cell.cell_type == "code"
                  and "from course_tools.exercises import check" in cell.source), None)
    if setup is None:
        raise ValueError(f"{name}: no cell imports check, to start the answers in")
    # `a = b = ...` chains, a line each as wide as the code box shows (tests/test_code_width.py)
    lines = [[]]
    for name in names:
        if lines[-1] and len(" = ".join([*lines[-1], name, "..."])) > CODE_WIDTH:
            lines.append([])
        lines[-1].append(name)
    setup.source += ("\n\n# Every answer starts as the template's ... (\"not answered yet\"), also\n"
                     "# when its cell assigns a misspelt name.\n"
                     + "\n".join(" = ".join([*line, "..."]) for line in lines))


def exercise_from_solution(path: Path) -> str:
    notebook = jupytext.read(path)
    cells = []
    for cell in notebook.cells:
        tags = cell.metadata.get("tags", [])
        if "solution" in tags:
            continue
        if "exercise-only" in tags:
            cell.metadata["tags"] = [t for t in tags if t not in ("exercise-only", "remove-cell")]
            if not cell.metadata["tags"]:
                del cell.metadata["tags"]
        if cell.cell_type == "code":
            cell.source = BLOCK.sub(answer_template, cell.source + "\n").rstrip("\n")
            if "SOLUTION" in cell.source:  # an unpaired marker would leak the solution
                raise ValueError(f"{path.name}: unpaired solution marker in\n{cell.source}")
        cells.append(cell)
    check_questions_precede_answers(cells, path.name)
    _start_every_answer_as_the_template(cells, path.name)
    notebook.cells = cells
    # A YAML comment in the front matter: before the page's first heading, an HTML comment
    # makes notebook front ends show the title twice.
    header = f"# Generated from solutions/{path.name} by `tasks.py exercises`: edit that file.\n"
    text = jupytext.writes(notebook, fmt="md:myst")
    assert text.startswith("---\n")
    return "---\n" + header + text[4:]


def main(check: bool) -> int:
    stale = []
    for solution in sorted((REPO_ROOT / "solutions").glob("level_*.md")):
        target = REPO_ROOT / "exercises" / solution.name
        text = exercise_from_solution(solution)
        if check:
            if not target.exists() or target.read_text() != text:
                stale.append(target.relative_to(REPO_ROOT))
        else:
            target.write_text(text)
    if stale:
        print(f"out of date: {', '.join(map(str, stale))}; run python3 tasks.py exercises")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(check="--check" in sys.argv[1:]))

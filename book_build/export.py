"""The course's notebooks as ``.ipynb`` for hosts that cannot read MyST Markdown or install the course.

Colab opens ``.ipynb`` files from GitHub only (the deploy workflow pushes these to the ``ipynb``
branch); JupyterLite runs them in the browser (``book_build/lite_site.py`` puts them in the site's
``lite/`` folder). Neither has the course's helpers installed, so a first cell, added here and
never written by hand in a chapter, provides them:

- Colab: clone the repository, install it (``pip install -e``) and work from the notebook's folder,
  as in a local clone.
- JupyterLite: the helpers are already in the browser's file system (``/drive``, beside the
  notebooks); only jupytext is installed, from PyPI, by Pyodide's package installer.

Markdown cells are translated from MyST to the Markdown every notebook front end renders: labels
dropped, ``{ref}`` roles as links to the other notebooks, and dropdowns as ``<details>`` toggles.
(Sentences with measured numbers are cell outputs, ``course_tools.claims.say``: a notebook shows
the build's and, once run, the reader's own.)
"""
from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from pathlib import Path

import jupytext
import nbformat
from nbformat.v4.rwbase import rejoin_lines

from book_build import REPOSITORY
from course_tools.notebooks import NOTEBOOK_DIRS, REPO_ROOT, is_notebook, pages

SETUP_TAG = "course-setup"

SETUP = {
    "colab": '''# Colab: fetch the course and install its helpers (course_tools) unless they are installed,
# then work from this notebook's folder, as in a clone.
import importlib.util, os, subprocess, sys
if importlib.util.find_spec("course_tools") is None:
    if not os.path.isdir("course"):
        subprocess.run(["git", "clone", "--depth", "1", "{repository}", "course"], check=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "-e", "course"], check=True)
    sys.path.insert(0, os.path.abspath("course"))
if os.path.isdir(os.path.join("course", "{folder}")):  # first run, or after a restart
    os.chdir(os.path.join("course", "{folder}"))''',
    "lite": '''# JupyterLite: the course's helpers (course_tools) are in this browser's drive, one folder up;
# Pyodide's installer adds jupytext, which they use to read MyST notebooks.
import importlib.util, sys
import piplite
await piplite.install("jupytext")
sys.path.insert(0, "/drive")''',
}


def setup_cell(target: str, folder: str) -> nbformat.NotebookNode:
    source = SETUP[target].replace("{repository}", REPOSITORY).replace("{folder}", folder)
    return nbformat.v4.new_code_cell(source, metadata={"tags": [SETUP_TAG]})


LABEL = re.compile(r"^\(([\w-]+)\)=[ \t]*\n", re.M)
REF = re.compile(r"\{ref\}`(?:([^`<]*?)\s*<([\w-]+)>|([\w-]+))`")
# What a notebook front end would show raw: roles, labels, directive fences.
MYST_MARKUP = re.compile(r"\{[\w:-]+\}`|^\([\w-]+\)=|^:::", re.M)
DROPDOWN = re.compile(r"^:::\{dropdown\}[ \t]*(.*?)\n(.*?)^:::[ \t]*$", re.M | re.S)


@lru_cache(maxsize=1)
def page_labels() -> dict[str, tuple[Path, str]]:
    """label -> (page, its title), for every ``(label)=`` above a heading in the book's pages."""
    labels = {}
    for folder in NOTEBOOK_DIRS:
        for page in pages(REPO_ROOT / folder):
            text = page.read_text(encoding="utf-8")
            for match in re.finditer(r"^\(([\w-]+)\)=[ \t]*\n+#+[ \t]+(.+)$", text, re.M):
                labels.setdefault(match.group(1), (page.relative_to(REPO_ROOT), match.group(2).strip()))
    return labels


def plain_markdown(source: str, page: Path) -> str:
    """MyST markup a notebook front end would show raw, as plain Markdown (see the module doc)."""
    def reference(match: re.Match) -> str:
        text, label = (match.group(1), match.group(2)) if match.group(2) else (None, match.group(3))
        target, title = page_labels().get(label, (None, label))
        text = text or title
        if target is None or not is_notebook(REPO_ROOT / target):
            return f"*{text}*"
        link = os.path.relpath(target.with_suffix(".ipynb"), page.parent).replace(os.sep, "/")
        return f"[{text}]({link})"

    source = LABEL.sub("", source)
    source = REF.sub(reference, source)
    return DROPDOWN.sub(lambda m: f"<details><summary>{m.group(1) or 'Details'}</summary>\n\n"
                                  f"{m.group(2).strip()}\n\n</details>", source)


def readable(notebook: nbformat.NotebookNode, relative: Path) -> nbformat.NotebookNode:
    """The notebook (at ``relative`` in the repository) as a reader outside the book should see it:
    plain Markdown, and none of the cells the book hides because they belong to another page."""
    # A solution notebook carries the exercise page's own cells (header, rubrics), hidden from
    # the book; a reader of the solutions should not see them either. Text tagged site-only is
    # about the site (its buttons, the repository's commands), which no notebook copy has.
    notebook.cells = [cell for cell in notebook.cells
                      if not {"exercise-only", "remove-cell"} <= set(cell.metadata.get("tags", []))
                      and "site-only" not in cell.metadata.get("tags", [])]
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = plain_markdown(cell.source, relative)
    return notebook


def export(path: Path, outdir: Path, target: str, executed_dir: Path | None = None) -> Path:
    """Write ``path`` (a MyST notebook) as ``outdir/<same relative path>.ipynb`` with a setup cell.

    The executed copy from the build (``executed_dir``) is used when it exists, so the notebook
    opens with its outputs.
    """
    relative = Path(path).resolve().relative_to(REPO_ROOT).with_suffix(".ipynb")
    executed = executed_dir / relative if executed_dir else None
    notebook = nbformat.read(executed, as_version=4) if executed and executed.exists() else jupytext.read(path)
    readable(notebook, relative)
    notebook.cells.insert(0, setup_cell(target, relative.parent.as_posix()))
    notebook.metadata.pop("jupytext", None)  # a plain notebook now, not paired with the .md
    target_path = Path(outdir) / relative
    target_path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.validate(notebook)
    # Outputs' text as one string, not nbformat's list of lines: JupyterLite serves the file as it
    # is (a Jupyter server would rejoin the lines), and its table of contents reads a Markdown
    # output (a measured sentence) as a string ("e.replace is not a function").
    target_path.write_text(json.dumps(rejoin_lines(notebook), indent=1, ensure_ascii=False) + "\n",
                           encoding="utf-8")
    return target_path

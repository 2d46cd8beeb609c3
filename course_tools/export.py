"""The course's notebooks as ``.ipynb`` for hosts that cannot read MyST Markdown or install the course.

Colab opens ``.ipynb`` files from GitHub only (the deploy workflow pushes these to the ``ipynb``
branch); JupyterLite runs them in the browser (``course_tools/book.py`` puts them in the site's
``lite/`` folder). Neither has the course's helpers installed, so a first cell, added here and
never written by hand in a chapter, provides them:

- Colab: clone the repository, install it (``pip install -e``) and work from the notebook's folder,
  as in a local clone.
- JupyterLite: the helpers are already in the browser's file system (``/drive``, beside the
  notebooks); only jupytext is installed, from PyPI, by Pyodide's package installer.

Both cells also provide ``myst_nb.glue`` when myst-nb is missing: in the book, ``glue`` files a
measured value for the prose; in a notebook its only visible effect is to display the value.
"""
from __future__ import annotations

from pathlib import Path

import jupytext
import nbformat

from course_tools import REPOSITORY
from course_tools.notebooks import REPO_ROOT

SETUP_TAG = "course-setup"

GLUE = '''
if importlib.util.find_spec("myst_nb") is None:
    # glue() files a value for the book's prose; in a notebook it only displays it.
    import types
    import IPython.display

    def glue(name, variable, display=True):
        if display:
            IPython.display.display(variable)

    sys.modules["myst_nb"] = types.ModuleType("myst_nb")
    sys.modules["myst_nb"].glue = glue'''

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
    os.chdir(os.path.join("course", "{folder}"))''' + GLUE,
    "lite": '''# JupyterLite: the course's helpers (course_tools) are in this browser's drive, one folder up;
# Pyodide's installer adds jupytext, which they use to read MyST notebooks.
import importlib.util, sys
import piplite
await piplite.install("jupytext")
sys.path.insert(0, "/drive")''' + GLUE,
}


def setup_cell(target: str, folder: str) -> nbformat.NotebookNode:
    source = SETUP[target].replace("{repository}", REPOSITORY).replace("{folder}", folder)
    return nbformat.v4.new_code_cell(source, metadata={"tags": [SETUP_TAG]})


def export(path: Path, outdir: Path, target: str, executed_dir: Path | None = None) -> Path:
    """Write ``path`` (a MyST notebook) as ``outdir/<same relative path>.ipynb`` with a setup cell.

    The executed copy from the build (``executed_dir``) is used when it exists, so the notebook
    opens with its outputs.
    """
    relative = Path(path).resolve().relative_to(REPO_ROOT).with_suffix(".ipynb")
    executed = executed_dir / relative if executed_dir else None
    notebook = nbformat.read(executed, as_version=4) if executed and executed.exists() else jupytext.read(path)
    notebook.cells.insert(0, setup_cell(target, relative.parent.as_posix()))
    notebook.metadata.pop("jupytext", None)  # a plain notebook now, not paired with the .md
    target_path = Path(outdir) / relative
    target_path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target_path)
    return target_path

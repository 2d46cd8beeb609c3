#!/usr/bin/env python3
"""Write every notebook as .ipynb (for Colab and downloads), with a setup cell for hosted runs.

Executed copies from the last build (_build/jupyter_execute) are used when present, so the
notebooks carry their outputs; the deploy workflow builds with --force first for that reason.
The first cell, when the course's helpers are missing (Colab), clones the repository, installs
it and moves into the notebook's folder, so relative paths work as in a clone.

    python3 tools/export_notebooks.py OUTDIR
"""
from __future__ import annotations

import sys
from pathlib import Path

import jupytext
import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from course_tools import REPOSITORY  # noqa: E402
from course_tools.notebooks import REPO_ROOT, all_notebooks  # noqa: E402

EXECUTED = REPO_ROOT / "_build" / "jupyter_execute"
SETUP = '''# Running outside a clone of the course (Colab, ...)? Fetch it and install its helpers.
import importlib.util, os, subprocess, sys
if importlib.util.find_spec("course_tools") is None:
    subprocess.run(["git", "clone", "--depth", "1", "{repository}", "course"], check=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "-e", "course",
                    "myst-nb"], check=True)
    sys.path.insert(0, os.path.abspath("course"))
    os.chdir(os.path.join("course", "{folder}"))'''


def export(path: Path, outdir: Path) -> Path:
    relative = path.relative_to(REPO_ROOT)
    executed = EXECUTED / relative.with_suffix(".ipynb")
    notebook = nbformat.read(executed, as_version=4) if executed.exists() else jupytext.read(path)
    source = SETUP.format(repository=REPOSITORY, folder=relative.parent.as_posix())
    setup = nbformat.v4.new_code_cell(source, metadata={"tags": ["colab-setup", "remove-cell"]})
    notebook.cells.insert(0, setup)
    notebook.metadata.pop("jupytext", None)
    target = outdir / relative.with_suffix(".ipynb")
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)
    return target


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    written = [export(path, Path(sys.argv[1])) for path in all_notebooks()]
    print(f"wrote {len(written)} notebooks to {sys.argv[1]}")

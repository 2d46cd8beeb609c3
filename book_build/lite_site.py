"""JupyterLite: a JupyterLite site in ``lite/`` holds every notebook (``book_build.export``),
their MyST sources and the helpers they import (no build code)."""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from book_build.export import export
from book_build.notebook_archive import LEARNER_FILES
from book_build.without_solutions import book_notebooks
from course_tools.notebooks import REPO_ROOT, all_notebooks

LITE_DIR = "lite"
LITE_APP = f"{LITE_DIR}/lab/index.html"


def write_contents(contents: Path, executed: Path, notebooks: list[Path] | None = None) -> None:
    """The files JupyterLite's drive starts with, laid out as in the repository."""
    for path in notebooks if notebooks is not None else all_notebooks():
        export(path, contents, "lite", executed)
        shutil.copy2(path, contents / path.relative_to(REPO_ROOT))  # load_chapter() reads the .md
    for pattern in LEARNER_FILES:
        for path in REPO_ROOT.glob(pattern):
            (contents / path.relative_to(REPO_ROOT)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, contents / path.relative_to(REPO_ROOT))


def write_lite_site(outdir: Path, executed: Path, notebooks: list[Path] | None = None) -> None:
    """JupyterLite (Pyodide kernel) built by its own CLI; ``--contents`` indexes the drive."""
    site = outdir / LITE_DIR
    shutil.rmtree(site, ignore_errors=True)  # no notebook left over from an earlier build
    with tempfile.TemporaryDirectory() as scratch:  # the build keeps its state file in its cwd
        contents = Path(scratch) / "contents"
        write_contents(contents, executed, notebooks)
        result = subprocess.run([Path(sys.executable).parent / "jupyter-lite", "build", "--apps", "lab",
                                 "--contents", contents, "--no-sourcemaps", "--no-unused-shared-packages",
                                 "--output-dir", site], cwd=scratch, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"the JupyterLite build failed:\n{result.stdout}{result.stderr}")


def lite_site_after_build(app, exception):
    if exception is not None or app.builder.name != "html":  # not the PDF's single page
        return
    outdir = Path(app.outdir)
    write_lite_site(outdir, outdir.parent / "jupyter_execute", book_notebooks(app))


def setup(app):
    app.connect("build-finished", lite_site_after_build)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

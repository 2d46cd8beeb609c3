"""JupyterLite: a JupyterLite site in ``lite/`` holds every notebook (``book_build.export``),
their MyST sources and the helpers."""
from __future__ import annotations

import json
import mimetypes
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from book_build.export import export
from course_tools.notebooks import REPO_ROOT, all_notebooks

LITE_DIR = "lite"
LITE_APP = f"{LITE_DIR}/lab/index.html"


def contents_model(path: Path, root: Path, content: list | None = None) -> dict:
    """A Jupyter contents API model: what JupyterLite reads from api/contents/<dir>/all.json."""
    when = datetime.fromtimestamp(path.stat().st_mtime, timezone.utc).isoformat().replace("+00:00", "Z")
    kind = "directory" if path.is_dir() else "notebook" if path.suffix == ".ipynb" else "file"
    relative = "" if path == root else path.relative_to(root).as_posix()
    return {"name": path.name if relative else "", "path": relative,
            "type": kind, "created": when, "last_modified": when, "writable": True,
            "content": content, "format": "json" if content is not None else None,
            "mimetype": mimetypes.guess_type(path.name)[0] if kind == "file" else None,
            "size": None if kind == "directory" else path.stat().st_size,
            "hash": None, "hash_algorithm": None}


def write_lite_site(outdir: Path, executed: Path) -> None:
    """JupyterLite (Pyodide kernel) with the notebooks, their MyST sources and the helpers.

    jupyterlite-core indexes contents only with jupyter_server installed (which slows every
    nbformat import by about 2 s), so the small contents index is written here instead.
    """
    site = outdir / LITE_DIR
    shutil.rmtree(site, ignore_errors=True)  # no notebook left over from an earlier build
    with tempfile.TemporaryDirectory() as lite_dir:  # the build keeps its state file there
        # The site's settings: contents are listed in api/contents/<folder>/all.json.
        (Path(lite_dir) / "jupyter-lite.json").write_text(json.dumps(
            {"jupyter-lite-schema-version": 0, "jupyter-config-data": {"contentsAllJsonFile": "all.json"}}))
        result = subprocess.run([sys.executable, "-m", "jupyterlite_core", "build", "--apps", "lab",
                                 "--no-sourcemaps", "--no-unused-shared-packages", "--output-dir", site],
                                cwd=lite_dir, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"the JupyterLite build failed:\n{result.stdout}{result.stderr}")
    files = site / "files"
    for path in all_notebooks():
        export(path, files, "lite", executed)
        shutil.copy2(path, files / path.relative_to(REPO_ROOT))  # load_chapter() reads the .md
    for pattern in ("course_tools/*.py", "benchmarks/results/*.json"):
        for path in REPO_ROOT.glob(pattern):
            (files / path.relative_to(REPO_ROOT)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, files / path.relative_to(REPO_ROOT))
    for folder in [files, *sorted(p for p in files.rglob("*") if p.is_dir())]:
        listing = contents_model(folder, files, [contents_model(p, files) for p in sorted(folder.iterdir())])
        index = site / "api" / "contents" / folder.relative_to(files) / "all.json"
        index.parent.mkdir(parents=True, exist_ok=True)
        index.write_text(json.dumps(listing, indent=1))


def lite_site_after_build(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    write_lite_site(outdir, outdir.parent / "jupyter_execute")


def setup(app):
    app.connect("build-finished", lite_site_after_build)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

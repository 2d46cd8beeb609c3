"""``course-notebooks.zip``: every notebook (MyST ``.md`` and executed ``.ipynb``) with the
requirements and helpers needed to run them, linked from every page's download menu."""
from __future__ import annotations

import zipfile
from pathlib import Path

from course_tools.notebooks import REPO_ROOT, all_notebooks

ARCHIVE = "course-notebooks.zip"
ARCHIVE_EXTRAS = ["README.md", "requirements.txt", "pyproject.toml", "tasks.py"]


def write_archive(outdir: Path, downloads: Path) -> None:
    """Every notebook as its MyST source and as the page's .ipynb download (in ``downloads``)."""
    with zipfile.ZipFile(outdir / ARCHIVE, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in all_notebooks():
            relative = path.relative_to(REPO_ROOT)
            archive.write(path, f"course/{relative}")
            download = downloads / relative.with_suffix(".ipynb")
            if download.exists():
                archive.write(download, f"course/{relative.with_suffix('.ipynb')}")
        for name in ARCHIVE_EXTRAS:
            archive.write(REPO_ROOT / name, f"course/{name}")
        for path in sorted((REPO_ROOT / "course_tools").glob("*.py")):
            archive.write(path, f"course/course_tools/{path.name}")
        for path in sorted((REPO_ROOT / "benchmarks" / "results").glob("*.json")):
            archive.write(path, f"course/benchmarks/results/{path.name}")


def archive_after_build(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    write_archive(Path(app.outdir), Path(app.outdir) / "_sources")


def setup(app):
    app.connect("build-finished", archive_after_build)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

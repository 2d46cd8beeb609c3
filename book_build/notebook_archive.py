"""``course-notebooks.zip``, a learner's kit linked from every page's download menu: every notebook
(MyST ``.md`` and executed ``.ipynb``), the helpers they import, the reader requirements and a
README written for the unzipped folder (``book_build/learner_kit/README.md``). No build code."""
from __future__ import annotations

import zipfile
from pathlib import Path

from book_build.downloads import downloads_folder
from book_build.without_solutions import book_notebooks
from course_tools.notebooks import REPO_ROOT, all_notebooks

ARCHIVE = "course-notebooks.zip"
KIT_README = Path(__file__).resolve().parent / "learner_kit" / "README.md"
# What `pip install -r requirements-jupyterlab.txt` needs in the kit: both requirement files, and
# pyproject.toml with course_tools/ for the `-e .` line; the licences (pyproject.toml names LICENSE).
KIT_FILES = ["requirements.txt", "requirements-jupyterlab.txt", "pyproject.toml", "LICENSE", "LICENSE-CONTENT"]
LEARNER_FILES = ("course_tools/*.py", "benchmarks/results/*.json")


def write_archive(outdir: Path, downloads: Path, notebooks: list[Path] | None = None) -> None:
    """Every notebook (or ``notebooks``) as its MyST source and as the page's .ipynb download."""
    with zipfile.ZipFile(outdir / ARCHIVE, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in notebooks if notebooks is not None else all_notebooks():
            relative = path.relative_to(REPO_ROOT)
            archive.write(path, f"course/{relative}")
            download = downloads / relative.with_suffix(".ipynb")
            if download.exists():
                archive.write(download, f"course/{relative.with_suffix('.ipynb')}")
        archive.write(KIT_README, "course/README.md")
        for name in KIT_FILES:
            archive.write(REPO_ROOT / name, f"course/{name}")
        for pattern in LEARNER_FILES:
            for path in sorted(REPO_ROOT.glob(pattern)):
                archive.write(path, f"course/{path.relative_to(REPO_ROOT).as_posix()}")


def archive_after_build(app, exception):
    if exception is not None or app.builder.name != "html":  # not the PDF's single page
        return
    write_archive(Path(app.outdir), downloads_folder(app), book_notebooks(app))


def setup(app):
    app.connect("build-finished", archive_after_build)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

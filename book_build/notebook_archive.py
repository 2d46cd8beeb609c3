"""``course-notebooks.zip``, a learner's kit linked from every page's download menu.

One format, in course order: every notebook as the page's executed ``.ipynb`` download, numbered
within its folder in the order of ``_toc.yml`` (``chapters/03_dot_product.ipynb``; links between
them follow the new names), and ``start.ipynb``, the course in that order with a note on how the
exercise checks work. With them: the helpers they import, the reader requirements and a README
written for the unzipped folder (``book_build/learner_kit/README.md``). No build code.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path

import nbformat
import yaml

from book_build.downloads import downloads_folder
from book_build.without_solutions import book_notebooks
from course_tools.feedback import TIME_LIMIT_SECONDS
from course_tools.notebooks import REPO_ROOT, is_notebook

ARCHIVE = "course-notebooks.zip"
KIT_README = Path(__file__).resolve().parent / "learner_kit" / "README.md"
START_PAGE = "start.ipynb"
# What `pip install -r requirements-jupyterlab.txt` needs in the kit: both requirement files, and
# pyproject.toml with course_tools/ for the `-e .` line; the licences (pyproject.toml names LICENSE).
KIT_FILES = ["requirements.txt", "requirements-jupyterlab.txt", "pyproject.toml", "LICENSE", "LICENSE-CONTENT"]
LEARNER_FILES = ("course_tools/*.py", "benchmarks/results/*.json")
LINK = re.compile(r"\]\(([^()\s]+\.ipynb)(#[^()\s]*)?\)")
SECTIONS = {"chapters": "Chapters", "exercises": "Exercises (try them before the solutions)",
            "solutions": "Solutions"}
CHECKS = f"""## How the checks work

Each exercise has an answer cell and, below it, a check cell. Write your answer, run the answer
cell, then the check: it prints `correct`, `not answered yet`, or a short message in red that
says what looks wrong, never the answer itself. A wrong answer does not stop the notebook: *Run
All* goes on to the next exercises, so you can fix answers one at a time.

A typed answer (a shape, a number, a letter) is compared with a fingerprint of the right one, so
the check does not contain it. A function you write runs on hidden test cases, on copies of the
inputs, within {TIME_LIMIT_SECONDS:g} seconds; if it raises an error, the message shows your line.
The checks live in `course_tools/`; you never need to edit them."""


def toc_files() -> list[str]:
    """Every page of the book (``chapters/intro``, …) in the order of ``_toc.yml``."""
    toc = yaml.safe_load((REPO_ROOT / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(entries):
        for entry in entries:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections", []) + entry.get("chapters", []))
    walk(toc.get("parts", []))
    return files


def course_order() -> list[Path]:
    """The notebooks (relative ``.ipynb`` paths) in the order of ``_toc.yml``."""
    return [Path(f).with_suffix(".ipynb") for f in toc_files() if is_notebook(REPO_ROOT / f"{f}.md")]


def kit_names() -> dict[Path, Path]:
    """Each notebook's name in the kit: numbered within its folder, in course order."""
    names, counts = {}, {}
    for relative in course_order():
        counts[relative.parent] = counts.get(relative.parent, 0) + 1
        names[relative] = relative.parent / f"{counts[relative.parent]:02d}_{relative.name}"
    return names


def renamed_links(notebook: nbformat.NotebookNode, relative: Path, names: dict[Path, Path]) -> None:
    """Links between notebooks, pointed at their numbered names."""
    folder = relative.parent.as_posix()

    def rename(match: re.Match) -> str:
        target = Path(posixpath.normpath(posixpath.join(folder, match.group(1))))
        if target not in names:
            return match.group(0)
        link = posixpath.relpath(names[target].as_posix(), folder)
        return f"]({link}{match.group(2) or ''})"
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = LINK.sub(rename, cell.source)


def title(relative: Path) -> str:
    text = (REPO_ROOT / relative.with_suffix(".md")).read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]  # after the front matter, whose comments start with #
    return re.search(r"^# (.+)$", body, re.M).group(1).strip()


def start_page(names: dict[Path, Path]) -> nbformat.NotebookNode:
    lines = ["# Implementing Mathematics with NumPy: start here", "",
             "The notebooks of the course, in order. Open one, run its cells from the top, and "
             "change what you like: it is your copy."]
    for folder, heading in SECTIONS.items():
        lines += ["", f"## {heading}", ""]
        pages = [(old, new) for old, new in names.items() if old.parts[0] == folder]
        if not pages:  # the solutions, in a build that leaves them out
            continue
        lines += [f"{n}. [{title(old)}]({new.as_posix()})" for n, (old, new) in enumerate(pages, 1)]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("\n".join(lines)),
                                               nbformat.v4.new_markdown_cell(CHECKS)])
    notebook.metadata.kernelspec = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                    "name": "python3"}
    return notebook


def kit_readme(shipped_solutions: bool) -> str:
    """The kit's README; without its mentions of the solutions when the kit has none (a build
    without solutions)."""
    text = KIT_README.read_text()
    if shipped_solutions:
        return text
    lines = [line for line in text.splitlines(keepends=True) if not line.startswith("| `solutions/` |")]
    return "".join(lines).replace("the chapters, the exercises and their solutions", "the chapters and the exercises")


def write_archive(outdir: Path, downloads: Path, notebooks: list[Path] | None = None) -> None:
    """The kit, from the pages' ``.ipynb`` downloads (in ``downloads``), rewritten in plain
    Markdown by ``book_build.downloads``; only ``notebooks`` (absolute ``.md`` paths) if given."""
    names = kit_names()
    if notebooks is not None:
        shipped = {path.relative_to(REPO_ROOT).with_suffix(".ipynb") for path in notebooks}
        names = {old: new for old, new in names.items() if old in shipped}
    with zipfile.ZipFile(outdir / ARCHIVE, "w", zipfile.ZIP_DEFLATED) as archive:
        for relative, name in names.items():
            notebook = nbformat.read(downloads / relative, as_version=4)
            renamed_links(notebook, relative, names)
            archive.writestr(f"course/{name.as_posix()}", nbformat.writes(notebook))
        archive.writestr(f"course/{START_PAGE}", nbformat.writes(start_page(names)))
        archive.writestr("course/README.md", kit_readme(shipped_solutions=any(
            new.parts[0] == "solutions" for new in names.values())))
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

"""The book without its solutions, for instructors who hand them out later.

``python3 tasks.py build --no-solutions [OUTDIR]`` builds the book with a table of contents that
has no ``solutions/`` page (written by this module's command line, below). The build then:

- links no solution page: a cross-reference to a solution label (``solutions-level-a``, …)
  renders as its plain text, where the full book has a link;
- ships no solution notebook in the JupyterLite site or ``course-notebooks.zip``
  (:func:`book_notebooks`), and so no Colab or JupyterLite button leads to one; the exercise
  notebooks there name the solutions without linking them (:func:`unlink_solution_notebooks`);
- reuses the full build's execution cache (``_build/.jupyter_cache``): nothing is executed twice.

The full build is unchanged: its table of contents lists the solutions.

    python -m book_build.without_solutions TOC   # write _toc.yml without the solutions to TOC
    python -m book_build.without_solutions --colab OUTDIR   # the Colab notebooks without them

The second writes what ``python3 tasks.py export OUTDIR`` writes for the ``ipynb`` branch, less
the solution notebooks, the exercises naming the solutions without linking them as well. The deploy
workflow runs both when the repository variable ``HIDE_SOLUTIONS`` is ``true``.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import yaml

from book_build import export as export_module
from course_tools.notebooks import REPO_ROOT, all_notebooks

SOLUTIONS = "solutions/"
FULL_BUILD_CACHE = REPO_ROOT / "_build" / ".jupyter_cache"


def _without_solutions(entries: list[dict]) -> list[dict]:
    kept = []
    for entry in entries:
        if str(entry.get("file", "")).startswith(SOLUTIONS):
            continue
        entry = dict(entry)
        for key in ("chapters", "sections", "parts"):
            if key in entry:
                entry[key] = _without_solutions(entry[key])
        if any(key in entry and not entry[key] for key in ("chapters", "sections", "parts")):
            continue  # a part whose pages were all solutions
        kept.append(entry)
    return kept


def toc_without_solutions(toc: dict) -> dict:
    return {**toc, "parts": _without_solutions(toc["parts"])}


def _files(entries: list[dict]):
    for entry in entries:
        if "file" in entry:
            yield str(entry["file"])
        for key in ("chapters", "sections", "parts"):
            yield from _files(entry.get(key, []))


def solutions_left_out(config) -> bool:
    """Whether the book being built lists no solution page (jupyter-book's ``--toc`` option)."""
    toc = yaml.safe_load(Path(config.external_toc_path).read_text())
    files = [toc["root"], *_files(toc.get("parts", []))]
    return not any(f.startswith(SOLUTIONS) for f in files)


def book_notebooks(app) -> list[Path]:
    """The notebooks the kit and JupyterLite ship: every one, less the solutions when left out."""
    if not app.config.course_solutions_left_out:
        return all_notebooks()
    return [p for p in all_notebooks() if not is_solution(p)]


def configure(app, config):
    config.course_solutions_left_out = solutions_left_out(config)
    if config.course_solutions_left_out:  # render from the full build's cache, into another folder
        config.nb_execution_cache_path = str(FULL_BUILD_CACHE)
        unlink_solution_notebooks()  # in the JupyterLite site and the notebook archive


def unlink_solutions(app, env, node, contnode):
    """A reference to a solution page that is not built: its text, without a link."""
    if app.config.course_solutions_left_out and node.get("reftarget", "").startswith("solutions-"):
        return contnode
    return None


def setup(app):
    app.add_config_value("course_solutions_left_out", False, "env")
    app.connect("config-inited", configure)
    app.connect("missing-reference", unlink_solutions)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def is_solution(notebook: Path) -> bool:
    return notebook.resolve().relative_to(REPO_ROOT).as_posix().startswith(SOLUTIONS)


def unlink_solution_notebooks() -> None:
    """From now on in this process, book_build.export writes a reference to a solution page as
    it writes one to a page without a notebook, its text in italics: no link to a notebook left
    out. (It reads the labels of the book's pages once per process, and a build, or an export,
    without the solutions is a process of its own.)"""
    labels = export_module.page_labels()
    for label in [label for label, (page, _) in labels.items() if page.as_posix().startswith(SOLUTIONS)]:
        del labels[label]


def export_without_solutions(outdir: Path, executed: Path) -> list[Path]:
    """The Colab notebooks without the solutions."""
    unlink_solution_notebooks()
    return [export_module.export(notebook, outdir, "colab", executed)
            for notebook in all_notebooks() if not is_solution(notebook)]


def write_toc(path: Path) -> None:
    full = yaml.safe_load((REPO_ROOT / "_toc.yml").read_text())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# Generated by book_build.without_solutions from _toc.yml: the book without its "
                    "solutions.\n" + yaml.safe_dump(toc_without_solutions(full), sort_keys=False))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("toc", type=Path, nargs="?", help="write _toc.yml without the solutions here")
    parser.add_argument("--colab", type=Path, metavar="OUTDIR", help="write the Colab notebooks here")
    parser.add_argument("--executed", type=Path, default=REPO_ROOT / "_build" / "jupyter_execute",
                        help="the executed notebooks of the full build (default: %(default)s)")
    args = parser.parse_args()
    if args.toc:
        write_toc(args.toc)
    if args.colab:
        print(f"wrote {len(export_without_solutions(args.colab, args.executed))} notebooks to {args.colab}")

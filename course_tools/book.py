"""Sphinx extension for the book: the reader's ways in and out, built with the site.

Enabled in _config.yml (``sphinx: extra_extensions``).

- Offline math: MathJax 3 is served by the site itself (copied from the ``django-static-mathjax``
  wheel, which holds nothing else), so math typesets without a CDN.
- Downloads with outputs: a notebook served from the execution cache is written by myst-nb to
  ``jupyter_execute`` without its outputs, and that file is the page's ``.ipynb`` download; the
  cached outputs are merged back in before the pages are written, and the download is rewritten
  in plain Markdown (``course_tools.export.readable``): no MyST markup shown raw.
- Colab opens only ``.ipynb`` files from GitHub. The theme links Colab to the page's ``.md``
  source; we point it at the ``.ipynb`` of the same path on the ``ipynb`` branch, which the
  deploy workflow fills (``tools/export_notebooks.py``).
- JupyterLite: a JupyterLite site in ``lite/`` holds every notebook (``course_tools.export``) and
  the helpers; the theme's JupyterLite button is made relative to the page.
- ``course-notebooks.zip``: every notebook (MyST ``.md`` and executed ``.ipynb``) with the
  requirements and helpers needed to run them, linked from every page's download menu.
- Figures legible on a phone and sharp on any screen: the kernels that execute the book plot SVG
  with real text (``FIGURES``), at sizes readable when a figure is shrunk to a phone's width.
- The whole course as one PDF (``PDF``), linked from every page's download menu: Sphinx's
  single-page HTML of the book, from the same execution cache, printed by the Chromium the browser
  tests use (``python -m course_tools.book pdf``); skipped, with a message, without Chromium.
- ``index.html`` sends the reader to the first page, with a title and a link for browsers that
  do not follow the redirect.
- Two console errors on every page are removed at the source: sphinx-thebe's duplicated
  config script, and the theme's complaint about an unset default colour mode.
"""
from __future__ import annotations

import json
import mimetypes
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import datetime, timezone
from importlib.util import find_spec
from pathlib import Path

import nbformat

from course_tools.export import export, readable
from course_tools.notebooks import REPO_ROOT, all_notebooks

MATHJAX_SOURCE = Path(find_spec("mathjax").origin).parent / "static" / "mathjax" / "es5"
MATHJAX_BUNDLE = "tex-mml-chtml.js"
MATHJAX_TARGET = "_static/mathjax"
IPYNB_BRANCH = "ipynb"
LITE_DIR = "lite"
LITE_APP = f"{LITE_DIR}/lab/index.html"
ARCHIVE = "course-notebooks.zip"
ARCHIVE_EXTRAS = ["README.md", "requirements.txt", "pyproject.toml", "tasks.py"]
PDF = "implementing-mathematics-with-numpy.pdf"
CHROMIUM = Path(shutil.which("chromium") or "/usr/bin/chromium")
INDEX = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title}</title>
<meta http-equiv="Refresh" content="0; url={first}">
<link rel="canonical" href="{first}"></head>
<body><p><a href="{first}">{title}: start reading</a></p></body></html>
"""


def can_print_pdf() -> bool:
    return CHROMIUM.exists() and find_spec("playwright") is not None


# The kernels' figure settings (IPython config, so one place serves every notebook): SVG, text
# kept as text (sharp at any zoom, measurable by the browser test), and type that stays >= 9 px,
# exponents (70 %) included, when a figure at most 4.4 inches wide fills a phone's 342 px column.
FIGURES = {
    "figure_formats": {"svg"},
    "rc": {"figure.figsize": (4.4, 3.3), "font.size": 13, "svg.fonttype": "none",
           "legend.fontsize": "medium", "figure.titlesize": "large"},
}


def configure_kernel_figures(app, config):
    """Point the executing kernels at an IPython profile holding ``FIGURES``."""
    ipython = Path(app.outdir).parent / ".ipython"
    profile = ipython / "profile_default"
    profile.mkdir(parents=True, exist_ok=True)
    (profile / "ipython_kernel_config.py").write_text(
        "".join(f"c.InlineBackend.{key} = {value!r}\n" for key, value in FIGURES.items()))
    os.environ["IPYTHONDIR"] = str(ipython)  # inherited by the kernels the build starts


def use_local_mathjax(app, config):
    config.mathjax_path = f"mathjax/{MATHJAX_BUNDLE}"  # relative to _static
    # Without a default the theme's script logs "Got invalid theme mode" on a reader's first visit.
    config.html_context.setdefault("default_mode", "auto")


def restore_cached_outputs(app, env):
    """Merge the execution cache's outputs into the notebooks written to jupyter_execute."""
    from jupyter_cache import get_cache

    config = env.mystnb_config
    if config.execution_mode != "cache":
        return
    cache = get_cache(config.execution_cache_path)
    for path in Path(config.output_folder).rglob("*.ipynb"):
        notebook = nbformat.read(path, as_version=4)
        try:
            _, merged = cache.merge_match_into_notebook(notebook)
        except KeyError:  # not executed (or failed): nothing cached to merge
            continue
        if merged != notebook:
            nbformat.write(merged, path)


def adjust_buttons(app, pagename, templatename, context, doctree):
    for group in context.get("header_buttons", []):
        for button in group.get("buttons", []):
            url = button.get("url", "")
            if button.get("text") == "Colab" and url.endswith(".md"):
                url = url.removesuffix(".md") + ".ipynb"
                button["url"] = re.sub(r"/blob/[^/]+/", f"/blob/{IPYNB_BRANCH}/", url, count=1)
            elif button.get("text") == "JupyterLite" and url.startswith(LITE_APP):
                button["url"] = context["pathto"](LITE_APP, 1) + url.removeprefix(LITE_APP)
        if group.get("label") == "download-buttons":
            group["buttons"].insert(-1, {
                "type": "link", "url": context["pathto"](ARCHIVE, 1), "text": "all notebooks (.zip)",
                "tooltip": "Download every notebook with requirements.txt (.zip)",
                "icon": "fas fa-file-zipper", "label": "download-archive-button"})
            if can_print_pdf():
                group["buttons"].insert(-1, {
                    "type": "link", "url": context["pathto"](PDF, 1),
                    "text": "whole course (.pdf)",
                    "tooltip": "Download the whole course as one PDF",
                    "icon": "fas fa-file-pdf", "label": "download-course-pdf-button"})


def drop_duplicate_scripts(app, pagename, templatename, context, doctree):
    """sphinx-thebe 0.3.1 registers its config script twice; the second `const` is a JS error."""
    seen, unique = set(), []
    for script in context.get("script_files", []):
        attributes = tuple(sorted(getattr(script, "attributes", {}).items()))
        key = (getattr(script, "filename", script) or "", attributes)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


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


def copy_mathjax(outdir: Path) -> None:
    shutil.rmtree(outdir / MATHJAX_TARGET, ignore_errors=True)
    shutil.copytree(MATHJAX_SOURCE, outdir / MATHJAX_TARGET,
                    # only the bundle the pages load, and the parts it loads on demand
                    ignore=lambda folder, names: [n for n in names if Path(folder) == MATHJAX_SOURCE
                                                  and n.endswith(".js") and n != MATHJAX_BUNDLE])


def write_outputs(app, exception):
    if exception is not None or app.builder.name != "html":  # not the PDF's single page
        return
    outdir = Path(app.outdir)
    executed = outdir.parent / "jupyter_execute"
    copy_mathjax(outdir)
    downloads = outdir / "_sources"  # the pages' .ipynb downloads, copied from jupyter_execute
    for path in downloads.rglob("*.ipynb"):
        nbformat.write(readable(nbformat.read(path, as_version=4), path.relative_to(downloads)), path)
    write_archive(outdir, downloads)
    write_lite_site(outdir, executed)
    write_pdf(app, outdir)


def write_index(app, exception):
    """A titled redirect to the first page (after sphinx-external-toc's bare one)."""
    if exception is None and app.builder.name == "html":
        first = app.builder.get_target_uri(app.config.root_doc)
        (Path(app.outdir) / "index.html").write_text(
            INDEX.format(title=app.config.project, first=first), encoding="utf-8")


def write_pdf(app, outdir: Path) -> None:
    """The whole course as one PDF, from a single-page HTML build that reuses the cache."""
    if not can_print_pdf():
        print(f"no PDF of the course: needs Chromium at {CHROMIUM} and playwright")
        return
    pages = [p for p in outdir.rglob("*.html") if LITE_DIR not in p.parts]
    if (outdir / PDF).exists() and (outdir / PDF).stat().st_mtime > max(
            p.stat().st_mtime for p in pages if p.name != "index.html"):
        return  # no page changed since the PDF was printed
    start = time.perf_counter()
    single = outdir.parent / "singlehtml"
    cache = app.env.mystnb_config.execution_cache_path
    subprocess.run([sys.executable, "-m", "course_tools.book", "pdf", str(app.srcdir),
                    str(single), str(cache), str(outdir / PDF), app.config.root_doc],
                   check=True)
    size = (outdir / PDF).stat().st_size
    print(f"PDF of the course: {outdir / PDF}, {size / 1e6:.1f} MB, "
          f"{time.perf_counter() - start:.0f} s")


def build_pdf(source: Path, single: Path, cache: str, pdf: Path, root: str) -> None:
    """Sphinx's single-page HTML of the book, printed to ``pdf`` by Chromium."""
    from jupyter_book.sphinx import build_sphinx
    from playwright.sync_api import sync_playwright

    shutil.rmtree(single, ignore_errors=True)
    result = build_sphinx(source, single, builder="singlehtml", noconfig=True,
                          path_config=str(source / "_config.yml"), really_quiet=True,
                          confoverrides={"latex_individualpages": False,
                                         "nb_execution_mode": "cache",
                                         "nb_execution_cache_path": cache})
    if result:
        raise RuntimeError(f"the single-page build for the PDF failed: {result}")
    copy_mathjax(single)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = browser.new_page()
        # The single page links its assets as if it sat at the top of the folder.
        top = single / "course.html"
        top.write_bytes((single / f"{root}.html").read_bytes())
        page.goto(top.as_uri(), wait_until="load")
        page.wait_for_function("() => !window.MathJax || window.MathJax.startup?.promise")
        page.evaluate("() => window.MathJax?.startup?.promise")
        page.pdf(path=str(pdf), format="A4", print_background=True,
                 margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"})
        browser.close()


def setup(app):
    app.connect("config-inited", use_local_mathjax)
    app.connect("config-inited", configure_kernel_figures)
    app.connect("env-updated", restore_cached_outputs)
    app.connect("html-page-context", adjust_buttons, priority=900)
    app.connect("html-page-context", drop_duplicate_scripts, priority=900)
    app.connect("build-finished", write_outputs)
    app.connect("build-finished", write_index, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__" and sys.argv[1:2] == ["pdf"]:
    source, single, cache, pdf, root = sys.argv[2:]
    build_pdf(Path(source), Path(single), cache, Path(pdf), root)

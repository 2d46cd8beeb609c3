"""The whole course as one PDF, linked from every page's download menu.

Sphinx's single-page HTML of the book, from the same execution cache, printed by the Chromium
the browser tests use (``python -m book_build.course_pdf SOURCE WORK CACHE PDF ROOT TOC``). The
html build starts it in a subprocess as soon as every notebook has been executed, so it
runs on the other core while the pages are written, and waits for it before finishing. Its
single page, doctrees and notebook outputs go to a folder of their own (``pdf/`` beside the
site): shared with the html build, they would be written by both at once, and the html build
would find the single page's environment and re-read every page. A complete site has the PDF,
so the build fails without Chromium; ``tasks.py`` finds or installs one and names it in
``COURSE_CHROMIUM``.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from importlib.util import find_spec
from pathlib import Path

PDF = "implementing-mathematics-with-numpy.pdf"
# The browser that tasks.py found or installed, else the system's (the browser tests use it too).
CHROMIUM = Path(os.environ.get("COURSE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium")


def can_print_pdf() -> bool:
    return CHROMIUM.exists() and find_spec("playwright") is not None


def start_pdf(app, env, docnames) -> None:
    """Every notebook executed (book_build.parallel_execution): print the PDF while the pages are
    read and written."""
    if app.builder.name != "html":  # not the PDF's own single page
        return
    if not can_print_pdf():
        raise RuntimeError(f"no PDF of the course: it needs Chromium (none at {CHROMIUM}) and playwright; "
                           "`python3 tasks.py build` provides both")
    outdir = Path(app.outdir)
    app.course_pdf = (time.perf_counter(), subprocess.Popen([
        sys.executable, "-m", __name__, str(app.srcdir), str(outdir.parent / "pdf"),
        str(env.mystnb_config.execution_cache_path), str(outdir / PDF),
        app.config.root_doc, app.config.external_toc_path]))


def write_pdf(app, exception) -> None:
    started = getattr(app, "course_pdf", None)
    if started is None:
        return
    start, process = started
    if exception is not None:  # the site failed: no PDF to wait for
        process.kill()
        process.wait()
        return
    if process.wait() != 0:
        raise RuntimeError(f"the course PDF was not printed (exit status {process.returncode})")
    pdf = Path(app.outdir) / PDF
    print(f"PDF of the course: {pdf}, {pdf.stat().st_size / 1e6:.1f} MB, "
          f"{time.perf_counter() - start:.0f} s beside the pages")


def build_pdf(source: Path, work: Path, cache: str, pdf: Path, root: str, toc: str) -> None:
    """Sphinx's single-page HTML of the book (in ``work``), printed to ``pdf`` by Chromium."""
    from jupyter_book.sphinx import build_sphinx
    from playwright.sync_api import sync_playwright

    shutil.rmtree(work, ignore_errors=True)
    single = work / "singlehtml"
    result = build_sphinx(source, single, builder="singlehtml", noconfig=True,
                          path_config=str(source / "_config.yml"), really_quiet=True,
                          confoverrides={"latex_individualpages": False,
                                         "nb_execution_mode": "cache",
                                         "nb_execution_cache_path": cache,
                                         "external_toc_path": toc})
    if result:
        raise RuntimeError(f"the single-page build for the PDF failed: {result}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                             args=["--no-sandbox"])
        page = browser.new_page()
        # The single page links its assets as if it sat at the top of the folder.
        top = single / "course.html"
        top.write_bytes((single / f"{root}.html").read_bytes())
        page.goto(top.as_uri(), wait_until="load")
        page.pdf(path=str(pdf), format="A4", print_background=True,
                 margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"})
        browser.close()


def setup(app):
    app.connect("env-before-read-docs", start_pdf, priority=900)  # after parallel_execution
    app.connect("build-finished", write_pdf, priority=950)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    source, work, cache, pdf, root, toc = sys.argv[1:]
    build_pdf(Path(source), Path(work), cache, Path(pdf), root, toc)

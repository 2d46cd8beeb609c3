"""The whole course as one PDF, linked from every page's download menu.

Sphinx's single-page HTML of the book, from the same execution cache, printed by the Chromium
the browser tests use (``python -m book_build.course_pdf SOURCE SINGLE CACHE PDF ROOT TOC``, run by
the html build in a subprocess). A complete site has the PDF, so the build fails without
Chromium; ``tasks.py`` finds or installs one and names it in ``COURSE_CHROMIUM``.
"""
from __future__ import annotations

import hashlib
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


def write_pdf(app, exception) -> None:
    if exception is not None or app.builder.name != "html":  # not the PDF's own single page
        return
    if not can_print_pdf():
        raise RuntimeError(f"no PDF of the course: it needs Chromium (none at {CHROMIUM}) and playwright; "
                           "`python3 tasks.py build` provides both")
    outdir = Path(app.outdir)
    # Sphinx rewrites every page on each build, so a page's content, not its mtime, says
    # whether the PDF is stale.
    pages = hashlib.sha256()
    for doc in sorted(app.env.found_docs):
        pages.update((outdir / app.builder.get_target_uri(doc)).read_bytes())
    stamp = outdir.parent / "pdf-pages.sha256"
    if (outdir / PDF).exists() and stamp.exists() and stamp.read_text() == pages.hexdigest():
        return  # no page changed since the PDF was printed
    start = time.perf_counter()
    cache = app.env.mystnb_config.execution_cache_path
    subprocess.run([sys.executable, "-m", __name__, str(app.srcdir),
                    str(outdir.parent / "singlehtml"), str(cache), str(outdir / PDF),
                    app.config.root_doc, app.config.external_toc_path], check=True)
    size = (outdir / PDF).stat().st_size
    stamp.write_text(pages.hexdigest())
    print(f"PDF of the course: {outdir / PDF}, {size / 1e6:.1f} MB, "
          f"{time.perf_counter() - start:.0f} s")


def build_pdf(source: Path, single: Path, cache: str, pdf: Path, root: str, toc: str) -> None:
    """Sphinx's single-page HTML of the book, printed to ``pdf`` by Chromium."""
    from jupyter_book.sphinx import build_sphinx
    from playwright.sync_api import sync_playwright

    shutil.rmtree(single, ignore_errors=True)
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
    app.connect("build-finished", write_pdf, priority=950)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    source, single, cache, pdf, root, toc = sys.argv[1:]
    build_pdf(Path(source), Path(single), cache, Path(pdf), root, toc)

"""Each page's ``.ipynb`` download (``_sources/``, copied from ``jupyter_execute``) rewritten in
plain Markdown (``book_build.export.readable``): no MyST markup shown raw."""
from __future__ import annotations

from pathlib import Path

import nbformat

from book_build.export import readable


def downloads_folder(app) -> Path:
    return Path(app.outdir) / "_sources"


def rewrite_downloads(app, exception):
    if exception is not None or app.builder.name != "html":  # not the PDF's single page
        return
    downloads = downloads_folder(app)
    for path in downloads.rglob("*.ipynb"):
        nbformat.write(readable(nbformat.read(path, as_version=4), path.relative_to(downloads)), path)


def setup(app):
    # Before the archive (default priority 500), which packs these downloads.
    app.connect("build-finished", rewrite_downloads, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""Figures legible on a phone, sharp on any screen, and laid out properly.

The kernels that execute the book plot SVG with real text, at sizes readable when a figure is
shrunk to a phone's width, and ``plt.show()`` fails a figure whose layout is broken
(book_build.figure_layout). IPython config, so one place serves every notebook.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

# SVG, text kept as text (sharp at any zoom, measurable by the browser test), and type that stays
# >= 9 px, exponents (70 %) included, when a figure at most 4.4 inches wide fills a phone's 342 px
# column.
FIGURES = {
    "figure_formats": {"svg"},
    "rc": {"figure.figsize": (4.4, 3.3), "font.size": 13, "svg.fonttype": "none",
           "legend.fontsize": "medium", "figure.titlesize": "large",
           # every pyplot figure is watched: plt.show() checks its layout first
           "figure.hooks": ["book_build.figure_layout:watch"]},
}


def configure_kernel_figures(app, config):
    """Point the executing kernels at an IPython profile holding ``FIGURES``."""
    ipython = Path(app.outdir).parent / ".ipython"
    profile = ipython / "profile_default"
    profile.mkdir(parents=True, exist_ok=True)
    (profile / "ipython_kernel_config.py").write_text(
        "".join(f"c.InlineBackend.{key} = {value!r}\n" for key, value in FIGURES.items()))
    os.environ["IPYTHONDIR"] = str(ipython)  # inherited by the kernels the build starts
    # the kernels run in each page's folder: book_build (the figure hook) from the book's root
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(app.srcdir), os.environ.get("PYTHONPATH")]))


SVG_IMAGE = re.compile(r'<img (?![^>]*\bwidth=)([^>]*?\bsrc="([^"]+\.svg)")')
SVG_SIZE = re.compile(r'<svg[^>]*?\bwidth="([\d.]+)pt"[^>]*?\bheight="([\d.]+)pt"')
PX_PER_PT = 4 / 3


def size_figure_images(app, exception):
    """Each SVG figure's ``<img>`` gets the figure's own width and height (CSS px), so the page
    keeps its place while the image loads (no layout shift; course.css scales it to the column)."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    for page in outdir.rglob("*.html"):
        if page.is_relative_to(outdir / "lite"):
            continue
        html = page.read_text(encoding="utf-8")

        def sized(match):
            svg = (page.parent / match[2]).resolve()
            size = SVG_SIZE.search(svg.read_text(encoding="utf-8")[:2000]) if svg.is_file() else None
            if size is None:
                return match[0]
            width, height = (round(float(value) * PX_PER_PT) for value in size.groups())
            return f'<img width="{width}" height="{height}" {match[1]}'

        new = SVG_IMAGE.sub(sized, html)
        if new != html:
            page.write_text(new, encoding="utf-8")


def setup(app):
    app.connect("config-inited", configure_kernel_figures)
    app.connect("build-finished", size_figure_images)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""Figures legible on a phone and sharp on any screen.

The kernels that execute the book plot SVG with real text, at sizes readable when a figure is
shrunk to a phone's width. IPython config, so one place serves every notebook.
"""
from __future__ import annotations

import os
from pathlib import Path

# SVG, text kept as text (sharp at any zoom, measurable by the browser test), and type that stays
# >= 9 px, exponents (70 %) included, when a figure at most 4.4 inches wide fills a phone's 342 px
# column.
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


def setup(app):
    app.connect("config-inited", configure_kernel_figures)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""MathJax 3 served by the site itself (copied from the ``django-static-mathjax`` wheel, which
holds nothing else), so math typesets without a CDN."""
from __future__ import annotations

import shutil
from importlib.util import find_spec
from pathlib import Path

MATHJAX_SOURCE = Path(find_spec("mathjax").origin).parent / "static" / "mathjax" / "es5"
MATHJAX_BUNDLE = "tex-mml-chtml.js"
MATHJAX_TARGET = "_static/mathjax"


def use_local_mathjax(app, config):
    config.mathjax_path = f"mathjax/{MATHJAX_BUNDLE}"  # relative to _static


def copy_mathjax(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    shutil.rmtree(outdir / MATHJAX_TARGET, ignore_errors=True)
    shutil.copytree(MATHJAX_SOURCE, outdir / MATHJAX_TARGET,
                    # only the bundle the pages load, and the parts it loads on demand
                    ignore=lambda folder, names: [n for n in names if Path(folder) == MATHJAX_SOURCE
                                                  and n.endswith(".js") and n != MATHJAX_BUNDLE])


def setup(app):
    app.connect("config-inited", use_local_mathjax)
    app.connect("build-finished", copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

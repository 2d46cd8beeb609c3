"""Sphinx extension for the book: offline math, Colab links to .ipynb, one archive of notebooks.

Enabled in _config.yml (``sphinx: extra_extensions``).

- MathJax 2.7 is served from the site itself (copied from the ``jupyter-server-mathjax`` wheel),
  so math typesets without a CDN: for readers behind firewalls, and for the browser test.
- Colab opens only ``.ipynb`` files from GitHub. The theme links Colab to the page's ``.md``
  source; we point it at the ``.ipynb`` of the same path on the ``ipynb`` branch, which the
  deploy workflow fills with executed notebooks (``tools/export_notebooks.py``).
- ``course-notebooks.zip``: every notebook (MyST ``.md`` and executed ``.ipynb``) with the
  requirements and helpers needed to run them, written next to the HTML.
"""
from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import jupyter_server_mathjax

from course_tools.notebooks import NOTEBOOK_DIRS, REPO_ROOT, all_notebooks

MATHJAX_SOURCE = Path(jupyter_server_mathjax.__file__).parent / "static"
MATHJAX_TARGET = "_static/mathjax"
IPYNB_BRANCH = "ipynb"
ARCHIVE = "course-notebooks.zip"
ARCHIVE_EXTRAS = ["README.md", "requirements.txt", "pyproject.toml", "tasks.py"]


def use_local_mathjax(app, config):
    config.mathjax_path = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full"
    # MathJax 2 configuration. myst-nb marks notebook sections tex2jax_ignore and the math inside
    # them with class "math"; processClass wins over an ignored ancestor.
    config.mathjax2_config = {"tex2jax": {"processClass": "math|output_area|tex2jax_process|mathjax_process",
                                          "ignoreClass": "tex2jax_ignore|mathjax_ignore|document",
                                          "processEscapes": True}}
    config.myst_update_mathjax = False  # its settings are MathJax 3's


def point_colab_at_ipynb(app, pagename, templatename, context, doctree):
    for group in context.get("header_buttons", []):
        for button in group.get("buttons", []):
            if button.get("text") == "Colab" and button["url"].endswith(".md"):
                url = button["url"].removesuffix(".md") + ".ipynb"
                button["url"] = re.sub(r"/blob/[^/]+/", f"/blob/{IPYNB_BRANCH}/", url, count=1)


def write_outputs(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    shutil.copytree(MATHJAX_SOURCE, outdir / MATHJAX_TARGET, dirs_exist_ok=True)
    executed = Path(app.outdir).parent / "jupyter_execute"
    with zipfile.ZipFile(outdir / ARCHIVE, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in all_notebooks():
            relative = path.relative_to(REPO_ROOT)
            archive.write(path, f"course/{relative}")
            run = executed / relative.with_suffix(".ipynb")
            if run.exists():
                archive.write(run, f"course/{relative.with_suffix('.ipynb')}")
        for name in ARCHIVE_EXTRAS:
            archive.write(REPO_ROOT / name, f"course/{name}")
        for path in sorted((REPO_ROOT / "course_tools").glob("*.py")):
            archive.write(path, f"course/course_tools/{path.name}")
        for path in sorted((REPO_ROOT / "benchmarks" / "results").glob("*.json")):
            archive.write(path, f"course/benchmarks/results/{path.name}")


def setup(app):
    app.connect("config-inited", use_local_mathjax)
    app.connect("html-page-context", point_colab_at_ipynb, priority=900)
    app.connect("build-finished", write_outputs)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

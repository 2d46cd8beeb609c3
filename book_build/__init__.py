"""The book build: a Sphinx extension for the reader's ways in and out, one module per job.

Loaded by _config.yml (``sphinx: local_extensions``); nothing here is shipped to learners.

- ``parallel_execution``: the notebooks executed one per core before Sphinx reads them.
- ``mathml``: math rendered to MathML at build time (no script, no layout shift).
- ``cached_outputs``: notebooks served from the execution cache get their outputs back.
- ``header_buttons``: Colab opens the ``ipynb`` branch, JupyterLite a relative link, and the
  download menu offers ``course-notebooks.zip``.
- ``console_errors``: two console errors on every page removed at the source.
- ``downloads``: each page's ``.ipynb`` download rewritten in plain Markdown (``export.readable``).
- ``notebook_archive``: ``course-notebooks.zip``, the learner kit.
- ``lite_site``: the JupyterLite site in ``lite/``.
- ``figures``: the kernels plot SVG with text legible on a phone, and ``plt.show()`` fails a
  figure whose layout is broken (``figure_layout``).
- ``index_page``: a titled redirect to the first page.
- ``page_head``: a meta description per page; the search scripts only on the search page.
- ``icon_fonts``: Font Awesome's web fonts and icon rules cut to the icons the site shows.
- ``valid_html``: the code-cell toggles' labels as spans (no ``<p>`` in ``<summary>``).
- ``code_markup``: code blocks without the spans that change nothing on screen (a lighter page).
- ``stylesheets``: each page's stylesheets served as one file (one request before the first paint).
- ``course_pdf``: the whole course as one PDF (single-page HTML printed by Chromium).
- ``without_solutions``: the book without its solution pages (``tasks.py build --no-solutions``).

``export`` writes the ``.ipynb`` notebooks for Colab and JupyterLite; ``make_exercises``
generates exercises/ from solutions/; ``kernels`` starts the build's and the suite's kernels over
Unix sockets.
"""
from __future__ import annotations

import os

import yaml

from course_tools.notebooks import REPO_ROOT

BOOK_CONFIG = yaml.safe_load((REPO_ROOT / "_config.yml").read_text())


def publishing_repository() -> str:
    """The repository whose site this is: on GitHub Actions, the one whose workflow builds and
    publishes it (an instructor's fork publishes its own); elsewhere _config.yml's."""
    if os.environ.get("GITHUB_REPOSITORY"):
        return f"{os.environ.get('GITHUB_SERVER_URL', 'https://github.com')}/{os.environ['GITHUB_REPOSITORY']}"
    return BOOK_CONFIG["repository"]["url"]


# What the launch buttons (Binder, Colab, Live Code), the repository button and the Colab
# notebooks' install cell open (header_buttons, export).
REPOSITORY = publishing_repository()

# Characters a code cell shows at desktop width without scrolling (tests/test_code_width.py);
# generated code keeps within it too.
CODE_WIDTH = 77

JOBS = ("parallel_execution", "without_solutions", "mathml", "cached_outputs", "header_buttons", "console_errors",
        "downloads", "notebook_archive", "lite_site", "figures", "index_page", "page_head",
        "icon_fonts", "valid_html", "code_markup", "stylesheets",
        "course_pdf")


def setup(app):
    # Inherited by the kernels the build starts: a wrong answer in a solution raises and fails
    # the build instead of being reported (course_tools.feedback.checks_raise).
    os.environ["COURSE_CHECKS"] = "raise"
    for job in JOBS:
        app.setup_extension(f"{__name__}.{job}")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
